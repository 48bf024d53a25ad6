/**
 * Tests of the figure builder: the Plotly traces and layout it produces.
 *
 * Colours are matplotlib's (see colors.test.ts); bin counts and box statistics
 * are tested against numpy and matplotlib in bins.test.ts, so here they are
 * only checked to reach the traces. The grid's cell geometry, `step = 1 / (n - gap)`
 * with cells `step (1 - gap)` wide, is checked against plotly.js itself in render.test.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { expectClose } from '../util';
import { Figure, figure, hist, plot, subplots } from '../../lib/plot/figure';

type Trace = Record<string, any>;
type AnyLayout = Record<string, any>;

function traces(fig: Figure): Trace[] {
  return fig.toJSON().data as Trace[];
}

function layoutOf(fig: Figure): AnyLayout {
  return fig.toJSON().layout as AnyLayout;
}

describe('plot', () => {
  test('plot(y) draws one solid line in C0 at x = 0, 1, ..., n - 1 with no legend entry', () => {
    const [t] = traces(plot([3, 1, 2]));
    expect(t).toMatchObject({
      type: 'scatter',
      mode: 'lines',
      x: [0, 1, 2],
      y: [3, 1, 2],
      opacity: 1,
      showlegend: false,
      line: { color: '#1f77b4', dash: 'solid' },
    });
  });

  test('plot(x, y, style) applies colour, dash, width, alpha and label', () => {
    const [t] = traces(plot([0, 1], [5, 6], { color: 'C1', dash: '--', width: 4, alpha: 0.5, label: 'a' }));
    expect(t).toMatchObject({
      x: [0, 1],
      y: [5, 6],
      opacity: 0.5,
      name: 'a',
      showlegend: true,
      line: { color: '#ff7f0e', dash: 'dash', width: 4 },
    });
  });

  test('matplotlib dash names map to Plotly dash names', () => {
    const dashes = (['-', '--', ':', '-.'] as const).map((dash) => traces(plot([1, 2], { dash }))[0].line.dash);
    expect(dashes).toEqual(['solid', 'dash', 'dot', 'dashdot']);
  });

  test('each uncoloured line takes the next colour; an explicit colour does not advance the cycle', () => {
    const fig = figure().plot([1]).plot([2], { color: 'k' }).plot([3]).plot([4]);
    expect(traces(fig).map((t) => t.line.color)).toEqual(['#1f77b4', '#000000', '#ff7f0e', '#2ca02c']);
  });

  test('markers: true draws lines and markers in the line colour', () => {
    const [t] = traces(plot([1, 2], { markers: true, color: 'C2' }));
    expect(t.mode).toBe('lines+markers');
    expect(t.marker.color).toBe('#2ca02c');
  });

  test('Float32Array and tfjs Tensor1D inputs are read as plain arrays', () => {
    const y = tf.tensor1d([0.5, 1.5, -2]);
    const [a] = traces(plot(new Float32Array([0.5, 1.5, -2])));
    const [b] = traces(plot(tf.tensor1d([0, 1, 2], 'int32'), y));
    expect(a.y).toEqual([0.5, 1.5, -2]);
    expect(b.x).toEqual([0, 1, 2]);
    expect(b.y).toEqual([0.5, 1.5, -2]);
    y.dispose();
  });

  test('reading tensors creates no tensors and leaves the inputs alive', () => {
    const y = tf.tensor1d([1, 2, 3]);
    const m = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
    const before = tf.memory().numTensors;
    figure().plot(y).lines(m).mean(m).hist(y).toJSON();
    expect(tf.memory().numTensors).toBe(before);
    expect(y.isDisposed || m.isDisposed).toBe(false);
    tf.dispose([y, m]);
  });

  test('NaN in the data reaches the JSON as null, which Plotly draws as a gap', () => {
    expect(traces(plot([1, NaN, 3]))[0].y).toEqual([1, null, 3]);
  });

  test('a 2-D tensor is refused by plot with its shape in the message', () => {
    const m = tf.tensor2d([[1, 2], [3, 4]]);
    expect(() => plot(m as unknown as tf.Tensor1D)).toThrow(/^plot: y must be a 1-D tensor, but got a float32 tensor of shape \[2, 2\]$/);
    m.dispose();
  });

  test('non-numeric input, mismatched lengths and bad styles are refused with readable messages', () => {
    expect(() => plot('abc' as never)).toThrow(/^plot: y must be a number\[\], a typed array or a 1-D tensor, but got "abc"$/);
    expect(() => plot([1, 'x'] as never)).toThrow(/^plot: y must be an array of numbers, but got "x" at index 1$/);
    expect(() => plot([0, 1, 2], [1, 2])).toThrow(/^plot: x must have 2 entries \(one per y value\), but got 3$/);
    expect(() => plot([1], { alpha: 1.5 })).toThrow(/^plot: alpha must be in \[0, 1\], but got 1\.5$/);
    expect(() => plot([1], { width: 0 })).toThrow(/^plot: width must be a finite number > 0, but got 0$/);
    expect(() => plot([1], { dash: 'wavy' as never })).toThrow(/^plot: dash must be one of 'solid', .*, but got "wavy"$/);
  });
});

describe('lines and mean', () => {
  const samples = [
    [0, 1, 2],
    [0, -1, 0],
    [0, 1, 4],
  ];

  test('lines draws one faint trace per series in one colour, none in the legend', () => {
    const ts = traces(figure().lines(samples));
    expect(ts).toHaveLength(3);
    for (const t of ts) {
      expect(t.opacity).toBe(0.2);
      expect(t.line.color).toBe('#1f77b4');
      expect(t.line.width).toBe(1);
      expect(t.showlegend).toBe(false);
      expect(t.legendgroup).toBe(ts[0].legendgroup);
    }
    expect(ts.map((t) => t.y)).toEqual(samples);
  });

  test('a label on lines gives one legend entry, on the first trace only', () => {
    const ts = traces(figure().lines(samples, { label: 'samples' }));
    expect(ts.map((t) => t.showlegend)).toEqual([true, false, false]);
    expect(ts[0].name).toBe('samples');
  });

  test('lines reads the rows of a 2-D tensor and takes x as a first argument', () => {
    const m = tf.tensor2d(samples);
    const ts = traces(figure().lines([10, 20, 30], m, { color: 'C3', alpha: 0.1 }));
    expect(ts.map((t) => t.y)).toEqual(samples);
    expect(ts[2].x).toEqual([10, 20, 30]);
    expect(ts[0].opacity).toBe(0.1);
    expect(ts[0].line.color).toBe('#d62728');
    m.dispose();
  });

  test('mean draws the pointwise mean as a bold dashed line in the colour of the last lines', () => {
    const ts = traces(figure().plot([9, 9, 9]).lines(samples).mean(samples));
    const mean = ts[ts.length - 1];
    // (0+0+0)/3, (1-1+1)/3, (2+0+4)/3
    expect(mean.y[0]).toBe(0);
    expect(mean.y[1]).toBeCloseTo(1 / 3, 12);
    expect(mean.y[2]).toBe(2);
    expect(mean).toMatchObject({ opacity: 1, name: 'mean', showlegend: true, line: { dash: 'dash', width: 3, color: '#ff7f0e' } });
  });

  test('mean without earlier lines takes the next colour of the cycle', () => {
    const [t] = traces(figure().mean(samples));
    expect(t.line.color).toBe('#1f77b4');
  });

  test('mean propagates NaN at the positions where a series has NaN', () => {
    const [t] = traces(figure().mean([[1, NaN], [3, 4]]));
    expect(t.y).toEqual([2, null]);
  });

  test('ragged and empty series lists are refused', () => {
    expect(() => figure().lines([[1, 2], [1]])).toThrow(/^lines: ys must hold series of one length, but got 2 for ys\[0\] and 1 for ys\[1\]$/);
    expect(() => figure().mean([])).toThrow(/^mean: ys must be at least one series, but got \[\]$/);
    expect(() => figure().lines([[1, 'a']] as never)).toThrow(/^lines: ys\[0\] must be an array of numbers, but got "a" at index 1$/);
  });
});

describe('reference', () => {
  test('reference draws y = f(x) in black dashes without using the colour cycle', () => {
    const fig = figure().reference([0, 1, 2, 3], (t) => 2 * t, { label: 'true gradient 2t' }).plot([1]);
    const [ref, line] = traces(fig);
    expect(ref).toMatchObject({
      x: [0, 1, 2, 3],
      y: [0, 2, 4, 6],
      name: 'true gradient 2t',
      showlegend: true,
      line: { color: '#000000', dash: 'dash' },
    });
    expect(line.line.color).toBe('#1f77b4');
  });

  test('reference also takes values, and a function that returns a non-number is refused', () => {
    expect(traces(figure().reference([1, 2]))[0]).toMatchObject({ x: [0, 1], y: [1, 2] });
    expect(() => figure().reference([1, 2], () => 'a' as never)).toThrow(
      /^reference: y\(x\) must return a number, but got "a" at x = 1 \(index 0\)$/,
    );
  });
});

describe('hist', () => {
  test('hist gives a histogram trace with matplotlib bin counts, the maximum in the last bin', () => {
    const [t] = traces(hist([1, 1, 2, 3, 3, 3, 4, 5, 5, 5, 5], { bins: 4 }));
    expect(t.type).toBe('histogram');
    expect(t.histfunc).toBe('sum');
    expect(t.y).toEqual([2, 1, 3, 5]);
    expect(t.x).toEqual([1.5, 2.5, 3.5, 4.5]);
    expect(t.xbins).toEqual({ start: 1, end: 5, size: 1 });
    expect(t.marker.color).toBe('#1f77b4');
    expect(t.histnorm).toBe('');
  });

  test('hist uses 10 bins by default, skips NaN and normalises with density', () => {
    const [t] = traces(hist([0, 10, NaN, 5], { density: true, color: 'C4', alpha: 0.5, label: 'x' }));
    expect(t.y).toHaveLength(10);
    expect(t.y.reduce((a: number, b: number) => a + b, 0)).toBe(3);
    expect(t).toMatchObject({ histnorm: 'probability density', opacity: 0.5, name: 'x', showlegend: true, marker: { color: '#9467bd' } });
  });

  test('hist of equal values spans [v - 0.5, v + 0.5] like matplotlib', () => {
    const [t] = traces(hist([2, 2, 2], { bins: 2 }));
    expect(t.xbins).toEqual({ start: 1.5, end: 2.5, size: 0.5 });
    expect(t.y).toEqual([0, 3]);
  });

  test('hist accepts a tensor and refuses a bad bin count', () => {
    const v = tf.tensor1d([1, 2, 3, 4]);
    expect(traces(hist(v, { bins: 2 }))[0].y).toEqual([2, 2]);
    v.dispose();
    expect(() => hist([1, 2], { bins: 0 })).toThrow(/^hist: bins must be an integer >= 1, but got 0$/);
    expect(() => hist([1, 2], { bins: 2.5 })).toThrow(/^hist: bins must be an integer >= 1, but got 2\.5$/);
  });

  test('two histograms in one panel overlap and take successive colours', () => {
    const fig = hist([1, 2], { alpha: 0.5 }).hist([2, 3], { alpha: 0.5 });
    expect(traces(fig).map((t) => t.marker.color)).toEqual(['#1f77b4', '#ff7f0e']);
    expect(layoutOf(fig).barmode).toBe('overlay');
  });
});

describe('layout', () => {
  test('a new figure is 640×400 with no legend, white background and DejaVu Sans first', () => {
    const layout = layoutOf(plot([1], { label: 'a' }));
    expect(layout).toMatchObject({ width: 640, height: 400, showlegend: false, plot_bgcolor: '#ffffff' });
    expect(layout.font.family).toMatch(/^DejaVu Sans/);
    expect(layout.title).toBeUndefined();
  });

  test('title, axis labels, limits, legend and size appear in the layout', () => {
    const fig = plot([1, 2]).title('Walk').xlabel('t').ylabel('x_t').xlim(0, 5).ylim(-1, 1).legend().size(800, 300);
    const layout = layoutOf(fig);
    expect(layout.title.text).toBe('Walk');
    expect(layout.xaxis.title.text).toBe('t');
    expect(layout.yaxis.title.text).toBe('x_t');
    expect(layout.xaxis.range).toEqual([0, 5]);
    expect(layout.yaxis.range).toEqual([-1, 1]);
    expect(layout.showlegend).toBe(true);
    expect([layout.width, layout.height]).toEqual([800, 300]);
    expect(fig.width).toBe(800);
    expect(fig.height).toBe(300);
  });

  test('figure options set the same fields as the methods', () => {
    const a = layoutOf(figure({ title: 'T', xlabel: 'x', ylabel: 'y', width: 500, height: 200, legend: true }));
    const b = layoutOf(figure().title('T').xlabel('x').ylabel('y').size(500, 200).legend());
    expect(a).toEqual(b);
  });

  test('bad sizes, limits and labels are refused', () => {
    expect(() => figure({ width: 5 })).toThrow(/^figure: width must be an integer >= 10 \(pixels\), but got 5$/);
    expect(() => plot([1]).size(640, 400.5)).toThrow(/^size: height must be an integer >= 10 \(pixels\), but got 400\.5$/);
    expect(() => plot([1]).xlim(2, 1)).toThrow(/^xlim: hi must be a finite number > lo \(2\), but got 1$/);
    expect(() => plot([1]).xlabel(3 as never)).toThrow(/^xlabel: text must be a string, but got 3$/);
  });

  test('methods return new figures and leave the receiver unchanged', () => {
    const base = plot([1, 2]);
    const before = JSON.stringify(base.toJSON());
    const extended = base.plot([3, 4]).title('x').legend();
    expect(JSON.stringify(base.toJSON())).toBe(before);
    expect(extended.traceCount).toBe(2);
    expect(base.traceCount).toBe(1);
  });

  test('toJSON returns a fresh copy each time', () => {
    const fig = plot([1, 2]);
    const spec = fig.toJSON();
    (spec.data[0].y as number[])[0] = 99;
    expect(fig.toJSON().data[0].y).toEqual([1, 2]);
  });

  test('describe gives the title, trace count and size in one line', () => {
    expect(plot([1]).describe()).toBe('Figure: 1 trace, 640×400');
    expect(figure({ title: 'Walks' }).lines([[1], [2]]).plot([3]).describe()).toBe('Figure "Walks": 3 traces, 640×400');
  });
});

describe('subplots', () => {
  const left = plot([1, 2]).title('left').xlabel('t');
  const right = hist([1, 2, 3]).plot([0, 1]).title('right').ylabel('count');

  /** The space between two cells in CSS pixels, for Plotly's grid gap over a plot area of `area` pixels and n cells. */
  const gapPixels = (gap: number, n: number, area: number) => (gap * area) / (n - gap);

  test('subplots lays the panels out with Plotly grid, one independent pair of axes per panel, filled row by row', () => {
    const fig = subplots(1, 2, [left, right], { title: 'Both' });
    const { data, layout } = fig.toJSON() as { data: Trace[]; layout: AnyLayout };
    expect(fig.grid).toEqual([1, 2]);
    expect(layout.grid).toMatchObject({ rows: 1, columns: 2, pattern: 'independent', roworder: 'top to bottom' });
    expect(data.map((t) => [t.xaxis, t.yaxis])).toEqual([
      ['x', 'y'],
      ['x2', 'y2'],
      ['x2', 'y2'],
    ]);
    expect(data[1].type).toBe('histogram');
    // The grid places the axes: no hand-made domains.
    expect(layout.xaxis.domain).toBeUndefined();
    expect(layout.yaxis2.domain).toBeUndefined();
    expect(layout.xaxis.title.text).toBe('t');
    expect(layout.yaxis2.title.text).toBe('count');
    expect(layout.title.text).toBe('Both');
    expect(fig.describe()).toBe('Figure "Both": 1×2 panels, 3 traces, 880×400');
  });

  test('panel titles sit above their own axes, centred', () => {
    const layout = layoutOf(subplots(2, 2, [left, right, left.title('third')]));
    expect(layout.annotations.map((a: AnyLayout) => [a.text, a.xref, a.yref, a.x, a.y, a.yanchor])).toEqual([
      ['left', 'x domain', 'y domain', 0.5, 1, 'bottom'],
      ['right', 'x2 domain', 'y2 domain', 0.5, 1, 'bottom'],
      ['third', 'x3 domain', 'y3 domain', 0.5, 1, 'bottom'],
    ]);
  });

  test('the gaps leave a fixed room in pixels between cells, for tick labels, axis titles and panel titles', () => {
    const layout = layoutOf(subplots(2, 3, [left, right, left, right], { width: 1200, height: 700 }));
    const areaX = 1200 - layout.margin.l - layout.margin.r;
    const areaY = 700 - layout.margin.t - layout.margin.b;
    expect(gapPixels(layout.grid.xgap, 3, areaX)).toBeCloseTo(84, 9);
    expect(gapPixels(layout.grid.ygap, 2, areaY)).toBeCloseTo(88, 9);
  });

  test('a colour bar beside a panel widens the gap between columns and sits right of its panel', () => {
    const z = [[0, 1], [1, 2]];
    const density = figure().contour([0, 1], [0, 1], z, { filled: true });
    const plain = layoutOf(subplots(1, 2, [left, right]));
    const { data, layout } = subplots(1, 2, [density, right]).toJSON() as { data: Trace[]; layout: AnyLayout };
    expect(layout.grid.xgap).toBeGreaterThan(plain.grid.xgap);
    const step = 1 / (2 - layout.grid.xgap);
    const panelRight = step * (1 - layout.grid.xgap);
    expect(data[0].colorbar.x).toBeGreaterThan(panelRight);
    expect(data[0].colorbar.x).toBeLessThan(step);
    expect(data[0].colorbar.len).toBeCloseTo(1, 12);
  });

  test('axis lines of a panel follow it into the grid, on its own axes', () => {
    const layout = layoutOf(subplots(1, 2, [left, right.axhline(2, { label: 'two' })]));
    expect(layout.shapes).toEqual([expect.objectContaining({ xref: 'x2 domain', yref: 'y2', y0: 2, y1: 2 })]);
  });

  test('a 1×1 grid is an ordinary figure with no grid', () => {
    const layout = layoutOf(subplots(1, 1, [left]));
    expect(layout.grid).toBeUndefined();
    expect(layout.annotations).toBeUndefined();
  });

  test('the legend shows when a panel asked for it', () => {
    expect(layoutOf(subplots(1, 2, [left, right])).showlegend).toBe(false);
    expect(layoutOf(subplots(1, 2, [left.legend(), right])).showlegend).toBe(true);
  });

  test('too many panels, nested grids and adding series to a grid are refused', () => {
    expect(() => subplots(1, 1, [left, right])).toThrow(/^subplots: panels must be 1 to 1 figures for a 1×1 grid, but got "2 figures"$/);
    const grid = subplots(1, 2, [left, right]);
    expect(() => subplots(1, 2, [grid])).toThrow(/^subplots: panels\[0\] must be a one-panel figure, but got "a 1×2 grid"$/);
    expect(() => grid.plot([1])).toThrow(/^plot: the figure must have one panel, but got a 1×2 grid/);
    expect(() => grid.boxplot([[1]])).toThrow(/^boxplot: the figure must have one panel, but got a 1×2 grid/);
    expect(() => subplots(0, 2, [left])).toThrow(/^subplots: rows must be an integer >= 1, but got 0$/);
  });
});

