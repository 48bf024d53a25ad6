/**
 * Exact moments of the straight-through Gumbel-Softmax derivative of a Bernoulli draw.
 *
 * A hard two-class Gumbel-Softmax draw of xi ~ Bernoulli(p), with logits
 * `(log p, log(1 - p))`, returns the exact 0/1 sample in the forward pass and,
 * in the backward pass, the derivative of the soft sample
 *
 *   y = sigmoid((logit p + L) / tau),   L ~ Logistic(0, 1)
 *
 * (L is the difference of the two Gumbel draws). Its straight-through
 * derivative is therefore the random variable
 *
 *   g = d y / d p = sigma'((logit p + L) / tau) / (tau p (1 - p)),
 *
 * where sigma' = sigma (1 - sigma) is also the logistic density. Its mean and
 * variance are one-dimensional integrals, evaluated here by quadrature, so the
 * bias `E[g] - 1` and the spread of the estimator can be read off exactly
 * instead of estimated from samples. As tau falls, `E[g] -> 1` (unbiased:
 * `d E[xi] / d p = 1`) and `Var[g] ~ 1 / (6 tau p (1 - p))` grows without bound.
 */
import { check, checkTemperature } from './check';

/** The mean and variance of a random variable. */
export interface Moments {
  mean: number;
  variance: number;
}

/** One independent straight-through Bernoulli draw in a sum, for {@link straightThroughSumMoments}. */
export interface StraightThroughTerm {
  /** The draw's probability p, in (0, 1). */
  p: number;
  /** The Gumbel-Softmax temperature, finite and > 0. */
  tau: number;
  /** The factor multiplying d xi / d p: (d x / d xi) (d p / d theta). Default 1. */
  scale?: number;
}

/** Grid step of the trapezoidal rule, on the variable in which the narrower feature has width 1. */
const STEP = 0.01;
/** Half-width of the integration range beyond the features: the tails fall like e^-50. */
const MARGIN = 50;

/** The logistic density, sigma'(x) = sigma(x) (1 - sigma(x)), without overflow. */
function logisticDensity(x: number): number {
  const e = Math.exp(-Math.abs(x));
  return e / ((1 + e) * (1 + e));
}

