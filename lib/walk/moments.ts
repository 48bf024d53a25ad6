/**
 * Exact moments of the straight-through gradient of the random walk.
 *
 * A step of the walk is `2 xi - 1` with xi the hard Gumbel-Softmax draw of
 * Bernoulli(theta), so its straight-through derivative is `2 g`, where g is the
 * straight-through derivative of a Bernoulli draw with respect to its
 * probability (see `straightThroughBernoulliMoments`):
 *
 *   d(2 xi - 1)/d theta = 2 y (1 - y) / (tau theta (1 - theta)),  y = sigmoid((logit theta + L) / tau).
 *
 * The steps are independent, so after t steps `E[dx_t/dtheta] = t E[2 g]` and
 * `Var[dx_t/dtheta] = t Var[2 g]`, while the true gradient `dE[x_t]/dtheta` is 2t.
 */
import { check, checkTemperature } from '../check';
import { Moments, straightThroughBernoulliMoments } from '../straightThrough';

/**
 * Computes the mean and variance of one step's straight-through derivative.
 *
 * The special case `scale = 2` of `straightThroughBernoulliMoments(theta, tau, scale)`:
 * one step moves by `2 xi - 1`, so its derivative is twice the draw's.
 *
 * @param theta The probability of a step up, in (0, 1).
 * @param tau The Gumbel-Softmax temperature, finite and > 0.
 * @returns `{ mean, variance }` of one step's derivative, so that `t * mean` is
 *   E[dx_t/dtheta] (the unbiased value is 2) and `t * variance` its variance.
 * @throws If theta is not in (0, 1) or tau is not a finite number > 0.
 * @example
 * straightThroughMoments(0.4, 1.0).mean; // about 1.37, below the unbiased 2
 */
export function straightThroughMoments(theta: number, tau: number): Moments {
  check(typeof theta === 'number' && theta > 0 && theta < 1, 'straightThroughMoments', 'theta', 'in (0, 1)', theta);
  checkTemperature(tau, 'straightThroughMoments');
  return straightThroughBernoulliMoments(theta, tau, 2);
}
