/**
 * Generalised variational inference over several real parameters, with a
 * diagonal Gaussian family.
 *
 * The posterior over a parameter vector z in R^d (on an unconstrained scale,
 * e.g. log rates) is approximated by q = N(mu, diag(sigma^2)), fitted by
 * minimising `E_q[loss(z)] + w KL(q || prior)` with a Gaussian prior. Samples
 * are reparameterised, `z = mu + sigma * eps`, so the gradient of a loss that
 * runs a differentiable simulator reaches mu and sigma by autodiff: a
 * posterior without a likelihood, with pathwise gradients.
 */
import * as tf from '@tensorflow/tfjs';
import { randn } from '../random';
import { check, checkInteger, checkVector } from '../check';
import { averageOfLastEpochs, calibrate, CalibrateOptions, CalibrationResult } from './optimize';

/** A loss of each sample: z [S, d] to losses [S]. */
export type VectorLoss = (z: tf.Tensor2D) => tf.Tensor1D;

/** A diagonal Gaussian: means and standard deviations, one per dimension. */
export interface DiagonalGaussian {
  mu: number[];
  sigma: number[];
}

/** Options of {@link gaussianVariationalObjective}. */
export interface GaussianObjectiveOptions {
  /** The prior N(mu, diag(sigma^2)); its length sets d. */
  prior: DiagonalGaussian;
  /** The weight w >= 0 of the KL term. Default 1. */
  weight?: number;
  /** The number S >= 1 of samples of z per evaluation. Default 8. */
  nSamples?: number;
}

const FN_OBJECTIVE = 'gaussianVariationalObjective';

/** Checks a diagonal Gaussian: equal lengths, finite means, positive finite sigmas. */
function checkGaussian(g: unknown, fn: string, arg: string, d?: number): asserts g is DiagonalGaussian {
  const v = g as Partial<DiagonalGaussian> | null;
  const ok =
    typeof v === 'object' &&
    v !== null &&
    Array.isArray(v.mu) &&
    Array.isArray(v.sigma) &&
    v.mu.length >= 1 &&
    v.mu.length === v.sigma.length &&
    (d === undefined || v.mu.length === d) &&
    v.mu.every((m) => typeof m === 'number' && Number.isFinite(m)) &&
    v.sigma.every((s) => typeof s === 'number' && Number.isFinite(s) && s > 0);
  const size = d === undefined ? 'd >= 1' : `d = ${d}`;
  check(ok, fn, arg, `{ mu, sigma }: ${size} finite means and finite standard deviations > 0`, g);
}

/** Checks the objective's options and fills in the defaults. */
function resolveObjective(fn: string, options: GaussianObjectiveOptions) {
  check(typeof options === 'object' && options !== null, fn, 'options', 'an object { prior, ... }', options);
  const { prior, weight = 1, nSamples = 8 } = options;
  checkGaussian(prior, fn, 'prior');
  check(typeof weight === 'number' && Number.isFinite(weight) && weight >= 0, fn, 'weight', 'a finite number >= 0', weight);
  checkInteger(nSamples, fn, 'nSamples', 1);
  return { prior, weight, nSamples };
}

/**
 * Computes the generalised variational objective for a diagonal Gaussian q and a diagonal Gaussian prior.
 *
 * `F(mu, sigma) = (1/S) sum_s loss(z_s) + w KL(q || p)`, `z_s = mu + sigma eps_s`,
 * eps_s ~ N(0, I), with the KL in closed form,
 * `KL = sum_j [log(s_j / sigma_j) + (sigma_j^2 + (mu_j - m_j)^2) / (2 s_j^2) - 1/2]`
 * for the prior N(m, diag(s^2)).
 *
 * Gradient: unbiased for dF/dmu and dF/dsigma when loss is differentiable in z
 * (reparameterisation); exact for the KL term. eps comes from the library's
 * seeded generator (`randn`).
 *
 * Mirrors, in PyTorch, `loss(q.rsample((S,))).mean() + w * kl_divergence(q, p)`
 * with `q = Independent(Normal(mu, sigma), 1)`.
 *
 * @param mu The means, a float32 tensor [d].
 * @param sigma The standard deviations, a float32 tensor [d] of positive values.
 * @param loss The loss of each sample, z [S, d] to [S].
 * @param options `prior` (required, its length is d), `weight` (default 1), `nSamples` (default 8).
 * @returns A float32 scalar.
 * @throws If an option is invalid, mu or sigma is not of shape [d], or loss does not return [S].
 * @example
 * const F = gaussianVariationalObjective(tf.tensor1d([0, 0]), tf.tensor1d([1, 1]),
 *   (z) => tf.sum(tf.square(z), 1), { prior: { mu: [0, 0], sigma: [1, 1] } });
 * @see Knoblauch, Jewson, Damoulas (2022), JMLR 23(132), https://jmlr.org/papers/v23/19-1047.html
 */