/** The logistic distribution function, sigma(x) = 1 / (1 + e^-x). */
function logisticCdf(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/**
 * The trapezoidal rule for the integral of f over [lo, hi], with about `step`
 * between nodes. For the smooth, fast-decaying integrands here its error falls
 * exponentially with 1 / step.
 */
function trapezoid(f: (x: number) => number, lo: number, hi: number, step: number): number {
  const n = Math.ceil((hi - lo) / step);
  const h = (hi - lo) / n;
  let sum = 0.5 * (f(lo) + f(hi));
  for (let i = 1; i < n; i++) sum += f(lo + i * h);
  return sum * h;
}

/**
 * Returns g as a function of the integration variable, and its density weight.
 *
 * For tau <= 1 the integral runs over s = (logit p + L) / tau, in which g's peak
 * has width 1 and the logistic density of L has width 1 / tau >= 1; for tau > 1
 * it runs over L itself, in which the density has width 1 and g's peak width
 * tau > 1. Either way a fixed step resolves both features.
 */
function integrand(
  p: number,
  tau: number,
): { g: (v: number) => number; weight: (v: number) => number; lo: number; hi: number; outside: number } {
  const logit = Math.log(p) - Math.log1p(-p);
  const q = p * (1 - p);
  if (tau <= 1) {
    // L = tau s - logit, dL = tau ds.
    const reach = Math.abs(logit) + MARGIN;
    return {
      g: (s) => logisticDensity(s) / (tau * q),
      weight: (s) => tau * logisticDensity(tau * s - logit),
      lo: -reach,
      hi: reach,
      outside: logisticCdf(-(tau * reach - logit)) + logisticCdf(-tau * reach - logit),
    };
  }
  return {
    g: (L) => logisticDensity((logit + L) / tau) / (tau * q),
    weight: (L) => logisticDensity(L),
    lo: Math.min(0, -logit) - MARGIN,
    hi: Math.max(0, -logit) + MARGIN,
    outside: logisticCdf(-(Math.max(0, -logit) + MARGIN)) + logisticCdf(Math.min(0, -logit) - MARGIN),
  };
}

/**
 * Computes the exact mean and variance of the straight-through derivative of a Bernoulli draw.
 *
 * For the hard Gumbel-Softmax draw xi ~ Bernoulli(p) at temperature tau, returns
 * the moments of `scale * g`, where
 *
 *   g = d xi / d p = sigma'((logit p + L) / tau) / (tau p (1 - p)),  L ~ Logistic(0, 1),
 *
 * is what autodiff returns for d xi / d p. `E[g] = integral g(L) sigma'(L) dL` and
 * `Var[g] = integral (g - E[g])^2 sigma'(L) dL`, by the trapezoidal rule on a
 * grid that resolves both the logistic density and g's peak at L = -logit p
 * (test/straightThrough.test.ts compares with `scipy.integrate.quad`). The chain rule
 * enters through `scale`: for `x = c * xi` with `p = p(theta)`, pass
 * `scale = c * p'(theta)` to get the moments of the straight-through d x / d theta,
 * whose true (unbiased) value is `c * p'(theta)`.
 *
 * No PyTorch counterpart: it gives the exact mean and variance of the gradient
 * that `torch.nn.functional.gumbel_softmax(logits, tau, hard=True)` returns.
 *
 * @param p The probability of xi = 1, in (0, 1).
 * @param tau The Gumbel-Softmax temperature, finite and > 0.
 * @param scale The factor multiplying d xi / d p, a finite number. Default 1.
 * @returns `{ mean, variance }` of `scale * g`. As tau -> 0, mean -> scale (no bias)
 *   and variance ~ scale^2 / (6 tau p (1 - p)); as tau grows, mean -> 0.
 * @throws If p is not in (0, 1), tau is not a finite number > 0, or scale is not finite.
 * @example
 * straightThroughBernoulliMoments(0.4, 1).mean;     // about 0.683: a bias of -0.317
 * // x = 2 Bern(3 theta) at theta = 0.1: d x / d theta has true value 6
 * straightThroughBernoulliMoments(0.3, 0.5, 6).mean;
 * @see Jang et al. (2017), Categorical reparameterization with Gumbel-Softmax, https://arxiv.org/abs/1611.01144
 */
export function straightThroughBernoulliMoments(p: number, tau: number, scale = 1): Moments {
  const fn = 'straightThroughBernoulliMoments';
  check(typeof p === 'number' && p > 0 && p < 1, fn, 'p', 'in (0, 1)', p);
  checkTemperature(tau, fn);
  check(typeof scale === 'number' && Number.isFinite(scale), fn, 'scale', 'a finite number', scale);
  const { g, weight, lo, hi, outside } = integrand(p, tau);
  const mean = trapezoid((v) => g(v) * weight(v), lo, hi, STEP);
  // Outside the range g is 0 to double precision, so (g - mean)^2 is mean^2 there.
  const variance = trapezoid((v) => (g(v) - mean) ** 2 * weight(v), lo, hi, STEP) + mean * mean * outside;
  return { mean: scale * mean, variance: scale * scale * variance };
}

/**
 * Computes the exact mean and variance of the straight-through derivative of a sum of independent Bernoulli draws.
 *
 * For `x = sum_k c_k xi_k` with independent hard Gumbel-Softmax draws
 * xi_k ~ Bernoulli(p_k(theta)), the straight-through `d x / d theta` is
 * `sum_k scale_k g_k` with `scale_k = c_k p_k'(theta)`, so its mean is the sum of
 * the terms' means and its variance the sum of their variances (each from
 * {@link straightThroughBernoulliMoments}).
 *
 * @param terms One entry `{ p, tau, scale = 1 }` per independent draw; at least one.
 * @returns `{ mean, variance }` of the straight-through derivative of the sum.
 * @throws If terms is empty or not an array, or a term is out of range (as for
 *   {@link straightThroughBernoulliMoments}).
 * @example
 * // x = 2 Bern(3 theta) + Bern(theta) at theta = 0.1, tau = 0.5; true d E[x] / d theta = 7
 * straightThroughSumMoments([{ p: 0.3, tau: 0.5, scale: 6 }, { p: 0.1, tau: 0.5, scale: 1 }]);
 */
export function straightThroughSumMoments(terms: readonly StraightThroughTerm[]): Moments {
  check(Array.isArray(terms) && terms.length > 0, 'straightThroughSumMoments', 'terms', 'a non-empty array of { p, tau, scale }', terms);
  let mean = 0;
  let variance = 0;
  for (const term of terms) {
    check(typeof term === 'object' && term !== null, 'straightThroughSumMoments', 'terms', 'a non-empty array of { p, tau, scale }', term);
    const m = straightThroughBernoulliMoments(term.p, term.tau, term.scale ?? 1);
    mean += m.mean;
    variance += m.variance;
  }
  return { mean, variance };
}
