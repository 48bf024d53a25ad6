/**
 * Exact moments of the straight-through gradient of the random walk.
 *
 * With two classes, the soft Gumbel-Softmax sample of one step is
 * `y = sigmoid((logit theta + L) / tau)` with L ~ Logistic(0, 1) (the difference
 * of two Gumbel draws), and the step's straight-through derivative is
 *
 *   g = d(2 xi - 1)/d theta = 2 y (1 - y) / (tau theta (1 - theta)).
 *
 * The steps are independent, so after t steps `E[dx_t/dtheta] = t E[g]` and
 * `Var[dx_t/dtheta] = t Var[g]`, while the true gradient `dE[x_t]/dtheta` is 2t.
 */
import { check, checkTemperature } from '../check';

/** Midpoints per unit of the probability scale; the peak has width ~tau theta (1 - theta). */
const NODES = 400_000;

/**
 * Computes the mean and variance of one step's straight-through derivative.
 *
 * Integrates over the logistic variable on its probability scale,
 * `L = log(u / (1 - u))`, u ~ U(0, 1), so that `E[h(L)] = integral_0^1 h(L(u)) du`,
 * with the midpoint rule.
 *
 * @param theta The probability of a step up, in (0, 1).
 * @param tau The Gumbel-Softmax temperature, finite and > 0.
 * @returns `{ mean, variance }` of g, so that `t * mean` is E[dx_t/dtheta].
 * @throws If theta is not in (0, 1) or tau is not a finite number > 0.
 * @example
 * straightThroughMoments(0.4, 1.0).mean; // about 1.37, below the unbiased 2
 */
export function straightThroughMoments(theta: number, tau: number): { mean: number; variance: number } {
  check(typeof theta === 'number' && theta > 0 && theta < 1, 'straightThroughMoments', 'theta', 'in (0, 1)', theta);
  checkTemperature(tau, 'straightThroughMoments');
  const logit = Math.log(theta / (1 - theta));
  const scale = tau * theta * (1 - theta);
  const nodes = Math.max(NODES, Math.ceil(NODES / (tau * 10)));
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < nodes; i++) {
    const u = (i + 0.5) / nodes;
    const y = 1 / (1 + Math.exp(-(logit + Math.log(u / (1 - u))) / tau));
    const g = (2 * y * (1 - y)) / scale;
    s1 += g;
    s2 += g * g;
  }
  const mean = s1 / nodes;
  return { mean, variance: s2 / nodes - mean * mean };
}
