/**
 * Figures for the notebooks: a small, immutable builder over Plotly's JSON
 * schema, shaped like matplotlib's `pyplot`.
 *
 *   show(plot(walk));                                       // plt.plot(walk); plt.show()
 *   show(figure({ title: 'dx/dθ', xlabel: 't' })
 *     .lines(samples)                                       // plt.plot(samples.T, 'C0', alpha=0.2)
 *     .mean(samples)                                        // plt.plot(samples.mean(0), 'C0--', lw=3)
 *     .reference(ts, (t) => 2 * t, { label: 'true 2t' })    // plt.plot(t, 2*t, 'k--')
 *     .legend());
 *
 * Every method returns a new `Figure`; the receiver is never changed, so a
 * figure can be extended in several ways from a shared start. `toJSON()` gives
 * `{ data: Plot[], layout: Layout }` for nodeplotlib, Plotly and the notebook's
 * `application/vnd.plotly.v1+json` output.
 *
 * This module holds the `Figure` class and the functions that start one. What
 * it draws with lives beside it: colours (`colors.ts`), reading series
 * (`series.ts`), styles (`styles.ts`), histogram and box statistics (`bins.ts`),
 * traces (`traces.ts`), and axes and grids (`layout.ts`).
 */
import type { Layout, Plot } from 'nodeplotlib';
import { check, formatValue } from '../check';
import { binCounts, boxStats } from './bins';
import { COLOR_CYCLE, resolveColor, withAlpha } from './colors';
import {
  COLORBAR_THICKNESS,
  FONT_FAMILY,
  LEGEND_PAST_COLORBAR,
  axisLayout,
  colorbarBeside,
  gridLayout,
  panelTitle,
} from './layout';
import { checkSameLength, isOptions, range, toNumbers, toRows, type Series, type SeriesList } from './series';
import { EXACT_COLOR, MEAN_COLOR, lineTrace, markerTrace } from './traces';
import {
  DASHES,
  checkBoxStyle,
  checkContourStyle,
  checkFillStyle,
  checkLineStyle,
  checkMarkerStyle,
  type BoxStyle,
  type ContourStyle,
  type FillStyle,
  type HistStyle,
  type LineStyle,
  type MarkerStyle,
  type Scale,
} from './styles';

export { FONT_FAMILY } from './layout';
export type { Series, SeriesList } from './series';
export type {
  BoxStyle,
  ContourStyle,
  DashStyle,
  FillStyle,
  HistStyle,
  LineStyle,
  MarkerStyle,
  MarkerSymbol,
  Scale,
} from './styles';

/** A figure as Plotly reads it: the traces and the layout. */
export interface FigureSpec {
  data: Plot[];
  layout: Layout;
}

/** Options for a new figure. */
export interface FigureOptions {
  /** The title above the plot. */
  title?: string;
  /** The x axis label. */
  xlabel?: string;
  /** The y axis label. */
  ylabel?: string;
  /** The width in CSS pixels, an integer >= 10 (default 640; a PNG is twice as wide). */
  width?: number;
  /** The height in CSS pixels, an integer >= 10 (default 400). */
  height?: number;
  /** Shows the legend (default false, as in matplotlib until `legend()`). */
  legend?: boolean;
}

/** Options for {@link subplots}. */
export interface SubplotsOptions {
  /** The title above the whole grid; each panel keeps its own title above it. */
  title?: string;
  /** The width in CSS pixels (default 440 per column, at least 640). */
  width?: number;
  /** The height in CSS pixels (default 400 for one row, 320 per row otherwise). */
  height?: number;
  /** Shows the legend (default: when any panel shows one). */
  legend?: boolean;
}

/** The default figure size in CSS pixels. */
export const DEFAULT_WIDTH = 640;
export const DEFAULT_HEIGHT = 400;

function checkSize(n: unknown, fn: string, arg: string): asserts n is number {
  check(typeof n === 'number' && Number.isInteger(n) && n >= 10, fn, arg, 'an integer >= 10 (pixels)', n);
}

function checkText(s: unknown, fn: string, arg: string): asserts s is string {
  check(typeof s === 'string', fn, arg, 'a string', s);
}

function checkLimits(lo: unknown, hi: unknown, fn: string): void {
  check(typeof lo === 'number' && Number.isFinite(lo), fn, 'lo', 'a finite number', lo);
  check(typeof hi === 'number' && Number.isFinite(hi) && hi > (lo as number), fn, 'hi', `a finite number > lo (${lo})`, hi);
}

// ---------------------------------------------------------------------------
// The figure

/** One panel of a figure: its traces and its axes. */
interface Panel {
  readonly traces: readonly Plot[];
  readonly title?: string;
  readonly xlabel?: string;
  readonly ylabel?: string;
  readonly xlim?: readonly [number, number];
  readonly ylim?: readonly [number, number];
  readonly xscale?: Scale;
  readonly yscale?: Scale;
  /** Tick positions and their labels on the x axis (set by `xticks` and `boxplot`). */
  readonly xticks?: { readonly vals: readonly number[]; readonly text: readonly string[] };
  /** Tick positions and their labels on the y axis (set by `yticks`). */
  readonly yticks?: { readonly vals: readonly number[]; readonly text: readonly string[] };
  /** Lines across the panel (`axhline`, `axvline`), as Plotly shapes on the axes `x` and `y`. */
  readonly shapes: readonly Record<string, unknown>[];
  /** How many colours of the cycle the panel has used. */
  readonly cycle: number;
  /** The colour of the last group of faint lines, which `mean` reuses. */
  readonly groupColor?: string;
  /** How many groups of faint lines the panel has (names their legend groups). */
  readonly groups: number;
}

interface State {
  readonly rows: number;
  readonly cols: number;
  readonly panels: readonly Panel[];
  /** The figure's title: the panel's title for one panel, the grid's title otherwise. */
  readonly title?: string;
  readonly width: number;
  readonly height: number;
  readonly legend: boolean;
}

