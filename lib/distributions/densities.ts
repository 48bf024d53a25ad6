/**
 * Densities on (0, 1) and distances between them, in plain float64 JavaScript.
 *
 * These evaluate results rather than train them: the Beta density of an exact
 * posterior, the logit-normal density of a variational fit, and distances
 * between two densities by quadrature on a grid. Nothing here is a tensor, so
 * nothing is differentiable, and the float64 arithmetic makes the numbers good
 * references for float32 code.
 */
import { check, checkInteger } from '../check';
import { digamma, logBeta } from './special';

const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/** Checks Beta parameters. */
function checkShape(fn: string, name: string, v: number): void {
  check(typeof v === 'number' && Number.isFinite(v) && v > 0, fn, name, 'a finite number > 0', v);
}

/**
 * Evaluates the Beta(a, b) density.
 *
 * `p(x) = x^(a-1) (1 - x)^(b-1) / B(a, b)` for x in (0, 1), and 0 outside [0, 1].
 * Mirrors `torch.distributions.Beta(a, b).log_prob(x).exp()`.
 *
 * @param x A number.
 * @param a First shape, finite and > 0.
 * @param b Second shape, finite and > 0.
 * @returns The density at x (Infinity at an end where the exponent is negative).
 * @throws If a or b is not a finite number > 0.
 * @example
 * betaPdf(0.5, 2, 2); // 1.5
 */
export function betaPdf(x: number, a: number, b: number): number {
  checkShape('betaPdf', 'a', a);
  checkShape('betaPdf', 'b', b);
  if (Number.isNaN(x)) return NaN;
  if (x < 0 || x > 1) return 0;
  const logp = (a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x) - logBeta(a, b);
  // At the ends, 0 * log 0 is taken as 0 (a = 1 or b = 1).
  if (Number.isNaN(logp)) return Math.exp(-logBeta(a, b));
  return Math.exp(logp);
}

/**
 * Evaluates the logit-normal density: theta = sigmoid(z), z ~ N(mu, sigma^2).
 *
 * `p(x) = N(logit x; mu, sigma^2) / (x (1 - x))` for x in (0, 1), 0 elsewhere.
 *
 * @param x A number.
 * @param mu The mean of logit theta, finite.
 * @param sigma The standard deviation of logit theta, finite and > 0.
 * @returns The density at x.
 * @throws If mu is not finite or sigma is not a finite number > 0.
 * @example
 * logitNormalPdf(0.5, 0, 1); // 4 / sqrt(2 pi)
 */
export function logitNormalPdf(x: number, mu: number, sigma: number): number {
  check(typeof mu === 'number' && Number.isFinite(mu), 'logitNormalPdf', 'mu', 'a finite number', mu);
  checkShape('logitNormalPdf', 'sigma', sigma);
  if (Number.isNaN(x)) return NaN;
  if (!(x > 0 && x < 1)) return 0;
  const z = (Math.log(x) - Math.log1p(-x) - mu) / sigma;
  return Math.exp(-0.5 * z * z - HALF_LOG_TWO_PI - Math.log(sigma)) / (x * (1 - x));
}

/**
 * Computes KL(Beta(a1, b1) || Beta(a2, b2)) in closed form.
 *
 * `KL = log B(a2, b2) - log B(a1, b1) + (a1 - a2) psi(a1) + (b1 - b2) psi(b1) + (a2 - a1 + b2 - b1) psi(a1 + b1)`.
 * Mirrors `torch.distributions.kl_divergence(Beta(a1, b1), Beta(a2, b2))`.
 *
 * @returns A number >= 0, zero when the two are equal.
 * @throws If a shape is not a finite number > 0.
 * @example
 * klBeta(2, 2, 2, 2); // 0
 */
export function klBeta(a1: number, b1: number, a2: number, b2: number): number {
  checkShape('klBeta', 'a1', a1);
  checkShape('klBeta', 'b1', b1);
  checkShape('klBeta', 'a2', a2);
  checkShape('klBeta', 'b2', b2);
  return (
    logBeta(a2, b2) -
    logBeta(a1, b1) +
    (a1 - a2) * digamma(a1) +
    (b1 - b2) * digamma(b1) +
    (a2 - a1 + b2 - b1) * digamma(a1 + b1)
  );
}