describe('boxplot', () => {
  const groups = [
    [1, 2, 2.5, 3, 3.5, 4, 30, -20],
    [5, 6, 7],
  ];

  test('boxplot draws one box per group with the statistics matplotlib gives, at x = 1..n with the labels as ticks', () => {
    const fig = figure().boxplot(groups, { labels: ['a', 'b'] });
    const [box] = traces(fig);
    // By hand, as matplotlib's boxplot computes them: quartiles by linear interpolation between
    // order statistics (numpy's default percentiles), whiskers at the furthest data within 1.5 IQR.
    // Group a sorted: -20 1 2 2.5 3 3.5 4 30; q1 at rank 1.75 = 1.75, median 2.75, q3 at rank 5.25 = 3.625,
    // IQR 1.875, limits -1.0625 and 6.4375, so whiskers 1 and 4. Group b: 5.5, 6, 6.5, whiskers 5 and 7.
    expect(box).toMatchObject({ type: 'box', x: [1, 2], boxpoints: false, showlegend: false, line: { color: '#1f77b4' } });
    expectClose(box.q1 as number[], [1.75, 5.5]);
    expectClose(box.median as number[], [2.75, 6]);
    expectClose(box.q3 as number[], [3.625, 6.5]);
    expect(box.lowerfence).toEqual([1, 5]);
    expect(box.upperfence).toEqual([4, 7]);
    expect(box.fillcolor).toBe('rgba(31, 119, 180, 0.3)');
    expect(layoutOf(fig).xaxis).toMatchObject({ tickmode: 'array', tickvals: [1, 2], ticktext: ['a', 'b'] });
    expect(layoutOf(fig).boxmode).toBe('overlay');
  });

  test('boxes are matplotlib width: 0.15 of the span of the positions (at least 1), at most 0.5', () => {
    expect(traces(figure().boxplot([[1]]))[0].width).toBeCloseTo(0.15, 12);
    expect(traces(figure().boxplot([[1], [2], [3]]))[0].width).toBeCloseTo(0.3, 12);
    expect(traces(figure().boxplot([[1], [2], [3], [4], [5]]))[0].width).toBe(0.5);
  });

  test('the mean is a green triangle per box with one legend entry, and can be turned off', () => {
    const ts = traces(figure().boxplot(groups).boxplot([[1, 2]], { positions: [3] }));
    const means = ts.filter((t) => t.legendgroup === 'box-mean');
    expect(means).toHaveLength(2);
    expect(means[0]).toMatchObject({ mode: 'markers', x: [1, 2], name: 'sample mean', marker: { symbol: 'triangle-up', color: '#2ca02c' } });
    expect(means[0].y[1]).toBe(6);
    expect(means.map((t) => t.showlegend)).toEqual([true, false]);
    expect(traces(figure().boxplot(groups, { showMeans: false }))).toHaveLength(1);
  });

  test("exact values are open red diamonds with the legend entry 'exact mean', drawn under the sample means", () => {
    const [, exact, mean] = traces(figure().boxplot(groups, { exact: [7, 7] }));
    expect(exact).toMatchObject({ x: [1, 2], y: [7, 7], name: 'exact mean', showlegend: true, marker: { symbol: 'diamond', color: 'rgba(0,0,0,0)', line: { color: '#d62728' } } });
    expect(mean.name).toBe('sample mean');
  });

  test('fliers are drawn as open circles only when asked, at the box of each', () => {
    const ts = traces(figure().boxplot(groups, { showFliers: true, showMeans: false }));
    expect(ts[1]).toMatchObject({ mode: 'markers', x: [1, 1], y: [-20, 30], marker: { symbol: 'circle' } });
  });

  test('a second boxplot adds its ticks to the first and takes the next colour', () => {
    const fig = figure().boxplot([[1]], { labels: ['a'] }).boxplot([[2]], { labels: ['b'], positions: [2] });
    expect(layoutOf(fig).xaxis.ticktext).toEqual(['a', 'b']);
    expect(traces(fig).filter((t) => t.type === 'box').map((t) => t.line.color)).toEqual(['#1f77b4', '#ff7f0e']);
  });

  test('boxplot reads the rows of a 2-D tensor, and a NaN reaches the JSON as null', () => {
    const m = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
    const [box] = traces(figure().boxplot(m));
    expect(box.median).toEqual([2, 5]);
    m.dispose();
    expect(traces(figure().boxplot([[1, NaN]]))[0].median).toEqual([null]);
  });

  test('a named CSS colour keeps Plotly default fill; a label gives the boxes a legend entry', () => {
    const [box] = traces(figure().boxplot([[1, 2]], { color: 'navy', label: 'grads' }));
    expect(box.fillcolor).toBeUndefined();
    expect(box).toMatchObject({ name: 'grads', showlegend: true, line: { color: 'navy' } });
  });

  test('empty groups and mismatched labels are refused', () => {
    expect(() => figure().boxplot([[1], []])).toThrow(/^boxplot: groups\[1\] must be a non-empty series, but got \[\]$/);
    expect(() => figure().boxplot([])).toThrow(/^boxplot: groups must be at least one series, but got \[\]$/);
    expect(() => figure().boxplot([[1]], { labels: ['a', 'b'] })).toThrow(/^boxplot: labels must be an array of 1 strings/);
  });
});

