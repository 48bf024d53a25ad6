/**
 * Exact expectations of the course's random walk, and their derivatives in theta.
 *
 * With T positions x_0 = 0, ..., x_{T-1} and steps +1 with probability theta,
 * `x_t = 2 K_t - t` with `K_t ~ Binomial(t, theta)` the number of steps up. So
 * `E[x_t] = t (2 theta - 1)`, `d E[x_t] / d theta = 2t`, and
 * `P(x_t > 0) = P(K_t >= m)`, `m = floor(t / 2) + 1`, a binomial tail whose derivative is
 * `d/dtheta P(K_t >= m) = t b(m - 1; t - 1, theta)` (b the binomial pmf). These are the
 * references an estimator of the walk's derivative is compared with.
 */
import { check, checkInteger } from '../check';
import { logFactorial } from '../distributions/binomial';

function checkTheta(theta: number, fn: string): void {
  check(typeof theta === 'number' && theta >= 0 && theta <= 1, fn, 'theta', 'in [0, 1]', theta);
}

/** The binomial pmf b(k; n, p) in float64. */
function binomialPmf(k: number, n: number, p: number): number {
  if (k < 0 || k > n) return 0;
  if (p === 0) return k === 0 ? 1 : 0;
  if (p === 1) return k === n ? 1 : 0;
  return Math.exp(logFactorial(n) - logFactorial(k) - logFactorial(n - k) + k * Math.log(p) + (n - k) * Math.log1p(-p));
}

/**
 * Computes the exact mean position of the walk at each time, `E[x_t] = t (2 theta - 1)`.
 *
 * @param theta The probability of a step up, in [0, 1].
 * @param nTimesteps The number of positions T >= 1 (t = 0..T-1), as in `randomWalk`.
 * @returns T numbers.
 * @throws If theta is outside [0, 1] or T is not a positive integer.
 */
export function walkMean(theta: number, nTimesteps: number): number[] {
  checkTheta(theta, 'walkMean');
  checkInteger(nTimesteps, 'walkMean', 'nTimesteps', 1);
  return Array.from({ length: nTimesteps }, (_, t) => t * (2 * theta - 1));
}

/**
 * Computes the exact derivative of the mean position, `d E[x_t] / d theta = 2t`.
 *
 * @param nTimesteps The number of positions T >= 1.
 * @returns T numbers, `[0, 2, 4, ...]`.
 */
export function walkMeanDerivative(nTimesteps: number): number[] {
  checkInteger(nTimesteps, 'walkMeanDerivative', 'nTimesteps', 1);
  return Array.from({ length: nTimesteps }, (_, t) => 2 * t);
}

/**
 * Computes the probability that the walk is above 0 at time t, `P(x_t > 0) = P(K_t >= floor(t/2) + 1)`.
 *
 * @param theta The probability of a step up, in [0, 1].
 * @param t The time, an integer >= 0.
 * @returns A probability (float64).
 */
export function walkProbabilityPositive(theta: number, t: number): number {
  checkTheta(theta, 'walkProbabilityPositive');
  checkInteger(t, 'walkProbabilityPositive', 't', 0);
  let sum = 0;
  for (let k = Math.floor(t / 2) + 1; k <= t; k++) sum += binomialPmf(k, t, theta);
  return sum;
}

/**
 * Computes the exact derivative `d P(x_t > 0) / d theta = t b(m - 1; t - 1, theta)`, `m = floor(t/2) + 1`.
 *
 * A straight-through estimate of this derivative is no help (the indicator x_t > 0 has zero
 * gradient almost everywhere), while `derivativeEstimate` of `x_t > 0` is unbiased.
 *
 * @param theta The probability of a step up, in [0, 1].
 * @param t The time, an integer >= 0 (0 gives 0).
 * @returns The derivative (float64).
 */
export function walkProbabilityPositiveDerivative(theta: number, t: number): number {
  checkTheta(theta, 'walkProbabilityPositiveDerivative');
  checkInteger(t, 'walkProbabilityPositiveDerivative', 't', 0);
  if (t === 0) return 0;
  return t * binomialPmf(Math.floor(t / 2), t - 1, theta);
}