export function gaussianVariationalObjective(
  mu: tf.Tensor,
  sigma: tf.Tensor,
  loss: VectorLoss,
  options: GaussianObjectiveOptions,
): tf.Scalar {
  const { prior, weight, nSamples } = resolveObjective(FN_OBJECTIVE, options);
  const d = prior.mu.length;
  check(typeof loss === 'function', FN_OBJECTIVE, 'loss', 'a function from z [S, d] to losses [S]', typeof loss);
  checkVector(mu, d, FN_OBJECTIVE, 'mu');
  checkVector(sigma, d, FN_OBJECTIVE, 'sigma');
  return tf.tidy(() => {
    const z = tf.add(mu, tf.mul(sigma, randn([nSamples, d]))) as tf.Tensor2D;
    const losses = loss(z);
    checkVector(losses, nSamples, FN_OBJECTIVE, 'loss(z)');
    const m = tf.tensor1d(prior.mu);
    const s = tf.tensor1d(prior.sigma);
    const kl = tf.sum(
      tf.sub(
        tf.add(tf.sub(tf.log(s), tf.log(sigma)), tf.div(tf.add(tf.square(sigma), tf.square(tf.sub(mu, m))), tf.mul(2, tf.square(s)))),
        0.5,
      ),
    );
    return tf.add(tf.mean(losses), tf.mul(weight, kl)) as tf.Scalar;
  });
}

/** Options of {@link fitGaussian}. */
export interface FitGaussianOptions
  extends GaussianObjectiveOptions,
    Pick<CalibrateOptions, 'optimizer' | 'maxEpochs' | 'patience' | 'tol' | 'smoothing' | 'onEpoch'> {
  /** The loss of each sample, z [S, d] to [S]. */
  loss: VectorLoss;
  /** The starting q. Default: the prior. */
  init?: DiagonalGaussian;
  /** The number of final epochs whose parameters are averaged into the result, >= 1. Default 50. */
  average?: number;
}

/** The result of {@link fitGaussian}. */
export interface GaussianFit extends DiagonalGaussian {
  /** The calibration run: the objective per epoch, and `mu0`, `mu1`, ..., `sigma0`, ... per epoch. */
  fit: CalibrationResult;
}

/**
 * Fits a diagonal Gaussian over z in R^d by generalised variational inference.
 *
 * Minimises {@link gaussianVariationalObjective} over mu (real) and sigma (> 0,
 * through its log) with `calibrate`, one fresh batch of S samples per epoch,
 * and returns mu and sigma averaged over the last `average` epochs
 * (Polyak-Ruppert averaging, which removes most of the jitter of the stochastic steps).
 *
 * Gradient: reparameterised, stochastic; see {@link gaussianVariationalObjective}.
 *
 * Mirrors a PyTorch loop of `Adam([mu, log_sigma])` on
 * `loss(q.rsample((S,))).mean() + w * kl_divergence(q, prior)`.
 *
 * @param options `loss` and `prior` (required); `weight` (default 1), `nSamples` (default 8),
 *   `init` (default the prior), `average` (default 50), and the loop's `optimizer`
 *   (default Adam 0.05), `maxEpochs` (default 100), `patience`, `tol`, `smoothing`, `onEpoch`.
 * @returns The fitted mu and sigma (arrays of d numbers) and the run's history.
 * @throws If an option is invalid (see `calibrate` and {@link gaussianVariationalObjective}).
 * @example
 * // A loss (z - 1)^2 / 2 with a N(0, 1) prior: the exact posterior is N(0.5, 1/2).
 * const q = fitGaussian({ loss: (z) => tf.sum(tf.div(tf.square(tf.sub(z, 1)), 2), 1),
 *   prior: { mu: [0], sigma: [1] }, maxEpochs: 500 });
 */
export function fitGaussian(options: FitGaussianOptions): GaussianFit {
  const fn = 'fitGaussian';
  const objective = resolveObjective(fn, options);
  const { loss, optimizer, maxEpochs, patience, tol, smoothing, onEpoch, average = 50 } = options;
  check(typeof loss === 'function', fn, 'loss', 'a function from z [S, d] to losses [S]', typeof loss);
  checkInteger(average, fn, 'average', 1);
  const d = objective.prior.mu.length;
  const init = options.init ?? objective.prior;
  checkGaussian(init, fn, 'init', d);
  const names = { mu: init.mu.map((_, j) => `mu${j}`), sigma: init.sigma.map((_, j) => `sigma${j}`) };
  const start: Record<string, number> = {};
  const domains: Record<string, 'positive'> = {};
  init.mu.forEach((m, j) => (start[names.mu[j]] = m));
  init.sigma.forEach((s, j) => {
    start[names.sigma[j]] = s;
    domains[names.sigma[j]] = 'positive';
  });
  const fit = calibrate({
    init: start,
    domains,
    loss: (p) =>
      gaussianVariationalObjective(
        tf.stack(names.mu.map((n) => p[n])),
        tf.stack(names.sigma.map((n) => p[n])),
        loss,
        objective,
      ),
    optimizer,
    maxEpochs,
    patience,
    tol,
    smoothing,
    onEpoch,
  });
  const tail = (name: string) => averageOfLastEpochs(fit, name, average);
  return { mu: names.mu.map(tail), sigma: names.sigma.map(tail), fit };
}
