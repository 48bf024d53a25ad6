import * as tf from '@tensorflow/tfjs';
import { sirScores } from '../../lib/abm/sirScore';
import { sirExpectedCounts } from '../../lib/abm/sirChain';
import { manualSeed } from '../../lib/random';
import { expectWithinSE, moments, values } from '../util';

const NUM_SAMPLES = 20000;

/** The binomial pmf b(k; n, p) in float64. */
function binomialPmf(k: number, n: number, p: number): number {
  let logChoose = 0;
  for (let i = 1; i <= k; i++) logChoose += Math.log((n - k + i) / i);
  return Math.exp(logChoose + k * Math.log(p) + (n - k) * Math.log1p(-p));
}

describe('sirScores', () => {
  const options = { nAgents: 30, nTimesteps: 1, deltaT: 0.5, initialFractionInfected: 0.3 };
  const params = { beta: 0.8, gamma: 0.4 };

  it('returns the counts of sirModel with a score of shape [n, 2]', () => {
    manualSeed(1);
    const { counts, scores } = sirScores(params, { ...options, nTimesteps: 12 }, 7);
    expect(counts.shape).toEqual([7, 2, 12]);
    expect(scores.shape).toEqual([7, 2]);
    expect(values(scores).every(Number.isFinite)).toBe(true);
    // Counts are multiples of 1/N.
    expect(values(counts).every((c) => Math.abs(c * 30 - Math.round(c * 30)) < 1e-4)).toBe(true);
  });

  it('has a score of mean zero (Monte Carlo, over a 12-step epidemic)', () => {
    manualSeed(2);
    const { scores } = sirScores(params, { ...options, nTimesteps: 12 }, NUM_SAMPLES);
    const s = values(scores);
    for (const j of [0, 1]) {
      const m = moments(s.filter((_, i) => i % 2 === j));
      expect(m.se).toBeGreaterThan(0);
      expectWithinSE(m.mean, 0, m.se, `score ${j}`);
    }
  });

  it('gives the closed-form derivatives of the expected counts of the first step (score-function estimate)', () => {
    // Given I_0 = k ~ Binomial(N, f): E[X_0] = (N - k) p(k), p(k) = 1 - exp(-beta dt k / N), so
    // d E[X_0 / N] / dbeta = sum_k b(k; N, f) (N - k) exp(-beta dt k / N) (dt k / N) / N, and
    // d E[Y_0 / N] / dgamma = f exp(-gamma dt) dt.
    const { nAgents: N, deltaT: dt, initialFractionInfected: f } = options;
    let exactBeta = 0;
    for (let k = 0; k <= N; k++) exactBeta += (binomialPmf(k, N, f) * (N - k) * Math.exp((-params.beta * dt * k) / N) * ((dt * k) / N)) / N;
    const exactGamma = f * Math.exp(-params.gamma * dt) * dt;
    manualSeed(3);
    const { counts, scores } = sirScores(params, options, NUM_SAMPLES);
    const c = values(counts);
    const s = values(scores);
    // Baseline 0: the estimate (X_0 / N) score is unbiased sample by sample.
    const gBeta = moments(Array.from({ length: NUM_SAMPLES }, (_, b) => c[2 * b] * s[2 * b]));
    const gGamma = moments(Array.from({ length: NUM_SAMPLES }, (_, b) => c[2 * b + 1] * s[2 * b + 1]));
    expect(gBeta.se).toBeLessThan(0.1 * exactBeta);
    expect(gGamma.se).toBeLessThan(0.1 * exactGamma);
    expectWithinSE(gBeta.mean, exactBeta, gBeta.se, 'd E[X_0] / dbeta');
    expectWithinSE(gGamma.mean, exactGamma, gGamma.se, 'd E[Y_0] / dgamma');
  });

  it('gives the exact derivatives of the expected fraction ever infected (against the Markov chain)', () => {
    // Exact: autodiff through sirExpectedCounts (the count-level chain); estimate: the mean of
    // (F_b - leave-one-out baseline) score_b with F the sum of the daily infections.
    const chain = { nAgents: 20, nTimesteps: 15, initialFractionInfected: 0.1 };
    const rates = { beta: 0.6, gamma: 0.2 };
    const total = (beta: tf.Tensor, gamma: tf.Tensor) => tf.sum(tf.slice(sirExpectedCounts({ beta, gamma }, chain), [0, 0], [1, -1]));
    const exact = [
      tf.grad((b: tf.Tensor) => total(b, tf.scalar(rates.gamma)))(tf.scalar(rates.beta)).dataSync()[0],
      tf.grad((g: tf.Tensor) => total(tf.scalar(rates.beta), g))(tf.scalar(rates.gamma)).dataSync()[0],
    ];
    manualSeed(4);
    const { counts, scores } = sirScores(rates, chain, NUM_SAMPLES);
    const F = values(tf.sum(tf.slice(counts, [0, 0, 0], [-1, 1, -1]), [1, 2]));
    const sumF = F.reduce((a, b) => a + b, 0);
    const s = values(scores);
    for (const j of [0, 1]) {
      const m = moments(F.map((f, b) => (f - (sumF - f) / (NUM_SAMPLES - 1)) * s[2 * b + j]));
      expect(m.se).toBeLessThan(0.15 * Math.abs(exact[j]));
      expectWithinSE(m.mean, exact[j], m.se, `d E[F] / d rate ${j}`);
    }
  });

  it('does not leak tensors', () => {
    const before = tf.memory().numTensors;
    const { counts, scores } = sirScores(params, options, 5);
    expect(tf.memory().numTensors).toBe(before + 2);
    tf.dispose([counts, scores]);
  });

  it('refuses rates, sample counts and options out of range, naming the argument', () => {
    expect(() => sirScores({ beta: -1, gamma: 0.1 }, options, 5)).toThrow(/sirScores: params.beta must be a finite number >= 0/);
    expect(() => sirScores({ beta: 0.1, gamma: NaN }, options, 5)).toThrow(/sirScores: params.gamma/);
    expect(() => sirScores(params, options, 0)).toThrow(/sirScores: n must be an integer >= 1/);
    expect(() => sirScores(params, { ...options, nAgents: 0 }, 5)).toThrow(/nAgents/);
  });
});
