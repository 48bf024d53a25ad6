/**
 * The page a figure is drawn on: fonts, axes in the house style (matplotlib's
 * look: a box, outside ticks, no grid), and the placement of the panels of a
 * grid with Plotly's `layout.grid`, with room in pixels between cells for tick
 * labels, axis titles, panel titles and colour bars.
 *
 * Plotly's grid gives each of n cells `step (1 - gap)` of the plot area, with
 * `step = 1 / (n - gap)`; the gaps here are chosen so that the space between
 * two cells is a fixed number of pixels, whatever the figure's size.
 */
import type { Scale } from './styles';

/** The fonts figures ask for: matplotlib's default first, then common fallbacks. */
export const FONT_FAMILY = 'DejaVu Sans, Liberation Sans, Arial, sans-serif';

/** An axis in the house style: a black frame, outside ticks, no grid lines, room for its labels. */
export const AXIS = Object.freeze({
  showline: true,
  mirror: true,
  linecolor: '#000000',
  linewidth: 1,
  ticks: 'outside',
  showgrid: false,
  zeroline: false,
  automargin: true,
  // Plain tick labels: powers of ten (10^-4), never SI prefixes (100µ for 1e-4), which
  // read as units on a probability or an error.
  exponentformat: 'power',
});

/** Room between grid cells in CSS pixels, across: the tick labels and title of the y axis on the right. */
export const GRID_GAP_X = 84;
/** Room between grid cells in CSS pixels, down: the tick labels and title of an x axis, and the panel title below. */
export const GRID_GAP_Y = 88;
/** The space between an axis title and its tick labels, in CSS pixels. */
export const AXIS_TITLE_STANDOFF = 8;
/** The width of a colour bar in CSS pixels. */
export const COLORBAR_THICKNESS = 14;
/** Extra room between columns for a colour bar beside a panel (its bar and tick labels), in CSS pixels. */
export const COLORBAR_ROOM = 90;
/** A legend entry's width in CSS pixels: its symbol and padding, and about one character of 12 px text. */
export const LEGEND_SYMBOL_WIDTH = 56;
export const LEGEND_CHAR_WIDTH = 7;
/** How far right of the plot area a legend starts when a colour bar is there, in CSS pixels. */
export const LEGEND_PAST_COLORBAR = 110;

/** Plotly's `layout.grid` for a figure of several panels. */
export interface GridSpec {
  rows: number;
  columns: number;
  pattern: 'independent';
  roworder: 'top to bottom';
  xgap: number;
  ygap: number;
}

/** What the grid needs to know of the figure beyond its shape. */
export interface GridContents {
  /** For each panel, in order, whether it shows a colour bar. */
  colorbars: readonly boolean[];
  /** The names of the legend entries, when the legend is shown (none otherwise). */
  legendNames: readonly string[];
}

/**
 * Converts a gap in pixels to Plotly's grid gap for n cells over a plot area of
 * `area` pixels: the space between cells is `step · gap · area` with
 * `step = 1 / (n - gap)`, so `gap = pixels · n / (area + pixels)`.
 *
 * @param pixels The wanted space between two cells.
 * @param n The number of cells along the axis.
 * @param area The plot area's length in pixels.
 * @returns The gap in [0, 0.8] (0 for a single cell).
 */
export function gridGap(pixels: number, n: number, area: number): number {
  if (n === 1) return 0;
  return Math.min(0.8, (pixels * n) / Math.max(area + pixels, 1));
}

/**
 * Estimates the room Plotly takes right of a grid's plot area, in pixels, for
 * the legend and for the colour bars of the last column: the grid's gaps are
 * fractions of what is left.
 */
function rightOfGrid(cols: number, contents: GridContents): number {
  let room = contents.colorbars.some((shown, i) => shown && i % cols === cols - 1) ? COLORBAR_ROOM : 0;
  if (contents.legendNames.length > 0) {
    room += LEGEND_SYMBOL_WIDTH + LEGEND_CHAR_WIDTH * Math.max(...contents.legendNames.map((n) => n.length));
  }
  return room;
}