describe('fillBetween', () => {
  test('fillBetween closes the band into one polygon: along the upper curve, back along the lower', () => {
    const [t] = traces(figure().fillBetween([0, 1, 2], [0, 0, 0], [1, 2, 3], { label: 'band', alpha: 0.5 }));
    expect(t).toMatchObject({ type: 'scatter', fill: 'toself', opacity: 0.5, name: 'band', showlegend: true, line: { width: 0 } });
    expect(t.x).toEqual([0, 1, 2, 2, 1, 0]);
    expect(t.y).toEqual([1, 2, 3, 0, 0, 0]);
    expect(t.fillcolor).toBe('#1f77b4');
  });

  test('a number is a flat edge, and the band takes the next colour of the cycle', () => {
    const ts = traces(figure().plot([1, 2]).fillBetween([0, 1], 0, [2, 4]));
    expect(ts[1].y).toEqual([2, 4, 0, 0]);
    expect(ts[1].fillcolor).toBe('#ff7f0e');
  });

  test('a NaN splits the band into separate polygons, as matplotlib masks it', () => {
    const [t] = traces(figure().fillBetween([0, 1, 2, 3, 4], [0, 0, 0, 0, 0], [1, 1, NaN, 1, 1]));
    expect(t.x).toEqual([0, 1, 1, 0, null, 3, 4, 4, 3]);
    expect(t.y).toEqual([1, 1, 0, 0, null, 1, 1, 0, 0]);
  });

  test('curves of the wrong length are refused', () => {
    expect(() => figure().fillBetween([0, 1], [0], [1, 2])).toThrow(/^fillBetween: lower must have 2 entries \(one per x value\), but got 1$/);
    expect(() => figure().fillBetween([0, 1], 0, [1, 2, 3])).toThrow(/^fillBetween: upper must have 2 entries \(one per x value\), but got 3$/);
  });
});

