/**
 * Tests of the figure builders: the Plotly traces and layout they produce.
 *
 * Expected colours are matplotlib's "tab10" cycle as published in matplotlib's
 * `_cm.py` (`_tab10_data`) and its `rcParams['axes.prop_cycle']` hex values.
 * Histogram counts were worked out by hand and agree with
 * `numpy.histogram([1, 1, 2, 3, 3, 3, 4, 5, 5, 5, 5], bins=4)`, which gives
 * counts [2, 1, 3, 5] and edges [1, 2, 3, 4, 5].
 */
import * as tf from '@tensorflow/tfjs';
import { COLOR_CYCLE, Figure, figure, hist, plot, resolveColor, subplots } from '../../lib/plot/figure';

type Trace = Record<string, any>;
type AnyLayout = Record<string, any>;

const MATPLOTLIB_TAB10 = [
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
];

function traces(fig: Figure): Trace[] {
  return fig.toJSON().data as Trace[];
}

function layoutOf(fig: Figure): AnyLayout {
  return fig.toJSON().layout as AnyLayout;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  // The CPU backend's first tensor prints advice to install tfjs-node; keep the log clean.
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  tf.tensor1d([0]).dispose();
  warn.mockRestore();
});

describe('colours', () => {
  test('C0..C9 are matplotlib default colour cycle', () => {
    expect([...COLOR_CYCLE]).toEqual(MATPLOTLIB_TAB10);
    MATPLOTLIB_TAB10.forEach((hex, i) => expect(resolveColor(`C${i}`)).toBe(hex));
  });

  test('C10 wraps around the cycle, as in matplotlib', () => {
    expect(resolveColor('C10')).toBe(MATPLOTLIB_TAB10[0]);
  });

  test('tab: names, one-letter colours and CSS colours resolve like matplotlib', () => {
    expect(resolveColor('tab:orange')).toBe('#ff7f0e');
    expect(resolveColor('k')).toBe('#000000');
    expect(resolveColor('r')).toBe('#ff0000');
    expect(resolveColor('navy')).toBe('navy');
    expect(resolveColor('#123456')).toBe('#123456');
  });

  test('an empty colour is refused with the argument named', () => {
    expect(() => resolveColor('')).toThrow(/^resolveColor: color must be a non-empty string, but got ""$/);
  });
});

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

  test('subplots puts the panels side by side on their own axes, filled row by row', () => {
    const fig = subplots(1, 2, [left, right], { title: 'Both' });
    const { data, layout } = fig.toJSON() as { data: Trace[]; layout: AnyLayout };
    expect(fig.grid).toEqual([1, 2]);
    expect(data.map((t) => [t.xaxis, t.yaxis])).toEqual([
      ['x', 'y'],
      ['x2', 'y2'],
      ['x2', 'y2'],
    ]);
    expect(data[1].type).toBe('histogram');
    expect(layout.xaxis.anchor).toBe('y');
    expect(layout.xaxis2.anchor).toBe('y2');
    expect(layout.yaxis2.anchor).toBe('x2');
    expect(layout.xaxis.title.text).toBe('t');
    expect(layout.yaxis2.title.text).toBe('count');
    expect(layout.xaxis.domain[1]).toBeLessThan(layout.xaxis2.domain[0]);
    expect(layout.yaxis.domain).toEqual(layout.yaxis2.domain);
    expect(layout.annotations.map((a: AnyLayout) => a.text)).toEqual(['left', 'right']);
    expect(layout.title.text).toBe('Both');
    expect(fig.describe()).toBe('Figure "Both": 1×2 panels, 3 traces, 880×400');
  });

  test('a 2×1 grid stacks the panels with the first on top', () => {
    const layout = layoutOf(subplots(2, 1, [left, right]));
    expect(layout.yaxis.domain[0]).toBeGreaterThan(layout.yaxis2.domain[1]);
    expect(layout.xaxis.domain).toEqual(layout.xaxis2.domain);
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
    expect(() => subplots(0, 2, [left])).toThrow(/^subplots: rows must be an integer >= 1, but got 0$/);
  });
});