/**
 * Lays out a grid of panels with Plotly's `layout.grid`, one independent pair
 * of axes per panel, filled row by row from the top.
 *
 * @param rows The number of rows.
 * @param cols The number of columns.
 * @param contents Which panels show a colour bar, and the legend's entries.
 * @param w The plot area's width in pixels (the figure's width less its margins).
 * @param h The plot area's height in pixels.
 * @returns The grid, with gaps of {@link GRID_GAP_X} and {@link GRID_GAP_Y} pixels
 *   ({@link COLORBAR_ROOM} more across when a colour bar sits between two columns).
 */
export function gridLayout(rows: number, cols: number, contents: GridContents, w: number, h: number): GridSpec {
  // A colour bar sits to the right of its panel, inside the gap before the next column.
  const inside = contents.colorbars.some((shown, i) => shown && i % cols !== cols - 1);
  return {
    rows,
    columns: cols,
    pattern: 'independent',
    roworder: 'top to bottom',
    xgap: gridGap(GRID_GAP_X + (inside ? COLORBAR_ROOM : 0), cols, w - rightOfGrid(cols, contents)),
    ygap: gridGap(GRID_GAP_Y, rows, h),
  };
}

/**
 * Places a colour bar just right of panel i of a grid, as tall as the panel.
 *
 * @param grid The grid.
 * @param i The panel's index, row by row.
 * @returns Plotly's `colorbar` attributes, in paper coordinates.
 */
export function colorbarBeside(grid: GridSpec, i: number): Record<string, unknown> {
  const stepX = 1 / (grid.columns - grid.xgap);
  const stepY = 1 / (grid.rows - grid.ygap);
  const right = (i % grid.columns) * stepX + stepX * (1 - grid.xgap);
  const top = 1 - Math.floor(i / grid.columns) * stepY;
  const tall = stepY * (1 - grid.ygap);
  return { x: right + 0.01, xanchor: 'left', y: top - tall / 2, yanchor: 'middle', len: tall, thickness: COLORBAR_THICKNESS };
}

/**
 * One axis of a panel in the house style.
 *
 * @param label The axis title (none when empty or undefined).
 * @param lim The range; on a log axis it is given to Plotly in log10 units.
 * @param scale `'linear'` (Plotly's default) or `'log'`.
 * @param ticks Tick positions and their labels.
 * @returns Plotly's axis attributes.
 */
export function axisLayout(
  label: string | undefined,
  lim: readonly [number, number] | undefined,
  scale: Scale | undefined,
  ticks?: { readonly vals: readonly number[]; readonly text: readonly string[] },
): Record<string, unknown> {
  const axis: Record<string, unknown> = { ...AXIS };
  // The standoff keeps the title clear of the tick labels, however wide they are.
  if (label) axis.title = { text: label, standoff: AXIS_TITLE_STANDOFF };
  if (scale === 'log') axis.type = 'log';
  if (lim) axis.range = scale === 'log' ? lim.map(Math.log10) : [...lim];
  if (ticks) {
    axis.tickmode = 'array';
    axis.tickvals = [...ticks.vals];
    axis.ticktext = [...ticks.text];
  }
  return axis;
}

/**
 * A panel's title in a grid, centred above the panel's own axes (axis-domain
 * references), so that it follows wherever the grid puts them.
 *
 * @param text The title.
 * @param n The axes' suffix: `''` for the first panel, `'2'`, `'3'`, ... after.
 * @returns A Plotly annotation.
 */
export function panelTitle(text: string, n: string): Record<string, unknown> {
  return {
    text,
    xref: `x${n} domain`,
    yref: `y${n} domain`,
    x: 0.5,
    y: 1,
    xanchor: 'center',
    yanchor: 'bottom',
    yshift: 6,
    showarrow: false,
    font: { size: 13 },
  };
}