describe('scatter', () => {
  test('scatter draws markers of the given symbol, size and colour', () => {
    const [t] = traces(figure().scatter([1, 2], [3, 4], { symbol: '*', size: 14, color: 'r', label: 'truth' }));
    expect(t).toMatchObject({
      type: 'scatter',
      mode: 'markers',
      x: [1, 2],
      y: [3, 4],
      name: 'truth',
      showlegend: true,
      marker: { symbol: 'star', size: 14, color: '#ff0000' },
    });
  });

  test("scatter takes the next colour of the cycle, and matplotlib's 'x' is a thin stroke with an outline", () => {
    const ts = traces(figure().plot([1]).scatter([0], [0], { symbol: 'x' }));
    expect(ts[1].marker).toMatchObject({ symbol: 'x-thin', color: '#ff7f0e', line: { color: '#ff7f0e', width: 1.5 } });
  });

  test('scatter refuses mismatched lengths and unknown symbols', () => {
    expect(() => figure().scatter([1, 2], [1])).toThrow(/^scatter: x must have 1 entries \(one per y value\), but got 2$/);
    expect(() => figure().scatter([1], [1], { symbol: 'Q' as never })).toThrow(/^scatter: symbol must be one of/);
  });
});

describe('contour', () => {
  const x = [0, 1, 2];
  const y = [0, 1];
  const z = [
    [0, 1, 2],
    [3, 4, 9],
  ];

  test('contour puts `levels` evenly spaced levels strictly between min(z) and max(z)', () => {
    const [t] = traces(figure().contour(x, y, z, { levels: 2 }));
    expect(t).toMatchObject({ type: 'contour', x, y, z, autocontour: false, showscale: false, colorscale: 'Viridis' });
    // min 0, max 9, 2 levels: 3 and 6; Plotly draws start, start + size, ... while <= end.
    expect(t.contours.start).toBe(3);
    expect(t.contours.size).toBe(3);
    expect(t.contours.end).toBeGreaterThanOrEqual(6);
    expect(t.contours.end).toBeLessThan(9);
    expect(t.contours.coloring).toBe('lines');
  });

  test('filled contours fill the bands and show the colour bar; one colour draws every line in it', () => {
    const [f] = traces(figure().contour(x, y, z, { filled: true }));
    expect(f.contours.coloring).toBe('fill');
    expect(f.showscale).toBe(true);
    const [k] = traces(figure().contour(x, y, z, { color: 'k' }));
    expect(k.colorscale).toEqual([[0, '#000000'], [1, '#000000']]);
  });

  test('a colour bar pushes the legend of a one-panel figure past it', () => {
    const layout = layoutOf(figure().contour(x, y, z, { filled: true }).scatter([1], [1], { label: 'p' }).legend());
    expect(layout.legend.x).toBeGreaterThan(1);
    expect(layoutOf(figure().scatter([1], [1], { label: 'p' }).legend()).legend.x).toBeUndefined();
  });

  test('contour reads a 2-D tensor; a constant z leaves the levels to Plotly', () => {
    const m = tf.tensor2d(z);
    expect(traces(figure().contour(x, y, m))[0].z).toEqual(z);
    m.dispose();
    const [flat] = traces(figure().contour([0, 1], [0, 1], [[1, 1], [1, 1]]));
    expect(flat.autocontour).toBeUndefined();
    expect(flat.contours.start).toBeUndefined();
  });

  test('z must have one row per y and one column per x', () => {
    expect(() => figure().contour(x, [0, 1, 2], z)).toThrow(/^contour: z must have 3 rows \(one per y value\), but got 2$/);
    expect(() => figure().contour([0, 1], y, z)).toThrow(/^contour: z must have 2 columns \(one per x value\), but got 3$/);
  });
});