/**
 * Builds a figure one call at a time, like matplotlib's pyplot, without
 * changing the receiver: every method returns a new `Figure`.
 *
 * Create one with {@link figure}, {@link plot}, {@link hist} or
 * {@link subplots}; display it with `show` from `diffabm` (the `display`
 * module), or pass `toJSON()` to nodeplotlib's `plot(data, layout)`.
 *
 * The marks, with their matplotlib counterparts: `plot` (`plt.plot`), `lines`
 * and `mean` (many faint samples and their mean), `reference` (an exact curve),
 * `hist` (`plt.hist`), `boxplot` (`plt.boxplot`), `fillBetween`
 * (`plt.fill_between`), `scatter` (`plt.scatter`), `contour` (`plt.contour`,
 * `plt.contourf`), `axhline` and `axvline`. The axes: `title`, `xlabel`,
 * `ylabel`, `xlim`, `ylim`, `xscale`, `yscale`, `xticks`, `legend`, `size`.
 *
 * Colours follow matplotlib: each new series without a colour takes the next
 * of `C0`..`C9`; a series with an explicit colour does not advance the cycle.
 * The legend is hidden until {@link Figure.legend} is called.
 *
 * @example
 * const fig = figure({ title: 'Random walks', xlabel: 't', ylabel: 'x_t' })
 *   .lines(walks)            // 100 faint lines in C0
 *   .mean(walks)             // their mean, bold and dashed, also in C0
 *   .legend();
 * fig.toJSON();              // { data: [...101 traces], layout: {...} }
 */
/** Checks tick positions and labels for `xticks`/`yticks`; returns them as Plotly's tickvals/ticktext. */
function checkTicks(fn: string, ticks: readonly number[], labels?: readonly string[]): { vals: number[]; text: string[] } {
  check(Array.isArray(ticks) && ticks.every((t) => typeof t === 'number' && Number.isFinite(t)), fn, 'ticks', 'an array of finite numbers', ticks);
  if (labels !== undefined) {
    check(
      Array.isArray(labels) && labels.length === ticks.length && labels.every((l) => typeof l === 'string'),
      fn,
      'labels',
      `an array of ${ticks.length} strings (one per tick)`,
      labels,
    );
  }
  return { vals: [...ticks], text: labels ? [...labels] : ticks.map(String) };
}

export class Figure {
  private constructor(private readonly state: State) {}

  /** Creates an empty one-panel figure. Prefer the function {@link figure}. */
  static create(options: FigureOptions = {}): Figure {
    check(isOptions(options), 'figure', 'options', 'an object', options);
    const { title, xlabel, ylabel, width = DEFAULT_WIDTH, height = DEFAULT_HEIGHT, legend = false } = options;
    if (title !== undefined) checkText(title, 'figure', 'title');
    if (xlabel !== undefined) checkText(xlabel, 'figure', 'xlabel');
    if (ylabel !== undefined) checkText(ylabel, 'figure', 'ylabel');
    checkSize(width, 'figure', 'width');
    checkSize(height, 'figure', 'height');
    check(typeof legend === 'boolean', 'figure', 'legend', 'a boolean', legend);
    return new Figure({
      rows: 1,
      cols: 1,
      panels: [{ traces: [], shapes: [], xlabel, ylabel, cycle: 0, groups: 0 }],
      title,
      width,
      height,
      legend,
    });
  }

  /**
   * Arranges finished one-panel figures in a grid. Prefer the function {@link subplots}.
   *
   * @throws As documented for {@link subplots}.
   */
  static grid(rows: number, cols: number, panels: readonly Figure[], options: SubplotsOptions = {}): Figure {
    const fn = 'subplots';
    check(typeof rows === 'number' && Number.isInteger(rows) && rows >= 1, fn, 'rows', 'an integer >= 1', rows);
    check(typeof cols === 'number' && Number.isInteger(cols) && cols >= 1, fn, 'cols', 'an integer >= 1', cols);
    check(Array.isArray(panels), fn, 'panels', 'an array of figures', panels);
    check(
      panels.length >= 1 && panels.length <= rows * cols,
      fn,
      'panels',
      `1 to ${rows * cols} figures for a ${rows}×${cols} grid`,
      `${panels.length} figures`,
    );
    panels.forEach((p, i) => {
      check(p instanceof Figure, fn, `panels[${i}]`, 'a Figure', p);
      check(p.state.panels.length === 1, fn, `panels[${i}]`, 'a one-panel figure', `a ${p.state.rows}×${p.state.cols} grid`);
    });
    check(isOptions(options), fn, 'options', 'an object', options);
    const { title, width = Math.max(DEFAULT_WIDTH, 440 * cols), height = rows === 1 ? DEFAULT_HEIGHT : 320 * rows } = options;
    if (title !== undefined) checkText(title, fn, 'title');
    checkSize(width, fn, 'width');
    checkSize(height, fn, 'height');
    const legend = options.legend ?? panels.some((p) => p.state.legend);
    check(typeof legend === 'boolean', fn, 'legend', 'a boolean', legend);
    return new Figure({
      rows,
      cols,
      panels: panels.map((p) => ({ ...p.state.panels[0], title: p.state.title })),
      title,
      width,
      height,
      legend,
    });
  }

  /** The width in CSS pixels. */
  get width(): number {
    return this.state.width;
  }

  /** The height in CSS pixels. */
  get height(): number {
    return this.state.height;
  }

  /** The grid's shape, `[rows, cols]`; `[1, 1]` for an ordinary figure. */
  get grid(): [number, number] {
    return [this.state.rows, this.state.cols];
  }

  /** The number of panels: 1 for an ordinary figure, up to rows × cols for a grid. */
  get panelCount(): number {
    return this.state.panels.length;
  }

  /** The number of traces in all panels. */
  get traceCount(): number {
    return this.state.panels.reduce((n, p) => n + p.traces.length, 0);
  }

  /**
   * Adds one line, like `plt.plot(y)` or `plt.plot(x, y)`.
   *
   * @param y The values; x defaults to 0, 1, ..., n - 1. NaN leaves a gap.
   * @param style Colour (default: the next of C0..C9), alpha, width (default 2), dash, label, markers.
   * @returns A new figure with the line added.
   * @throws If y is not a series, x and y differ in length, or a style field is out of range.
   * @example
   * figure().plot([0, 1, 0, -1]).plot([0, 1, 2, 3], [0, 1, 4, 9], { color: 'C3', label: 'x²' });
   */
  plot(y: Series, style?: LineStyle): Figure;
  plot(x: Series, y: Series, style?: LineStyle): Figure;
  plot(a: Series, b?: Series | LineStyle, c?: LineStyle): Figure {
    const fn = 'plot';
    const [xIn, yIn, styleIn] = isOptions(b) ? [undefined, a, b] : [a, b, c];
    const y = toNumbers(yIn, fn, 'y');
    const x = xIn === undefined ? range(y.length) : toNumbers(xIn, fn, 'x');
    checkSameLength(x, y.length, fn);
    const style = checkLineStyle(styleIn, fn);
    return this.addToPanel(fn, (panel) => {
      const { color, cycle } = pickColor(panel, style.color);
      const trace = lineTrace(x, y, { width: 2, ...style }, color);
      return { ...panel, cycle, traces: [...panel.traces, trace] };
    });
  }

