/**
 * Tests of the stop-gradient: `detach` and `withoutGradient`. Reference values
 * are worked by hand: d/dt [t detach(t)] = detach(t) = t, and every gradient
 * through a stopped path is zero.
 */
import * as tf from '@tensorflow/tfjs';
import { detach, withoutGradient } from '../lib/withoutGradient';
import { expectNoLeak, values } from './util';

describe('detach', () => {
  it('keeps the values and the shape of x', () => {
    const x = tf.tensor2d([1, -2, 3.5, 0], [2, 2]);
    const d = detach(x);
    expect(d).not.toBe(x);
    expect(d.shape).toEqual([2, 2]);
    expect(values(d)).toEqual([1, -2, 3.5, 0]);
    tf.dispose([x, d]);
  });

  it('keeps the values and blocks the gradient: d/dt [t detach(t)] = t', () => {
    const g = tf.grad((t: tf.Tensor) => tf.mul(t, detach(t)))(tf.scalar(3));
    expect(values(g)).toEqual([3]);
    g.dispose();
  });

  it('gives a zero gradient, not an error, when the output reaches x only through detach(x)', () => {
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.square(detach(t))))(tf.tensor1d([1, 2, 3]));
    expect(values(g)).toEqual([0, 0, 0]);
    g.dispose();
  });

  it('refuses a tensor that is not float32, and a value that is not a tensor', () => {
    const i = tf.tensor([1], [1], 'int32');
    expect(() => detach(i)).toThrow(/^detach: x must be a float32 tensor, but got a int32 tensor of shape \[1\]$/);
    i.dispose();
    expect(() => detach([1, 2] as unknown as tf.Tensor)).toThrow(/^detach: x must be a float32 tensor, but got \[1, 2\]$/);
  });

  it('creates only its result, and its gradient leaves nothing behind', () => {
    const x = tf.tensor1d([1, 2]);
    expectNoLeak(() => detach(x)).dispose();
    expectNoLeak(() => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(t, detach(t))))(x)).dispose();
    x.dispose();
  });
});

describe('withoutGradient', () => {
  it('returns what compute returns on the inputs', () => {
    const a = tf.tensor1d([1, 2, 3]);
    const b = tf.tensor1d([4, 5, 6]);
    const y = withoutGradient([a, b], (p, q) => tf.add(tf.mul(p, q), 1));
    expect(values(y)).toEqual([5, 11, 19]);
    tf.dispose([a, b, y]);
  });

  it('gives a zero gradient with respect to every input', () => {
    const [ga, gb] = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(withoutGradient([p, q], (u, v) => tf.mul(u, v))))([
      tf.tensor1d([1, 2]),
      tf.scalar(3),
    ]);
    expect(values(ga)).toEqual([0, 0]);
    expect(ga.shape).toEqual([2]);
    expect(values(gb)).toEqual([0]);
    expect(gb.shape).toEqual([]);
    tf.dispose([ga, gb]);
  });

  it('lets the gradient flow along the paths that do not go through it', () => {
    // d/dt [t + withoutGradient(t^2)] = 1.
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.add(t, withoutGradient([t], (u) => tf.square(u)))))(tf.tensor1d([2, 5]));
    expect(values(g)).toEqual([1, 1]);
    g.dispose();
  });

  it('allows ops that have no gradient inside, which tf.grad refuses outside it', () => {
    const x = tf.tensor1d([-1, 0.5, 2]);
    const indicator = (u: tf.Tensor) => tf.cast(tf.less(u, 1), 'float32');
    expect(() => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(t, indicator(t))))(x)).toThrow();
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(t, withoutGradient([t], indicator))))(x);
    // d/dt [t 1{t < 1}] with the indicator held constant: 1{t < 1}.
    expect(values(g)).toEqual([1, 1, 0]);
    tf.dispose([x, g]);
  });

  it('creates only its result, and its gradient leaves nothing behind', () => {
    const x = tf.tensor1d([1, 2]);
    expectNoLeak(() => withoutGradient([x], (u) => tf.exp(tf.neg(u)))).dispose();
    expectNoLeak(() => tf.grad((t: tf.Tensor) => tf.sum(withoutGradient([t], (u) => tf.exp(tf.neg(u)))))(x)).dispose();
    x.dispose();
  });
});
