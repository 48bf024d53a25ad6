/**
 * Tests of `fusedSimulation`, driven by a small plain-loop simulation written
 * here: B geometric sequences y_bk = a_b r_b^k, k = 0..K-1, whose loop carries
 * the forward tangents dy/da and dy/dr step by step. The reference values are
 * the closed forms y = a r^k, dy/da = r^k and dy/dr = a k r^(k-1), computed in
 * float64 in the test.
 */
import * as tf from '@tensorflow/tfjs';
import { fusedSimulation } from '../lib/fusedSimulation';
import { jacobian, jvp } from '../lib/jacobian';
import { expectClose, values } from './util';

/**
 * The simulation: parameters a and r (each a scalar for every simulation or a
 * vector [B]), B runs of K steps; `calls` records each run's `withJacobian`.
 */
function geometric(a: tf.Tensor, r: tf.Tensor, shape: number[], calls: boolean[] = []): tf.Tensor {
  const B = shape[0];
  const K = shape.slice(1).reduce((p, q) => p * q, 1);
  const av = a.dataSync();
  const rv = r.dataSync();
  return fusedSimulation([a, r], shape, (withJacobian) => {
    calls.push(withJacobian);
    const value = new Float32Array(B * K);
    const jac = withJacobian ? new Float32Array(B * K * 2) : null;
    for (let b = 0; b < B; b++) {
      const ab = av.length === 1 ? av[0] : av[b];
      const rb = rv.length === 1 ? rv[0] : rv[b];
      let y = ab;
      let dyda = 1;
      let dydr = 0;
      for (let k = 0; k < K; k++) {
        if (k > 0) {
          dydr = dydr * rb + y;
          dyda *= rb;
          y *= rb;
        }
        value[b * K + k] = y;
        if (jac) {
          jac[(b * K + k) * 2] = dyda;
          jac[(b * K + k) * 2 + 1] = dydr;
        }
      }
    }
    return { value, jacobian: jac };
  });
}

/** The closed forms, in float64: value, d/da and d/dr, each [B * K] row-major. */
function closedForm(a: number[], r: number[], K: number): { y: number[]; da: number[]; dr: number[] } {
  const y: number[] = [];
  const da: number[] = [];
  const dr: number[] = [];
  a.forEach((ab, b) => {
    for (let k = 0; k < K; k++) {
      y.push(ab * r[b] ** k);
      da.push(r[b] ** k);
      dr.push(k === 0 ? 0 : ab * k * r[b] ** (k - 1));
    }
  });
  return { y, da, dr };
}

const A = [1.5, -0.5, 2];
const R = [0.9, 1.1, 0.5];
const K = 4;
// Weights of the outputs in the loss L = sum_bk w_bk y_bk: dL/dy = w.
const W = [0.3, -1, 2, 0.5, 1, 1, -0.2, 0.7, 0.1, 0.4, -0.6, 1.3];

describe('fusedSimulation: values', () => {
  it('returns the outputs of the B simulations, float32 of the given shape', () => {
    const y = geometric(tf.tensor1d(A), tf.tensor1d(R), [3, K]);
    expect(y.shape).toEqual([3, K]);
    expect(y.dtype).toBe('float32');
    expectClose(values(y), closedForm(A, R, K).y);
    const z = geometric(tf.tensor1d(A), tf.tensor1d(R), [3, 2, 2]);
    expect(z.shape).toEqual([3, 2, 2]);
    expectClose(values(z), closedForm(A, R, K).y);
    tf.dispose([y, z]);
  });

  it('runs the simulation once, without the Jacobian, when no gradient is being recorded', () => {
    const calls: boolean[] = [];
    tf.dispose(geometric(tf.tensor1d(A), tf.tensor1d(R), [3, K], calls));
    expect(calls).toEqual([false]);
  });
});

