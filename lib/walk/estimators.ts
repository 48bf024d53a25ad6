/**
 * Three estimators of the gradient of an expected loss of the random walk.
 *
 * The objective is `J(theta) = E_{x ~ walk(theta)}[loss(x)]`, a smooth function of
 * theta even though each walk is discrete. Each estimator is packaged as a
 * Monte Carlo objective: a scalar tensor whose value is the average loss of the
 * simulated walks and whose gradient with respect to theta is that estimator's
 * estimate of dJ/dtheta. `calibrate` and `tf.grad` can then use any of them, and
 * they can be compared on the same budget of simulated walks.
 *
 * - pathwise: autodiff through the straight-through Gumbel-Softmax walk (biased, low variance);
 * - score function (REINFORCE): `E[(loss(x) - b) d log p(x | theta) / dtheta]` (unbiased);
 * - finite differences: `(J(theta + h) - J(theta - h)) / 2h` with common random numbers.
 */
import * as tf from '@tensorflow/tfjs';
import { recordDraws, replayDraws } from '../random';
import { check, checkInteger, checkTemperature, checkVector, toFloat } from '../check';
import { randomWalk } from './randomWalk';
import { mmd, medianBandwidth } from '../calibrate/mmd';

/** A loss of each walk in a batch: positions [B, T] to losses [B]. */
export type PathLoss = (paths: tf.Tensor) => tf.Tensor;

/** Options shared by the three estimators. */
export interface WalkEstimatorOptions {
  /** The number of positions of each walk, T >= 2. */
  nTimesteps: number;
  /** The budget: how many walks the estimate simulates, >= 2 (even for finite differences). */
  nSimulations: number;
}

/** Options of {@link pathwiseObjective}. */
export interface PathwiseOptions extends WalkEstimatorOptions {
  /** The Gumbel-Softmax temperature of the walk, > 0. Default 0.1. */
  tau?: number;
}

/** Options of {@link scoreFunctionObjective}. */
export interface ScoreFunctionOptions extends WalkEstimatorOptions {
  /**
   * The control variate b subtracted from each walk's loss: the mean loss of the
   * other walks (`'leave-one-out'`, keeps the estimate unbiased), or none. Default `'leave-one-out'`.
   */
  baseline?: 'leave-one-out' | 'none';
}

/** Options of {@link finiteDifferenceObjective}. */
export interface FiniteDifferenceOptions extends WalkEstimatorOptions {
  /** The step h > 0 of the central difference; shrunk to min(h, theta, 1 - theta). Default 0.05. */
  step?: number;
}

/**
 * A scalar with a given value whose gradient with respect to `theta` is
 * `gradient`: the way to hand a gradient estimate to autodiff.
 */
const withGradient = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [, value, gradient, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
  save([gradient]);
  return {
    value: tf.clone(value),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [tf.mul(dy, saved[0]), tf.zerosLike(dy), tf.zerosLike(dy)],
  };
});

/** Checks theta (a scalar probability) and the shared options; returns theta's value. */
function checkInputs(fn: string, theta: tf.Tensor, loss: unknown, options: WalkEstimatorOptions): number {
  check(theta.rank === 0, fn, 'theta', 'a number or a scalar tensor', theta);
  const value = theta.dataSync()[0];
  check(value >= 0 && value <= 1, fn, 'theta', 'in [0, 1]', value);
  check(typeof loss === 'function', fn, 'loss', 'a function from paths [B, T] to losses [B]', typeof loss);
  check(typeof options === 'object' && options !== null, fn, 'options', 'an object', options);
  checkInteger(options.nTimesteps, fn, 'nTimesteps', 2);
  checkInteger(options.nSimulations, fn, 'nSimulations', 2);
  return value;
}

/** Calls the loss on a batch of walks and checks that it returns one loss per walk. */
function lossPerWalk(fn: string, loss: PathLoss, paths: tf.Tensor): tf.Tensor {
  const out = loss(paths);
  const b = paths.shape[0];
  checkVector(out, b, fn, 'loss(paths)');
  return out;
}

