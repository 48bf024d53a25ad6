/**
 * Drawings of graphs: expression trees, expression DAGs and the computational
 * graphs that autodiff records.
 *
 * A graph is described as plain data ({@link Graph}: nodes with a label and a
 * kind, edges between them), turned into Graphviz's DOT language by
 * {@link toDot}, and laid out and drawn as SVG by Graphviz compiled to
 * WebAssembly (`@viz-js/viz`), so no system Graphviz is needed. For outputs
 * that need a bitmap (GitHub, nbconvert), {@link svgToPng} rasterises the SVG
 * in the same headless Chromium that draws the figures' PNGs.
 */
import { instance, type Viz } from '@viz-js/viz';
import { check } from '../check';
import type { Graph, GraphNodeKind } from '../graph';
import { renderPng } from './render';

export type { Graph, GraphNode, GraphEdge, GraphNodeKind } from '../graph';

const KINDS: readonly GraphNodeKind[] = ['input', 'operation', 'output', 'constant', 'value'];

/** The Graphviz attributes of each kind (the colours torchviz uses for the same roles). */
const NODE_STYLE: Record<GraphNodeKind, string> = {
  input: 'shape=box, style="filled,rounded", fillcolor="lightblue"',
  operation: 'shape=box, style=filled, fillcolor="lightgrey"',
  output: 'shape=box, style="filled,rounded", fillcolor="darkolivegreen1"',
  constant: 'shape=box, style=rounded',
  value: 'shape=ellipse',
};

