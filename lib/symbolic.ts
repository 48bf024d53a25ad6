/**
 * Sizes and drawings of symbolic expressions (mathjs expression trees).
 *
 * A symbolic system stores an expression as a tree: a subexpression used
 * twice is stored twice. Composing a function with itself therefore doubles
 * the tree at every step when the variable appears twice, and the chain rule
 * makes the derivative's tree grow faster still ("expression swell"). A
 * program stores each intermediate once: the same expression as a directed
 * acyclic graph (DAG), whose size is the number of distinct subexpressions.
 */
import { parse, isSymbolNode, type MathNode } from 'mathjs';
import { check } from './check';
import type { Graph, GraphEdge, GraphNode } from './graph';

/** Parses a string, or checks that a value is a mathjs node. */
function toNode(expr: unknown, fn: string, arg: string): MathNode {
  if (typeof expr === 'string') {
    try {
      return parse(expr);
    } catch (e) {
      throw new Error(`${fn}: ${arg} must be an expression mathjs can parse, but got ${JSON.stringify(expr)} (${(e as Error).message})`);
    }
  }
  const node = expr as Partial<MathNode> | null;
  check(
    typeof node === 'object' && node !== null && typeof node.type === 'string' && typeof node.traverse === 'function',
    fn,
    arg,
    'a string or a mathjs node',
    expr,
  );
  return expr as MathNode;
}

/** A node's children without the parentheses around them (which only affect printing). */
function children(node: MathNode): MathNode[] {
  // A function call's own name is a node of mathjs's tree too: only its arguments count.
  if (node.type === 'FunctionNode') return (node as unknown as { args: MathNode[] }).args.map(strip);
  const out: MathNode[] = [];
  node.forEach((child: MathNode) => out.push(strip(child)));
  return out;
}

function strip(node: MathNode): MathNode {
  let n = node;
  while (n.type === 'ParenthesisNode') n = (n as unknown as { content: MathNode }).content;
  return n;
}

/** The text of a node itself (not its children): an operator, a function or variable name, a number. */
function nodeText(node: MathNode): string {
  const n = node as unknown as { op?: string; name?: string; value?: unknown; fn?: { name?: string } | string };
  switch (node.type) {
    case 'OperatorNode':
      return n.op === '-' && children(node).length === 1 ? 'neg' : String(n.op);
    case 'FunctionNode':
      return typeof n.fn === 'string' ? n.fn : String(n.fn?.name ?? n.name);
    case 'SymbolNode':
      return String(n.name);
    case 'ConstantNode':
      return String(n.value);
    default:
      return node.type;
  }
}

/**
 * Counts the nodes of an expression tree: every operator, function call,
 * variable and number, as often as it is written (parentheses are not counted).
 *
 * `size(leaf) = 1`, `size(op(a, b, ...)) = 1 + size(a) + size(b) + ...`.
 * Python counterpart: `sympy.count_ops(expr, visual=False)` counts operations
 * only; this counts leaves too, like `len(list(sympy.preorder_traversal(expr)))`.
 *
 * @param expr A mathjs node or an expression string, e.g. `'3x^2 - x + 1'`.
 * @returns An integer >= 1.
 * @throws If expr is neither a mathjs node nor a string mathjs can parse.
 * @example
 * expressionSize('3x^2 - x + 1'); // 9: - + * ^ 3 x 2 x 1
 */
export function expressionSize(expr: MathNode | string): number {
  const root = toNode(expr, 'expressionSize', 'expr');
  const count = (node: MathNode): number => 1 + children(node).reduce((s, c) => s + count(c), 0);
  return count(strip(root));
}

/**
 * Numbers the distinct subexpressions of a tree (hash-consing): two subtrees
 * with the same text and the same children get the same number. Returns the
 * number of each node and, per number, its text and the numbers of its children.
 */
function intern(root: MathNode): { table: { text: string; kind: GraphNode['kind']; args: number[] }[]; rootId: number } {
  const ids = new Map<string, number>();
  const table: { text: string; kind: GraphNode['kind']; args: number[] }[] = [];
  const visit = (node: MathNode): number => {
    const args = children(node).map(visit);
    const text = nodeText(node);
    const key = `${node.type}:${text}(${args.join(',')})`;
    let id = ids.get(key);
    if (id === undefined) {
      id = table.length;
      ids.set(key, id);
      const kind = node.type === 'SymbolNode' ? 'input' : node.type === 'ConstantNode' ? 'constant' : 'operation';
      table.push({ text, kind, args });
    }
    return id;
  };
  return { table, rootId: visit(strip(root)) };
}

