import * as tf from '@tensorflow/tfjs';
import { straightThroughBernoulliMoments, straightThroughSumMoments } from '../lib/straightThrough';
import { gumbelSoftmax } from '../lib/gumbel';
import { manualSeed } from '../lib/random';
import { expectWithinSE, moments, values } from './util';

// Reference values: scipy.integrate.quad over the logistic density, made by
// test/fixtures/scripts/straight_through_moments.py (quad's tolerance 1e-11).
import fixture from './fixtures/straight_through_moments.json';

/** Relative agreement with the scipy reference. */
const QUADRATURE_RTOL = 1e-8;
const NUM_SAMPLES = 40_000;

describe('straightThroughBernoulliMoments', () => {
  it.each(fixture.rows.map((r) => [r.p, r.tau, r]))('agrees with scipy quad at p = %p, tau = %p', (p, tau, row) => {
    const { mean, variance } = straightThroughBernoulliMoments(p as number, tau as number);
    const ref = row as { mean: number; variance: number };
    expect(Math.abs(mean - ref.mean) / ref.mean).toBeLessThan(QUADRATURE_RTOL);
    expect(Math.abs(variance - ref.variance) / ref.variance).toBeLessThan(QUADRATURE_RTOL);
  });

  it('multiplies the mean by scale and the variance by scale squared (the chain rule)', () => {
    const one = straightThroughBernoulliMoments(0.3, 0.5);
    const six = straightThroughBernoulliMoments(0.3, 0.5, 6);
    expect(six.mean).toBeCloseTo(6 * one.mean, 12);
    expect(six.variance).toBeCloseTo(36 * one.variance, 10);
    const negative = straightThroughBernoulliMoments(0.3, 0.5, -2);
    expect(negative.mean).toBeCloseTo(-2 * one.mean, 12);
    expect(negative.variance).toBeCloseTo(4 * one.variance, 10);
  });

  it('approaches its small-tau limits: mean 1 and variance 1 / (6 tau p (1 - p))', () => {
    // As tau -> 0, E[g] -> density of L at -logit p, divided by p (1 - p), = 1,
    // and tau Var[g] -> p (1 - p) integral sigma'^2 / (p (1 - p))^2 = 1 / (6 p (1 - p)).
    for (const p of [0.05, 0.3, 0.7]) {
      const tau = 1e-4;
      const { mean, variance } = straightThroughBernoulliMoments(p, tau);
      expect(Math.abs(mean - 1)).toBeLessThan(1e-3);
      expect(Math.abs(variance * 6 * tau * p * (1 - p) - 1)).toBeLessThan(1e-3);
    }
  });

  it('is symmetric under p -> 1 - p (the two classes swap)', () => {
    const a = straightThroughBernoulliMoments(0.2, 0.7);
    const b = straightThroughBernoulliMoments(0.8, 0.7);
    expect(a.mean).toBeCloseTo(b.mean, 12);
    expect(a.variance).toBeCloseTo(b.variance, 10);
  });

  it('matches the gradients gumbelSoftmax returns, within Z_TOLERANCE standard errors', () => {
    // One hard Gumbel-Softmax draw per row, logits (log p, log(1 - p)), as in the course.
    for (const [p, tau] of [
      [0.3, 0.5],
      [0.1, 0.9],
    ]) {
      manualSeed(7);
      const g = values(
        tf.tidy(() =>
          tf.grad((ps: tf.Tensor) => {
            const logits = tf.log(tf.stack([ps, tf.sub(1, ps)], 1));
            return tf.sum(tf.unstack(gumbelSoftmax(logits, { tau, hard: true }), 1)[0]);
          })(tf.fill([NUM_SAMPLES], p)),
        ),
      );
      const exact = straightThroughBernoulliMoments(p, tau);
      const sample = moments(g);
      expectWithinSE(sample.mean, exact.mean, Math.sqrt(exact.variance / NUM_SAMPLES), `mean at p = ${p}, tau = ${tau}`);
      // The standard error of a sample variance is sqrt((mu4 - sigma^4) / n), mu4 from the sample.
      const mu4 = g.reduce((a, v) => a + (v - sample.mean) ** 4, 0) / g.length;
      const seVariance = Math.sqrt((mu4 - exact.variance ** 2) / NUM_SAMPLES);
      expectWithinSE(sample.variance, exact.variance, seVariance, `variance at p = ${p}, tau = ${tau}`);
    }
  });

  it.each([0, 1, NaN, 1.5, -0.1])('refuses p = %p', (p) => {
    expect(() => straightThroughBernoulliMoments(p, 1)).toThrow(/straightThroughBernoulliMoments: p must be in \(0, 1\), but got/);
  });

  it.each([0, -1, Infinity, NaN])('refuses tau = %p', (tau) => {
    expect(() => straightThroughBernoulliMoments(0.5, tau)).toThrow(
      /straightThroughBernoulliMoments: tau must be a finite number > 0, but got/,
    );
  });

  it('refuses a scale that is not finite', () => {
    expect(() => straightThroughBernoulliMoments(0.5, 1, NaN)).toThrow(/straightThroughBernoulliMoments: scale must be a finite number, but got NaN/);
  });
});

describe('straightThroughSumMoments', () => {
  it('adds the means and the variances of independent draws', () => {
    // x = 2 Bern(3 theta) + Bern(theta): scales 2 * 3 and 1.
    const sum = straightThroughSumMoments([
      { p: 0.3, tau: 0.5, scale: 6 },
      { p: 0.1, tau: 0.5 },
    ]);
    const a = straightThroughBernoulliMoments(0.3, 0.5, 6);
    const b = straightThroughBernoulliMoments(0.1, 0.5);
    expect(sum.mean).toBeCloseTo(a.mean + b.mean, 12);
    expect(sum.variance).toBeCloseTo(a.variance + b.variance, 10);
  });

  it('tends to the true gradient 7 of E[2 Bern(3 theta) + Bern(theta)] as tau falls', () => {
    const terms = (tau: number) => [
      { p: 0.3, tau, scale: 6 },
      { p: 0.1, tau },
    ];
    expect(Math.abs(straightThroughSumMoments(terms(1e-3)).mean - 7)).toBeLessThan(0.01);
    expect(straightThroughSumMoments(terms(0.9)).mean).toBeLessThan(7);
  });

  it('refuses an empty list and a bad term', () => {
    expect(() => straightThroughSumMoments([])).toThrow(/straightThroughSumMoments: terms must be a non-empty array/);
    expect(() => straightThroughSumMoments([{ p: 2, tau: 1 }])).toThrow(/straightThroughBernoulliMoments: p must be in \(0, 1\), but got 2/);
  });
});
