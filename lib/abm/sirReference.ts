/**
 * The agent-based SIR epidemic in its shortest readable form: the model's definition.
 *
 * `sirModel` computes the same epidemic faster (one fused operation, or batched
 * tensor steps); this version is written for reading, one step after the other,
 * with each agent's infection and recovery a straight-through Gumbel-Softmax
 * Bernoulli draw, as the course writes it. The tests check that it draws the same
 * random numbers in the same order as `sirModel`, and so gives the same daily
 * counts and the same straight-through Jacobian.
 */
import * as tf from '@tensorflow/tfjs';
import { gumbelSoftmax } from '../gumbel';
import { check, checkInteger, checkTemperature } from '../check';
import type { SirOptions } from './sir';

/** Checks the arguments of {@link sirReference}. */
function checkArguments(beta: unknown, gamma: unknown, options: SirOptions): void {
  const fn = 'sirReference';
  check(beta instanceof tf.Tensor && beta.rank === 0, fn, 'beta', 'a scalar tensor', beta);
  check(gamma instanceof tf.Tensor && gamma.rank === 0, fn, 'gamma', 'a scalar tensor', gamma);
  check(typeof options === 'object' && options !== null, fn, 'options', 'an object { nAgents, nTimesteps, ... }', options);
  checkInteger(options.nAgents, fn, 'nAgents', 1);
  checkInteger(options.nTimesteps, fn, 'nTimesteps', 1);
  const { deltaT = 1, initialFractionInfected: f = 0.01 } = options;
  check(typeof deltaT === 'number' && Number.isFinite(deltaT) && deltaT > 0, fn, 'deltaT', 'a finite number > 0', deltaT);
  check(typeof f === 'number' && f >= 0 && f <= 1, fn, 'initialFractionInfected', 'in [0, 1]', f);
  checkTemperature(options.tau ?? 0.5, fn);
}

/**
 * Simulates the agent-based SIR epidemic step by step, for reading.
 *
 * At the start `I_i ~ Bernoulli(f)` and `S_i = 1 - I_i`. At each step, with
 * `I = sum_j I_j / N` the fraction infected at its start,
 * `infected_i ~ Bernoulli(S_i (1 - exp(-beta I dt)))` and
 * `recovered_i ~ Bernoulli(I_i (1 - exp(-gamma dt)))`, both probabilities
 * clamped to [1e-8, 1]; then `S -= infected`, `I += infected - recovered`.
 * Each draw is the first class of `gumbelSoftmax(log [p, 1 - p], { tau, hard: true })`:
 * an exact 0/1 value forward, the relaxation's derivative backward
 * (straight-through, biased for every tau > 0).
 *
 * Mirrors the course's PyTorch `sir(beta, gamma, initial_fraction_infected,
 * n_agents, n_timesteps, delta_t, tau)`. Use `sirModel` for work: it takes
 * batches, has a fast engine, and stays finite where a probability reaches 1
 * (here `log(1 - p)` is then -Infinity).
 *
 * @param beta The contact rate, a float32 scalar tensor >= 0.
 * @param gamma The recovery rate, a float32 scalar tensor >= 0.
 * @param options As for `sirModel`: `nAgents`, `nTimesteps`, `deltaT` (default 1),
 *   `initialFractionInfected` (default 0.01), `tau` (default 0.5); `hard` and `engine` are ignored.
 * @returns [2, T]: the new infections (row 0) and recoveries (row 1) per step, as fractions of N.
 * @throws If beta or gamma is not a scalar tensor, nAgents or nTimesteps is not an integer >= 1,
 *   deltaT or tau is not a finite number > 0, or initialFractionInfected is outside [0, 1].
 * @example
 * manualSeed(0);
 * const counts = sirReference(tf.scalar(0.2), tf.scalar(0.05), { nAgents: 100, nTimesteps: 30 });
 * // the same as sirModel({ beta: 0.2, gamma: 0.05 }, { nAgents: 100, nTimesteps: 30 }) after manualSeed(0)
 */
export function sirReference(beta: tf.Scalar, gamma: tf.Scalar, options: SirOptions): tf.Tensor2D {
  checkArguments(beta, gamma, options);
  const { nAgents: N, nTimesteps: T, deltaT: dt = 1, initialFractionInfected: f = 0.01, tau = 0.5 } = options;
  return tf.tidy(() => {
    const draw = (p: tf.Tensor) => {
      const logits = tf.stack([tf.log(p), tf.log(tf.sub(1, p))], 1);
      return tf.unstack(gumbelSoftmax(logits, { tau, hard: true }), 1)[0];
    };
    let I = draw(tf.fill([N], f));
    let S = tf.sub(1, I);
    const infections: tf.Tensor[] = [];
    const recoveries: tf.Tensor[] = [];
    for (let t = 0; t < T; t++) {
      const pInfect = tf.mul(S, tf.sub(1, tf.exp(tf.mul(tf.sum(I), tf.mul(beta, -dt / N)))));
      const pRecover = tf.mul(I, tf.sub(1, tf.exp(tf.mul(gamma, -dt))));
      const infected = draw(tf.clipByValue(pInfect, 1e-8, 1));
      const recovered = draw(tf.clipByValue(pRecover, 1e-8, 1));
      S = tf.sub(S, infected);
      I = tf.add(I, tf.sub(infected, recovered));
      infections.push(tf.div(tf.sum(infected), N));
      recoveries.push(tf.div(tf.sum(recovered), N));
    }
    return tf.stack([tf.stack(infections), tf.stack(recoveries)]) as tf.Tensor2D;
  });
}