describe('axis lines, scales and ticks', () => {
  test('axhline spans the panel at height y, in C0 by default, without using the colour cycle', () => {
    const fig = figure().axhline(7, { dash: '--', label: 'Expected gradient' }).plot([1]);
    const { shapes } = layoutOf(fig);
    expect(shapes).toEqual([
      expect.objectContaining({ type: 'line', xref: 'x domain', x0: 0, x1: 1, yref: 'y', y0: 7, y1: 7, name: 'Expected gradient', showlegend: true }),
    ]);
    expect(shapes[0].line).toMatchObject({ color: '#1f77b4', dash: 'dash' });
    expect(traces(fig)[0].line.color).toBe('#1f77b4');
  });

  test('axvline spans the panel at x, and a non-finite position is refused', () => {
    const [shape] = layoutOf(figure().axvline(0.3, { color: 'k' })).shapes;
    expect(shape).toMatchObject({ xref: 'x', x0: 0.3, x1: 0.3, yref: 'y domain', y0: 0, y1: 1, showlegend: false });
    expect(() => figure().axvline(NaN)).toThrow(/^axvline: x must be a finite number, but got NaN$/);
  });

  test("xscale and yscale set Plotly's axis type; limits on a log axis are given in log10 units", () => {
    const layout = layoutOf(plot([1, 10, 100]).xscale('log').yscale('log').xlim(1, 1000).ylim(0.1, 10));
    expect(layout.xaxis.type).toBe('log');
    expect(layout.yaxis.type).toBe('log');
    expect(layout.xaxis.range).toEqual([0, 3]);
    expect(layout.yaxis.range).toEqual([-1, 1]);
    expect(layoutOf(plot([1]).xscale('log').xscale('linear')).xaxis.type).toBeUndefined();
  });

  test('a log axis refuses limits that are not positive, in either order of the calls', () => {
    expect(() => plot([1]).xlim(-1, 1).xscale('log')).toThrow(/^xscale: xlim must be positive on a log axis \(limits \[-1, 1\]\), but got -1$/);
    expect(() => plot([1]).yscale('log').ylim(0, 1)).toThrow(/^ylim: lo must be positive on a log axis \(limits \[0, 1\]\), but got 0$/);
    expect(() => plot([1]).xscale('symlog' as never)).toThrow(/^xscale: scale must be 'linear' or 'log', but got "symlog"$/);
  });

  test('yticks sets y tick positions and labels, in data units on a log axis', () => {
    const y = layoutOf(plot([0.05, 0.5]).yscale('log').yticks([0.05, 0.1, 0.5], ['0.05', '0.1', '0.5'])).yaxis;
    expect(y).toMatchObject({ type: 'log', tickmode: 'array', tickvals: [0.05, 0.1, 0.5], ticktext: ['0.05', '0.1', '0.5'] });
    expect(layoutOf(plot([1, 2]).yticks([1, 1.5])).yaxis.ticktext).toEqual(['1', '1.5']);
    expect(layoutOf(plot([1, 2]).yticks([1])).xaxis.tickvals).toBeUndefined();
    expect(() => plot([1]).yticks([0, NaN])).toThrow(/^yticks: ticks must be an array of finite numbers, but got/);
    expect(() => plot([1]).yticks([0, 1], ['a'])).toThrow(/^yticks: labels must be an array of 2 strings \(one per tick\), but got \["a"\]$/);
  });

  test('a contour scale title names the colour bar, also when the grid places the bar', () => {
    const z = [[0, 1], [2, 3]];
    const single = figure().contour([0, 1], [0, 1], z, { filled: true, scaleTitle: 'loss' }).toJSON().data[0] as Record<string, any>;
    expect(single.colorbar.title).toEqual({ text: 'loss', side: 'right' });
    const untitled = figure().contour([0, 1], [0, 1], z, { filled: true }).toJSON().data[0] as Record<string, any>;
    expect(untitled.colorbar.title).toBeUndefined();
    const grid = subplots(1, 2, [figure().contour([0, 1], [0, 1], z, { filled: true, scaleTitle: 'loss' }), plot([1, 2])]).toJSON();
    const placed = grid.data[0] as Record<string, any>;
    expect(placed.colorbar.title).toEqual({ text: 'loss', side: 'right' });
    expect(placed.colorbar.x).toBeGreaterThan(0);
    expect(() => figure().contour([0, 1], [0, 1], z, { scaleTitle: 3 as unknown as string })).toThrow(/^contour: scaleTitle must be a string, but got 3$/);
  });

  test('xticks sets tick positions and labels, the positions as text by default', () => {
    expect(layoutOf(plot([1, 2]).xticks([0, 1], ['a', 'b'])).xaxis).toMatchObject({ tickvals: [0, 1], ticktext: ['a', 'b'] });
    expect(layoutOf(plot([1, 2]).xticks([0, 0.5])).xaxis.ticktext).toEqual(['0', '0.5']);
    expect(() => plot([1]).xticks([0, 1], ['a'])).toThrow(/^xticks: labels must be an array of 2 strings \(one per tick\), but got \["a"\]$/);
  });
});
