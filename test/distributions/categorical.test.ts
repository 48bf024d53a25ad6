/**
 * Tests of `Categorical`. Reference values are worked by hand from the
 * probabilities given: p_k for the frequencies (binomial standard errors),
 * log p_k, sum_k k p_k and sum_k k^2 p_k - mean^2, and the flip rates of the
 * doc comment from F'_k = dp_0 + ... + dp_k.
 */
import * as tf from '@tensorflow/tfjs';
import { Categorical } from '../../lib/distributions/categorical';
import { manualSeed } from '../../lib/random';
import { NUM_SAMPLES, expectClose, expectNoLeak, expectWithinSE, values } from '../util';

describe('Categorical', () => {
  it('draws each class with its probability, within Z_TOLERANCE standard errors', () => {
    manualSeed(32);
    const p = [0.2, 0.5, 0.3];
    const probs = tf.tensor1d(p);
    const x = new Categorical(probs).sample([NUM_SAMPLES]);
    const v = Array.from(x.dataSync());
    tf.dispose([x, probs]);
    p.forEach((pk, k) => expectWithinSE(v.filter((c) => c === k).length / NUM_SAMPLES, pk, Math.sqrt((pk * (1 - pk)) / NUM_SAMPLES), `class ${k}`));
  });

  it('draws float32 class indices of shape [...shape, ...batchShape], with a zero gradient, and leaks nothing', () => {
    manualSeed(33);
    const w = tf.tensor2d([1, 1, 0, 0, 0, 1], [2, 3]);
    const d = new Categorical(w);
    const x = expectNoLeak(() => d.sample([4]));
    expect(x.shape).toEqual([4, 2]);
    expect(x.dtype).toBe('float32');
    // Row 0 has classes 0 and 1 only, row 1 class 2 only.
    const v = values(x);
    expect(v.filter((_, i) => i % 2 === 0).every((k) => k === 0 || k === 1)).toBe(true);
    expect(v.filter((_, i) => i % 2 === 1)).toEqual([2, 2, 2, 2]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(new Categorical(t).sample([3])))(w);
    expect(values(g)).toEqual([0, 0, 0, 0, 0, 0]);
    tf.dispose([w, x, g]);
  });

  it('normalises its weights, and gives log p_k, the mean and the variance of the index', () => {
    const w = tf.tensor1d([1, 2, 1]);
    const d = new Categorical(w);
    const k = tf.tensor1d([0, 1]);
    const lp = d.logProb(k);
    const [probs, mean, variance] = [d.probs, d.mean, d.variance];
    expectClose(values(probs), [0.25, 0.5, 0.25]);
    expectClose(values(lp), [Math.log(0.25), Math.log(0.5)]);
    expectClose([mean.dataSync()[0], variance.dataSync()[0]], [1, 0.5]);
    expect(d.numClasses).toBe(3);
    tf.dispose([w, k, lp, probs, mean, variance]);
  });

  it("gives the flip rates max(F'_{k-1}, 0)/p_k down and max(-F'_k, 0)/p_k up", () => {
    const d = new Categorical(tf.tensor1d([0.2, 0.5, 0.3]));
    const dp = tf.tensor1d([0.1, -0.3, 0.2]);
    const { up, down } = d.flipRates(tf.tensor1d([1]).reshape([]), dp);
    // F' = [0.1, -0.2, 0]: down rate 0.1 / 0.5, up rate 0.2 / 0.5.
    expectClose([down.dataSync()[0], up.dataSync()[0]], [0.2, 0.4]);
    tf.dispose([d.weights, dp, up, down]);
  });

  it('has no flip below class 0 nor above class K - 1', () => {
    const d = new Categorical(tf.tensor1d([0.2, 0.5, 0.3]));
    const dp = tf.tensor1d([-0.1, -0.3, 0.4]);
    const { up, down } = d.flipRates(tf.tensor1d([0, 2]), dp);
    // Class 0: F'_0 = -0.1, up rate 0.1 / 0.2, no down. Class 2: F'_1 = -0.4 < 0, no down, no up.
    expectClose(values(up), [0.5, 0]);
    expectClose(values(down), [0, 0]);
    tf.dispose([d.weights, dp, up, down]);
  });

  it('names negative weights', () => {
    expect(() => new Categorical(tf.tensor1d([0.5, -0.1]))).toThrow(/Categorical: probs must be finite and >= 0/);
  });

  it('names NaN weights, a row summing to 0 and a scalar', () => {
    expect(() => new Categorical(tf.tensor1d([0.5, NaN]))).toThrow(/^Categorical: probs must be finite and >= 0, but got NaN$/);
    expect(() => new Categorical(tf.tensor2d([1, 0, 0, 0], [2, 2]))).toThrow(/^Categorical: probs must be rows with a positive sum, but got 0$/);
    expect(() => new Categorical(tf.scalar(1))).toThrow(/^Categorical: probs must be a tensor of rank >= 1 \(classes last\), but got a float32 tensor of shape \[\]$/);
  });

  it('refuses rsample, a discrete draw having no reparameterised sampler', () => {
    expect(() => new Categorical([0.5, 0.5]).rsample()).toThrow(/^Categorical\.rsample: a categorical draw has no reparameterised sampler/);
  });
});