  /**
   * Adds many faint lines in one colour, like `plt.plot(x, Y.T, 'C0', alpha=0.2)`:
   * samples of a random walk, or of a gradient estimator.
   *
   * The lines share one legend group; only the first carries `label`, if any.
   *
   * @param ys The series, all of one length: an array of series or a 2-D tensor of shape [nSeries, n].
   * @param style Colour (default: the next of C0..C9, one for all), alpha (default 0.2), width (default 1), dash, label.
   * @returns A new figure with one trace per series.
   * @throws If ys is empty or ragged, x has the wrong length, or a style field is out of range.
   * @example
   * figure().lines([[0, 1, 2], [0, -1, 0]], { color: 'C1' });
   */
  lines(ys: SeriesList, style?: LineStyle): Figure;
  lines(x: Series, ys: SeriesList, style?: LineStyle): Figure;
  lines(a: Series | SeriesList, b?: SeriesList | LineStyle, c?: LineStyle): Figure {
    const fn = 'lines';
    const [xIn, ysIn, styleIn] = isOptions(b) ? [undefined, a, b] : [a, b, c];
    const rows = toRows(ysIn, fn, 'ys');
    const x = xIn === undefined ? range(rows[0].length) : toNumbers(xIn, fn, 'x');
    checkSameLength(x, rows[0].length, fn);
    const style = checkLineStyle(styleIn, fn);
    return this.addToPanel(fn, (panel) => {
      const { color, cycle } = pickColor(panel, style.color);
      const group = `lines${panel.groups + 1}`;
      const traces = rows.map((y, i) => ({
        ...lineTrace(x, y, { alpha: 0.2, width: 1, ...style, label: i === 0 ? style.label : undefined }, color),
        legendgroup: group,
      }));
      return { ...panel, cycle, groups: panel.groups + 1, groupColor: color, traces: [...panel.traces, ...traces] };
    });
  }

  /**
   * Adds the pointwise mean of several series as a bold dashed line:
   * `mean_i = (1/m) Σ_k ys[k][i]`. NaN in any series gives NaN (a gap) there.
   *
   * @param ys The series, all of one length (as for {@link Figure.lines}).
   * @param style Colour (default: that of the last `lines` call, else the next of the cycle),
   *   width (default 3), dash (default `'dash'`), label (default `'mean'`), alpha (default 1).
   * @returns A new figure with one more trace.
   * @throws As for {@link Figure.lines}.
   * @example
   * figure().lines(samples).mean(samples); // the mean in the samples' colour
   */
  mean(ys: SeriesList, style?: LineStyle): Figure;
  mean(x: Series, ys: SeriesList, style?: LineStyle): Figure;
  mean(a: Series | SeriesList, b?: SeriesList | LineStyle, c?: LineStyle): Figure {
    const fn = 'mean';
    const [xIn, ysIn, styleIn] = isOptions(b) ? [undefined, a, b] : [a, b, c];
    const rows = toRows(ysIn, fn, 'ys');
    const n = rows[0].length;
    const x = xIn === undefined ? range(n) : toNumbers(xIn, fn, 'x');
    checkSameLength(x, n, fn);
    const style = checkLineStyle(styleIn, fn);
    const y = range(n).map((i) => rows.reduce((s, row) => s + row[i], 0) / rows.length);
    return this.addToPanel(fn, (panel) => {
      const { color, cycle } =
        style.color === undefined && panel.groupColor !== undefined
          ? { color: panel.groupColor, cycle: panel.cycle }
          : pickColor(panel, style.color);
      const trace = lineTrace(x, y, { width: 3, dash: 'dash', label: 'mean', ...style }, color);
      return { ...panel, cycle, traces: [...panel.traces, trace] };
    });
  }

  /**
   * Adds a reference line, black and dashed by default: an exact answer to compare
   * estimates with, such as the true gradient `2t`.
   *
   * @param x The x values (or, with one argument, the y values at 0, 1, ..., n - 1).
   * @param y The y values, or a function evaluated at each x.
   * @param style Colour (default black; does not use the cycle), width (default 2),
   *   dash (default `'dash'`), label (default none), alpha.
   * @returns A new figure with one more trace.
   * @throws If the lengths differ, the function returns a non-number, or a style field is out of range.
   * @example
   * figure().reference([0, 1, 2, 3], (t) => 2 * t, { label: 'true gradient 2t' });
   */
  reference(y: Series, style?: LineStyle): Figure;
  reference(x: Series, y: Series | ((x: number) => number), style?: LineStyle): Figure;
  reference(a: Series, b?: Series | ((x: number) => number) | LineStyle, c?: LineStyle): Figure {
    const fn = 'reference';
    const [xIn, yIn, styleIn] = typeof b !== 'function' && isOptions(b) ? [undefined, a, b] : [a, b, c];
    let x: number[];
    let y: number[];
    if (typeof yIn === 'function') {
      x = toNumbers(xIn, fn, 'x');
      y = x.map((t, i) => {
        const v = (yIn as (x: number) => number)(t);
        if (typeof v !== 'number') throw new Error(`${fn}: y(x) must return a number, but got ${formatValue(v)} at x = ${t} (index ${i})`);
        return v;
      });
    } else {
      y = toNumbers(yIn, fn, 'y');
      x = xIn === undefined ? range(y.length) : toNumbers(xIn, fn, 'x');
      checkSameLength(x, y.length, fn);
    }
    const style = checkLineStyle(styleIn, fn);
    return this.addToPanel(fn, (panel) => {
      const trace = lineTrace(x, y, { width: 2, dash: 'dash', ...style }, resolveColor(style.color ?? 'k'));
      return { ...panel, traces: [...panel.traces, trace] };
    });
  }

