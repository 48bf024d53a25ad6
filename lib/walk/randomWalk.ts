/**
 * The one-dimensional random walk of the course, in two versions.
 *
 *   x_0 = 0,  x_{t+1} = x_t + (+1 if xi_t = 1, -1 if xi_t = 0),  xi_t ~ Bern(theta)
 *
 * `randomWalkNaive` draws each step and branches on it, like the first program
 * of the course; autodiff sees no path from theta to the positions. `randomWalk`
 * draws each step with a straight-through Gumbel-Softmax and replaces the
 * branch by a mask, so gradients reach theta.
 */
import * as tf from '@tensorflow/tfjs';
import { gumbelSoftmax } from '../gumbel';
import { bernoulli } from '../random';
import { check, checkInteger, checkProbabilities, checkTemperature, toFloat } from '../check';
import { FLOAT32_TINY } from '../float32';


/**
 * `log(p)` whose gradient, `1 / p`, is taken at `max(p, tiny)`: finite at p = 0.
 * At p = 0 the walk never uses the class, its gradient is exactly 0, and the
 * product stays 0 instead of `0 * Infinity = NaN`.
 * @internal Shared with `walkJacobian`, which must take the same steps.
 */
export const logProbability = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [p, save] = args as [tf.Tensor, tf.GradSaveFunc];
  save([p]);
  return {
    value: tf.log(p),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.div(dy, tf.maximum(saved[0], FLOAT32_TINY)),
  };
});

/** Converts and checks theta: a scalar or a 1-D batch of probabilities. */
function toTheta(theta: tf.Tensor | number | number[], fn: string): tf.Tensor {
  const p = toFloat(theta, fn, 'theta');
  check(p.rank <= 1, fn, 'theta', 'a number, a scalar or a 1-D tensor', p);
  checkProbabilities(p, fn, 'theta');
  return p;
}

/**
 * Simulates the random walk with a Bernoulli draw and an `if` per step.
 *
 * `x_0 = 0`, `x_{t+1} = x_t + 1` if `xi_t = 1` else `x_t - 1`, `xi_t ~ Bern(theta)`.
 * Each step reads its draw back to JavaScript and branches on it, so the
 * positions are built from constants: the Jacobian with respect to theta is
 * all zeros. This is the course's first, non-differentiable program.
 * Mirrors the course's first PyTorch `random_walk`.
 *
 * @param theta The probability of a step up, in [0, 1] (number or scalar tensor).
 * @param nTimesteps The number of positions T >= 1, including x_0.
 * @returns A float32 tensor of shape [T] with x_0 = 0 and steps of +-1.
 * @throws If theta is outside [0, 1] or NaN, or nTimesteps is not a positive integer.
 */
export function randomWalkNaive(theta: tf.Tensor | number, nTimesteps: number): tf.Tensor1D {
  checkInteger(nTimesteps, 'randomWalkNaive', 'nTimesteps', 1);
  return tf.tidy(() => {
    const p = toTheta(theta, 'randomWalkNaive');
    check(p.rank === 0, 'randomWalkNaive', 'theta', 'a number or a scalar tensor', p);
    let x: tf.Tensor1D = tf.tensor1d([0]);
    for (let i = 0; i < nTimesteps - 1; i++) {
      const xi = bernoulli(p).dataSync()[0];
      const last = x.slice(i, 1);
      const nextX = xi === 1 ? last.add(1) : last.sub(1);
      x = tf.concat([x, nextX]) as tf.Tensor1D;
    }
    return x;
  });
}

/**
 * Simulates the random walk with straight-through Gumbel-Softmax steps and masking.
 *
 * Each step draws `xi_t = gumbel_softmax([log theta, log(1 - theta)], tau, hard)[0]`
 * and moves by `xi_t * (+1) + (1 - xi_t) * (-1) = 2 xi_t - 1`: the mask picks the
 * branch without an `if`. The forward path is an exact Bernoulli(theta) walk, the
 * same distribution as {@link randomWalkNaive}; the gradient is the soft
 * sample's. With `y = sigmoid((logit theta + L) / tau)`, L ~ Logistic(0, 1) (the
 * difference of the two Gumbel draws), `d xi_t / d theta = y (1 - y) / (tau theta (1 - theta))`,
 * so each step `2 xi_t - 1` adds `2 y (1 - y) / (tau theta (1 - theta))` to
 * `d x_t / d theta`. Its mean is biased for tau > 0 (the exact `d E[x_t] / d theta`
 * is 2t) and its variance grows as tau falls. All steps are drawn at once and
 * summed with a cumulative sum. For the Jacobian of a long walk without a tape
 * of every step, see `walkJacobian` (the same draws, a chunk at a time).
 * Mirrors the course's second PyTorch `random_walk(theta, n_timesteps, tau)`.
 *
 * At theta = 0 or 1 the walk is deterministic (always down, or always up), and
 * the straight-through gradient is exactly 0: the soft sample is saturated.
 *
 * @param theta The probability of a step up, in [0, 1]: a number, a scalar, or a
 *   1-D tensor of B values for B independent walks.
 * @param nTimesteps The number of positions T >= 1, including x_0.
 * @param tau The Gumbel-Softmax temperature, finite and > 0. Default 0.1.
 * @returns A float32 tensor of shape [T] (or [B, T] for a batch), x_0 = 0.
 * @throws If theta is outside [0, 1] or NaN, nTimesteps is not a positive
 *   integer, or tau is not a finite number > 0.
 * @example
 * const dx = jacobian((th) => randomWalk(th, 100, 1.0), tf.scalar(0.4)); // [100]
 */
export function randomWalk(theta: tf.Tensor | number | number[], nTimesteps: number, tau = 0.1): tf.Tensor {
  checkInteger(nTimesteps, 'randomWalk', 'nTimesteps', 1);
  checkTemperature(tau, 'randomWalk');
  return tf.tidy(() => {
    const p = toTheta(theta, 'randomWalk');
    if (nTimesteps === 1) return tf.zeros([...p.shape, 1]);
    const logits = tf.stack([logProbability(p), logProbability(tf.sub(1, p))], -1);
    const perStep = tf.broadcastTo(tf.expandDims(logits, -2), [...p.shape, nTimesteps - 1, 2]);
    const xi = tf.unstack(gumbelSoftmax(perStep, { tau, hard: true }), p.rank + 1)[0];
    const step = tf.sub(tf.mul(xi, 2), 1);
    const start = tf.zeros([...p.shape, 1]);
    return tf.concat([start, tf.cumsum(step, p.rank)], p.rank);
  });
}
