import * as tf from '@tensorflow/tfjs';
import { gumbelSoftmax, sampleGumbel } from '../lib/gumbel';
import { manualSeed } from '../lib/random';
import { centralDifferences, expectClose, expectNoLeak, expectWithinSE, FD_RTOL, moments, values } from './util';

const NUM_SAMPLES = 20_000;
const EULER_GAMMA = 0.5772156649015329;

describe('sampleGumbel', () => {
  it('has the standard Gumbel mean (Euler gamma) and variance pi^2 / 6', () => {
    manualSeed(11);
    const g = values(sampleGumbel([NUM_SAMPLES]));
    expect(g.every(Number.isFinite)).toBe(true);
    const { mean, variance } = moments(g);
    const sigma2 = Math.PI ** 2 / 6;
    expectWithinSE(mean, EULER_GAMMA, Math.sqrt(sigma2 / NUM_SAMPLES), 'mean');
    // The SE of a sample variance is sqrt((mu4 - sigma^4) / n); the Gumbel's excess
    // kurtosis is 12/5, so mu4 = (3 + 12/5) sigma^4 and the SE is sigma^2 sqrt(4.4 / n).
    expectWithinSE(variance, sigma2, sigma2 * Math.sqrt((3 + 12 / 5 - 1) / NUM_SAMPLES), 'variance');
  });
});