  /**
   * Adds a histogram of the values, like `plt.hist(values, bins)`: `bins` bars of
   * equal width from min to max (NaN values are not counted). Several histograms
   * in one panel overlap; give them an alpha below 1 to see through. The trace holds
   * the bin counts at the bin centres (`histfunc: 'sum'`), not the samples.
   *
   * @param values The samples.
   * @param style bins (default 10), colour (default: the next of the cycle), alpha (default 1), label, density.
   * @returns A new figure with one histogram trace.
   * @throws If values is not a series, bins is not an integer >= 1, or a style field is out of range.
   * @example
   * figure().hist(samples, { bins: 30, density: true, label: 'x_T' });
   */
  hist(values: Series, style: HistStyle = {}): Figure {
    const fn = 'hist';
    const v = toNumbers(values, fn, 'values');
    check(isOptions(style), fn, 'style', 'an object of histogram options', style);
    const { bins = 10, color: colorIn, alpha = 1, label, density = false } = style;
    check(typeof bins === 'number' && Number.isInteger(bins) && bins >= 1, fn, 'bins', 'an integer >= 1', bins);
    if (colorIn !== undefined) check(typeof colorIn === 'string' && colorIn.trim() !== '', fn, 'color', 'a non-empty string', colorIn);
    check(typeof alpha === 'number' && alpha >= 0 && alpha <= 1, fn, 'alpha', 'in [0, 1]', alpha);
    if (label !== undefined) checkText(label, fn, 'label');
    check(typeof density === 'boolean', fn, 'density', 'a boolean', density);
    const { centers, counts, start, size } = binCounts(v, bins);
    return this.addToPanel(fn, (panel) => {
      const { color, cycle } = pickColor(panel, colorIn);
      // The bins are counted here, with matplotlib's rule (every bin is [a, b) but
      // the last is [a, b]), and Plotly sums the counts at the bin centres: its own
      // binning would drop the maximum, and the JSON stays small for many samples.
      // `histnorm` is missing from @types/plotly.js 1.54, hence the looser record type.
      const trace: Record<string, unknown> = {
        type: 'histogram',
        histfunc: 'sum',
        x: centers,
        y: counts,
        xbins: { start, end: start + size * bins, size },
        autobinx: false,
        marker: { color },
        opacity: alpha,
        name: label ?? '',
        showlegend: label !== undefined,
        histnorm: density ? 'probability density' : '',
      };
      return { ...panel, cycle, traces: [...panel.traces, trace as Plot] };
    });
  }

  /**
   * Adds box plots, one box per group, like matplotlib's
   * `boxplot(groups, labels=..., showmeans=True, showfliers=False)`.
   *
   * Each box spans the quartiles with a line at the median; the whiskers reach
   * the furthest values within 1.5 IQR of the box (`IQR = q3 - q1`). The
   * statistics are matplotlib's (`cbook.boxplot_stats`: quartiles by numpy's
   * linear percentile), computed here and given to Plotly as precomputed
   * `q1`/`median`/`q3`/`lowerfence`/`upperfence` (Plotly's own statistics would
   * put the whiskers at the extremes when the outliers are hidden). A NaN in a
   * group makes its box NaN (not drawn). Boxes sit at x = 1, 2, ..., n (or
   * `positions`) with the labels as tick labels, so lines such as
   * {@link Figure.axhline} or {@link Figure.reference} can share the axes.
   *
   * @param groups The samples of each box, one series per box (lengths may differ,
   *   each >= 1): an array of series or a 2-D tensor whose rows are the groups.
   * @param style labels, positions, showMeans (default true: a green triangle at the
   *   mean), showFliers (default false), exact (an open red diamond per box, under the
   *   sample mean, legend entry `'exact mean'`), color (default: the next of the cycle), alpha of the fill (default 0.3), label.
   * @returns A new figure with one box trace, plus one marker trace each for means,
   *   fliers and exact values when drawn.
   * @throws If groups is not a list of series or a group is empty, or a style field has
   *   the wrong length or range: `boxplot: labels must be an array of 3 strings (one per box), but got ...`.
   * @example
   * figure({ ylabel: 'gradient' })
   *   .boxplot(gradientsPerTau, { labels: taus.map((t) => `τ = ${t}`), exact: taus.map(() => 7) })
   *   .legend();
   */
  boxplot(groups: SeriesList, style?: BoxStyle): Figure {
    const fn = 'boxplot';
    const rows = toRows(groups, fn, 'groups', false);
    rows.forEach((r, i) => check(r.length >= 1, fn, `groups[${i}]`, 'a non-empty series', r));
    const s = checkBoxStyle(style, fn, rows.length);
    const positions = s.positions ?? rows.map((_, i) => i + 1);
    const labels = s.labels ?? positions.map(String);
    const { showMeans = true, showFliers = false, alpha = 0.3 } = s;
    const stats = rows.map((r) => boxStats(r));
    // matplotlib's default box width: 0.15 of the span of the positions (at least 1), at most 0.5.
    const span = positions.length > 1 ? Math.max(...positions) - Math.min(...positions) : 0;
    const width = Math.min(0.15 * Math.max(span, 1), 0.5);
    return this.addToPanel(fn, (panel) => {
      const { color, cycle } = pickColor(panel, s.color);
      const box: Record<string, unknown> = {
        type: 'box',
        x: positions,
        q1: stats.map((b) => b.q1),
        median: stats.map((b) => b.median),
        q3: stats.map((b) => b.q3),
        lowerfence: stats.map((b) => b.lowerFence),
        upperfence: stats.map((b) => b.upperFence),
        boxpoints: false,
        width,
        line: { color, width: 1.5 },
        name: s.label ?? '',
        showlegend: s.label !== undefined,
      };
      const fill = withAlpha(color, alpha);
      if (fill !== null) box.fillcolor = fill;
      const added: Plot[] = [box as Plot];
      if (showFliers) {
        const fx = stats.flatMap((b, i) => b.fliers.map(() => positions[i]));
        const fy = stats.flatMap((b) => b.fliers);
        added.push(markerTrace(fx, fy, { symbol: 'o', size: 6 }, color, { fill: 'rgba(0,0,0,0)', line: color }));
      }
      const named = (group: string) => panel.traces.some((t) => (t as { legendgroup?: string }).legendgroup === group);
      // The exact value first, as an open diamond, so that a sample mean on top of it stays visible.
      if (s.exact) {
        added.push({
          ...markerTrace(positions, s.exact, { symbol: 'D', size: 12, label: 'exact mean' }, EXACT_COLOR, { fill: 'rgba(0,0,0,0)', line: EXACT_COLOR }),
          legendgroup: 'box-exact',
          showlegend: !named('box-exact'),
        });
      }
      if (showMeans) {
        const y = stats.map((b) => b.mean);
        added.push({
          ...markerTrace(positions, y, { symbol: '^', size: 8, label: 'sample mean' }, MEAN_COLOR),
          legendgroup: 'box-mean',
          showlegend: !named('box-mean'),
        });
      }
      const xticks = {
        vals: [...(panel.xticks?.vals ?? []), ...positions],
        text: [...(panel.xticks?.text ?? []), ...labels],
      };
      return { ...panel, cycle, xticks, traces: [...panel.traces, ...added] };
    });
  }

