import * as tf from '@tensorflow/tfjs';
import { jacobian, jacobianOnDraws, jvp } from '../lib/jacobian';
import { manualSeed, rand } from '../lib/random';
import { randomWalk } from '../lib/walk/randomWalk';
import { expectClose, expectNoLeak, FD_RTOL, FD_STEP, values } from './util';

/** Rounding between forward mode (jvp) and reverse mode (jacobian), in float32. */
const MODE_RTOL = 1e-5;

describe('jacobian', () => {
  it('has shape [...f(x).shape, ...x.shape] and matches the closed form of a smooth map', () => {
    // f(x) = x^2 * w elementwise, so J[i, j, k, l] = 2 x[i, j] w[i, j] when (i, j) = (k, l).
    const x = tf.tensor2d([[0.5, -1], [2, 0.25], [1.5, -0.75]]);
    const w = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
    const J = jacobian((v) => tf.mul(tf.square(v), w), x);
    expect(J.shape).toEqual([3, 2, 3, 2]);
    const xs = values(x);
    const ws = values(w);
    const expected: number[] = [];
    for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) expected.push(i === j ? 2 * xs[i] * ws[i] : 0);
    expectClose(values(J), expected, 1e-6);
  });

  it('matches central finite differences on a smooth map with mixed entries', () => {
    const f = (v: tf.Tensor) => tf.stack([tf.sum(tf.sin(v)), tf.prod(v), tf.sum(tf.mul(v, tf.tensor1d([1, -2, 3])))]);
    const x0 = [0.3, -0.8, 1.1];
    const J = values(jacobian(f, tf.tensor1d(x0)));
    const fd: number[] = [];
    const fAt = (v: number[]) => values(f(tf.tensor1d(v)));
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        const up = x0.slice();
        const down = x0.slice();
        up[j] += FD_STEP;
        down[j] -= FD_STEP;
        fd.push((fAt(up)[i] - fAt(down)[i]) / (2 * FD_STEP));
      }
    }
    expectClose(J, fd, FD_RTOL, 1e-3);
  });

  it('gives zeros for outputs that do not depend on x', () => {
    const J = jacobian((v) => tf.concat([tf.ones([2]), tf.reshape(tf.mul(v, 3), [1])]), tf.scalar(1.5));
    expect(values(J)).toEqual([0, 0, 3]);
    expect(values(jacobian(() => tf.ones([2, 2]), tf.tensor1d([1, 2, 3])))).toEqual(new Array(12).fill(0));
  });

  it('accepts a number as a scalar point', () => {
    expect(values(jacobian((v) => tf.mul(v, v), 3))).toEqual([6]);
  });

  it('gives every row the same random draws: the rows sum to the gradient of the summed outputs', () => {
    // With common random numbers, sum_t dx_t/dtheta = d(sum_t x_t)/dtheta on the
    // same seed. Rows from different draws would not add up to it.
    const f = (th: tf.Tensor) => randomWalk(th, 30, 0.5);
    const theta = tf.scalar(0.45);
    manualSeed(12);
    const rowSum = tf.sum(jacobian(f, theta)).dataSync()[0];
    manualSeed(12);
    const grad = tf.grad((th: tf.Tensor) => tf.sum(f(th)))(theta).dataSync()[0];
    expect(rowSum).toBeGreaterThan(0);
    expectClose([rowSum], [grad], 1e-4);
  });

  it('repeats exactly under manualSeed', () => {
    const f = (th: tf.Tensor) => randomWalk(th, 15, 1.0);
    manualSeed(5);
    const a = values(jacobian(f, tf.scalar(0.4)));
    manualSeed(5);
    expect(values(jacobian(f, tf.scalar(0.4)))).toEqual(a);
  });

  it('refuses a function whose randomness bypasses the generator', () => {
    const x = tf.tensor1d([1, 2]);
    const before = tf.memory().numTensors;
    expect(() => jacobian((v) => tf.add(tf.mul(v, 2), Math.random()), x)).toThrow(
      /jacobian: f gave different values when run again on the same random draws/,
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a function that makes other draws when run again', () => {
    let calls = 0;
    const f = (v: tf.Tensor) => tf.add(v, tf.sum(rand([++calls])));
    expect(() => jacobian(f, tf.scalar(1))).toThrow(/jacobian: f asked for different random draws when run again/);
  });

  it('refuses a non-float x', () => {
    expect(() => jacobian((v) => v, tf.tensor1d([1, 2], 'int32'))).toThrow(
      /jacobian: x must be a float32 tensor or a number, but got a int32 tensor of shape \[2\]/,
    );
  });

  it('does not leak tensors', () => {
    const x = tf.scalar(0.3);
    expectNoLeak(() => jacobian((th) => randomWalk(th, 12, 0.5), x)).dispose();
    x.dispose();
  });

  it('lets NaN in f propagate', () => {
    const J = values(jacobian((v) => tf.sqrt(v), tf.tensor1d([-1, 4])));
    expect(Number.isNaN(J[0])).toBe(true);
    expectClose([J[3]], [0.25], 1e-6);
  });
});