/** Quotes a string for DOT: backslashes and quotes escaped, line breaks as `\n`. */
function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`;
}

/** Checks a graph description, naming the first problem. */
function checkGraph(graph: unknown, fn: string): Graph {
  check(typeof graph === 'object' && graph !== null, fn, 'graph', 'an object { nodes, edges }', graph);
  const g = graph as Partial<Graph>;
  check(Array.isArray(g.nodes) && g.nodes.length >= 1, fn, 'graph.nodes', 'a non-empty array', g.nodes);
  check(Array.isArray(g.edges), fn, 'graph.edges', 'an array', g.edges);
  const ids = new Set<string>();
  g.nodes.forEach((node, i) => {
    check(typeof node === 'object' && node !== null, fn, `graph.nodes[${i}]`, 'an object { id, label, kind }', node);
    check(typeof node.id === 'string' && node.id !== '', fn, `graph.nodes[${i}].id`, 'a non-empty string', node.id);
    check(!ids.has(node.id), fn, `graph.nodes[${i}].id`, 'unique', node.id);
    check(typeof node.label === 'string', fn, `graph.nodes[${i}].label`, 'a string', node.label);
    check(node.kind === undefined || KINDS.includes(node.kind), fn, `graph.nodes[${i}].kind`, `one of ${KINDS.join(', ')}`, node.kind);
    ids.add(node.id);
  });
  g.edges.forEach((edge, i) => {
    check(typeof edge === 'object' && edge !== null, fn, `graph.edges[${i}]`, 'an object { from, to }', edge);
    check(ids.has(edge.from), fn, `graph.edges[${i}].from`, 'the id of a node', edge.from);
    check(ids.has(edge.to), fn, `graph.edges[${i}].to`, 'the id of a node', edge.to);
    check(edge.label === undefined || typeof edge.label === 'string', fn, `graph.edges[${i}].label`, 'a string', edge.label);
  });
  const direction = g.direction ?? 'BT';
  check(['BT', 'TB', 'LR', 'RL'].includes(direction), fn, 'graph.direction', "'BT', 'TB', 'LR' or 'RL'", direction);
  return { nodes: g.nodes, edges: g.edges, direction };
}

/**
 * Writes a graph description in Graphviz's DOT language.
 *
 * Nodes are written in the order given, as `n0`, `n1`, ... (so any id is
 * safe), labelled and styled by kind; then the edges, in order. The same
 * description always gives the same text.
 *
 * Python counterpart: the DOT source of a `graphviz.Digraph` (what
 * `torchviz.make_dot(...).source` returns).
 *
 * @param graph `{ nodes, edges, direction }`, see {@link Graph}.
 * @returns The DOT text of a `digraph`.
 * @throws If a node lacks an id or label, ids repeat, an edge names an unknown
 *   node, or a kind or direction is not one of the allowed names.
 * @example
 * toDot({ nodes: [{ id: 'x', label: 'x', kind: 'input' }, { id: 'sq', label: 'x*x', kind: 'operation' }],
 *         edges: [{ from: 'x', to: 'sq' }] });
 * // 'digraph {\n  rankdir=BT;\n ... n0 -> n1;\n}\n'
 */
export function toDot(graph: Graph): string {
  const g = checkGraph(graph, 'toDot');
  const name = new Map(g.nodes.map((node, i) => [node.id, `n${i}`]));
  const lines = [
    'digraph {',
    `  rankdir=${g.direction};`,
    '  bgcolor="white";',
    '  node [fontname="DejaVu Sans", fontsize=12, height=0.3];',
    '  edge [fontname="DejaVu Sans", fontsize=10, arrowsize=0.7];',
  ];
  for (const node of g.nodes) {
    lines.push(`  ${name.get(node.id)} [label=${quote(node.label)}, ${NODE_STYLE[node.kind ?? 'value']}];`);
  }
  for (const edge of g.edges) {
    const label = edge.label === undefined ? '' : ` [label=${quote(edge.label)}]`;
    lines.push(`  ${name.get(edge.from)} -> ${name.get(edge.to)}${label};`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

let vizInstance: Promise<Viz> | null = null;

/** The Graphviz WebAssembly module, compiled once per process. */
function getViz(): Promise<Viz> {
  vizInstance ??= instance();
  return vizInstance;
}

/**
 * Lays out and draws a graph as SVG with Graphviz (the `dot` layout) compiled
 * to WebAssembly.
 *
 * Python counterpart: `graphviz.Source(dot).pipe(format='svg')`, which needs a
 * system Graphviz; this one does not.
 *
 * @param graph A {@link Graph} description, or DOT text.
 * @returns The SVG document (a string starting with `<?xml`), sized in points.
 * @throws If the description is malformed ({@link toDot}) or Graphviz rejects the DOT
 *   (the message quotes Graphviz's errors).
 * @example
 * const svg = await renderSvg('digraph { x -> y }');
 */
export async function renderSvg(graph: Graph | string): Promise<string> {
  const dot = typeof graph === 'string' ? graph : toDot(graph);
  check(typeof dot === 'string' && dot.trim() !== '', 'renderSvg', 'graph', 'a graph description or DOT text', graph);
  const viz = await getViz();
  const result = viz.render(dot, { format: 'svg', engine: 'dot' });
  if (result.status !== 'success') {
    const errors = result.errors.map((e) => e.message.trim()).join('; ');
    throw new Error(`renderSvg: graph must be DOT that Graphviz can draw, but got: ${errors}`);
  }
  return result.output;
}

/**
 * Reads the size of an SVG document from its `width` and `height` attributes,
 * in CSS pixels (Graphviz writes points: 1pt = 4/3 px).
 *
 * @param svg An SVG document.
 * @returns `{ width, height }`, rounded up to whole pixels.
 * @throws If the root element has no width and height in pt or px.
 * @example
 * svgSize('<svg width="62pt" height="116pt">'); // { width: 83, height: 155 }
 */
export function svgSize(svg: string): { width: number; height: number } {
  const root = /<svg\b[^>]*>/.exec(svg)?.[0] ?? '';
  const read = (attr: string): number => {
    const match = new RegExp(`\\b${attr}="([\\d.]+)(pt|px)?"`).exec(root);
    check(match !== null, 'svgSize', 'svg', `an SVG document whose root has a ${attr} in pt or px`, root.slice(0, 80));
    const value = Number(match[1]);
    return Math.ceil(match[2] === 'pt' ? (value * 4) / 3 : value);
  };
  return { width: read('width'), height: read('height') };
}

/**
 * Rasterises an SVG document to PNG in headless Chromium, at twice its size by
 * default, like the figures' PNGs.
 *
 * The SVG is drawn as the only content of a blank, axis-free Plotly figure of
 * the SVG's size, and the figure is rendered by {@link renderPng}.
 *
 * @param svg An SVG document with its size on the root element (as Graphviz writes it).
 * @param options `scale`, the device scale factor in (0, 8] (default 2).
 * @returns The PNG file's bytes.
 * @throws As {@link renderPng} (no Chromium, or Chromium does not start), and
 *   if the SVG has no size.
 * @example
 * const png = await svgToPng(await renderSvg('digraph { x -> y }'));
 */
export async function svgToPng(svg: string, options: { scale?: number } = {}): Promise<Buffer> {
  check(typeof svg === 'string' && svg.includes('<svg'), 'svgToPng', 'svg', 'an SVG document', svg);
  const { width, height } = svgSize(svg);
  const hidden = { visible: false, range: [0, 1], fixedrange: true };
  const spec = {
    data: [],
    layout: {
      width: Math.max(width, 10),
      height: Math.max(height, 10),
      margin: { l: 0, r: 0, t: 0, b: 0, pad: 0 },
      paper_bgcolor: '#ffffff',
      plot_bgcolor: '#ffffff',
      xaxis: hidden,
      yaxis: hidden,
      images: [
        {
          source: `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`,
          xref: 'paper',
          yref: 'paper',
          x: 0,
          y: 1,
          sizex: 1,
          sizey: 1,
          xanchor: 'left',
          yanchor: 'top',
          sizing: 'stretch',
          layer: 'above',
        },
      ],
    },
  };
  return renderPng(spec as unknown as Parameters<typeof renderPng>[0], { scale: options.scale });
}
