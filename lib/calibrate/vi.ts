/**
 * Generalised variational inference for a probability theta, with a logit-normal family.
 *
 * Instead of a point estimate, fit a distribution q over theta that minimises
 * `E_q[loss(theta)] + w KL(q || prior)` (Knoblauch, Jewson and Damoulas, 2022).
 * With the negative log-likelihood as loss and w = 1 this is ordinary
 * variational inference (minus the ELBO), whose best q is the exact posterior
 * when the family contains it. The family here is the logit-normal,
 * `theta = sigmoid(mu + sigma eps)`, eps ~ N(0, 1): its samples are
 * reparameterised, so the objective's gradient reaches mu and sigma by autodiff.
 */
import * as tf from '@tensorflow/tfjs';
import { randn } from '../random';
import { check, checkInteger, checkVector } from '../check';
import { logitNormalPdf } from '../distributions/densities';
import { logBeta } from '../distributions/special';
import { averageOfLastEpochs, calibrate, CalibrateOptions, CalibrationResult } from './optimize';

const HALF_LOG_TWO_PI_E = 0.5 * Math.log(2 * Math.PI * Math.E);

/** A loss of each sample of theta: [S] to [S]. */
export type ThetaLoss = (theta: tf.Tensor) => tf.Tensor;

/** Options of {@link variationalObjective}. */
export interface VariationalObjectiveOptions {
  /** The Beta prior's `[a, b]`. Default `[2, 2]`. */
  prior?: [number, number];
  /** The weight w >= 0 of the KL term. Default 1. */
  weight?: number;
  /** The number S >= 1 of Monte Carlo samples of theta. Default 32. */
  nSamples?: number;
}

/** Checks the prior, weight and sample count. */
function resolveObjective(fn: string, options: VariationalObjectiveOptions) {
  const { prior = [2, 2], weight = 1, nSamples = 32 } = options;
  check(
    Array.isArray(prior) && prior.length === 2 && prior.every((v) => typeof v === 'number' && Number.isFinite(v) && v > 0),
    fn,
    'prior',
    '[a, b] with finite a, b > 0',
    prior,
  );
  check(typeof weight === 'number' && Number.isFinite(weight) && weight >= 0, fn, 'weight', 'a finite number >= 0', weight);
  checkInteger(nSamples, fn, 'nSamples', 1);
  return { prior, weight, nSamples };
}

/**
 * Draws reparameterised samples of the logit-normal: `theta = sigmoid(mu + sigma eps)`.
 *
 * Gradient: `d theta / d mu = theta (1 - theta)`, `d theta / d sigma = eps theta (1 - theta)`;
 * eps comes from the library's seeded generator (`randn`).
 *
 * Mirrors `torch.sigmoid(mu + sigma * torch.randn(n))` (`rsample` of a
 * `TransformedDistribution(Normal(mu, sigma), SigmoidTransform())`).
 *
 * @param mu The mean of logit theta, a number or scalar tensor.
 * @param sigma The standard deviation of logit theta, > 0, a number or scalar tensor.
 * @param n The number of samples, >= 1.
 * @returns A float32 tensor of shape [n] with values in [0, 1].
 * @throws If n is not an integer >= 1.
 * @example
 * sampleLogitNormal(0, 1, 1000); // centred on 0.5
 */
export function sampleLogitNormal(mu: tf.Tensor | number, sigma: tf.Tensor | number, n: number): tf.Tensor1D {
  checkInteger(n, 'sampleLogitNormal', 'n', 1);
  return tf.tidy(() => tf.sigmoid(tf.add(mu, tf.mul(sigma, randn([n])))) as tf.Tensor1D);
}

/**
 * Computes the generalised variational objective for the logit-normal family and a Beta prior.
 *
 * `F(mu, sigma) = (1/S) sum_s loss(theta_s) + w KL(q || Beta(a, b))`, theta_s = sigmoid(z_s),
 * z_s = mu + sigma eps_s, with
 * `KL = -log sigma - 1/2 log(2 pi e) + log B(a, b) - (1/S) sum_s [a log theta_s + b log(1 - theta_s)]`:
 * the entropy of q in closed form (the Jacobian of the sigmoid included) and the
 * prior's cross-entropy by Monte Carlo.
 *
 * Gradient: unbiased for dF/dmu and dF/dsigma (reparameterisation); the log terms
 * use `log theta = -softplus(-z)`, finite for every z.
 *
 * Mirrors `loss(q.rsample((S,))).mean() + w * (q.log_prob(th) - prior.log_prob(th)).mean()`
 * in PyTorch, with the entropy part taken exactly.
 *
 * @param mu The mean of logit theta, a scalar tensor (or number).
 * @param sigma The standard deviation of logit theta, a positive scalar tensor (or number).
 * @param loss The loss of each sample, theta [S] to [S] (e.g. a negative log-likelihood).
 * @param options `prior` (default [2, 2]), `weight` (default 1), `nSamples` (default 32).
 * @returns A float32 scalar.
 * @throws If an option is invalid or loss does not return one value per sample.
 * @example
 * const F = variationalObjective(tf.scalar(0), tf.scalar(1), (th) => tf.neg(walkLogLikelihood(th, path)));
 * @see Knoblauch, Jewson, Damoulas (2022), JMLR 23(132), https://jmlr.org/papers/v23/19-1047.html
 */
