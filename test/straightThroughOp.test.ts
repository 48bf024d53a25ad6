import * as tf from '@tensorflow/tfjs';
import { straightThroughOp } from '../lib/straightThroughOp';
import { expectClose, expectNoLeak, values } from './util';

const step = (x: tf.Tensor) =>
  straightThroughOp(x, (v) => ({ value: tf.cast(tf.greater(v, 0), 'float32'), slope: tf.mul(tf.sigmoid(v), tf.sigmoid(tf.neg(v))) }));

describe('straightThroughOp', () => {
  it('returns the value forward and multiplies the incoming gradient by the slope backward', () => {
    const x = tf.tensor([-2, -0.5, 0.5, 3]);
    expect(values(step(x))).toEqual([0, 0, 1, 1]);
    // d sum(w * op(x)) / dx = w * sigmoid'(x), sigmoid'(x) = e^-x / (1 + e^-x)^2 (closed form).
    const w = [1, -2, 3, 0.5];
    const grad = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(step(v), tf.tensor(w))))(x);
    const expected = values(x).map((v, i) => (w[i] * Math.exp(-v)) / (1 + Math.exp(-v)) ** 2);
    expectClose(values(grad), expected);
  });

  it('passes the gradient through unchanged when no slope is given', () => {
    const x = tf.tensor([0.2, 0.7]);
    const grad = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(straightThroughOp(v, (u) => ({ value: tf.round(u) })), tf.tensor([4, -1]))))(x);
    expect(values(grad)).toEqual([4, -1]);
  });

  it('computes a slope given as a function of x only for the gradient, with the same result', () => {
    const x = tf.tensor([-2, -0.5, 0.5, 3]);
    let calls = 0;
    const lazy = (v: tf.Tensor) =>
      straightThroughOp(v, (u) => ({
        value: tf.cast(tf.greater(u, 0), 'float32'),
        slope: (w) => {
          calls++;
          return tf.mul(tf.sigmoid(w), tf.sigmoid(tf.neg(w)));
        },
      }));
    expect(values(lazy(x))).toEqual([0, 0, 1, 1]);
    expect(calls).toBe(0);
    const w = tf.tensor([1, -2, 3, 0.5]);
    const eager = values(tf.grad((v: tf.Tensor) => tf.sum(tf.mul(step(v), w)))(x));
    expectClose(values(tf.grad((v: tf.Tensor) => tf.sum(tf.mul(lazy(v), w)))(x)), eager);
    expect(calls).toBe(1);
  });

  it('leaks no tensors', () => {
    const x = tf.tensor([-1, 1]);
    expectNoLeak(() => tf.grad((v: tf.Tensor) => tf.sum(step(v)))(x));
  });
});
