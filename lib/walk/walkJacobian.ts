/**
 * The Jacobian of a long random walk, computed in chunks of steps.
 *
 * `jacobian` and `jvp` differentiate the whole walk at once, so TensorFlow.js's
 * tape holds every intermediate tensor of every step: the peak memory grows
 * linearly with the walk's length (bench/RESULTS.md, section 4). But
 * `x_t = sum_{s < t} step_s` and each step depends on theta only through its own
 * draw, so `d x_t / d theta = sum_{s < t} d step_s / d theta` is a running sum
 * that can be carried forward in time, a chunk of steps at a time, while the
 * tape only ever covers one chunk.
 */
import * as tf from '@tensorflow/tfjs';
import { check, checkInteger, checkProbabilities, checkTemperature, toFloat } from '../check';
import { gumbelSoftmax } from '../gumbel';
import { logProbability } from './randomWalk';

/** Steps per chunk by default: bench/sections/30-memory.js measures the trade-off. */
const DEFAULT_CHUNK = 16_384;

/** Options of {@link walkJacobian}. */
export interface WalkJacobianOptions {
  /**
   * How many steps are differentiated together, an integer >= 1. The peak
   * tensor memory grows with it, the number of passes falls. Default 16384.
   */
  chunk?: number;
}

/** A walk and its Jacobian with respect to theta. */
export interface WalkWithJacobian {
  /** The positions x_0 = 0, ..., x_{T-1}, shape [T]. */
  path: tf.Tensor1D;
  /** `d x_t / d theta` for every t, shape [T]; the first entry is 0. */
  jacobian: tf.Tensor1D;
}

/**
 * The positions and tangents of one chunk of m steps, continuing from the
 * last position `x` and its derivative `dx` (both of shape [1]).
 *
 * The logits `[log theta, log(1 - theta)]` are copied once per step, so step s
 * depends on row s of the copies only: the Jacobian of the steps with respect
 * to the copies is block diagonal, and one reverse pass with a cotangent of
 * ones gives every step's derivative with respect to its own logits, [m, 2].
 * The chain rule with `dLogits` = d logits / d theta turns them into
 * d step / d theta. Prepending the carries to the cumulative sums continues
 * the running sums of the previous chunks.
 */
function chunkOfWalk(logits: tf.Tensor, dLogits: tf.Tensor, m: number, tau: number, x: tf.Tensor, dx: tf.Tensor): [tf.Tensor1D, tf.Tensor1D] {
  return tf.tidy(() => {
    const copies = tf.broadcastTo(logits, [m, 2]);
    const { value: steps, grad } = tf.valueAndGrad((l: tf.Tensor) => stepsFromLogits(l, tau))(copies, tf.ones([m]));
    const derivatives = tf.sum(tf.mul(grad, dLogits), -1);
    const positions = tf.slice(tf.cumsum(tf.concat([x, steps])), 1, m);
    const tangents = tf.slice(tf.cumsum(tf.concat([dx, derivatives])), 1, m);
    return [positions as tf.Tensor1D, tangents as tf.Tensor1D];
  });
}

/** The logits of a step, `[log theta, log(1 - theta)]`, as `randomWalk` takes them. */
function stepLogits(p: tf.Tensor): tf.Tensor {
  return tf.stack([logProbability(p), logProbability(tf.sub(1, p))], -1);
}

/**
 * The steps `2 xi - 1` of straight-through Gumbel-Softmax draws, one per row of
 * logits ([m, 2] to [m]), the noise drawn in row order as `randomWalk` draws it.
 */
function stepsFromLogits(logits: tf.Tensor, tau: number): tf.Tensor {
  const xi = tf.unstack(gumbelSoftmax(logits, { tau, hard: true }), 1)[0];
  return tf.sub(tf.mul(xi, 2), 1);
}

/** The last entry of the last tensor of a list of 1-D tensors, shape [1]. */
function last(parts: tf.Tensor[]): tf.Tensor {
  const t = parts[parts.length - 1];
  return tf.slice(t, t.shape[0] - 1, 1);
}

