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
 */
import type { Layout, Plot } from 'nodeplotlib';
import type { Tensor } from '@tensorflow/tfjs';
import { check, formatValue, isTensorLike } from '../check';

/** A figure as Plotly reads it: the traces and the layout. */
export interface FigureSpec {
  data: Plot[];
  layout: Layout;
}

/** One series of numbers: an array, a typed array or a 1-D tensor (read with `dataSync`; the rank is checked when read). */
export type Series = readonly number[] | Float32Array | Float64Array | Int32Array | Uint8Array | Tensor;

/** Several series of equal length: an array of series, or a 2-D tensor whose rows are the series (rank checked when read). */
export type SeriesList = readonly Series[] | readonly (readonly number[])[] | Tensor;

/** Line dash patterns, in Plotly's names or matplotlib's short forms. */
export type DashStyle = 'solid' | 'dash' | 'dot' | 'dashdot' | 'longdash' | '-' | '--' | ':' | '-.';

/** How a line is drawn. Every field is optional. */
export interface LineStyle {
  /** `'C0'`..`'C9'` (matplotlib's cycle), a one-letter matplotlib colour (`'k'`), or any CSS colour. */
  color?: string;
  /** Opacity in [0, 1]. */
  alpha?: number;
  /** Line width in pixels, > 0. */
  width?: number;
  /** Dash pattern: `'solid'`, `'dash'` / `'--'`, `'dot'` / `':'`, `'dashdot'` / `'-.'`, `'longdash'`. */
  dash?: DashStyle;
  /** The legend entry; a line without a label has none. */
  label?: string;
  /** Draws a marker at each point as well as the line. */
  markers?: boolean;
}

/** How a histogram is drawn. Every field is optional. */
export interface HistStyle {
  /** The number of equal-width bins between the smallest and largest value, an integer >= 1 (default 10, like matplotlib). */
  bins?: number;
  /** As in {@link LineStyle.color}. */
  color?: string;
  /** Opacity in [0, 1] (default 1). */
  alpha?: number;
  /** The legend entry. */
  label?: string;
  /** Normalises the bars to a probability density (area 1), like matplotlib's `density=True`. */
  density?: boolean;
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

/** matplotlib's default colour cycle ("tab10"): `'C0'` is `COLOR_CYCLE[0]`. */
export const COLOR_CYCLE: readonly string[] = Object.freeze([
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
]);

/** The fonts figures ask for: matplotlib's default first, then common fallbacks. */
export const FONT_FAMILY = 'DejaVu Sans, Liberation Sans, Arial, sans-serif';

/** The default figure size in CSS pixels. */
export const DEFAULT_WIDTH = 640;
export const DEFAULT_HEIGHT = 400;

const TAB_NAMES = ['blue', 'orange', 'green', 'red', 'purple', 'brown', 'pink', 'gray', 'olive', 'cyan'];

const LETTER_COLORS: Record<string, string> = {
  b: '#0000ff',
  g: '#008000',
  r: '#ff0000',
  c: '#00bfbf',
  m: '#bf00bf',
  y: '#bfbf00',
  k: '#000000',
  w: '#ffffff',
};

const DASHES: Record<DashStyle, 'solid' | 'dash' | 'dot' | 'dashdot' | 'longdash'> = {
  solid: 'solid',
  dash: 'dash',
  dot: 'dot',
  dashdot: 'dashdot',
  longdash: 'longdash',
  '-': 'solid',
  '--': 'dash',
  ':': 'dot',
  '-.': 'dashdot',
};

/**
 * Resolves a matplotlib colour name to a CSS colour.
 *
 * `'C0'`..`'C9'` index matplotlib's default cycle (larger indices wrap, as in
 * matplotlib), `'tab:blue'`.. name the same colours, the one-letter colours
 * `b g r c m y k w` get matplotlib's values, and anything else (`'black'`,
 * `'#333'`, `'rgb(0,0,0)'`) is passed to Plotly unchanged.
 *
 * @param color A colour name, non-empty.
 * @returns A CSS colour string.
 * @throws If color is not a non-empty string.
 * @example
 * resolveColor('C1');   // '#ff7f0e'
 * resolveColor('k');    // '#000000'
 * resolveColor('navy'); // 'navy'
 */
export function resolveColor(color: string): string {
  check(typeof color === 'string' && color.trim() !== '', 'resolveColor', 'color', 'a non-empty string', color);
  const c = color.trim();
  const cycle = /^C(\d+)$/.exec(c);
  if (cycle) return COLOR_CYCLE[Number(cycle[1]) % COLOR_CYCLE.length];
  const tab = /^tab:(\w+)$/.exec(c);
  if (tab && TAB_NAMES.includes(tab[1])) return COLOR_CYCLE[TAB_NAMES.indexOf(tab[1])];
  return LETTER_COLORS[c] ?? c;
}

// ---------------------------------------------------------------------------
// Reading series

function isSeries(value: unknown): boolean {
  return Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView)) || isTensorLike(value);
}