describe('gumbelSoftmax', () => {
  const logits = [1.0, -0.5, 0.3];
  const probs = (() => {
    const e = logits.map(Math.exp);
    const z = e.reduce((a, b) => a + b);
    return e.map((v) => v / z);
  })();

  it('gives soft samples that are positive and sum to 1 along the axis', () => {
    manualSeed(1);
    const y = gumbelSoftmax(tf.tensor2d([logits, logits]), { tau: 0.7 });
    expect(y.shape).toEqual([2, 3]);
    const rows = y.arraySync() as number[][];
    for (const row of rows) {
      expect(row.every((v) => v > 0)).toBe(true);
      expect(row.reduce((a, b) => a + b)).toBeCloseTo(1, 5);
    }
  });

  it('gives exactly one-hot hard samples whose class frequencies match softmax(logits)', () => {
    manualSeed(2);
    const batch = tf.tile(tf.tensor2d([logits]), [NUM_SAMPLES, 1]);
    const y = gumbelSoftmax(batch, { tau: 0.5, hard: true }).arraySync() as number[][];
    const counts = [0, 0, 0];
    for (const row of y) {
      expect(row.filter((v) => v === 1).length).toBe(1);
      expect(row.filter((v) => v === 0).length).toBe(2);
      counts[row.indexOf(1)]++;
    }
    counts.forEach((c, j) => {
      const p = probs[j];
      expectWithinSE(c / NUM_SAMPLES, p, Math.sqrt((p * (1 - p)) / NUM_SAMPLES), `class ${j}`);
    });
  });

  it('works along any axis', () => {
    manualSeed(3);
    const y = gumbelSoftmax(tf.randomNormal([3, 4, 5], 0, 1, 'float32', 1), { axis: 1, hard: true });
    expect(y.shape).toEqual([3, 4, 5]);
    const sums = values(tf.sum(y, 1));
    expect(sums.every((s) => s === 1)).toBe(true);
    const negative = gumbelSoftmax(tf.zeros([3, 4, 5]), { axis: -2, tau: 2 });
    expectClose(values(tf.sum(negative, -2)), new Array(15).fill(1), 1e-5);
  });

  it('matches the closed-form softmax Jacobian for soft samples with fixed noise', () => {
    // With the noise g fixed, y = softmax((l + g) / tau), so dy_k/dl_j = y_k (delta_kj - y_j) / tau.
    const tau = 0.8;
    const l = tf.tensor1d(logits);
    manualSeed(5);
    const y = values(gumbelSoftmax(l, { tau }));
    for (let k = 0; k < 3; k++) {
      manualSeed(5);
      const grad = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(gumbelSoftmax(x, { tau }), tf.oneHot(k, 3).toFloat())))(l);
      const expected = [0, 1, 2].map((j) => (y[k] * ((k === j ? 1 : 0) - y[j])) / tau);
      expectClose(values(grad), expected, 1e-4, 1e-6);
    }
  });

  it('matches central finite differences for soft samples with fixed noise', () => {
    const tau = 1.5;
    const weights = tf.tensor1d([0.3, -1.2, 2.0]);
    const loss = (x: tf.Tensor) => tf.sum(tf.mul(gumbelSoftmax(x, { tau }), weights));
    const at = (v: number[]) => {
      manualSeed(9);
      return loss(tf.tensor1d(v)).dataSync()[0];
    };
    manualSeed(9);
    const grad = values(tf.grad(loss)(tf.tensor1d(logits)));
    const fd = centralDifferences(at, logits);
    expectClose(grad, fd, FD_RTOL, 1e-3);
  });

  it('passes the soft gradient straight through a hard sample', () => {
    const tau = 0.6;
    const weights = tf.tensor1d([1, 2, -1]);
    const l = tf.tensor1d(logits);
    const gradOf = (hard: boolean) => {
      manualSeed(21);
      return values(tf.grad((x: tf.Tensor) => tf.sum(tf.mul(gumbelSoftmax(x, { tau, hard }), weights)))(l));
    };
    expectClose(gradOf(true), gradOf(false), 1e-6, 1e-7);
    expect(gradOf(true).some((g) => g !== 0)).toBe(true);
  });

  it('stays one-hot and finite for logits of +-1000 and for tau close to 0', () => {
    manualSeed(6);
    const big = values(gumbelSoftmax(tf.tensor1d([1000, -1000]), { tau: 1e-3, hard: true }));
    expect(big).toEqual([1, 0]);
    const soft = values(gumbelSoftmax(tf.tensor1d([1000, -1000, 0]), { tau: 1e-3 }));
    expect(soft.every(Number.isFinite)).toBe(true);
  });

  it('never draws a class whose logit is -Infinity', () => {
    manualSeed(8);
    const y = values(gumbelSoftmax(tf.tile(tf.tensor2d([[-Infinity, 0]]), [1000, 1]), { hard: true }));
    expect(y.filter((_, i) => i % 2 === 0).every((v) => v === 0)).toBe(true);
  });

  it('gives 1 for a single class', () => {
    expect(values(gumbelSoftmax([[0.5], [3]], { hard: true }))).toEqual([1, 1]);
  });

  it('propagates NaN in the logits, soft and hard', () => {
    expect(values(gumbelSoftmax([NaN, 0])).every(Number.isNaN)).toBe(true);
    expect(values(gumbelSoftmax([NaN, 0], { hard: true })).every(Number.isNaN)).toBe(true);
  });

  it('accepts nested arrays and int32 tensors', () => {
    expect(gumbelSoftmax([[1, 2]]).shape).toEqual([1, 2]);
    expect(gumbelSoftmax(tf.tensor1d([1, 2], 'int32')).dtype).toBe('float32');
  });

  it('does not leak tensors, hard or soft', () => {
    const l = tf.tensor2d([logits]);
    expectNoLeak(() => gumbelSoftmax(l, { hard: true })).dispose();
    expectNoLeak(() => gumbelSoftmax(l, { axis: 0 })).dispose();
    const before = tf.memory().numTensors;
    expect(() => gumbelSoftmax(l, { axis: 3 })).toThrow();
    expect(tf.memory().numTensors).toBe(before);
    l.dispose();
  });

  it.each([0, -1, Infinity, NaN])('refuses tau = %p', (tau) => {
    expect(() => gumbelSoftmax([0, 0], { tau })).toThrow(/gumbelSoftmax: tau must be a finite number > 0, but got/);
  });

  it('refuses an axis outside the rank of logits', () => {
    expect(() => gumbelSoftmax([[0, 0]], { axis: 2 })).toThrow(/gumbelSoftmax: axis must be an integer in \[-2, 1\] for logits of rank 2, but got 2/);
    expect(() => gumbelSoftmax([[0, 0]], { axis: -3 })).toThrow(/axis must be an integer in \[-2, 1\]/);
    expect(() => gumbelSoftmax(tf.scalar(1))).toThrow(/gumbelSoftmax: logits must be a tensor of rank >= 1, but got a float32 tensor of shape \[\]/);
  });

  it('refuses boolean logits', () => {
    expect(() => gumbelSoftmax(tf.tensor1d([true, false], 'bool'))).toThrow(/gumbelSoftmax: logits must be a float32 or int32 tensor, but got a bool tensor/);
  });
});
