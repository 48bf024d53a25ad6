/**
 * A graph as plain data: nodes with a label and a kind, and edges between them.
 *
 * The expression trees of `symbolic.ts` and the recorded programs of
 * `computationGraph.ts` produce it; `plot/graph.ts` draws it.
 */
/**
 * What a node stands for, which sets its look: `input` (a variable we
 * differentiate with respect to, blue box), `operation` (grey box), `output`
 * (green box), `constant` (white box) and `value` (an ellipse, for plain
 * expression nodes).
 */
export type GraphNodeKind = 'input' | 'operation' | 'output' | 'constant' | 'value';

/** A node of a {@link Graph}. */
export interface GraphNode {
  /** A unique name, used by the edges. */
  id: string;
  /** The text drawn in the node; `\n` starts a new line. */
  label: string;
  /** The node's kind (default `'value'`). */
  kind?: GraphNodeKind;
}

/** A directed edge of a {@link Graph}, from an operand to the node that uses it. */
export interface GraphEdge {
  from: string;
  to: string;
  /** Text drawn next to the edge. */
  label?: string;
}

/** A directed graph described as data. */
export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /**
   * The direction edges point in the drawing: `'BT'` (bottom to top, the
   * default: operands below, results above, the root of a tree on top),
   * `'TB'`, `'LR'` or `'RL'`.
   */
  direction?: 'BT' | 'TB' | 'LR' | 'RL';
}