function isOptions(value: unknown): boolean {
  return value === undefined || (typeof value === 'object' && value !== null && !isSeries(value));
}

/** Reads one series into a plain array, checking its type (NaN is kept: Plotly draws a gap). */
function toNumbers(value: unknown, fn: string, arg: string): number[] {
  if (isTensorLike(value)) {
    check(value.shape.length === 1, fn, arg, 'a 1-D tensor', value);
    check(
      value.dtype === 'float32' || value.dtype === 'int32' || value.dtype === 'bool',
      fn,
      arg,
      'a float32, int32 or bool tensor',
      value,
    );
    return Array.from(value.dataSync() as ArrayLike<number>, Number);
  }
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    check(!(value instanceof BigInt64Array || value instanceof BigUint64Array), fn, arg, 'a typed array of numbers', value);
    return Array.from(value as unknown as ArrayLike<number>);
  }
  check(Array.isArray(value), fn, arg, 'a number[], a typed array or a 1-D tensor', value);
  const out = value as unknown[];
  for (let i = 0; i < out.length; i++) {
    if (typeof out[i] !== 'number') {
      throw new Error(`${fn}: ${arg} must be an array of numbers, but got ${formatValue(out[i])} at index ${i}`);
    }
  }
  return (out as number[]).slice();
}

