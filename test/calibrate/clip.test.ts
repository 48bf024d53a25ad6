import * as tf from '@tensorflow/tfjs';
import { clipGradNorm } from '../../lib/calibrate/clip';
import { expectClose, values } from '../util';

describe('clipGradNorm', () => {
  it('rescales a long gradient to the norm bound and leaves a short one alone (one SGD step, closed form)', () => {
    // Loss 3a + 4b: gradient (3, 4), norm 5. Clipped at 1: (0.6, 0.8); at 10: unchanged.
    for (const [maxNorm, expected] of [
      [1, [0.6, 0.8]],
      [10, [3, 4]],
    ] as const) {
      const a = tf.variable(tf.scalar(0));
      const b = tf.variable(tf.scalar(0));
      const opt = clipGradNorm(tf.train.sgd(1), maxNorm);
      opt.minimize(() => tf.add(tf.mul(3, a), tf.mul(4, b)) as tf.Scalar, false, [a, b]);
      // SGD with rate 1 moves by minus the (clipped) gradient; 1e-6 in the denominator as in PyTorch.
      const scale = maxNorm === 1 ? 5 / (5 + 1e-6) : 1;
      expectClose([...values(a), ...values(b)], expected.map((g) => -g * scale), 1e-5, 1e-6);
      opt.dispose();
      a.dispose();
      b.dispose();
    }
  });

  it('does not leak tensors and refuses invalid arguments', () => {
    const a = tf.variable(tf.scalar(1));
    const opt = clipGradNorm(tf.train.adam(0.1), 1);
    opt.minimize(() => tf.square(a) as tf.Scalar, false, [a]);
    const before = tf.memory().numTensors;
    opt.minimize(() => tf.square(a) as tf.Scalar, false, [a]);
    expect(tf.memory().numTensors).toBe(before);
    opt.dispose();
    a.dispose();
    expect(() => clipGradNorm({} as never, 1)).toThrow(/clipGradNorm: optimizer must be a tf.Optimizer \(e.g. tf.train.adam\(0.05\)\), but got an object/);
    expect(() => clipGradNorm(tf.train.sgd(1), 0)).toThrow(/clipGradNorm: maxNorm must be a finite number > 0, but got 0/);
  });
});