/**
 * Builds the pathwise objective: autodiff through straight-through walks.
 *
 * Value `(1/B) sum_b loss(x_b)` with `x_b = randomWalk(theta, T, tau)`, B = nSimulations;
 * gradient by autodiff, each step's straight-through derivative being the soft
 * Gumbel-Softmax sample's (see `randomWalk`).
 *
 * Gradient: biased for every tau > 0 (the straight-through estimator does not
 * have the expected value of the true derivative); lower tau gives less bias
 * and more variance. The cost is B walks and one backward pass.
 *
 * Mirrors `loss(random_walk(theta, T, tau)).mean().backward()` in PyTorch.
 *
 * @param theta The probability of a step up, in [0, 1] (a number or a scalar tensor).
 * @param loss The loss of each walk, paths [B, T] to losses [B], differentiable.
 * @param options `nTimesteps`, `nSimulations`, `tau` (default 0.1).
 * @returns A float32 scalar: the mean loss, with the pathwise gradient.
 * @throws If theta is not a scalar in [0, 1], an option is invalid, or loss
 *   does not return one value per walk.
 * @example
 * const g = tf.grad((th) => pathwiseObjective(th, loss, { nTimesteps: 100, nSimulations: 16, tau: 0.5 }))(tf.scalar(0.4));
 * @see Jang et al. (2017), https://arxiv.org/abs/1611.01144 (straight-through Gumbel-Softmax).
 */
export function pathwiseObjective(theta: tf.Tensor | number, loss: PathLoss, options: PathwiseOptions): tf.Scalar {
  const fn = 'pathwiseObjective';
  const { tau = 0.1 } = options ?? {};
  checkTemperature(tau, fn);
  return tf.tidy(() => {
    const $theta = toFloat(theta, fn, 'theta');
    checkInputs(fn, $theta, loss, options);
    const batch = tf.mul(tf.ones([options.nSimulations]), $theta);
    const paths = randomWalk(batch, options.nTimesteps, tau);
    return tf.mean(lossPerWalk(fn, loss, paths)) as tf.Scalar;
  });
}

/**
 * Builds the score-function (REINFORCE) objective, with a leave-one-out baseline.
 *
 * Value `(1/B) sum_b l_b` with `l_b = loss(x_b)`, `x_b ~ walk(theta)` exact; gradient
 * `(1/B) sum_b (l_b - b_b) (U_b / theta - D_b / (1 - theta))`, where U_b, D_b count
 * the ups and downs of walk b (the score `d log p(x_b | theta) / dtheta`) and
 * `b_b = (sum_{c != b} l_c) / (B - 1)` (or 0 with `baseline: 'none'`).
 *
 * Gradient: unbiased for dJ/dtheta (the baseline of walk b does not depend on
 * walk b); the loss needs no gradient, only values. Its variance grows with T,
 * since the score sums T - 1 terms. The cost is B walks.
 *
 * Mirrors `((l - b).detach() * dist.log_prob(steps).sum(-1)).mean().backward()` in PyTorch.
 *
 * @param theta The probability of a step up, in [0, 1].
 * @param loss The loss of each walk, paths [B, T] to losses [B] (values only).
 * @param options `nTimesteps`, `nSimulations`, `baseline` (default `'leave-one-out'`).
 * @returns A float32 scalar: the mean loss, with the score-function gradient.
 * @throws As {@link pathwiseObjective}, or if `baseline` is not one of the two.
 * @example
 * const g = tf.grad((th) => scoreFunctionObjective(th, loss, { nTimesteps: 100, nSimulations: 16 }))(tf.scalar(0.4));
 * @see Williams (1992), Machine Learning 8, 229-256; Mohamed et al. (2020), JMLR 21, section 4.
 */
export function scoreFunctionObjective(theta: tf.Tensor | number, loss: PathLoss, options: ScoreFunctionOptions): tf.Scalar {
  const fn = 'scoreFunctionObjective';
  const { baseline = 'leave-one-out' } = options ?? {};
  check(baseline === 'leave-one-out' || baseline === 'none', fn, 'baseline', "'leave-one-out' or 'none'", baseline);
  return tf.tidy(() => {
    const $theta = toFloat(theta, fn, 'theta');
    const p = checkInputs(fn, $theta, loss, options);
    const B = options.nSimulations;
    const T = options.nTimesteps;
    const paths = randomWalk(tf.fill([B], p), T);
    const losses = lossPerWalk(fn, loss, paths);
    // Ups from the end point: x_T = U - D and U + D = T - 1.
    const ups = tf.div(tf.add(tf.squeeze(tf.slice(paths, [0, T - 1], [B, 1]), [1]), T - 1), 2);
    const downs = tf.sub(T - 1, ups);
    // A count of 0 at a probability of 0 contributes 0, not 0 / 0.
    const score = tf.sub(tf.div(ups, Math.max(p, 1e-30)), tf.div(downs, Math.max(1 - p, 1e-30)));
    const centred = baseline === 'none' ? losses : tf.sub(losses, tf.div(tf.sub(tf.sum(losses), losses), B - 1));
    const gradient = tf.mean(tf.mul(centred, score));
    return withGradient($theta, tf.mean(losses), gradient) as tf.Scalar;
  });
}

