import * as tf from '@tensorflow/tfjs';
import { RelaxedBernoulli } from '../../lib/distributions/relaxedBernoulli';
import { gumbelSoftmax } from '../../lib/gumbel';
import { manualSeed } from '../../lib/random';
import { expectClose, expectNoLeak, expectWithinSE, values, Z_TOLERANCE } from '../util';

const NUM_SAMPLES = 20_000;

/**
 * The binary Concrete density in the form of Maddison et al. (2017), eq. 23, in float64:
 * tau a y^(-tau-1) (1-y)^(-tau-1) / (a y^-tau + (1-y)^-tau)^2 with a = p / (1 - p).
 */
function concreteDensity(y: number, tau: number, p: number): number {
  const a = p / (1 - p);
  return (tau * a * y ** (-tau - 1) * (1 - y) ** (-tau - 1)) / (a * y ** -tau + (1 - y) ** -tau) ** 2;
}

/** Its distribution function, P(Y <= y) = P(logit p + L <= tau logit y), L logistic, in float64. */
function concreteCdf(y: number, tau: number, p: number): number {
  return 1 / (1 + Math.exp(-(tau * Math.log(y / (1 - y)) - Math.log(p / (1 - p)))));
}

describe('RelaxedBernoulli', () => {
  it.each([
    [0.1, 0.3],
    [0.5, 0.3],
    [2, 0.8],
  ])('draws samples whose distribution function is the closed form (tau = %p, p = %p), within Z_TOLERANCE standard errors', (tau, p) => {
    manualSeed(41);
    for (const method of ['sample', 'rsample'] as const) {
      const y = values(new RelaxedBernoulli(tau, p)[method]([NUM_SAMPLES]));
      expect(y.every((v) => v >= 0 && v <= 1)).toBe(true);
      for (const at of [0.05, 0.3, 0.5, 0.9]) {
        const F = concreteCdf(at, tau, p);
        const fraction = y.filter((v) => v <= at).length / NUM_SAMPLES;
        expectWithinSE(fraction, F, Math.sqrt((F * (1 - F)) / NUM_SAMPLES), `${method} P(Y <= ${at})`);
      }
    }
  });

  it('has the distribution of the soft two-class gumbelSoftmax sample', () => {
    // Same law, different noise: compare P(Y <= y) of both with the exact binary Concrete CDF.
    // At y = 1/2 it is 1 - p whatever tau; at 0.1 and 0.9 it depends on tau, and tau = 0.35
    // or 1.4 moves it by far more than the tolerance (checked below).
    manualSeed(42);
    const [p, tau] = [0.3, 0.7];
    const logits = tf.log(tf.tile(tf.tensor2d([[p, 1 - p]]), [NUM_SAMPLES, 1]));
    const soft = values(tf.unstack(gumbelSoftmax(logits, { tau }), 1)[0]);
    expect(values(new RelaxedBernoulli(tau, p).cdf(0.5))[0]).toBeCloseTo(1 - p, 6);
    for (const at of [0.1, 0.5, 0.9]) {
      const F = concreteCdf(at, tau, p);
      const se = Math.sqrt((F * (1 - F)) / NUM_SAMPLES);
      const fraction = soft.filter((v) => v <= at).length / NUM_SAMPLES;
      expectWithinSE(fraction, F, se, `gumbelSoftmax P(Y <= ${at})`);
      if (at !== 0.5) for (const other of [tau / 2, tau * 2]) expect(Math.abs(concreteCdf(at, other, p) - F) / se).toBeGreaterThan(5 * Z_TOLERANCE);
    }
  });

  it('evaluates logProb as the binary Concrete density of Maddison et al.', () => {
    const ys = [0.01, 0.2, 0.5, 0.77, 0.99];
    for (const [tau, p] of [
      [0.1, 0.3],
      [0.5, 0.6],
      [2, 0.1],
    ]) {
      const got = values(tf.exp(new RelaxedBernoulli(tau, p).logProb(tf.tensor(ys))));
      expectClose(got, ys.map((y) => concreteDensity(y, tau, p)), 1e-4);
    }
  });

  it('evaluates cdf as the closed form, 0 at y = 0 and 1 at y = 1', () => {
    const ys = [0, 0.01, 0.3, 0.5, 0.95, 1];
    expectClose(values(new RelaxedBernoulli(0.4, 0.2).cdf(tf.tensor(ys))), ys.map((y) => (y === 0 ? 0 : y === 1 ? 1 : concreteCdf(y, 0.4, 0.2))));
  });

  it('differentiates rsample in p as y (1 - y) / (tau p (1 - p)), and gives sample a zero gradient', () => {
    const [tau, p] = [0.5, 0.3];
    manualSeed(43);
    const y = values(new RelaxedBernoulli(tau, p).rsample([8]));
    manualSeed(43);
    const g = values(tf.grad((q: tf.Tensor) => tf.sum(new RelaxedBernoulli(tau, q).rsample([8])))(tf.scalar(p)));
    const expected = y.reduce((s, v) => s + (v * (1 - v)) / (tau * p * (1 - p)), 0);
    expectClose(g, [expected], 1e-3);
    expect(values(tf.grad((q: tf.Tensor) => tf.sum(new RelaxedBernoulli(tau, q).sample([8])))(tf.scalar(p)))).toEqual([0]);
  });

  it('gives samples of shape [...shape, ...batchShape]', () => {
    const d = new RelaxedBernoulli(1, tf.tensor([0.2, 0.5, 0.9]));
    expect(d.batchShape).toEqual([3]);
    expect(d.rsample([4]).shape).toEqual([4, 3]);
  });

  it('refuses mean and variance, which have no closed form', () => {
    expect(() => new RelaxedBernoulli(1, 0.5).mean).toThrow(/RelaxedBernoulli.mean: the relaxed Bernoulli distribution has no closed-form mean/);
    expect(() => new RelaxedBernoulli(1, 0.5).variance).toThrow(/RelaxedBernoulli.variance/);
  });

  it('refuses a bad temperature or probability', () => {
    expect(() => new RelaxedBernoulli(0, 0.5)).toThrow(/RelaxedBernoulli: tau must be a finite number > 0, but got 0/);
    expect(() => new RelaxedBernoulli(1, 1)).toThrow(/RelaxedBernoulli: probs must be in \(0, 1\), but got 1/);
    expect(() => new RelaxedBernoulli(1, NaN)).toThrow(/RelaxedBernoulli: probs must be in \(0, 1\), but got NaN/);
  });

  it('leaks no tensors', () => {
    const p = tf.tensor([0.2, 0.7]);
    const y = tf.tensor([0.1, 0.6]);
    const d = new RelaxedBernoulli(0.5, p);
    for (const run of [() => d.sample([3]), () => d.rsample([3]), () => d.logProb(y), () => d.cdf(y)]) {
      expectNoLeak(run).dispose();
    }
    tf.dispose([p, y]);
  });
});
