/**
 * The score of the agent-based SIR epidemic: the gradient of the log-probability of its draws.
 *
 * Given the state at the start of step t (S_t susceptible and I_t infected agents out of N),
 * the new infections X_t and recoveries Y_t of `sirModel` are independent binomial counts,
 * `X_t ~ Binomial(S_t, p_t)` with `p_t = 1 - exp(-beta dt I_t / N)` and
 * `Y_t ~ Binomial(I_t, q)` with `q = 1 - exp(-gamma dt)`; the initial infections do not
 * depend on (beta, gamma). The log-probability of one epidemic's draws is therefore, up to
 * terms free of the rates,
 *
 *   log p = sum_t X_t log p_t + (S_t - X_t) log(1 - p_t) + Y_t log q + (I_t - Y_t) log(1 - q),
 *
 * and, with `dp_t / dbeta = (1 - p_t) dt I_t / N` and `dq / dgamma = (1 - q) dt`, its gradient
 * (the score) is
 *
 *   d log p / dbeta  = sum_t (dt I_t / N) (X_t (1 - p_t) / p_t - (S_t - X_t)),
 *   d log p / dgamma = sum_t dt (Y_t (1 - q) / q - (I_t - Y_t)).
 *
 * The score-function estimator of `d E[F] / d(beta, gamma)` for any output F of the counts is
 * then the mean of `(F_b - baseline) score_b` over independent epidemics b.
 */
import * as tf from '@tensorflow/tfjs';
import { check, checkInteger } from '../check';
import { sirTrajectory, SirOptions } from './sir';

/** The model's clamp: a draw's probability is at least this (so a step with p_t below it has no score term). */
const MIN_PROBABILITY = 1e-8;

/** The result of {@link sirScores}. */
export interface SirScores {
  /** The daily new infections and recoveries of each epidemic, as fractions of N: [n, 2, T]. */
  counts: tf.Tensor3D;
  /** The score of each epidemic's draws, `[d log p / dbeta, d log p / dgamma]`: [n, 2]. */
  scores: tf.Tensor2D;
}

/**
 * Simulates n independent epidemics and returns their counts with the score of their draws.
 *
 * The score of epidemic b is `d log p(draws_b | beta, gamma) / d(beta, gamma)` (module notes),
 * computed in float64 from the epidemic's own counts and its initial number of infected agents.
 * Its mean over epidemics is zero, and `mean_b (F_b - baseline) score_b` estimates
 * `d E[F] / d(beta, gamma)` without bias for any F of the counts and any baseline that does not
 * depend on epidemic b (the score-function, or REINFORCE, estimator). The draws are those of
 * `sirModel` with the same options, as exact 0/1 outcomes (tau plays no part).
 *
 * Like the course's model, `sirModel` draws an agent that is not susceptible (or not infected)
 * with probability 1e-8 per step; the score leaves those draws out (their probability does
 * not depend on the rates, unless such a draw comes out 1, which a run of N = 1000 agents
 * over 60 steps sees with probability about 1e-3).
 *
 * Mirrors `dist.log_prob(sample).sum().backward()` on the draws of a PyTorch simulation, with
 * the derivative written out.
 *
 * @param params `beta` and `gamma`, finite numbers >= 0.
 * @param options As for `sirModel` (`nAgents`, `nTimesteps`, `deltaT`, `initialFractionInfected`).
 * @param n The number of epidemics, an integer >= 1.
 * @returns `{ counts: [n, 2, T], scores: [n, 2] }`, float32.
 * @throws If a rate is not a finite number >= 0, n is not a positive integer, or an option is out of range.
 * @example
 * manualSeed(0);
 * const { counts, scores } = sirScores({ beta: 0.2, gamma: 0.05 }, { nAgents: 50, nTimesteps: 60 }, 1000);
 * const total = tf.sum(counts.slice([0, 0, 0], [-1, 1, -1]), [1, 2]);  // [1000]: fraction ever infected
 * const g = tf.mean(tf.mul(tf.expandDims(tf.sub(total, tf.mean(total)), 1), scores), 0);  // about d E[total] / d(beta, gamma)
 */
export function sirScores(params: { beta: number; gamma: number }, options: SirOptions, n: number): SirScores {
  const fn = 'sirScores';
  check(typeof params === 'object' && params !== null, fn, 'params', 'an object { beta, gamma }', params);
  for (const name of ['beta', 'gamma'] as const) {
    const v = params[name];
    check(typeof v === 'number' && Number.isFinite(v) && v >= 0, fn, `params.${name}`, 'a finite number >= 0', v);
  }
  checkInteger(n, fn, 'n', 1);
  const { beta, gamma } = params;
  const rates = { beta: tf.fill([n], beta), gamma: tf.fill([n], gamma) };
  const run = sirTrajectory(rates, { ...options, hard: true });
  tf.dispose([rates.beta, rates.gamma]);
  const { nAgents: N, nTimesteps: T, deltaT: dt = 1 } = options;
  const counts = run.counts.dataSync();
  const finalSusceptible = tf.tidy(() => tf.sum(run.S, 1).dataSync());
  tf.dispose([run.S, run.I, run.R]);
  const q = 1 - Math.exp(-gamma * dt);
  const scores = new Float32Array(2 * n);
  for (let b = 0; b < n; b++) {
    const X = Array.from({ length: T }, (_, t) => Math.round(counts[(2 * b) * T + t] * N));
    const Y = Array.from({ length: T }, (_, t) => Math.round(counts[(2 * b + 1) * T + t] * N));
    // S_0 = S_T + all infections; I_0 = N - S_0 (R_0 = 0).
    let S = finalSusceptible[b] + X.reduce((a, c) => a + c, 0);
    let I = N - S;
    let dBeta = 0;
    let dGamma = 0;
    for (let t = 0; t < T; t++) {
      const p = 1 - Math.exp((-beta * dt * I) / N);
      if (p >= MIN_PROBABILITY && S > 0) dBeta += ((dt * I) / N) * ((X[t] * (1 - p)) / p - (S - X[t]));
      if (q >= MIN_PROBABILITY && I > 0) dGamma += dt * ((Y[t] * (1 - q)) / q - (I - Y[t]));
      S -= X[t];
      I += X[t] - Y[t];
    }
    scores[2 * b] = dBeta;
    scores[2 * b + 1] = dGamma;
  }
  return { counts: run.counts, scores: tf.tensor2d(scores, [n, 2]) };
}