/** Reads several series of equal length (an array of series or a 2-D tensor's rows). */
function toRows(value: unknown, fn: string, arg: string): number[][] {
  let rows: number[][];
  if (isTensorLike(value)) {
    check(value.shape.length === 2, fn, arg, 'an array of series or a 2-D tensor', value);
    check(value.dtype === 'float32' || value.dtype === 'int32', fn, arg, 'a float32 or int32 tensor', value);
    rows = value.arraySync() as number[][];
  } else {
    check(Array.isArray(value), fn, arg, 'an array of series or a 2-D tensor', value);
    rows = (value as unknown[]).map((row, i) => toNumbers(row, fn, `${arg}[${i}]`));
  }
  check(rows.length >= 1, fn, arg, 'at least one series', value);
  for (let i = 1; i < rows.length; i++) {
    if (rows[i].length !== rows[0].length) {
      throw new Error(
        `${fn}: ${arg} must hold series of one length, but got ${rows[0].length} for ${arg}[0] and ${rows[i].length} for ${arg}[${i}]`,
      );
    }
  }
  return rows;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

function checkSameLength(x: number[], n: number, fn: string): void {
  if (x.length !== n) throw new Error(`${fn}: x must have ${n} entries (one per y value), but got ${x.length}`);
}

// ---------------------------------------------------------------------------
// Styles

function checkLineStyle(style: unknown, fn: string): LineStyle {
  if (style === undefined) return {};
  check(isOptions(style), fn, 'style', 'an object of line options', style);
  const s = style as LineStyle;
  if (s.color !== undefined) check(typeof s.color === 'string' && s.color.trim() !== '', fn, 'color', 'a non-empty string', s.color);
  if (s.alpha !== undefined) check(typeof s.alpha === 'number' && s.alpha >= 0 && s.alpha <= 1, fn, 'alpha', 'in [0, 1]', s.alpha);
  if (s.width !== undefined) {
    check(typeof s.width === 'number' && Number.isFinite(s.width) && s.width > 0, fn, 'width', 'a finite number > 0', s.width);
  }
  if (s.dash !== undefined) {
    check(
      Object.prototype.hasOwnProperty.call(DASHES, s.dash),
      fn,
      'dash',
      `one of ${Object.keys(DASHES).map((d) => `'${d}'`).join(', ')}`,
      s.dash,
    );
  }
  if (s.label !== undefined) check(typeof s.label === 'string', fn, 'label', 'a string', s.label);
  if (s.markers !== undefined) check(typeof s.markers === 'boolean', fn, 'markers', 'a boolean', s.markers);
  return s;
}

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

const AXIS = {
  showline: true,
  mirror: true,
  linecolor: '#000000',
  linewidth: 1,
  ticks: 'outside',
  showgrid: false,
  zeroline: false,
  automargin: true,
} as const;

/**
 * Builds a figure one call at a time, like matplotlib's pyplot, without
 * changing the receiver: every method returns a new `Figure`.
 *
 * Create one with {@link figure}, {@link plot}, {@link hist} or
 * {@link subplots}; display it with `show` from `diffabm` (the `display`
 * module), or pass `toJSON()` to nodeplotlib's `plot(data, layout)`.
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
      panels: [{ traces: [], xlabel, ylabel, cycle: 0, groups: 0 }],
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
    return this.addToPanel('xlim', (panel) => ({ ...panel, xlim: [lo, hi] }));
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
    return this.addToPanel('ylim', (panel) => ({ ...panel, ylim: [lo, hi] }));
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
    const layout: Record<string, unknown> = {
      width,
      height,
      font: { family: FONT_FAMILY, size: 12, color: '#000000' },
      paper_bgcolor: '#ffffff',
      plot_bgcolor: '#ffffff',
      showlegend: legend,
      legend: { bgcolor: 'rgba(255,255,255,0.8)', bordercolor: '#cccccc', borderwidth: 1 },
      barmode: 'overlay',
      hovermode: 'closest',
      margin: { l: 64, r: 24, t: title ? 56 : single ? 24 : 48, b: 52 },
    };
    if (title) layout.title = { text: title, x: 0.5, xanchor: 'center' };
    const annotations: unknown[] = [];
    const gapX = 0.1;
    // Between rows: room for the x tick labels and label of a panel and the title of the one below.
    const gapY = 0.24;
    const w = (1 - gapX * (cols - 1)) / cols;
    const h = (1 - gapY * (rows - 1)) / rows;
    panels.forEach((panel, i) => {
      const n = i === 0 ? '' : String(i + 1);
      const xaxis: Record<string, unknown> = { ...AXIS };
      const yaxis: Record<string, unknown> = { ...AXIS };
      if (panel.xlabel) xaxis.title = { text: panel.xlabel };
      if (panel.ylabel) yaxis.title = { text: panel.ylabel };
      if (panel.xlim) xaxis.range = [...panel.xlim];
      if (panel.ylim) yaxis.range = [...panel.ylim];
      if (!single) {
        const row = Math.floor(i / cols);
        const col = i % cols;
        const x0 = col * (w + gapX);
        const top = 1 - row * (h + gapY);
        xaxis.domain = [x0, x0 + w];
        yaxis.domain = [top - h, top];
        xaxis.anchor = `y${n}`;
        yaxis.anchor = `x${n}`;
        if (panel.title) {
          annotations.push({
            text: panel.title,
            xref: 'paper',
            yref: 'paper',
            x: x0 + w / 2,
            y: top,
            xanchor: 'center',
            yanchor: 'bottom',
            yshift: 6,
            showarrow: false,
            font: { size: 13 },
          });
        }
      }
      layout[`xaxis${n}`] = xaxis;
      layout[`yaxis${n}`] = yaxis;
      for (const trace of panel.traces) data.push(single ? trace : { ...trace, xaxis: `x${n}`, yaxis: `y${n}` });
    });
    if (annotations.length > 0) layout.annotations = annotations;
    return JSON.parse(JSON.stringify({ data, layout })) as FigureSpec;
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

/**
 * Counts values in `bins` equal bins from the smallest to the largest finite value,
 * like numpy's `histogram`: bins are [a, b) except the last, [a, b]. NaN and
 * ±Infinity are not counted. Equal values get the range [v - 0.5, v + 0.5].
 */
function binCounts(values: number[], bins: number): { centers: number[]; counts: number[]; start: number; size: number } {
  let lo = Infinity;
  let hi = -Infinity;
  for (const t of values) {
    if (Number.isFinite(t)) {
      if (t < lo) lo = t;
      if (t > hi) hi = t;
    }
  }
  if (lo > hi) return { centers: [], counts: [], start: 0, size: 1 };
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  const size = (hi - lo) / bins;
  const edge = (k: number) => (k === bins ? hi : lo + k * size);
  const counts = new Array<number>(bins).fill(0);
  for (const t of values) {
    if (!Number.isFinite(t)) continue;
    let k = Math.min(bins - 1, Math.floor((t - lo) / size));
    // Rounding can put a value on an edge into the neighbouring bin; fix that.
    if (t < edge(k)) k--;
    else if (k < bins - 1 && t >= edge(k + 1)) k++;
    counts[k]++;
  }
  const centers = counts.map((_, k) => (edge(k) + edge(k + 1)) / 2);
  return { centers, counts, start: lo, size };
}

function pickColor(panel: Panel, color: string | undefined): { color: string; cycle: number } {
  if (color !== undefined) return { color: resolveColor(color), cycle: panel.cycle };
  return { color: COLOR_CYCLE[panel.cycle % COLOR_CYCLE.length], cycle: panel.cycle + 1 };
}

function lineTrace(x: number[], y: number[], style: LineStyle, color: string): Plot {
  const trace: Plot = {
    type: 'scatter',
    mode: style.markers ? 'lines+markers' : 'lines',
    x,
    y,
    line: { color, width: style.width ?? 2, dash: DASHES[style.dash ?? 'solid'] },
    opacity: style.alpha ?? 1,
    name: style.label ?? '',
    showlegend: style.label !== undefined,
  };
  if (style.markers) trace.marker = { color, size: 6 };
  return trace;
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
 * limits and title (shown above the panel).
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
