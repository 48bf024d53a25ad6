/**
 * The flip estimator of the derivative of an expectation, written out for reading.
 *
 * `derivativeEstimate` handles any program written with the library's draws, on tensors, in
 * batches; this is the same idea for a program of independent Bernoulli draws, in plain
 * numbers, short enough to read in one go.
 */
import { uniformArray } from './random';
import { check } from './check';

/**
 * Draws one unbiased sample of `d E[f(xi)] / d theta` for independent draws `xi_k ~ Bernoulli(p_k(theta))`.
 *
 * Each draw is `xi_k = 1[u_k < p_k]`. As theta grows by d theta, a 0 flips to 1 with
 * probability `p_k' d theta / (1 - p_k)` (when `p_k' > 0`) and a 1 flips to 0 with probability
 * `-p_k' d theta / p_k` (when `p_k' < 0`): these are the flip rates. The derivative of the
 * expectation is `E[ sum_k rate_k (f(xi with k flipped) - f(xi)) ]`. Keeping one flip, chosen
 * with probability `rate_k / total`, and weighting its jump by `total` keeps that expectation:
 *
 *   estimate = total * (f(xi with k flipped) - f(xi)),  P(k) = rate_k / total.
 *
 * Two runs of f on the same draws, no temperature, no bias (Arya et al. 2022, with the pruning
 * of StochasticAD.jl). f's outputs that depend on theta other than through the draws are not
 * differentiated here (`derivativeEstimate` adds that part by autodiff).
 *
 * @param f The program, from the 0/1 outcomes to a number.
 * @param p The probabilities p_k(theta), each in (0, 1).
 * @param dp Their derivatives p_k'(theta), finite, one per probability.
 * @returns One estimate; its mean over independent calls is `d E[f] / d theta`.
 * @throws If p is empty or has an entry outside (0, 1), or dp does not have one finite number per probability.
 * @example
 * manualSeed(0);
 * // The walk's position after 10 steps up with probability theta = 0.3: d E / d theta = 20.
 * flipEstimateReference((xi) => xi.reduce((x, s) => x + 2 * s - 1, 0), new Array(10).fill(0.3), new Array(10).fill(1));
 * @see Arya, Schauer, Schäfer and Rackauckas (2022), Automatic differentiation of programs with discrete randomness, https://arxiv.org/abs/2210.08572
 */
export function flipEstimateReference(f: (xi: number[]) => number, p: number[], dp: number[]): number {
  checkArguments(f, p, dp);
  const u = Array.from(uniformArray(p.length + 1));
  const xi = p.map((pk, k) => (u[k] < pk ? 1 : 0));
  // The rate at which each draw flips as theta grows: 0 -> 1 at p' / (1 - p), 1 -> 0 at -p' / p.
  const rates = xi.map((x, k) => (x === 0 ? Math.max(dp[k], 0) / (1 - p[k]) : Math.max(-dp[k], 0) / p[k]));
  const total = rates.reduce((a, b) => a + b, 0);
  if (total === 0) return 0;
  // One flip, chosen in proportion to its rate, and its jump weighted by the total rate.
  let pick = u[p.length] * total;
  let k = 0;
  while (k < rates.length - 1 && pick >= rates[k]) pick -= rates[k++];
  const twin = xi.map((x, j) => (j === k ? 1 - x : x));
  return total * (f(twin) - f(xi));
}

/** Checks the arguments of {@link flipEstimateReference}. */
function checkArguments(f: unknown, p: unknown, dp: unknown): void {
  const fn = 'flipEstimateReference';
  check(typeof f === 'function', fn, 'f', 'a function from 0/1 outcomes to a number', f);
  check(Array.isArray(p) && p.length > 0 && p.every((v) => typeof v === 'number' && v > 0 && v < 1), fn, 'p', 'a non-empty array of probabilities in (0, 1)', p);
  check(
    Array.isArray(dp) && dp.length === (p as number[]).length && dp.every((v) => typeof v === 'number' && Number.isFinite(v)),
    fn,
    'dp',
    `an array of ${(p as number[]).length} finite numbers (one per probability)`,
    dp,
  );
}