describe('fusedSimulation: reverse mode', () => {
  it('gives dL/da_b = sum_k w_bk r_b^k and dL/dr_b = sum_k w_bk a_b k r_b^(k-1) for parameters per simulation', () => {
    const w = tf.tensor2d(W, [3, K]);
    const [ga, gr] = tf.grads((a: tf.Tensor, r: tf.Tensor) => tf.sum(tf.mul(w, geometric(a, r, [3, K]))))([tf.tensor1d(A), tf.tensor1d(R)]);
    const { da, dr } = closedForm(A, R, K);
    const sumRows = (d: number[]) => A.map((_, b) => d.slice(b * K, (b + 1) * K).reduce((s, x, k) => s + W[b * K + k] * x, 0));
    expect(ga.shape).toEqual([3]);
    expect(gr.shape).toEqual([3]);
    expectClose(values(ga), sumRows(da));
    expectClose(values(gr), sumRows(dr));
    tf.dispose([w, ga, gr]);
  });

  it('sums the gradient over the B simulations for a parameter given as one scalar for all', () => {
    const w = tf.tensor2d(W, [3, K]);
    const [ga, gr] = tf.grads((a: tf.Tensor, r: tf.Tensor) => tf.sum(tf.mul(w, geometric(a, r, [3, K]))))([tf.tensor1d(A), tf.scalar(0.8)]);
    const { da, dr } = closedForm(A, [0.8, 0.8, 0.8], K);
    expect(gr.shape).toEqual([]);
    expectClose(values(gr), [dr.reduce((s, x, i) => s + W[i] * x, 0)]);
    expectClose(values(ga), A.map((_, b) => da.slice(b * K, (b + 1) * K).reduce((s, x, k) => s + W[b * K + k] * x, 0)));
    tf.dispose([w, ga, gr]);
  });

  it('computes the Jacobian in the forward run, one run in all, while a gradient is being recorded', () => {
    const calls: boolean[] = [];
    const g = tf.grad((a: tf.Tensor) => tf.sum(geometric(a, tf.scalar(0.9), [1, K], calls)))(tf.tensor1d([2]));
    expect(calls).toEqual([true]);
    expectClose(values(g), [1 + 0.9 + 0.81 + 0.729]);
    g.dispose();
  });

  it('gives the Jacobian [B, K, B] of each output in the parameters per simulation, by reverse and forward mode', () => {
    const r = tf.tensor1d(R);
    const f = (a: tf.Tensor) => geometric(a, r, [3, K]);
    const { da } = closedForm(A, R, K);
    // d y_bk / d a_c = r_b^k if b = c, else 0.
    const expected: number[] = [];
    for (let b = 0; b < 3; b++) for (let k = 0; k < K; k++) for (let c = 0; c < 3; c++) expected.push(b === c ? da[b * K + k] : 0);
    for (const strategy of ['reverse-mode', 'forward-mode'] as const) {
      const J = jacobian(f, tf.tensor1d(A), { strategy });
      expect(J.shape).toEqual([3, K, 3]);
      expectClose(values(J), expected);
      J.dispose();
    }
    r.dispose();
  });
});

describe('fusedSimulation: forward mode', () => {
  it('has a gradient that is linear in dy, so differentiating it again in dy gives J v', () => {
    // jvp builds J v from two reverse passes: the second differentiates the
    // first's gradient with respect to dy.
    const a = tf.tensor1d(A);
    const v = tf.tensor1d([1, -2, 0.5]);
    const out = jvp((r) => geometric(a, r, [3, K]), tf.tensor1d(R), v);
    const { dr } = closedForm(A, R, K);
    expect(out.shape).toEqual([3, K]);
    expectClose(values(out), dr.map((d, i) => d * [1, -2, 0.5][Math.floor(i / K)]));
    tf.dispose([a, v, out]);
  });

  it('gives every simulation its own derivative in one pass along v = 1', () => {
    const r = tf.tensor1d(R);
    const out = jvp((a) => geometric(a, r, [3, K]), tf.tensor1d(A), tf.ones([3]));
    expectClose(values(out), closedForm(A, R, K).da);
    tf.dispose([r, out]);
  });
});

describe('fusedSimulation: memory', () => {
  it('leaves no tensor behind, forward, in a gradient and in a Jacobian', () => {
    const a = tf.tensor1d(A);
    const r = tf.tensor1d(R);
    const before = tf.memory().numTensors;
    const y = geometric(a, r, [3, K]);
    const [ga, gr] = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(geometric(p, q, [3, K])))([a, r]);
    const J = jacobian((p) => geometric(p, r, [3, K]), a);
    const Jf = jacobian((p) => geometric(p, r, [3, K]), a, { strategy: 'forward-mode' });
    expect(tf.memory().numTensors).toBe(before + 5);
    tf.dispose([y, ga, gr, J, Jf]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([a, r]);
  });
});
