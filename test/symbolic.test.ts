/**
 * Reference values: node counts worked out by hand from the parse trees
 * (written next to each case), numeric iteration of the composed function in
 * float64, and mathjs's own `derivative` for the swell (outside the code under test).
 */
import { derivative, parse } from 'mathjs';
import { compose, distinctSubexpressions, expressionGraph, expressionSize } from '../lib/symbolic';

describe('expressionSize', () => {
  it('counts operators, variables and numbers as often as they are written', () => {
    expect(expressionSize('x')).toBe(1);
    expect(expressionSize('x * x')).toBe(3);
    // (3 * x^2 - x) + 1: +, -, *, 3, ^, x, 2, x, 1
    expect(expressionSize('3x^2 - x + 1')).toBe(9);
    // sin(1000 * x): sin, *, 1000, x
    expect(expressionSize('sin(1000x)')).toBe(4);
  });

  it('does not count parentheses', () => {
    expect(expressionSize('((x))')).toBe(1);
    expect(expressionSize('(x * x) * (x * x)')).toBe(expressionSize('x * x * x * x'));
  });

  it('accepts a parsed node', () => {
    expect(expressionSize(parse('-x + 2'))).toBe(4); // +, neg, x, 2
  });

  it('refuses what mathjs cannot parse, and non-expressions', () => {
    expect(() => expressionSize('3 +* x')).toThrow(/^expressionSize: expr must be an expression mathjs can parse, but got "3 \+\* x"/);
    expect(() => expressionSize(42 as unknown as string)).toThrow(/^expressionSize: expr must be a string or a mathjs node, but got 42/);
  });
});

describe('distinctSubexpressions', () => {
  it('counts each repeated subexpression once', () => {
    // x, x*x, (x*x)*(x*x), the whole
    expect(distinctSubexpressions('((x*x)*(x*x))*((x*x)*(x*x))')).toBe(4);
    expect(expressionSize('((x*x)*(x*x))*((x*x)*(x*x))')).toBe(15);
    // 3x^2 - x + 1 has x twice: 9 nodes, 8 distinct
    expect(distinctSubexpressions('3x^2 - x + 1')).toBe(8);
  });

  it('tells apart subexpressions that differ only in an operator or a number', () => {
    expect(distinctSubexpressions('(x + 1) * (x - 1)')).toBe(5); // x, 1, x+1, x-1, *
    expect(distinctSubexpressions('(x + 1) * (x + 2)')).toBe(6); // x, 1, 2, x+1, x+2, *
  });
});

describe('compose', () => {
  it('computes f(f(...f(x))) as an expression', () => {
    const f = (x: number): number => 3 * x * x - x + 1;
    for (const n of [1, 2, 4]) {
      const expr = compose('3x^2 - x + 1', n);
      let expected = 0.3;
      for (let i = 0; i < n; i++) expected = f(expected);
      expect(expr.evaluate({ x: 0.3 })).toBeCloseTo(expected, 9);
    }
  });

  it('doubles the tree of x*x at every step while the DAG grows by one', () => {
    for (const n of [1, 2, 3, 4]) {
      const expr = compose('x*x', n);
      expect(expressionSize(expr)).toBe(2 ** (n + 1) - 1);
      expect(distinctSubexpressions(expr)).toBe(n + 1);
    }
  });

  it('makes the chain rule swell: the derivative tree grows faster than the DAG', () => {
    const sizes = [1, 2, 3, 4, 5].map((n) => {
      const d = derivative(compose('3x^2 - x + 1', n), 'x', { simplify: false });
      return { tree: expressionSize(d), dag: distinctSubexpressions(d) };
    });
    for (let i = 1; i < sizes.length; i++) {
      expect(sizes[i].tree / sizes[i - 1].tree).toBeGreaterThan(2);
      expect(sizes[i].dag - sizes[i - 1].dag).toBeLessThan(30);
    }
  });

  it('substitutes only the named variable', () => {
    expect(compose('a * y + y', 2, 'y').evaluate({ a: 2, y: 3 })).toBe(2 * 9 + 9);
  });

  it('refuses a bad count or variable', () => {
    expect(() => compose('x', 0)).toThrow(/^compose: n must be an integer >= 1, but got 0/);
    expect(() => compose('x', 2, '1x')).toThrow(/^compose: variable must be a variable name, but got "1x"/);
  });
});

describe('expressionGraph', () => {
  it('draws the tree with one node per written occurrence, edges from operands up', () => {
    const g = expressionGraph('((x*x)*(x*x))*((x*x)*(x*x))');
    expect(g.nodes).toHaveLength(15);
    expect(g.edges).toHaveLength(14);
    expect(g.nodes.filter((n) => n.label === 'x' && n.kind === 'input')).toHaveLength(8);
    expect(g.nodes.filter((n) => n.label === '*' && n.kind === 'operation')).toHaveLength(7);
    expect(g.direction).toBe('BT');
    // The root has no outgoing edge; every other node has exactly one.
    const outgoing = new Map(g.nodes.map((n) => [n.id, 0]));
    g.edges.forEach((e) => outgoing.set(e.from, (outgoing.get(e.from) ?? 0) + 1));
    expect([...outgoing.values()].sort()).toEqual([0, ...Array(14).fill(1)]);
  });

  it('draws the DAG with one node per distinct subexpression and one edge per use', () => {
    const g = expressionGraph(compose('x*x', 3), { shared: true });
    expect(g.nodes.map((n) => n.label)).toEqual(['x', '*', '*', '*']);
    expect(g.edges).toEqual([
      { from: 'e0', to: 'e1' },
      { from: 'e0', to: 'e1' },
      { from: 'e1', to: 'e2' },
      { from: 'e1', to: 'e2' },
      { from: 'e2', to: 'e3' },
      { from: 'e2', to: 'e3' },
    ]);
  });

  it('labels numbers as constants, functions by name and unary minus as neg', () => {
    const g = expressionGraph('-sin(2x)');
    expect(g.nodes.map((n) => [n.label, n.kind])).toEqual([
      ['neg', 'operation'],
      ['sin', 'operation'],
      ['*', 'operation'],
      ['2', 'constant'],
      ['x', 'input'],
    ]);
  });

  it('refuses a non-boolean shared', () => {
    expect(() => expressionGraph('x', { shared: 1 as unknown as boolean })).toThrow(/^expressionGraph: shared must be a boolean, but got 1/);
  });
});
