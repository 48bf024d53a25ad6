/**
 * These tests read TensorFlow.js's internal gradient tape through
 * lib/computationGraph.ts; they fail if an upgrade of TensorFlow.js changes
 * where or how the tape is kept. The expected graphs are worked out by hand
 * from the programs (one kernel per tf.* call).
 */
import * as tf from '@tensorflow/tfjs';
import { computationGraph, recordProgram } from '../lib/computationGraph';

const fxy = (x: tf.Tensor, y: tf.Tensor): tf.Tensor => tf.add(tf.add(tf.pow(x, 2), tf.mul(4, y)), tf.pow(tf.cos(x), 2));

describe('recordProgram', () => {
  it('records one operation per kernel, in the order they ran, for x^2 + 4y + cos(x)^2', () => {
    const x = tf.scalar(2);
    const y = tf.scalar(1.5);
    const program = recordProgram(fxy, [x, y]);
    expect(program.operations.map((op) => op.kernelName)).toEqual(['Pow', 'Multiply', 'Add', 'Cos', 'Pow', 'Add']);
    expect(program.inputs).toEqual([x.id, y.id]);
    // The constants 2, 4 and 2, read from the copies the engine keeps of them.
    expect(program.constants.map((c) => c.value)).toEqual([2, 4, 2]);
    // The wiring: the last Add reads the first Add and the second Pow, and makes the output.
    const [pow1, mul, add1, cos, pow2, add2] = program.operations;
    expect(pow1.inputs).toContain(x.id);
    expect(mul.inputs).toContain(y.id);
    expect(add1.inputs).toEqual([pow1.outputs[0], mul.outputs[0]]);
    expect(cos.inputs).toEqual([x.id]);
    expect(pow2.inputs[0]).toBe(cos.outputs[0]);
    expect(add2.inputs).toEqual([add1.outputs[0], pow2.outputs[0]]);
    expect(add2.outputs).toEqual(program.outputs);
  });

  it('leaves out operations that do not connect an input to an output', () => {
    const program = recordProgram((x) => {
      tf.exp(x); // result unused
      const c = tf.add(tf.scalar(1), tf.scalar(2)); // does not depend on x
      return tf.mul(x, c);
    }, [tf.scalar(3)]);
    expect(program.operations.map((op) => op.kernelName)).toEqual(['Multiply']);
    expect(program.constants).toHaveLength(1);
    expect(program.constants[0].value).toBe(3);
  });

  it('records several outputs, the same tensor possibly more than once', () => {
    const program = recordProgram((x) => {
      const sq = tf.mul(x, x);
      const y = tf.mul(sq, sq);
      return [y, y, y];
    }, [tf.scalar(1.5)]);
    expect(program.operations.map((op) => op.kernelName)).toEqual(['Multiply', 'Multiply']);
    expect(new Set(program.outputs).size).toBe(1);
    expect(program.outputs).toHaveLength(3);
  });

  it('frees everything it runs', () => {
    const x = tf.scalar(2);
    const y = tf.scalar(1.5);
    const before = tf.memory().numTensors;
    recordProgram(fxy, [x, y]);
    computationGraph(fxy, { x, y });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('frees what the tape saved when f throws or returns no tensor', () => {
    const x = tf.scalar(2);
    const before = tf.memory().numTensors;
    expect(() => recordProgram((t) => { tf.pow(tf.cos(t), 2); return 3 as never; }, [x])).toThrow(/must be a tensor/);
    expect(() => recordProgram((t) => { tf.pow(tf.cos(t), 2); throw new Error('inside f'); }, [x])).toThrow(/^inside f$/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a bad function, bad inputs and a function that returns no tensor', () => {
    expect(() => recordProgram(null as never, [tf.scalar(1)])).toThrow(/^recordProgram: f must be a function/);
    expect(() => recordProgram((x) => x, [])).toThrow(/^recordProgram: inputs must be a non-empty array of float32 tensors/);
    expect(() => recordProgram((x) => x, [tf.scalar(1, 'int32')])).toThrow(/^recordProgram: inputs\[0\] must be a float32 tensor, but got a int32 tensor/);
    expect(() => recordProgram((() => 3) as never, [tf.scalar(1)])).toThrow(/^recordProgram: f\(\.\.\.inputs\) must be a tensor or a non-empty array of tensors, but got 3/);
  });
});

describe('computationGraph', () => {
  it('draws inputs, constants, operations and the output, with edges along the data flow', () => {
    const g = computationGraph(fxy, { x: tf.scalar(2), y: tf.scalar(1.5) });
    const byKind = (kind: string) => g.nodes.filter((n) => n.kind === kind).map((n) => n.label);
    expect(byKind('input')).toEqual(['x = 2', 'y = 1.5']);
    expect(byKind('constant')).toEqual(['2', '4', '2']);
    expect(byKind('operation')).toEqual(['Pow', 'Multiply', 'Add', 'Cos', 'Pow', 'Add']);
    expect(byKind('output')).toEqual(['z']);
    // 2 edges into each of the binary ops (Pow, Multiply, Add, Pow, Add), 1 into Cos, 1 into z.
    expect(g.edges).toHaveLength(12);
    const label = new Map(g.nodes.map((n) => [n.id, n.label]));
    const into = (l: string) => g.edges.filter((e) => label.get(e.to) === l).map((e) => label.get(e.from));
    expect(into('Cos')).toEqual(['x = 2']);
    expect(into('z')).toEqual(['Add']);
    // x feeds both the first Pow and Cos: one node, two edges (a DAG, not a tree).
    expect(g.edges.filter((e) => label.get(e.from) === 'x = 2')).toHaveLength(2);
  });

  it('names several outputs and shows shapes of non-scalar inputs', () => {
    const g = computationGraph((x) => [tf.mul(x, 2), tf.sum(x)], { v: tf.ones([3]) }, { outputNames: ['twice', 'total'] });
    expect(g.nodes.find((n) => n.kind === 'input')?.label).toBe('v\n[3]');
    expect(g.nodes.filter((n) => n.kind === 'output').map((n) => n.label)).toEqual(['twice', 'total']);
    const plain = computationGraph((x) => tf.neg(x), { x: tf.scalar(1) }, { showValues: false });
    expect(plain.nodes[0].label).toBe('x');
  });

  it('refuses output names that do not match the outputs', () => {
    expect(() => computationGraph((x) => [x, x], { x: tf.scalar(1) }, { outputNames: ['a'] })).toThrow(
      /^computationGraph: outputNames must be 2 strings, one per output, but got \["a"\]/,
    );
    expect(() => computationGraph((x) => x, [tf.scalar(1)] as never)).toThrow(/^computationGraph: inputs must be an object of named tensors/);
  });
});
