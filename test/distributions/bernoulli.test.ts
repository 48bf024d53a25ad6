import * as tf from '@tensorflow/tfjs';
import { Bernoulli } from '../../lib/distributions/bernoulli';
import { manualSeed } from '../../lib/random';
import { jacobian } from '../../lib/jacobian';
import { centralDifferences, expectClose, expectNoLeak, expectWithinSE, FD_RTOL, values } from '../util';

const NUM_SAMPLES = 20_000;

describe('Bernoulli', () => {
  it('draws 1 with probability p, within Z_TOLERANCE standard errors', () => {
    manualSeed(21);
    for (const p of [0.05, 0.3, 0.5]) {
      const x = values(expectNoLeak(() => new Bernoulli(p).sample([NUM_SAMPLES])));
      expect(x.every((v) => v === 0 || v === 1)).toBe(true);
      const frequency = x.reduce((a, b) => a + b) / NUM_SAMPLES;
      expectWithinSE(frequency, p, Math.sqrt((p * (1 - p)) / NUM_SAMPLES), `p = ${p}`);
    }
  });

  it('always draws 0 at p = 0 and 1 at p = 1', () => {
    expect(values(new Bernoulli(tf.tensor([0, 1])).sample([50])).every((v, i) => v === i % 2)).toBe(true);
  });

  it('gives samples of shape [...shape, ...batchShape]', () => {
    const b = new Bernoulli(tf.fill([2, 3], 0.4));
    expect(b.batchShape).toEqual([2, 3]);
    expect(b.sample([5]).shape).toEqual([5, 2, 3]);
    expect(new Bernoulli(0.5).sample().shape).toEqual([]);
  });

  it('gives mean p and variance p (1 - p)', () => {
    const b = new Bernoulli(tf.tensor([0.2, 0.5]));
    expectClose(values(b.mean), [0.2, 0.5]);
    expectClose(values(b.variance), [0.16, 0.25]);
  });

  it('evaluates logProb as x log p + (1 - x) log(1 - p)', () => {
    const got = values(new Bernoulli(0.3).logProb(tf.tensor([0, 1])));
    expectClose(got, [Math.log(0.7), Math.log(0.3)]);
  });

  it('lets NaN in logProb values propagate', () => {
    expect(Number.isNaN(values(new Bernoulli(0.3).logProb(NaN))[0])).toBe(true);
  });

  it('keeps logProb finite at p = 0 and p = 1, as PyTorch does', () => {
    const got = values(new Bernoulli(tf.tensor([0, 1])).logProb(tf.tensor([[0, 1], [1, 0]])));
    expect(got.every(Number.isFinite)).toBe(true);
    expect(Math.abs(got[0])).toBeLessThan(1e-6); // log P(x = 0 | p = 0) = 0
    expect(got[2]).toBeLessThan(-15); // log P(x = 1 | p = 0) is very negative
  });

  it('differentiates logProb in p as the closed form x / p - (1 - x) / (1 - p)', () => {
    for (const x of [0, 1]) {
      const g = tf.grad((p: tf.Tensor) => new Bernoulli(p).logProb(x))(tf.scalar(0.3)).dataSync()[0];
      expectClose([g], [x / 0.3 - (1 - x) / 0.7]);
      const fd = centralDifferences((p) => new Bernoulli(p[0]).logProb(x).dataSync()[0], [0.3]);
      expectClose([g], fd, FD_RTOL, 1e-3);
    }
  });

  it('gives sample a zero gradient, also through jacobian', () => {
    expect(tf.grad((p: tf.Tensor) => tf.sum(new Bernoulli(p).sample([10])))(tf.scalar(0.4)).dataSync()[0]).toBe(0);
    expect(values(jacobian((p) => new Bernoulli(p).sample([3]), tf.scalar(0.4)))).toEqual([0, 0, 0]);
  });

  it('refuses rsample: a discrete draw has no reparameterisation', () => {
    expect(() => new Bernoulli(0.3).rsample()).toThrow(/Bernoulli.rsample: a Bernoulli draw has no reparameterised sampler/);
    expect(new Bernoulli(0.3).hasRsample).toBe(false);
  });

  it('leaks no tensors', () => {
    const p = tf.tensor([0.2, 0.7]);
    const x = tf.tensor([1, 0]);
    const b = new Bernoulli(p);
    for (const run of [() => b.sample([4]), () => b.logProb(x), () => b.logProb(1), () => b.mean, () => b.variance]) {
      expectNoLeak(run).dispose();
    }
    tf.dispose([p, x]);
  });

  it.each([-0.1, 1.1, NaN])('refuses probs = %p', (p) => {
    expect(() => new Bernoulli(p)).toThrow(/Bernoulli: probs must be in \[0, 1\], but got/);
  });

  it('names the entry of a tensor of probabilities that is out of range', () => {
    expect(() => new Bernoulli(tf.tensor([0.5, 2]))).toThrow(/Bernoulli: probs must be in \[0, 1\], but got 2 at flat index 1/);
  });

  it('refuses probs that are not a number or a float32 tensor, and bad sample shapes', () => {
    expect(() => new Bernoulli([0.5] as unknown as number)).toThrow(/Bernoulli: probs must be a number or a float32 tensor, but got \[0.5\]/);
    expect(() => new Bernoulli(0.5).sample([-1])).toThrow(/Bernoulli.sample: shape must be an array of non-negative integers/);
  });
});
