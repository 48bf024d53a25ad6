import * as tf from '@tensorflow/tfjs';
import { gradientSurrogate } from '../lib/gradientSurrogate';
import { calibrate } from '../lib/calibrate/optimize';
import { expectClose, expectNoLeak, values } from './util';

describe('gradientSurrogate', () => {
  it('has the given value and the given gradient', () => {
    const x = tf.tensor1d([1, -2, 3]);
    const g = tf.tensor1d([0.5, 4, -1]);
    expect(gradientSurrogate(x, 7.25, g).dataSync()[0]).toBe(7.25);
    expectClose(values(tf.grad((t: tf.Tensor) => gradientSurrogate(t, 7.25, g))(x)), [0.5, 4, -1], 0, 0);
  });

  it('carries the gradient on through the computation of x (chain rule)', () => {
    // x = 3 u^2, so d surrogate / du = g * 6u.
    const u = tf.scalar(2);
    const grad = tf.grad((t: tf.Tensor) => gradientSurrogate(tf.mul(3, tf.square(t)), tf.scalar(1), tf.scalar(0.5)))(u);
    expect(grad.dataSync()[0]).toBeCloseTo(6, 5);
  });

  it('lets calibrate minimise with a gradient supplied from outside', () => {
    // The gradient of (a - 3)^2 written by hand, the value a constant: Adam still reaches a = 3.
    const fit = calibrate({
      init: { a: 0 },
      loss: ({ a }) => gradientSurrogate(a, 0, tf.mul(2, tf.sub(a, 3))),
      optimizer: tf.train.adam(0.1),
      maxEpochs: 300,
    });
    expect(Math.abs(fit.params.a - 3)).toBeLessThan(0.05);
  });

  it('does not leak tensors', () => {
    const x = tf.tensor1d([1, 2]);
    const g = tf.tensor1d([3, 4]);
    expectNoLeak(() => gradientSurrogate(x, 1, g)).dispose();
    expectNoLeak(() => tf.grad((t: tf.Tensor) => gradientSurrogate(t, 1, g))(x)).dispose();
  });

  it('refuses a gradient of another shape and a value of several elements, naming the argument', () => {
    const x = tf.tensor1d([1, 2]);
    expect(() => gradientSurrogate(x, 1, tf.tensor1d([1, 2, 3]))).toThrow(/gradientSurrogate: gradient must be a tensor of the shape of x, \[2\]/);
    expect(() => gradientSurrogate(x, tf.tensor1d([1, 2]), tf.tensor1d([1, 2]))).toThrow(/gradientSurrogate: value must be a number or a tensor of one element/);
    expect(() => gradientSurrogate([1, 2] as unknown as tf.Tensor, 1, x)).toThrow(/gradientSurrogate: x must be a float32 tensor/);
  });
});
