/**
 * Colours as matplotlib names them, resolved to CSS colours for Plotly.
 *
 * `'C0'`..`'C9'` is matplotlib's default cycle ("tab10"), `'tab:blue'`.. names
 * the same colours, and the one-letter colours `b g r c m y k w` have
 * matplotlib's values. Anything else is a CSS colour and passes unchanged.
 */
import { check } from '../check';

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

/** The names of the cycle's colours after `tab:`, in cycle order. */
const TAB_NAMES = ['blue', 'orange', 'green', 'red', 'purple', 'brown', 'pink', 'gray', 'olive', 'cyan'];

/** matplotlib's one-letter colours (its "base colors"). */
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

/**
 * Gives a colour an opacity, as an `rgba(...)` string, for fills whose outline stays opaque.
 *
 * @param color A CSS colour in hex (`#rgb`, `#rrggbb`) or `rgb(r, g, b)` form, as
 *   {@link resolveColor} gives for matplotlib's names.
 * @param alpha The opacity in [0, 1].
 * @returns `rgba(r, g, b, alpha)`, or null for a colour in another form (a CSS name).
 * @example
 * withAlpha('#1f77b4', 0.3); // 'rgba(31, 119, 180, 0.3)'
 */
export function withAlpha(color: string, alpha: number): string | null {
  const c = color.trim();
  let rgb: number[] | null = null;
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(c);
  const long = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(c);
  const fn = /^rgb\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*\)$/i.exec(c);
  if (short) rgb = short.slice(1).map((h) => parseInt(h + h, 16));
  else if (long) rgb = long.slice(1).map((h) => parseInt(h, 16));
  else if (fn) rgb = fn.slice(1).map(Number);
  return rgb ? `rgba(${rgb.join(', ')}, ${alpha})` : null;
}