/**
 * Counts the distinct subexpressions of an expression: the number of nodes of
 * its DAG, where a subexpression written many times is stored once (what a
 * program computing it needs, one operation per intermediate result).
 *
 * Python counterpart: `sympy.cse(expr)`, which finds the same repeated
 * subexpressions and names each once; this counts the nodes that result,
 * leaves included.
 *
 * @param expr A mathjs node or an expression string.
 * @returns An integer between 1 and {@link expressionSize}(expr).
 * @throws As {@link expressionSize}.
 * @example
 * distinctSubexpressions('((x*x)*(x*x))*((x*x)*(x*x))'); // 4: x, x*x, (x*x)*(x*x), the whole
 */
export function distinctSubexpressions(expr: MathNode | string): number {
  return intern(toNode(expr, 'distinctSubexpressions', 'expr')).table.length;
}

/**
 * Composes an expression with itself: `f(f(...f(x)))`, n times, as a tree.
 *
 * Each step substitutes the previous result for every occurrence of the
 * variable, so a variable that appears k times multiplies the tree by about k.
 * Python counterpart: calling a sympy function on its own output in a loop.
 *
 * @param f The expression of one step, a string or a mathjs node, e.g. `'3x^2 - x + 1'`.
 * @param n How many times to apply it, an integer >= 1 (1 gives f itself).
 * @param variable The variable substituted, default `'x'`.
 * @returns A mathjs node for the n-fold composition.
 * @throws If f cannot be parsed, n is not an integer >= 1, or variable is not a name.
 * @example
 * compose('x*x', 3).toString(); // 'x * x * x * x * x * x * x * x'
 */
export function compose(f: MathNode | string, n: number, variable = 'x'): MathNode {
  const step = toNode(f, 'compose', 'f');
  check(typeof n === 'number' && Number.isInteger(n) && n >= 1, 'compose', 'n', 'an integer >= 1', n);
  check(typeof variable === 'string' && /^[A-Za-z_]\w*$/.test(variable), 'compose', 'variable', 'a variable name', variable);
  let result = step;
  for (let i = 1; i < n; i++) {
    const inner = result;
    result = step.transform((node: MathNode) =>
      isSymbolNode(node) && node.name === variable ? inner : node,
    );
  }
  return result;
}

/** Options of {@link expressionGraph}. */
export interface ExpressionGraphOptions {
  /** Merges equal subexpressions into one node: the DAG (true) or the tree (false, default). */
  shared?: boolean;
}

/**
 * Describes an expression as a graph to draw: its tree, with one node per
 * written occurrence, or its DAG, with one node per distinct subexpression
 * and an edge per use (an operand used twice gives two edges).
 *
 * Variables are drawn as inputs, numbers as constants, operators and
 * functions as operations; edges point from operands to the operation that
 * uses them, and the drawing puts the operands below.
 *
 * @param expr A mathjs node or an expression string.
 * @param options `shared` (default false: the tree).
 * @returns A {@link Graph} for `toDot` / `showGraph`.
 * @throws As {@link expressionSize}; if shared is not a boolean.
 * @example
 * await showGraph(expressionGraph(compose('x*x', 3), { shared: true })); // x -> * -> * -> *
 */
export function expressionGraph(expr: MathNode | string, options: ExpressionGraphOptions = {}): Graph {
  const fn = 'expressionGraph';
  const root = toNode(expr, fn, 'expr');
  check(typeof options === 'object' && options !== null, fn, 'options', 'an object', options);
  const { shared = false } = options;
  check(typeof shared === 'boolean', fn, 'shared', 'a boolean', shared);
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  if (shared) {
    const { table } = intern(root);
    table.forEach((entry, i) => {
      nodes.push({ id: `e${i}`, label: entry.text, kind: entry.kind });
      entry.args.forEach((a) => edges.push({ from: `e${a}`, to: `e${i}` }));
    });
  } else {
    const visit = (node: MathNode): string => {
      const id = `t${nodes.length}`;
      const kind = node.type === 'SymbolNode' ? 'input' : node.type === 'ConstantNode' ? 'constant' : 'operation';
      nodes.push({ id, label: nodeText(node), kind });
      for (const child of children(node)) edges.push({ from: visit(child), to: id });
      return id;
    };
    visit(strip(root));
  }
  return { nodes, edges, direction: 'BT' };
}
