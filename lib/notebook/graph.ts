/**
 * Graphs shown in a notebook: drawn by `plot/graph.ts` as SVG (and PNG), sent as one output.
 */
import { check } from '../check';
import type { Graph } from '../graph';
import { renderSvg, svgSize, svgToPng } from '../plot/graph';
import { showImage, type ShowImageOptions } from './image';

/** Options of {@link showGraph}. */
export interface ShowGraphOptions extends Pick<ShowImageOptions, 'kernel'> {
  /** Adds a PNG next to the SVG (default true); without Chromium, one line says so and the SVG is shown alone. */
  png?: boolean;
  /** The text shown where images are not (default: the graph's node and edge counts). */
  alt?: string;
}

/**
 * Draws a graph and shows it in a notebook, as SVG and PNG in one output.
 *
 * Python counterpart: a `graphviz.Digraph` as the last value of a cell (which
 * Jupyter draws through its `_repr_svg_`), such as `torchviz.make_dot(z)`.
 *
 * @param graph A {@link Graph} description, or DOT text.
 * @param options png (default true), alt, kernel (see {@link ShowImageOptions}).
 * @returns A promise that resolves once the output is sent.
 * @throws As {@link renderSvg}.
 * @example
 * await showGraph({ nodes: [{ id: 'x', label: 'x' }, { id: 'y', label: 'x²' }], edges: [{ from: 'x', to: 'y' }] });
 */
export async function showGraph(graph: Graph | string, options: ShowGraphOptions = {}): Promise<void> {
  check(typeof options === 'object' && options !== null, 'showGraph', 'options', 'an object', options);
  const { png = true, kernel } = options;
  check(typeof png === 'boolean', 'showGraph', 'png', 'a boolean', png);
  const svg = await renderSvg(graph);
  const alt =
    options.alt ??
    (typeof graph === 'string' ? 'Graph (DOT)' : `Graph: ${graph.nodes.length} nodes, ${graph.edges.length} edges`);
  let bitmap: Buffer | undefined;
  if (png) {
    try {
      bitmap = await svgToPng(svg);
    } catch (e) {
      console.log(`diffabm.plot: the graph's PNG could not be rendered (${(e as Error).message}); showing the SVG only.`);
    }
  }
  const size = svgSize(svg);
  showImage({ svg, png: bitmap, alt, width: size.width, height: size.height }, { kernel });
}
