/**
 * Plotly traces for the marks a figure draws: lines and markers, in the
 * house style and with matplotlib's defaults.
 */
import type { Plot } from 'nodeplotlib';
import { COLOR_CYCLE } from './colors';
import { DASHES, MARKERS, type LineStyle, type MarkerStyle } from './styles';

/** matplotlib's mean marker colour in box plots (`C2`, a green triangle). */
export const MEAN_COLOR = COLOR_CYCLE[2];

/** The colour of exact-value markers in box plots (`C3`, red). */
export const EXACT_COLOR = COLOR_CYCLE[3];

/**
 * A line through the points, with markers when `style.markers` is set.
 *
 * @param x The x values.
 * @param y The y values (NaN leaves a gap).
 * @param style Width (default 2), dash (default solid), alpha (default 1), label, markers.
 * @param color The resolved CSS colour.
 * @returns A Plotly scatter trace; only a labelled line has a legend entry.
 */
export function lineTrace(x: number[], y: number[], style: LineStyle, color: string): Plot {
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
 * Markers at the points, without a line.
 *
 * @param x The x values.
 * @param y The y values (a NaN point is not drawn).
 * @param style Size (default 6), symbol (default `'o'`), alpha (default 1), label.
 * @param color The resolved CSS colour.
 * @param open Fill and outline colours for open markers (e.g. a transparent fill).
 * @returns A Plotly scatter trace; thin symbols (`'x'`, `'+'`) get an outline to be visible.
 */
export function markerTrace(x: number[], y: number[], style: MarkerStyle, color: string, open?: { fill: string; line: string }): Plot {
  const symbol = MARKERS[style.symbol ?? 'o'];
  const thin = symbol.endsWith('-thin');
  const marker: Record<string, unknown> = {
    color: open?.fill ?? color,
    size: style.size ?? 6,
    symbol,
    line: thin || open ? { color: open?.line ?? color, width: 1.5 } : { width: 0 },
  };
  return {
    type: 'scatter',
    mode: 'markers',
    x,
    y,
    marker,
    opacity: style.alpha ?? 1,
    name: style.label ?? '',
    showlegend: style.label !== undefined,
  } as Plot;
}
