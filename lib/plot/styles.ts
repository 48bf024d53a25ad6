/**
 * How series are drawn: the style options of each kind of trace, in
 * matplotlib's vocabulary, and their checks.
 */
import { check } from '../check';
import { isOptions } from './series';

/** Line dash patterns, in Plotly's names or matplotlib's short forms. */
export type DashStyle = 'solid' | 'dash' | 'dot' | 'dashdot' | 'longdash' | '-' | '--' | ':' | '-.';

/** Plotly's name of each dash pattern. */
export const DASHES: Record<DashStyle, 'solid' | 'dash' | 'dot' | 'dashdot' | 'longdash'> = {
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

/** Marker shapes: matplotlib's one-character codes, or Plotly's names for the same shapes. */
export type MarkerSymbol =
  | 'o' | 's' | 'D' | 'd' | '^' | 'v' | '<' | '>' | 'x' | '+' | '*' | 'p' | 'h'
  | 'circle' | 'square' | 'diamond' | 'diamond-tall' | 'triangle-up' | 'triangle-down'
  | 'triangle-left' | 'triangle-right' | 'x-thin' | 'cross-thin' | 'star' | 'pentagon' | 'hexagon';

/** Plotly's symbol for each marker shape. */
export const MARKERS: Record<MarkerSymbol, string> = {
  o: 'circle',
  s: 'square',
  D: 'diamond',
  d: 'diamond-tall',
  '^': 'triangle-up',
  v: 'triangle-down',
  '<': 'triangle-left',
  '>': 'triangle-right',
  x: 'x-thin',
  '+': 'cross-thin',
  '*': 'star',
  p: 'pentagon',
  h: 'hexagon',
  circle: 'circle',
  square: 'square',
  diamond: 'diamond',
  'diamond-tall': 'diamond-tall',
  'triangle-up': 'triangle-up',
  'triangle-down': 'triangle-down',
  'triangle-left': 'triangle-left',
  'triangle-right': 'triangle-right',
  'x-thin': 'x-thin',
  'cross-thin': 'cross-thin',
  star: 'star',
  pentagon: 'pentagon',
  hexagon: 'hexagon',
};

/** Axis scales, as matplotlib's `xscale`/`yscale` name them. */
export type Scale = 'linear' | 'log';

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

/** How a box plot is drawn ({@link Figure.boxplot}). Every field is optional. */
export interface BoxStyle {
  /** One tick label per box (default `'1'`, `'2'`, ...), like matplotlib's `labels=`. */
  labels?: string[];
  /** The x position of each box (default 1, 2, ..., n, as in matplotlib), finite numbers. */
  positions?: number[];
  /** Draws a green triangle at each box's mean (default true), like matplotlib's `showmeans=True`. */
  showMeans?: boolean;
  /** Draws the values beyond the whiskers as small circles (default false, like `showfliers=False`). */
  showFliers?: boolean;
  /** One exact value per box, drawn as a red diamond with the legend entry `'exact'`. */
  exact?: number[];
  /** The boxes' colour (default: the next of the cycle, one colour for all boxes). */
  color?: string;
  /** The opacity of the boxes' fill in [0, 1] (default 0.3); the outline is opaque. */
  alpha?: number;
  /** The legend entry of the boxes (default none). */
  label?: string;
}

/** How a shaded band is drawn ({@link Figure.fillBetween}). Every field is optional. */
export interface FillStyle {
  /** As in {@link LineStyle.color} (default: the next of the cycle). */
  color?: string;
  /** Opacity in [0, 1] (default 0.3). */
  alpha?: number;
  /** The legend entry. */
  label?: string;
}

/** How markers are drawn ({@link Figure.scatter}). Every field is optional. */
export interface MarkerStyle {
  /** As in {@link LineStyle.color} (default: the next of the cycle). */
  color?: string;
  /** Opacity in [0, 1] (default 1). */
  alpha?: number;
  /** The marker's diameter in pixels, > 0 (default 6, matplotlib's default area of 36 pt²). */
  size?: number;
  /** The shape: matplotlib's `'o'`, `'s'`, `'D'`, `'^'`, `'x'`, `'+'`, `'*'`... or Plotly's name (default `'o'`). */
  symbol?: MarkerSymbol;
  /** The legend entry. */
  label?: string;
}

/** How a contour plot is drawn ({@link Figure.contour}). Every field is optional. */
export interface ContourStyle {
  /** The number of contour levels, an integer >= 1, evenly spaced strictly between min(z) and max(z) (default 8). */
  levels?: number;
  /** Fills the bands between levels, like matplotlib's `contourf` (default false: lines, like `contour`). */
  filled?: boolean;
  /** One colour for every line (e.g. `'k'`); default: the colour scale. */
  color?: string;
  /** A Plotly colour scale name (default `'Viridis'`, matplotlib's default colour map). */
  colorscale?: string;
  /** Shows the colour bar (default: when filled). */
  showScale?: boolean;
  /** The colour bar's title: what the colours measure. */
  scaleTitle?: string;
  /** Writes each level's value on its line, like `plt.clabel` (default false). */
  showLabels?: boolean;
  /** Opacity in [0, 1] (default 1). */
  alpha?: number;
  /** The legend entry. */
  label?: string;
}

/** Checks an optional colour, alpha and label, the fields every style has. */
function checkCommon(s: { color?: unknown; alpha?: unknown; label?: unknown }, fn: string): void {
  if (s.color !== undefined) check(typeof s.color === 'string' && s.color.trim() !== '', fn, 'color', 'a non-empty string', s.color);
  if (s.alpha !== undefined) check(typeof s.alpha === 'number' && s.alpha >= 0 && s.alpha <= 1, fn, 'alpha', 'in [0, 1]', s.alpha);
  if (s.label !== undefined) check(typeof s.label === 'string', fn, 'label', 'a string', s.label);
}

function checkBoolean(value: unknown, fn: string, arg: string): void {
  if (value !== undefined) check(typeof value === 'boolean', fn, arg, 'a boolean', value);
}

function checkStyleObject(style: unknown, fn: string, what: string): void {
  check(isOptions(style), fn, 'style', `an object of ${what} options`, style);
}

/** Checks a {@link LineStyle}; returns it (or `{}` for undefined). */
export function checkLineStyle(style: unknown, fn: string): LineStyle {
  if (style === undefined) return {};
  checkStyleObject(style, fn, 'line');
  const s = style as LineStyle;
  checkCommon(s, fn);
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
  checkBoolean(s.markers, fn, 'markers');
  return s;
}

/** Checks a {@link FillStyle}; returns it (or `{}` for undefined). */
export function checkFillStyle(style: unknown, fn: string): FillStyle {
  if (style === undefined) return {};
  checkStyleObject(style, fn, 'fill');
  checkCommon(style as FillStyle, fn);
  return style as FillStyle;
}

/** Checks a {@link MarkerStyle}; returns it (or `{}` for undefined). */
export function checkMarkerStyle(style: unknown, fn: string): MarkerStyle {
  if (style === undefined) return {};
  checkStyleObject(style, fn, 'marker');
  const s = style as MarkerStyle;
  checkCommon(s, fn);
  if (s.size !== undefined) {
    check(typeof s.size === 'number' && Number.isFinite(s.size) && s.size > 0, fn, 'size', 'a finite number > 0', s.size);
  }
  if (s.symbol !== undefined) {
    check(
      typeof s.symbol === 'string' && Object.prototype.hasOwnProperty.call(MARKERS, s.symbol),
      fn,
      'symbol',
      `one of ${Object.keys(MARKERS).map((d) => `'${d}'`).join(', ')}`,
      s.symbol,
    );
  }
  return s;
}

/** Checks a {@link ContourStyle}; returns it (or `{}` for undefined). */
export function checkContourStyle(style: unknown, fn: string): ContourStyle {
  if (style === undefined) return {};
  checkStyleObject(style, fn, 'contour');
  const s = style as ContourStyle;
  checkCommon(s, fn);
  if (s.levels !== undefined) {
    check(typeof s.levels === 'number' && Number.isInteger(s.levels) && s.levels >= 1, fn, 'levels', 'an integer >= 1', s.levels);
  }
  if (s.colorscale !== undefined) {
    check(typeof s.colorscale === 'string' && s.colorscale.trim() !== '', fn, 'colorscale', 'a non-empty string', s.colorscale);
  }
  checkBoolean(s.filled, fn, 'filled');
  checkBoolean(s.showScale, fn, 'showScale');
  checkBoolean(s.showLabels, fn, 'showLabels');
  if (s.scaleTitle !== undefined) check(typeof s.scaleTitle === 'string', fn, 'scaleTitle', 'a string', s.scaleTitle);
  return s;
}

/** Checks a {@link BoxStyle} for `n` boxes; returns it (or `{}` for undefined). */
export function checkBoxStyle(style: unknown, fn: string, n: number): BoxStyle {
  if (style === undefined) return {};
  checkStyleObject(style, fn, 'box');
  const s = style as BoxStyle;
  checkCommon(s, fn);
  const perBox = (value: unknown, arg: string, ok: (v: unknown) => boolean, what: string) => {
    if (value === undefined) return;
    check(
      Array.isArray(value) && value.length === n && value.every(ok),
      fn,
      arg,
      `an array of ${n} ${what} (one per box)`,
      value,
    );
  };
  perBox(s.labels, 'labels', (v) => typeof v === 'string', 'strings');
  perBox(s.positions, 'positions', (v) => typeof v === 'number' && Number.isFinite(v), 'finite numbers');
  perBox(s.exact, 'exact', (v) => typeof v === 'number', 'numbers');
  checkBoolean(s.showMeans, fn, 'showMeans');
  checkBoolean(s.showFliers, fn, 'showFliers');
  return s;
}