describe('jvp', () => {
  it('matches the closed form J v of a smooth map', () => {
    // f(x) = [x0^2 x1, sin(x0) + 3 x1]: J = [[2 x0 x1, x0^2], [cos(x0), 3]].
    const f = (v: tf.Tensor) => {
      const [a, b] = tf.unstack(v);
      return tf.stack([tf.mul(tf.square(a), b), tf.add(tf.sin(a), tf.mul(b, 3))]);
    };
    const [x0, x1] = [0.7, -1.3];
    const [v0, v1] = [2, -0.5];
    const expected = [2 * x0 * x1 * v0 + x0 * x0 * v1, Math.cos(x0) * v0 + 3 * v1];
    expectClose(values(jvp(f, tf.tensor1d([x0, x1]), tf.tensor1d([v0, v1]))), expected, 1e-5);
  });

  it('matches central finite differences through exp, tanh, sigmoid, log and softmax', () => {
    // Second derivatives of these ops with respect to x fail in TensorFlow.js;
    // jvp only differentiates their gradients with respect to the incoming gradient.
    const f = (v: tf.Tensor) =>
      tf.concat([tf.exp(v), tf.tanh(v), tf.sigmoid(v), tf.log(v), tf.reshape(tf.softmax(tf.stack([v, tf.mul(v, 2)], -1)), [-1])]);
    const x0 = [0.4, 1.2];
    const v0 = [1, -0.5];
    const fAt = (x: number[]) => values(f(tf.tensor1d(x)));
    const up = fAt(x0.map((x, i) => x + FD_STEP * v0[i]));
    const down = fAt(x0.map((x, i) => x - FD_STEP * v0[i]));
    const fd = up.map((u, i) => (u - down[i]) / (2 * FD_STEP));
    expectClose(values(jvp(f, tf.tensor1d(x0), tf.tensor1d(v0))), fd, FD_RTOL, 1e-3);
  });

  it('gives the whole column of a scalar input, equal to jacobian on the same draws', () => {
    // Through the straight-through estimator (tf.customGrad) and the walk's custom log gradient.
    const f = (th: tf.Tensor) => randomWalk(th, 40, 0.5);
    manualSeed(8);
    const expected = values(jacobian(f, tf.scalar(0.35)));
    manualSeed(8);
    const column = values(jvp(f, 0.35, 1));
    expect(column[39]).toBeGreaterThan(0);
    expectClose(column, expected, MODE_RTOL, 1e-5);
  });

  it('gives each row of a batched walk its derivative with respect to its own theta', () => {
    // Row k of a batched walk uses the draws that the k-th of separate scalar walks would.
    const thetas = [0.2, 0.5, 0.7];
    const f = (th: tf.Tensor) => randomWalk(th, 10, 1.0);
    manualSeed(31);
    const expected = thetas.flatMap((th) => values(jacobian(f, th)));
    manualSeed(31);
    const x = tf.tensor1d(thetas);
    expectClose(values(jvp(f, x, tf.onesLike(x))), expected, MODE_RTOL, 1e-5);
  });

  it('gives zeros for outputs that do not depend on x', () => {
    expect(values(jvp((v) => tf.concat([tf.ones([2]), tf.mul(v, 3)]), tf.tensor1d([1.5]), tf.tensor1d([2])))).toEqual([0, 0, 6]);
    expect(values(jvp(() => tf.ones([2, 2]), tf.tensor1d([1, 2]), tf.tensor1d([1, 1])))).toEqual([0, 0, 0, 0]);
  });

  it('refuses v of another shape than x', () => {
    expect(() => jvp((v) => v, tf.tensor1d([1, 2]), tf.tensor1d([1, 2, 3]))).toThrow(
      /jvp: v must be a tensor of the shape of x, \[2\], but got a float32 tensor of shape \[3\]/,
    );
  });

  it('does not leak tensors', () => {
    const x = tf.scalar(0.3);
    expectNoLeak(() => jvp((th) => randomWalk(th, 12, 0.5), x, 1)).dispose();
    x.dispose();
  });

  it('lets NaN in f propagate', () => {
    const out = values(jvp((v) => tf.sqrt(v), tf.tensor1d([-1, 4]), tf.tensor1d([1, 1])));
    expect(Number.isNaN(out[0])).toBe(true);
    expectClose([out[1]], [0.25], 1e-6);
  });
});

describe('jacobianOnDraws', () => {
  it.each(['forward', 'reverse', 'auto'] as const)('builds the closed-form Jacobian in %s mode, batched or not', (mode) => {
    // f(v) = [v0 v1, exp(v0), v1^2] per row: J = [[v1, v0], [exp(v0), 0], [0, 2 v1]].
    const f = (v: tf.Tensor, axis: number) => {
      const [a, b] = tf.unstack(v, axis);
      return tf.stack([tf.mul(a, b), tf.exp(a), tf.square(b)], axis);
    };
    const rows = [[0.5, -1.5], [2, 0.25]];
    const closed = ([a, b]: number[]) => [b, a, Math.exp(a), 0, 0, 2 * b];
    const single = jacobianOnDraws((v) => f(v, 0), tf.tensor1d(rows[0]), 'test', mode);
    expect(single.shape).toEqual([3, 2]);
    expectClose(values(single), closed(rows[0]), 1e-5);
    const batched = jacobianOnDraws((v) => f(v, 1), tf.tensor2d(rows), 'test', mode, 1);
    expect(batched.shape).toEqual([2, 3, 2]);
    expectClose(values(batched), [...closed(rows[0]), ...closed(rows[1])], 1e-5);
  });
});