export function variationalObjective(
  mu: tf.Tensor | number,
  sigma: tf.Tensor | number,
  loss: ThetaLoss,
  options: VariationalObjectiveOptions = {},
): tf.Scalar {
  const fn = 'variationalObjective';
  const { prior, weight, nSamples } = resolveObjective(fn, options);
  check(typeof loss === 'function', fn, 'loss', 'a function from theta [S] to losses [S]', typeof loss);
  return tf.tidy(() => {
    const z = tf.add(mu, tf.mul(sigma, randn([nSamples])));
    const theta = tf.sigmoid(z);
    const losses = loss(theta);
    checkVector(losses, nSamples, fn, 'loss(theta)');
    const logTheta = tf.neg(tf.softplus(tf.neg(z)));
    const logOneMinus = tf.neg(tf.softplus(z));
    const crossEntropy = tf.neg(tf.mean(tf.add(tf.mul(prior[0], logTheta), tf.mul(prior[1], logOneMinus))));
    const kl = tf.add(tf.sub(crossEntropy, tf.log(sigma)), logBeta(prior[0], prior[1]) - HALF_LOG_TWO_PI_E);
    return tf.add(tf.mean(losses), tf.mul(weight, kl)) as tf.Scalar;
  });
}

/** Options of {@link fitLogitNormal}. */
export interface FitLogitNormalOptions
  extends VariationalObjectiveOptions,
    Pick<CalibrateOptions, 'optimizer' | 'maxEpochs' | 'patience' | 'tol' | 'smoothing' | 'onEpoch'> {
  /** The loss of each sample of theta, [S] to [S]. */
  loss: ThetaLoss;
  /** Starting mu (default 0) and sigma (default 1, > 0). */
  init?: { mu?: number; sigma?: number };
  /**
   * The number of final epochs whose parameters are averaged into the result
   * (Polyak-Ruppert averaging, which removes most of the jitter of stochastic
   * steps), an integer >= 1. Default 50 (all epochs, if fewer ran).
   */
  average?: number;
}

/** The result of {@link fitLogitNormal}. */
export interface LogitNormalFit {
  /** The fitted mean of logit theta (averaged over the last `average` epochs). */
  mu: number;
  /** The fitted standard deviation of logit theta (averaged over the last `average` epochs). */
  sigma: number;
  /** The fitted density of theta on (0, 1). */
  pdf: (x: number) => number;
  /** The calibration run (history of the objective, mu and sigma per epoch). */
  fit: CalibrationResult;
}

/**
 * Fits a logit-normal distribution over theta by generalised variational inference.
 *
 * Minimises {@link variationalObjective} over mu (real) and sigma (> 0, through
 * its log) with {@link calibrate}, one fresh batch of samples per epoch, and
 * returns the parameters averaged over the last `average` epochs.
 *
 * Gradient: reparameterised (see {@link variationalObjective}); stochastic, so
 * each iterate jitters around the optimum by an amount that shrinks with the
 * learning rate and with nSamples; the average removes most of it.
 *
 * Mirrors a PyTorch loop of `Adam([mu, log_sigma])` on the negative ELBO.
 *
 * @param options `loss` (required), `prior`, `weight`, `nSamples`, `init`,
 *   `average` (default 50), and the loop's `optimizer` (default Adam 0.05), `maxEpochs` (default 100), `patience`,
 *   `tol`, `smoothing`, `onEpoch`.
 * @returns The fitted mu and sigma, the density, and the run's history.
 * @throws If an option is invalid (see {@link calibrate} and {@link variationalObjective}).
 * @example
 * const post = betaPosterior(path);
 * const q = fitLogitNormal({ loss: (th) => tf.neg(walkLogLikelihood(th, path)), maxEpochs: 400 });
 * hellingerDistance(q.pdf, (x) => betaPdf(x, post.alpha, post.beta)); // small
 */
export function fitLogitNormal(options: FitLogitNormalOptions): LogitNormalFit {
  const fn = 'fitLogitNormal';
  check(typeof options === 'object' && options !== null, fn, 'options', 'an object', options);
  const { loss, init = {}, optimizer, maxEpochs, patience, tol, smoothing, onEpoch, average = 50 } = options;
  const objective = resolveObjective(fn, options);
  check(typeof loss === 'function', fn, 'loss', 'a function from theta [S] to losses [S]', typeof loss);
  checkInteger(average, fn, 'average', 1);
  const { mu = 0, sigma = 1 } = init;
  const fit = calibrate({
    init: { mu, sigma },
    domains: { sigma: 'positive' },
    loss: (p) => variationalObjective(p.mu, p.sigma, loss, objective),
    optimizer,
    maxEpochs,
    patience,
    tol,
    smoothing,
    onEpoch,
  });
  const result = { mu: averageOfLastEpochs(fit, 'mu', average), sigma: averageOfLastEpochs(fit, 'sigma', average) };
  return { ...result, pdf: (x: number) => logitNormalPdf(x, result.mu, result.sigma), fit };
}