/**
 * Builds the central finite-difference objective, with common random numbers.
 *
 * With B/2 pairs of walks `x_b^+ ~ walk(theta + h)` and `x_b^- ~ walk(theta - h)`
 * drawn from the same Gumbel noise: value `(1/B) sum_b (l(x_b^+) + l(x_b^-))`,
 * gradient `(1/(B/2)) sum_b (l(x_b^+) - l(x_b^-)) / (2h)`, where
 * `h = min(step, theta, 1 - theta)` keeps theta +- h in [0, 1] (gradient 0 when h = 0).
 *
 * Gradient: unbiased for the central difference `(J(theta + h) - J(theta - h)) / 2h`,
 * which differs from dJ/dtheta by O(h^2); the common noise makes the two walks of
 * a pair differ in few steps, so the variance is much smaller than with
 * independent walks, though it still grows like 1/h. The cost is B walks.
 *
 * Mirrors a hand-written `(f(theta + h) - f(theta - h)) / (2 * h)` under
 * `torch.manual_seed` in PyTorch.
 *
 * @param theta The probability of a step up, in [0, 1].
 * @param loss The loss of each walk, paths [B, T] to losses [B] (values only).
 * @param options `nTimesteps`, `nSimulations` (even), `step` (default 0.05).
 * @returns A float32 scalar: the mean loss, with the finite-difference gradient.
 * @throws As {@link pathwiseObjective}, or if nSimulations is odd or step is not a finite number > 0.
 * @example
 * const g = tf.grad((th) => finiteDifferenceObjective(th, loss, { nTimesteps: 100, nSimulations: 16 }))(tf.scalar(0.4));
 * @see Glasserman (2004), Monte Carlo Methods in Financial Engineering, section 7.1.
 */
export function finiteDifferenceObjective(
  theta: tf.Tensor | number,
  loss: PathLoss,
  options: FiniteDifferenceOptions,
): tf.Scalar {
  const fn = 'finiteDifferenceObjective';
  const { step = 0.05 } = options ?? {};
  check(typeof step === 'number' && Number.isFinite(step) && step > 0, fn, 'step', 'a finite number > 0', step);
  return tf.tidy(() => {
    const $theta = toFloat(theta, fn, 'theta');
    const p = checkInputs(fn, $theta, loss, options);
    check(options.nSimulations % 2 === 0, fn, 'nSimulations', 'even (one pair of walks per difference)', options.nSimulations);
    const pairs = options.nSimulations / 2;
    const T = options.nTimesteps;
    const h = Math.min(step, p, 1 - p);
    const { value: up, draws } = recordDraws(() => randomWalk(tf.fill([pairs], Math.min(1, p + h)), T));
    const down = replayDraws(draws, () => randomWalk(tf.fill([pairs], Math.max(0, p - h)), T), 'finiteDifferenceObjective');
    const lossUp = lossPerWalk(fn, loss, up);
    const lossDown = lossPerWalk(fn, loss, down);
    const value = tf.div(tf.add(tf.sum(lossUp), tf.sum(lossDown)), options.nSimulations);
    const gradient = h === 0 ? tf.scalar(0) : tf.div(tf.mean(tf.sub(lossUp, lossDown)), 2 * h);
    return withGradient($theta, value, gradient) as tf.Scalar;
  });
}

/** Options of {@link walkIncrementLoss}. */
export interface WalkIncrementLossOptions {
  /** Gaussian kernel bandwidths. Default: the median heuristic on the observed increments. */
  bandwidths?: number[];
  /** Use the unbiased MMD estimator. Default true. */
  unbiased?: boolean;
}

/**
 * Builds a loss for calibrating the walk: MMD^2 between each walk's increments and the observed ones.
 *
 * `loss(x)_b = MMD^2({x_{b,t+1} - x_{b,t}}_t, {y_{t+1} - y_t}_t)` with Gaussian kernels:
 * a comparison of the distributions of steps, not of the paths themselves (two
 * walks at the same theta are far apart as paths). With +-1 increments and the
 * unbiased estimator, `E[loss] = 2 (1 - c) (theta - q)^2 + const`, c = k(1, -1) and
 * q the observed fraction of ups, so its minimiser is the maximum-likelihood q.
 *
 * Gradient: smooth in the positions (see {@link mmd}); through `randomWalk`'s
 * straight-through steps it gives the pathwise estimator.
 *
 * @param observed The observed walk, shape [T_obs], T_obs >= 3.
 * @param options `bandwidths` (default median heuristic), `unbiased` (default true).
 * @returns A {@link PathLoss}: paths [B, T] (T >= 3) to losses [B].
 * @throws If observed is not a 1-D tensor of at least 3 positions.
 * @example
 * const loss = walkIncrementLoss(randomWalk(0.3, 100));
 * calibrate({ init: { theta: 0.5 }, domains: { theta: 'unit' },
 *   loss: ({ theta }) => pathwiseObjective(theta, loss, { nTimesteps: 100, nSimulations: 8, tau: 0.5 }) });
 */