/**
 * Simulates the differentiable random walk and computes its Jacobian, a chunk of steps at a time.
 *
 * `path = randomWalk(theta, T, tau)` and `jacobian[t] = d x_t / d theta =
 * sum_{s < t} d step_s / d theta`, each step's derivative the straight-through
 * Gumbel-Softmax one, `2 y_s (1 - y_s) / (tau theta (1 - theta))` (see
 * {@link randomWalk}). The steps are drawn and differentiated `chunk` at a
 * time, and the running sums of positions and derivatives are carried from
 * one chunk to the next (accumulation forward in time), so TensorFlow.js's
 * tape covers one chunk: the peak tensor memory is about that of a
 * `chunk`-step walk plus the results (two arrays of T floats, held twice while
 * the chunks are joined), instead of a tape of every step as with
 * {@link jacobian} or {@link jvp} on `randomWalk`.
 *
 * The draws are taken in the same order as `randomWalk(theta, T, tau)`, so on
 * the same seed the path is the same and the Jacobian equals
 * `jacobian((th) => randomWalk(th, T, tau), theta)` up to float32 rounding.
 *
 * Gradient: none; the results are values (like `jacobian`'s), not
 * differentiable with respect to theta.
 *
 * In PyTorch: `torch.func.jacfwd(lambda th: random_walk(th, T, tau))(theta)`,
 * with the walk split into segments that each start from the previous one's
 * last position and tangent.
 *
 * @param theta The probability of a step up, in [0, 1] (a number or a scalar tensor).
 * @param nTimesteps The number of positions T >= 1, including x_0.
 * @param tau The Gumbel-Softmax temperature, finite and > 0. Default 0.1.
 * @param options `chunk`, steps per chunk (default 16384).
 * @returns `{ path, jacobian }`, two float32 tensors of shape [T].
 * @throws If theta is not a scalar in [0, 1] (NaN included), nTimesteps is not
 *   a positive integer, tau is not a finite number > 0, or chunk is not a
 *   positive integer.
 * @example
 * manualSeed(0);
 * const { path, jacobian } = walkJacobian(0.4, 1_000_000, 0.5); // two [1e6] tensors, small peak memory
 */
export function walkJacobian(
  theta: tf.Tensor | number,
  nTimesteps: number,
  tau = 0.1,
  options: WalkJacobianOptions = {},
): WalkWithJacobian {
  const fn = 'walkJacobian';
  checkInteger(nTimesteps, fn, 'nTimesteps', 1);
  checkTemperature(tau, fn);
  check(typeof options === 'object' && options !== null, fn, 'options', 'an object', options);
  const { chunk = DEFAULT_CHUNK } = options;
  checkInteger(chunk, fn, 'chunk', 1);
  return tf.tidy(() => {
    const p = toFloat(theta, fn, 'theta');
    check(p.rank === 0, fn, 'theta', 'a number or a scalar tensor', p);
    checkProbabilities(p, fn, 'theta');
    // The logits and their derivatives, [2] each (finite at theta = 0 and 1, see stepLogits).
    const logits = stepLogits(p);
    const dLogits = tf.stack([0, 1].map((k) => tf.grad((q: tf.Tensor) => tf.sum(tf.slice(stepLogits(q), k, 1)))(p)));
    const paths: tf.Tensor[] = [tf.zeros([1])];
    const tangents: tf.Tensor[] = [tf.zeros([1])];
    for (let start = 0; start < nTimesteps - 1; start += chunk) {
      const m = Math.min(chunk, nTimesteps - 1 - start);
      const [x, dx] = chunkOfWalk(logits, dLogits, m, tau, last(paths), last(tangents));
      paths.push(x);
      tangents.push(dx);
    }
    return { path: tf.concat(paths) as tf.Tensor1D, jacobian: tf.concat(tangents) as tf.Tensor1D };
  });
}
