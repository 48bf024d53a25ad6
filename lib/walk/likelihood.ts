/**
 * The likelihood of the random walk, and the conjugate posterior it gives.
 *
 * A walk of T positions has T - 1 independent steps, each up with probability
 * theta, so only the counts of ups U and downs D matter:
 * `p(x | theta) = theta^U (1 - theta)^D`. With a Beta(a, b) prior, the posterior
 * is Beta(a + U, b + D) (Beta-Bernoulli conjugacy): the exact answer that
 * variational inference on the walk can be measured against.
 */
import * as tf from '@tensorflow/tfjs';
import { check, toFloat } from '../check';

/** The numbers of up and down steps of a walk. */
export interface StepCounts {
  ups: number;
  downs: number;
}

/**
 * Counts the up and down steps of a walk.
 *
 * `U = #{t : x_{t+1} - x_t = +1}`, `D = #{t : x_{t+1} - x_t = -1}`, U + D = T - 1.
 * Reads the values (not differentiable).
 *
 * @param path Positions of one walk, shape [T], T >= 1, steps of exactly +-1.
 * @returns `{ ups, downs }`.
 * @throws If path is not 1-D, or a step is not +1 or -1 (NaN included).
 * @example
 * countSteps([0, 1, 0, 1, 2]); // { ups: 3, downs: 1 }
 */
export function countSteps(path: tf.Tensor | tf.TensorLike): StepCounts {
  const $path = toFloat(path, 'countSteps', 'path');
  try {
    check($path.rank === 1 && $path.size >= 1, 'countSteps', 'path', 'a 1-D tensor of at least one position', $path);
    const x = $path.dataSync();
    let ups = 0;
    for (let t = 1; t < x.length; t++) {
      const step = x[t] - x[t - 1];
      check(step === 1 || step === -1, 'countSteps', 'path', 'a walk with steps of +1 or -1', `a step of ${step} at index ${t}`);
      if (step === 1) ups++;
    }
    return { ups, downs: x.length - 1 - ups };
  } finally {
    if ($path !== path) $path.dispose();
  }
}

/**
 * Computes the log-likelihood of an observed walk at one or more values of theta.
 *
 * `log p(x | theta) = U log(theta) + D log(1 - theta)`,
 * with U, D the counts of {@link countSteps}; a term with a zero count is 0
 * (so theta = 0 with no ups gives 0, not NaN).
 *
 * Gradient: `U / theta - D / (1 - theta)`, exact, by autodiff.
 *
 * Mirrors `torch.distributions.Bernoulli(theta).log_prob(steps).sum()`.
 *
 * @param theta Probabilities of a step up, in [0, 1]: a number, a scalar or a 1-D tensor [S].
 * @param path The observed walk, shape [T] (or its {@link StepCounts}).
 * @returns A float32 tensor with the shape of theta; -Infinity where a count is
 *   positive and its probability is 0.
 * @throws If theta has rank > 1, or path is not a walk (see {@link countSteps}).
 * @example
 * walkLogLikelihood(tf.tensor1d([0.2, 0.5]), [0, 1, 0, 1, 2]); // [3 log .2 + log .8, 4 log .5]
 */
export function walkLogLikelihood(theta: tf.Tensor | tf.TensorLike, path: tf.Tensor | tf.TensorLike | StepCounts): tf.Tensor {
  const counts = isCounts(path) ? checkCounts(path, 'walkLogLikelihood') : countSteps(path);
  return tf.tidy(() => {
    const p = toFloat(theta, 'walkLogLikelihood', 'theta');
    check(p.rank <= 1, 'walkLogLikelihood', 'theta', 'a number, a scalar or a 1-D tensor', p);
    let out: tf.Tensor = tf.zerosLike(p);
    if (counts.ups > 0) out = tf.add(out, tf.mul(counts.ups, tf.log(p)));
    if (counts.downs > 0) out = tf.add(out, tf.mul(counts.downs, tf.log1p(tf.neg(p))));
    return out;
  });
}

/** True for a `{ ups, downs }` object. */
function isCounts(x: unknown): x is StepCounts {
  return typeof x === 'object' && x !== null && !(x instanceof tf.Tensor) && !Array.isArray(x) && 'ups' in x;
}

/** Checks that step counts are non-negative integers. */
function checkCounts(counts: StepCounts, fn: string): StepCounts {
  const ok = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 0;
  check(ok(counts.ups), fn, 'path.ups', 'an integer >= 0', counts.ups);
  check(ok(counts.downs), fn, 'path.downs', 'an integer >= 0', counts.downs);
  return counts;
}

/**
 * Gives the exact posterior of theta for an observed walk under a Beta prior.
 *
 * `theta | x ~ Beta(a + U, b + D)` for the prior Beta(a, b) (conjugacy).
 *
 * @param path The observed walk, shape [T] (or its {@link StepCounts}).
 * @param prior The prior's `[a, b]`, both finite and > 0. Default `[2, 2]`.
 * @returns `{ alpha, beta }`, the posterior's parameters.
 * @throws If the prior is invalid or path is not a walk.
 * @example
 * betaPosterior([0, 1, 0, 1, 2]); // { alpha: 5, beta: 3 }
 * @see Gelman et al., Bayesian Data Analysis (3rd ed.), section 2.4.
 */
export function betaPosterior(
  path: tf.Tensor | tf.TensorLike | StepCounts,
  prior: [number, number] = [2, 2],
): { alpha: number; beta: number } {
  check(
    Array.isArray(prior) && prior.length === 2 && prior.every((v) => typeof v === 'number' && Number.isFinite(v) && v > 0),
    'betaPosterior',
    'prior',
    '[a, b] with finite a, b > 0',
    prior,
  );
  const counts = isCounts(path) ? checkCounts(path, 'betaPosterior') : countSteps(path);
  return { alpha: prior[0] + counts.ups, beta: prior[1] + counts.downs };
}