export function walkIncrementLoss(observed: tf.Tensor | tf.TensorLike, options: WalkIncrementLossOptions = {}): PathLoss {
  const fn = 'walkIncrementLoss';
  const increments = incrementsOf(observed, fn);
  const bandwidths = options.bandwidths ?? [medianBandwidth(increments)];
  const { unbiased = true } = options;
  return (paths: tf.Tensor) =>
    tf.tidy(() => {
      check(paths instanceof tf.Tensor && paths.rank === 2 && (paths.shape[1] as number) >= 3, fn, 'paths', 'a tensor of shape [B, T] with T >= 3', paths);
      const dx = tf.expandDims(diffLast(paths), -1);
      return mmd(dx, tf.tensor2d(increments, [increments.length, 1]), { bandwidths, unbiased });
    });
}

/**
 * The moves x_{t+1} - x_t of an observed walk, checked to be 1-D with at least 3 positions;
 * kept as numbers, not as a tensor, so that a loss holding them owns no tensor memory.
 */
function incrementsOf(observed: tf.Tensor | tf.TensorLike, fn: string): Float32Array {
  const $y = toFloat(observed, fn, 'observed');
  check($y.rank === 1 && $y.size >= 3, fn, 'observed', 'a 1-D tensor of at least 3 positions', $y);
  const increments = tf.tidy(() => diffLast($y).dataSync().slice() as Float32Array);
  if ($y !== observed) $y.dispose();
  return increments;
}

/** Differences along the last axis: x[..., 1:] - x[..., :-1]. */
function diffLast(x: tf.Tensor): tf.Tensor {
  const n = x.shape[x.rank - 1];
  const begin = x.shape.map(() => 0);
  const size = x.shape.map((d) => d);
  size[x.rank - 1] = n - 1;
  const next = tf.slice(x, [...begin.slice(0, -1), 1], size);
  const prev = tf.slice(x, begin, size);
  return tf.sub(next, prev);
}

/** What {@link estimateGradient} returns. */
export interface GradientEstimate {
  /** The objective's value (the mean loss of the simulated walks). */
  value: number;
  /** The objective's gradient with respect to theta. */
  gradient: number;
}

/**
 * Evaluates a Monte Carlo objective and its gradient at one theta.
 *
 * `{ value: f(theta), gradient: df/dtheta }` as numbers, one run of the simulator
 * budget. Call it repeatedly to measure an estimator's mean and variance.
 *
 * @param objective A function of theta (a scalar tensor) returning a scalar tensor,
 *   e.g. `(th) => scoreFunctionObjective(th, loss, options)`.
 * @param theta The point, a number.
 * @returns The value and the gradient.
 * @throws If objective does not return a float32 scalar.
 * @example
 * const { gradient } = estimateGradient((th) => pathwiseObjective(th, loss, opts), 0.4);
 */
export function estimateGradient(objective: (theta: tf.Scalar) => tf.Scalar, theta: number): GradientEstimate {
  check(typeof objective === 'function', 'estimateGradient', 'objective', 'a function', typeof objective);
  check(typeof theta === 'number' && Number.isFinite(theta), 'estimateGradient', 'theta', 'a finite number', theta);
  return tf.tidy(() => {
    const { value, grad } = tf.valueAndGrad((th: tf.Tensor) => {
      const out = objective(th as tf.Scalar);
      check(out instanceof tf.Tensor && out.rank === 0 && out.dtype === 'float32', 'estimateGradient', 'objective(theta)', 'a float32 scalar tensor', out);
      return out;
    })(tf.scalar(theta));
    return { value: value.dataSync()[0], gradient: grad.dataSync()[0] };
  });
}

/** The estimators by name, with the same signature: for loops over them in a notebook. */
export const walkObjectives = {
  pathwise: pathwiseObjective,
  scoreFunction: scoreFunctionObjective,
  finiteDifference: finiteDifferenceObjective,
} as const;