  /**
   * Shades the band between two curves, like matplotlib's `fill_between(x, y1, y2)`.
   *
   * The band is one closed polygon per run of points where x, lower and upper are
   * all finite (a NaN splits the band, as matplotlib masks it), drawn as one
   * Plotly trace with `fill: 'toself'` and no outline.
   *
   * @param x The x values.
   * @param lower The lower curve (one value per x), or one number for a flat edge.
   * @param upper The upper curve (one value per x), or one number for a flat edge.
   * @param style color (default: the next of the cycle), alpha (default 0.3), label.
   * @returns A new figure with one filled trace.
   * @throws If a curve's length differs from x's, or a style field is out of range.
   * @example
   * // mean ± 2 standard deviations around an estimate
   * figure().fillBetween(t, lo, hi, { color: 'C0', label: '±2σ' }).plot(t, mean, { color: 'C0' });
   */
  fillBetween(x: Series, lower: Series | number, upper: Series | number, style?: FillStyle): Figure {
    const fn = 'fillBetween';
    const xs = toNumbers(x, fn, 'x');
    const edge = (value: unknown, arg: string) => {
      if (typeof value === 'number') return xs.map(() => value);
      const v = toNumbers(value, fn, arg);
      if (v.length !== xs.length) throw new Error(`${fn}: ${arg} must have ${xs.length} entries (one per x value), but got ${v.length}`);
      return v;
    };
    const lo = edge(lower, 'lower');
    const hi = edge(upper, 'upper');
    const s = checkFillStyle(style, fn);
    const px: (number | null)[] = [];
    const py: (number | null)[] = [];
    let start = 0;
    const finite = (i: number) => Number.isFinite(xs[i]) && Number.isFinite(lo[i]) && Number.isFinite(hi[i]);
    for (let i = 0; i <= xs.length; i++) {
      if (i < xs.length && finite(i)) continue;
      if (i > start) {
        if (px.length > 0) {
          px.push(null);
          py.push(null);
        }
        for (let k = start; k < i; k++) {
          px.push(xs[k]);
          py.push(hi[k]);
        }
        for (let k = i - 1; k >= start; k--) {
          px.push(xs[k]);
          py.push(lo[k]);
        }
      }
      start = i + 1;
    }
    return this.addToPanel(fn, (panel) => {
      const { color, cycle } = pickColor(panel, s.color);
      const trace: Record<string, unknown> = {
        type: 'scatter',
        mode: 'lines',
        x: px,
        y: py,
        fill: 'toself',
        fillcolor: color,
        line: { color, width: 0 },
        opacity: s.alpha ?? 0.3,
        hoveron: 'fills',
        name: s.label ?? '',
        showlegend: s.label !== undefined,
      };
      return { ...panel, cycle, traces: [...panel.traces, trace as Plot] };
    });
  }

  /**
   * Adds markers at points, like matplotlib's `scatter(x, y, s=..., c=..., marker=...)`.
   *
   * @param x The x values.
   * @param y The y values, one per x. A NaN leaves the point out.
   * @param style color (default: the next of the cycle), alpha, size (diameter in
   *   pixels, default 6), symbol (matplotlib's `'o'`, `'s'`, `'D'`, `'^'`, `'x'`, `'+'`,
   *   `'*'`... default `'o'`), label.
   * @returns A new figure with one marker trace.
   * @throws If x and y differ in length or a style field is out of range.
   * @example
   * figure().contour(grid, grid, density).scatter([0.3], [0.7], { symbol: '*', size: 14, color: 'r', label: 'truth' });
   */
  scatter(x: Series, y: Series, style?: MarkerStyle): Figure {
    const fn = 'scatter';
    const ys = toNumbers(y, fn, 'y');
    const xs = toNumbers(x, fn, 'x');
    checkSameLength(xs, ys.length, fn);
    const s = checkMarkerStyle(style, fn);
    return this.addToPanel(fn, (panel) => {
      const { color, cycle } = pickColor(panel, s.color);
      return { ...panel, cycle, traces: [...panel.traces, markerTrace(xs, ys, s, color)] };
    });
  }

