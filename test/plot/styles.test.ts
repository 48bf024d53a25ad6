/**
 * Tests of the style checks: every field is checked with the function and the
 * field named, and a valid style passes unchanged.
 */
import {
  DASHES,
  MARKERS,
  checkBoxStyle,
  checkContourStyle,
  checkFillStyle,
  checkLineStyle,
  checkMarkerStyle,
} from '../../lib/plot/styles';

describe('style tables', () => {
  test("matplotlib's dash codes map to Plotly's dash names", () => {
    expect([DASHES['-'], DASHES['--'], DASHES[':'], DASHES['-.']]).toEqual(['solid', 'dash', 'dot', 'dashdot']);
  });

  test("matplotlib's marker codes map to Plotly's symbols of the same shape", () => {
    expect([MARKERS.o, MARKERS.s, MARKERS.D, MARKERS['^'], MARKERS.v, MARKERS['*']]).toEqual([
      'circle',
      'square',
      'diamond',
      'triangle-up',
      'triangle-down',
      'star',
    ]);
    // matplotlib's 'x' and '+' are thin strokes, not filled crosses.
    expect([MARKERS.x, MARKERS['+']]).toEqual(['x-thin', 'cross-thin']);
  });
});

describe('checks', () => {
  test('an undefined style is an empty one, and a valid style passes unchanged', () => {
    expect(checkLineStyle(undefined, 'plot')).toEqual({});
    const s = { color: 'C1', alpha: 0.5, width: 2, dash: '--' as const, label: 'a', markers: true };
    expect(checkLineStyle(s, 'plot')).toBe(s);
  });

  test('line styles refuse bad colours, alphas, widths, dashes and flags', () => {
    expect(() => checkLineStyle({ color: ' ' }, 'plot')).toThrow(/^plot: color must be a non-empty string, but got " "$/);
    expect(() => checkLineStyle({ alpha: -0.1 }, 'plot')).toThrow(/^plot: alpha must be in \[0, 1\], but got -0\.1$/);
    expect(() => checkLineStyle({ width: Infinity }, 'plot')).toThrow(/^plot: width must be a finite number > 0, but got Infinity$/);
    expect(() => checkLineStyle({ dash: 'wavy' as never }, 'plot')).toThrow(/^plot: dash must be one of 'solid', .*, but got "wavy"$/);
    expect(() => checkLineStyle({ markers: 1 as never }, 'plot')).toThrow(/^plot: markers must be a boolean, but got 1$/);
    expect(() => checkLineStyle([1] as never, 'plot')).toThrow(/^plot: style must be an object of line options, but got \[1\]$/);
  });

  test('fill and marker styles refuse out-of-range fields', () => {
    expect(() => checkFillStyle({ alpha: 2 }, 'fillBetween')).toThrow(/^fillBetween: alpha must be in \[0, 1\], but got 2$/);
    expect(() => checkFillStyle({ label: 3 } as never, 'fillBetween')).toThrow(/^fillBetween: label must be a string, but got 3$/);
    expect(() => checkMarkerStyle({ size: 0 }, 'scatter')).toThrow(/^scatter: size must be a finite number > 0, but got 0$/);
    expect(() => checkMarkerStyle({ symbol: 'Q' as never }, 'scatter')).toThrow(/^scatter: symbol must be one of 'o', 's', .*, but got "Q"$/);
  });

  test('contour styles refuse bad levels, colour scales and flags', () => {
    expect(() => checkContourStyle({ levels: 0 }, 'contour')).toThrow(/^contour: levels must be an integer >= 1, but got 0$/);
    expect(() => checkContourStyle({ levels: 2.5 }, 'contour')).toThrow(/^contour: levels must be an integer >= 1, but got 2\.5$/);
    expect(() => checkContourStyle({ colorscale: '' }, 'contour')).toThrow(/^contour: colorscale must be a non-empty string, but got ""$/);
    expect(() => checkContourStyle({ filled: 'yes' } as never, 'contour')).toThrow(/^contour: filled must be a boolean, but got "yes"$/);
  });

  test('box styles need one label, position and exact value per box', () => {
    expect(() => checkBoxStyle({ labels: ['a'] }, 'boxplot', 2)).toThrow(
      /^boxplot: labels must be an array of 2 strings \(one per box\), but got \["a"\]$/,
    );
    expect(() => checkBoxStyle({ positions: [1, NaN] }, 'boxplot', 2)).toThrow(
      /^boxplot: positions must be an array of 2 finite numbers \(one per box\), but got \[1, NaN\]$/,
    );
    expect(() => checkBoxStyle({ exact: [1, 2, 3] }, 'boxplot', 2)).toThrow(/^boxplot: exact must be an array of 2 numbers/);
    expect(() => checkBoxStyle({ showMeans: 0 } as never, 'boxplot', 2)).toThrow(/^boxplot: showMeans must be a boolean, but got 0$/);
    expect(checkBoxStyle({ labels: ['a', 'b'], exact: [1, NaN] }, 'boxplot', 2)).toEqual({ labels: ['a', 'b'], exact: [1, NaN] });
  });
});