/**
 * Returns the midpoints of n equal cells of (0, 1): `x_i = (i + 1/2) / n`.
 *
 * The midpoint rule on this grid, `integral f ~ sum_i f(x_i) / n`, never
 * evaluates a density at 0 or 1.
 *
 * @param n The number of points, an integer >= 1. Default 2000.
 * @returns An array of n increasing numbers in (0, 1).
 * @throws If n is not an integer >= 1.
 */
export function unitGrid(n = 2000): number[] {
  checkInteger(n, 'unitGrid', 'n', 1);
  return Array.from({ length: n }, (_, i) => (i + 0.5) / n);
}

/** Integrates f over (0, 1) with the midpoint rule on n cells. */
function integrate(f: (x: number) => number, n: number): number {
  let sum = 0;
  for (const x of unitGrid(n)) sum += f(x);
  return sum / n;
}

/** Checks the arguments of a distance between densities. */
function checkDensities(fn: string, p: unknown, q: unknown, n: unknown): void {
  check(typeof p === 'function', fn, 'p', 'a function of x in (0, 1)', typeof p);
  check(typeof q === 'function', fn, 'q', 'a function of x in (0, 1)', typeof q);
  checkInteger(n, fn, 'nGrid', 2);
}

/**
 * Computes the Hellinger distance between two densities on (0, 1) by quadrature.
 *
 * `H(p, q) = sqrt(1/2 integral (sqrt p - sqrt q)^2 dx)`, in [0, 1]; 0 for equal
 * densities, 1 for disjoint ones. Midpoint rule on {@link unitGrid}.
 *
 * @param p A density on (0, 1), as a function of a number.
 * @param q Another density on (0, 1).
 * @param nGrid The number of grid cells, >= 2. Default 2000.
 * @returns A number in [0, 1] (up to quadrature error).
 * @throws If p or q is not a function, or nGrid is not an integer >= 2.
 * @example
 * hellingerDistance((x) => betaPdf(x, 32, 72), (x) => logitNormalPdf(x, mu, sigma));
 */
export function hellingerDistance(p: (x: number) => number, q: (x: number) => number, nGrid = 2000): number {
  checkDensities('hellingerDistance', p, q, nGrid);
  const h2 = 0.5 * integrate((x) => (Math.sqrt(p(x)) - Math.sqrt(q(x))) ** 2, nGrid);
  return Math.sqrt(Math.min(1, Math.max(0, h2)));
}

/**
 * Computes the total variation distance between two densities on (0, 1) by quadrature.
 *
 * `TV(p, q) = 1/2 integral |p - q| dx`, in [0, 1]. Midpoint rule on {@link unitGrid}.
 *
 * @param p A density on (0, 1).
 * @param q Another density on (0, 1).
 * @param nGrid The number of grid cells, >= 2. Default 2000.
 * @returns A number in [0, 1] (up to quadrature error).
 * @throws As {@link hellingerDistance}.
 */
export function totalVariation(p: (x: number) => number, q: (x: number) => number, nGrid = 2000): number {
  checkDensities('totalVariation', p, q, nGrid);
  return 0.5 * integrate((x) => Math.abs(p(x) - q(x)), nGrid);
}

/**
 * Computes the Kullback-Leibler divergence KL(p || q) between densities on (0, 1) by quadrature.
 *
 * `KL(p || q) = integral p log(p / q) dx`, with `0 log 0 = 0`. Midpoint rule on
 * {@link unitGrid}; Infinity where p > 0 and q = 0.
 *
 * @param p A density on (0, 1).
 * @param q Another density on (0, 1).
 * @param nGrid The number of grid cells, >= 2. Default 2000.
 * @returns A number >= 0 (up to quadrature error).
 * @throws As {@link hellingerDistance}.
 * @example
 * klDivergence((x) => betaPdf(x, 3, 5), (x) => betaPdf(x, 2, 2)); // ~ klBeta(3, 5, 2, 2)
 */
export function klDivergence(p: (x: number) => number, q: (x: number) => number, nGrid = 2000): number {
  checkDensities('klDivergence', p, q, nGrid);
  return integrate((x) => {
    const px = p(x);
    return px > 0 ? px * (Math.log(px) - Math.log(q(x))) : 0;
  }, nGrid);
}
