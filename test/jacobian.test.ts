import * as tf from '@tensorflow/tfjs';
import { jacobian } from '../lib/jacobian';
import { manualSeed, rand } from '../lib/random';
import { randomWalk } from '../lib/walk';
import { expectClose, expectNoLeak, FD_RTOL, FD_STEP, values } from './util';

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