  /**
   * Draws the contour lines of a function on a grid, like matplotlib's
   * `contour(x, y, z)`, or filled bands, like `contourf`, with `filled: true`.
   *
   * `z[i][j]` is the value at `(x[j], y[i])`: one row per y value, as in matplotlib
   * and Plotly. The levels are `levels` values evenly spaced strictly between the
   * smallest and largest finite z, `min + k (max - min) / (levels + 1)` for
   * k = 1..levels (Plotly's automatic levels when z is constant). NaN leaves a hole.
   * The trace does not use the colour cycle.
   *
   * @param x The grid's x values, n of them.
   * @param y The grid's y values, m of them.
   * @param z The values, m rows of n: an array of rows or a 2-D tensor of shape [m, n].
   * @param style levels (default 8), filled (default false), color (one colour for all
   *   lines), colorscale (default `'Viridis'`), showScale (default: filled), showLabels,
   *   alpha, label.
   * @returns A new figure with one contour trace.
   * @throws If z does not have one row per y and one column per x, or a style field is out of range.
   * @example
   * const grid = Array.from({ length: 51 }, (_, i) => i / 50);
   * const z = grid.map((b) => grid.map((a) => Math.exp(-((a - 0.5) ** 2 + (b - 0.5) ** 2) * 20)));
   * figure({ xlabel: 'a', ylabel: 'b' }).contour(grid, grid, z, { filled: true });
   */
  contour(x: Series, y: Series, z: SeriesList, style?: ContourStyle): Figure {
    const fn = 'contour';
    const xs = toNumbers(x, fn, 'x');
    const ys = toNumbers(y, fn, 'y');
    const zs = toRows(z, fn, 'z');
    if (zs.length !== ys.length) throw new Error(`${fn}: z must have ${ys.length} rows (one per y value), but got ${zs.length}`);
    if (zs[0].length !== xs.length) {
      throw new Error(`${fn}: z must have ${xs.length} columns (one per x value), but got ${zs[0].length}`);
    }
    const s = checkContourStyle(style, fn);
    const { levels = 8, filled = false, showScale = filled, showLabels = false } = s;
    let lo = Infinity;
    let hi = -Infinity;
    for (const row of zs) {
      for (const v of row) {
        if (Number.isFinite(v)) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
    const trace: Record<string, unknown> = {
      type: 'contour',
      x: xs,
      y: ys,
      z: zs,
      colorscale: s.color === undefined ? s.colorscale ?? 'Viridis' : [[0, resolveColor(s.color)], [1, resolveColor(s.color)]],
      showscale: showScale,
      colorbar: { thickness: COLORBAR_THICKNESS, ...(s.scaleTitle === undefined ? {} : { title: { text: s.scaleTitle, side: 'right' } }) },
      opacity: s.alpha ?? 1,
      line: { width: filled ? 0.5 : 1.5 },
      name: s.label ?? '',
      showlegend: s.label !== undefined,
    };
    const contours: Record<string, unknown> = { coloring: filled ? 'fill' : 'lines', showlabels: showLabels };
    if (hi > lo) {
      const size = (hi - lo) / (levels + 1);
      // Plotly draws start, start + size, ... up to end: half a step of slack keeps the last level.
      Object.assign(contours, { start: lo + size, end: lo + (levels + 0.5) * size, size });
      trace.autocontour = false;
    }
    trace.contours = contours;
    return this.addToPanel(fn, (panel) => ({ ...panel, traces: [...panel.traces, trace as Plot] }));
  }

  /**
   * Draws a horizontal line across the whole panel at height y, like matplotlib's
   * `axhline(y)`: an expected value to compare estimates with. The line spans the
   * panel whatever the x range, and does not use the colour cycle.
   *
   * @param y The height, a finite number.
   * @param style color (default `'C0'`, matplotlib's), width (default 1.5), dash, alpha, label.
   * @returns A new figure with one more line.
   * @throws If y is not finite or a style field is out of range.
   * @example
   * figure().boxplot(gradients).axhline(7, { color: 'b', dash: '--', width: 1, label: 'Expected gradient' });
   */
  axhline(y: number, style?: LineStyle): Figure {
    return this.addLine('axhline', 'y', y, style);
  }

  /**
   * Draws a vertical line across the whole panel at x, like matplotlib's `axvline(x)`.
   *
   * @param x The position, a finite number.
   * @param style color (default `'C0'`), width (default 1.5), dash, alpha, label.
   * @returns A new figure with one more line.
   * @throws If x is not finite or a style field is out of range.
   * @example
   * hist(samples).axvline(0.3, { color: 'k', dash: '--', label: 'true θ' });
   */
  axvline(x: number, style?: LineStyle): Figure {
    return this.addLine('axvline', 'x', x, style);
  }

  /**
   * Sets the x axis scale, like `plt.xscale('log')`: Plotly's axis `type`.
   * On a log axis, limits set with {@link Figure.xlim} must be positive.
   *
   * @param scale `'linear'` or `'log'` (base 10).
   * @returns A new figure.
   * @throws If scale is neither, the limits are not positive for `'log'`, or the figure is a grid.
   * @example
   * plot(taus, variances).xscale('log').yscale('log');
   */
  xscale(scale: Scale): Figure {
    checkScale(scale, 'xscale');
    return this.addToPanel('xscale', (panel) => {
      checkLogLimits(scale, panel.xlim, 'xscale', 'xlim');
      return { ...panel, xscale: scale };
    });
  }

  /**
   * Sets the y axis scale, like `plt.yscale('log')`: Plotly's axis `type`.
   * On a log axis, limits set with {@link Figure.ylim} must be positive.
   *
   * @param scale `'linear'` or `'log'` (base 10).
   * @returns A new figure.
   * @throws If scale is neither, the limits are not positive for `'log'`, or the figure is a grid.
   * @example
   * plot(losses).yscale('log');
   */
  yscale(scale: Scale): Figure {
    checkScale(scale, 'yscale');
    return this.addToPanel('yscale', (panel) => {
      checkLogLimits(scale, panel.ylim, 'yscale', 'ylim');
      return { ...panel, yscale: scale };
    });
  }

  /**
   * Sets the x tick positions and their labels, like `plt.xticks(ticks, labels)`.
   *
   * @param ticks The positions, finite numbers.
   * @param labels One label per tick (default: the positions as text).
   * @returns A new figure.
   * @throws If a tick is not finite, the labels do not match the ticks, or the figure is a grid.
   * @example
   * plot([3, 1, 2]).xticks([0, 1, 2], ['a', 'b', 'c']);
   */
  xticks(ticks: readonly number[], labels?: readonly string[]): Figure {
    const xticks = checkTicks('xticks', ticks, labels);
    return this.addToPanel('xticks', (panel) => ({ ...panel, xticks }));
  }

  /**
   * Sets the y tick positions and their labels, like `plt.yticks(ticks, labels)`.
   * On a log axis the positions are in data units: `.yscale('log').yticks([0.1, 1])`.
   *
   * @param ticks The positions, finite numbers.
   * @param labels One label per tick (default: the positions as text).
   * @returns A new figure.
   * @throws If a tick is not finite, the labels do not match the ticks, or the figure is a grid.
   * @example
   * plot([0.05, 0.5]).yscale('log').yticks([0.05, 0.1, 0.5]);
   */
  yticks(ticks: readonly number[], labels?: readonly string[]): Figure {
    const yticks = checkTicks('yticks', ticks, labels);
    return this.addToPanel('yticks', (panel) => ({ ...panel, yticks }));
  }

  /**
   * Sets the title (for a grid, the title above all panels).
   *
   * @param text The title.
   * @returns A new figure.
   * @throws If text is not a string.
   * @example
   * plot([1, 2]).title('Two points');
   */
  title(text: string): Figure {
    checkText(text, 'title', 'text');
    return new Figure({ ...this.state, title: text });
  }

  /**
   * Sets the x axis label.
   *
   * @param text The label.
   * @returns A new figure.
   * @throws If text is not a string, or the figure is a grid (label each panel instead).
   * @example
   * plot([1, 2]).xlabel('t');
   */
  xlabel(text: string): Figure {
    checkText(text, 'xlabel', 'text');
    return this.addToPanel('xlabel', (panel) => ({ ...panel, xlabel: text }));
  }

  /**
   * Sets the y axis label.
   *
   * @param text The label.
   * @returns A new figure.
   * @throws If text is not a string, or the figure is a grid (label each panel instead).
   * @example
   * plot([1, 2]).ylabel('x_t');
   */
  ylabel(text: string): Figure {
    checkText(text, 'ylabel', 'text');
    return this.addToPanel('ylabel', (panel) => ({ ...panel, ylabel: text }));
  }

  /**
   * Fixes the x axis range, like `plt.xlim(lo, hi)`.
   *
   * @param lo The left end, finite.
   * @param hi The right end, finite and > lo.
   * @returns A new figure.
   * @throws If the ends are not finite or hi <= lo, or the figure is a grid.
   * @example
   * plot([1, 2, 3]).xlim(0, 2);
   */
  xlim(lo: number, hi: number): Figure {
    checkLimits(lo, hi, 'xlim');
    return this.addToPanel('xlim', (panel) => {
      checkLogLimits(panel.xscale, [lo, hi], 'xlim', 'lo');
      return { ...panel, xlim: [lo, hi] };
    });
  }

  /**
   * Fixes the y axis range, like `plt.ylim(lo, hi)`.
   *
   * @param lo The bottom, finite.
   * @param hi The top, finite and > lo.
   * @returns A new figure.
   * @throws If the ends are not finite or hi <= lo, or the figure is a grid.
   * @example
   * plot([1, 2, 3]).ylim(0, 4);
   */
  ylim(lo: number, hi: number): Figure {
    checkLimits(lo, hi, 'ylim');
    return this.addToPanel('ylim', (panel) => {
      checkLogLimits(panel.yscale, [lo, hi], 'ylim', 'lo');
      return { ...panel, ylim: [lo, hi] };
    });
  }

  /**
   * Shows or hides the legend, like `plt.legend()`. Only labelled series appear in it.
   *
   * @param show True to show it (default).
   * @returns A new figure.
   * @throws If show is not a boolean.
   * @example
   * plot([1, 2], { label: 'a' }).legend();
   */
  legend(show = true): Figure {
    check(typeof show === 'boolean', 'legend', 'show', 'a boolean', show);
    return new Figure({ ...this.state, legend: show });
  }

  /**
   * Sets the size in CSS pixels, like `plt.figure(figsize=...)`. A PNG is rendered at twice this size.
   *
   * @param width The width, an integer >= 10.
   * @param height The height, an integer >= 10.
   * @returns A new figure.
   * @throws If a size is not an integer >= 10.
   * @example
   * plot([1, 2]).size(800, 300);
   */
  size(width: number, height: number): Figure {
    checkSize(width, 'size', 'width');
    checkSize(height, 'size', 'height');
    return new Figure({ ...this.state, width, height });
  }

  /**
   * Describes the figure in one line, for `text/plain` outputs and logs.
   *
   * @returns E.g. `Figure "Random walks": 3 traces, 640×400`.
   * @example
   * plot([1, 2]).describe(); // 'Figure: 1 trace, 640×400'
   */
  describe(): string {
    const { rows, cols, title, width, height } = this.state;
    const n = this.traceCount;
    const name = title ? `Figure ${JSON.stringify(title)}` : 'Figure';
    const grid = rows * cols > 1 ? `${rows}×${cols} panels, ` : '';
    return `${name}: ${grid}${n} trace${n === 1 ? '' : 's'}, ${width}×${height}`;
  }

  /**
   * Serialises the figure to Plotly's JSON: `{ data, layout }`.
   *
   * The result is a fresh, JSON-safe copy (NaN becomes `null`, which Plotly draws
   * as a gap), so changing it does not change the figure.
   *
   * @returns `{ data: Plot[], layout: Layout }`, with `layout.width`/`height` set.
   * @example
   * const { data, layout } = plot([1, 2]).toJSON();
   * require('nodeplotlib').plot(data, layout);
   */
  toJSON(): FigureSpec {
    const { rows, cols, panels, title, width, height, legend } = this.state;
    const single = rows * cols === 1;
    const data: Plot[] = [];
    const margin = { l: 64, r: 24, t: title ? 56 : single ? 24 : 48, b: 52 };
    const layout: Record<string, unknown> = {
      width,
      height,
      font: { family: FONT_FAMILY, size: 12, color: '#000000' },
      paper_bgcolor: '#ffffff',
      plot_bgcolor: '#ffffff',
      showlegend: legend,
      legend: { bgcolor: 'rgba(255,255,255,0.8)', bordercolor: '#cccccc', borderwidth: 1 },
      barmode: 'overlay',
      boxmode: 'overlay',
      hovermode: 'closest',
      margin,
    };
    if (title) layout.title = { text: title, x: 0.5, xanchor: 'center' };
    const contents = {
      colorbars: panels.map((p) => p.traces.some(showsScale)),
      legendNames: legend ? legendNames(panels) : [],
    };
    const grid = single ? null : gridLayout(rows, cols, contents, width - margin.l - margin.r, height - margin.t - margin.b);
    if (grid) layout.grid = grid;
    const annotations: unknown[] = [];
    const shapes: unknown[] = [];
    panels.forEach((panel, i) => {
      const n = i === 0 ? '' : String(i + 1);
      layout[`xaxis${n}`] = axisLayout(panel.xlabel, panel.xlim, panel.xscale, panel.xticks);
      layout[`yaxis${n}`] = axisLayout(panel.ylabel, panel.ylim, panel.yscale, panel.yticks);
      if (grid && panel.title) annotations.push(panelTitle(panel.title, n));
      for (const shape of panel.shapes) {
        shapes.push({ ...shape, xref: String(shape.xref).replace(/^x/, `x${n}`), yref: String(shape.yref).replace(/^y/, `y${n}`) });
      }
      for (const trace of panel.traces) {
        if (!grid) {
          data.push(trace);
          continue;
        }
        const placed: Record<string, unknown> = { ...trace, xaxis: `x${n}`, yaxis: `y${n}` };
        if (showsScale(trace)) placed.colorbar = { ...(trace as { colorbar?: object }).colorbar, ...colorbarBeside(grid, i) };
        data.push(placed as Plot);
      }
    });
    if (annotations.length > 0) layout.annotations = annotations;
    if (shapes.length > 0) layout.shapes = shapes;
    if (!grid && legend && panels[0].traces.some(showsScale)) {
      // The colour bar takes Plotly's usual place of the legend, right of the plot: the legend goes beyond it.
      (layout.legend as Record<string, unknown>).x = 1 + LEGEND_PAST_COLORBAR / (width - margin.l - margin.r);
    }
    return JSON.parse(JSON.stringify({ data, layout })) as FigureSpec;
  }

  /** Adds a line across the panel (a Plotly shape): horizontal at y = value, or vertical at x = value. */
  private addLine(fn: string, axis: 'x' | 'y', value: number, styleIn: LineStyle | undefined): Figure {
    check(typeof value === 'number' && Number.isFinite(value), fn, axis, 'a finite number', value);
    const style = checkLineStyle(styleIn, fn);
    const color = resolveColor(style.color ?? 'C0');
    const across = axis === 'y' ? { xref: 'x domain', x0: 0, x1: 1, yref: 'y', y0: value, y1: value } : { xref: 'x', x0: value, x1: value, yref: 'y domain', y0: 0, y1: 1 };
    const shape: Record<string, unknown> = {
      type: 'line',
      ...across,
      line: { color, width: style.width ?? 1.5, dash: DASHES[style.dash ?? 'solid'] },
      opacity: style.alpha ?? 1,
      layer: 'above',
      name: style.label ?? '',
      showlegend: style.label !== undefined,
    };
    return this.addToPanel(fn, (panel) => ({ ...panel, shapes: [...panel.shapes, shape] }));
  }

  /** Applies a change to the only panel; grids are built from finished panels. */
  private addToPanel(fn: string, change: (panel: Panel) => Panel): Figure {
    const { rows, cols, panels } = this.state;
    if (panels.length !== 1 || rows * cols !== 1) {
      throw new Error(
        `${fn}: the figure must have one panel, but got a ${rows}×${cols} grid (build each panel as its own figure, then call subplots)`,
      );
    }
    return new Figure({ ...this.state, panels: [change(panels[0])] });
  }
}

/** Tells whether a trace shows a colour bar. */
function showsScale(trace: unknown): boolean {
  return Boolean((trace as { showscale?: boolean }).showscale);
}

/** The names of the legend's entries in all panels: labelled traces and lines. */
function legendNames(panels: readonly Panel[]): string[] {
  const entries = panels.flatMap((p) => [...p.traces, ...p.shapes]) as { showlegend?: boolean; name?: string }[];
  return entries.filter((e) => e.showlegend).map((e) => String(e.name ?? ''));
}

function checkScale(scale: unknown, fn: string): asserts scale is Scale {
  check(scale === 'linear' || scale === 'log', fn, 'scale', "'linear' or 'log'", scale);
}

/** On a log axis the limits must be positive; `arg` names what is being set. */
function checkLogLimits(scale: Scale | undefined, lim: readonly [number, number] | undefined, fn: string, arg: string): void {
  if (scale !== 'log' || lim === undefined) return;
  check(lim[0] > 0, fn, arg, `positive on a log axis (limits [${lim[0]}, ${lim[1]}])`, lim[0]);
}

function pickColor(panel: Panel, color: string | undefined): { color: string; cycle: number } {
  if (color !== undefined) return { color: resolveColor(color), cycle: panel.cycle };
  return { color: COLOR_CYCLE[panel.cycle % COLOR_CYCLE.length], cycle: panel.cycle + 1 };
}

/**
 * Creates an empty figure, like `plt.figure()`; add series with its methods.
 *
 * @param options title, xlabel, ylabel, width (default 640), height (default 400), legend (default false).
 * @returns An empty one-panel figure.
 * @throws If a size is not an integer >= 10 or a label is not a string.
 * @example
 * figure({ title: 'Walks', xlabel: 't' }).lines(walks).mean(walks);
 */
export function figure(options: FigureOptions = {}): Figure {
  return Figure.create(options);
}

/**
 * Creates a figure with one line, like `plt.plot(y)` or `plt.plot(x, y)`.
 *
 * @param y The values (number[], typed array or 1-D tensor); x defaults to 0, 1, ..., n - 1.
 * @param style As for {@link Figure.plot}.
 * @returns A new figure.
 * @throws As for {@link Figure.plot}.
 * @example
 * show(plot(randomWalk(0.5, 100)));
 */
export function plot(y: Series, style?: LineStyle): Figure;
export function plot(x: Series, y: Series, style?: LineStyle): Figure;
export function plot(a: Series, b?: Series | LineStyle, c?: LineStyle): Figure {
  return (figure().plot as (a: Series, b?: Series | LineStyle, c?: LineStyle) => Figure)(a, b, c);
}

/**
 * Creates a figure with one histogram, like `plt.hist(values, bins)`.
 *
 * @param values The samples (number[], typed array or 1-D tensor).
 * @param style As for {@link Figure.hist}: bins (default 10), color, alpha, label, density.
 * @returns A new figure.
 * @throws As for {@link Figure.hist}.
 * @example
 * show(hist(finalPositions, { bins: 21 }));
 */
export function hist(values: Series, style?: HistStyle): Figure {
  return figure().hist(values, style);
}

/**
 * Arranges one-panel figures in a grid of `rows × cols` panels, filled row by row,
 * like `plt.subplots(rows, cols)`. Each panel keeps its traces, axis labels,
 * limits, scales, lines and title (shown above the panel). Plotly places the
 * panels (`layout.grid`, independent axes); the gaps leave a fixed room in
 * pixels for tick labels, axis titles, panel titles and colour bars (`layout.ts`).
 *
 * @param rows The number of rows, an integer >= 1.
 * @param cols The number of columns, an integer >= 1.
 * @param panels 1 to rows·cols one-panel figures.
 * @param options title (above the grid), width, height, legend.
 * @returns A new figure whose panel i uses axes `x{i+1}` / `y{i+1}` (`x` / `y` for the first).
 * @throws If rows or cols is not a positive integer, there are too many or no panels,
 *   or a panel is itself a grid.
 * @example
 * show(subplots(1, 2, [plot(walk).title('x_t'), hist(final).title('x_T')]));
 */
export function subplots(rows: number, cols: number, panels: readonly Figure[], options?: SubplotsOptions): Figure {
  return Figure.grid(rows, cols, panels, options);
}
