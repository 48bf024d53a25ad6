/**
 * Many samples of the Jacobian of a stochastic program.
 *
 * A Monte Carlo study of a gradient estimator (the course's tau sweep) needs
 * the Jacobian of the same random program at the same point many times, each
 * on fresh noise. `sampleJacobians` gives the same numbers as calling
 * `jacobian` that many times, in a fraction of the passes: forward mode when f
 * has fewer inputs than outputs, and one pass for all samples at once when f
 * can run a batch of independent copies.
 */
import * as tf from '@tensorflow/tfjs';
import { checkFunctionAndPoint, JacobianMode, jacobianOnDraws, TensorFunction } from './jacobian';
import { check, checkInteger } from './check';

/** Options of {@link sampleJacobians}. */
export interface SampleJacobiansOptions {
  /**
   * f is batched: given x tiled to shape `[n, ...x.shape]`, it returns
   * `[n, ...]` whose row k depends on row k of its input only, with noise
   * independent between rows (as `randomWalk` does for a 1-D theta). All n
   * samples then come from one run of f. Default false.
   */
  batched?: boolean;
  /**
   * `'forward'` (one pass per entry of x), `'reverse'` (one pass per output, as
   * `jacobian`), or `'auto'`, the cheaper of the two. Forward mode
   * differentiates f's gradient, which TensorFlow.js cannot do for a few ops
   * (those whose gradient is its own kernel, such as elu's and maxPool's);
   * reverse mode works for any f that `jacobian` works for. Default `'auto'`.
   */
  mode?: JacobianMode;
}

/**
 * Draws n independent samples of the Jacobian of a random function at one point.
 *
 * `out[k] = d f_k(x) / d x`, where f_k is f on the k-th draw of its noise: the
 * same estimator as `jacobian(f, x)` called n times, and on the same seed the
 * same numbers (up to float32 rounding), because the samples consume the
 * generator in the same order. Every entry of one sample is taken on that
 * sample's draws (common random numbers).
 *
 * Without `batched`, each sample is one forward-mode pass for a scalar x (a
 * single run of f, see `jvp`); for a larger x it is a recorded run of f and
 * then, on replays of its draws, one forward-mode pass per entry of x or one
 * reverse pass per output, whichever costs less. With `batched`, x is tiled
 * n times and every pass serves all n samples at once: for a scalar x, the
 * whole result is one run of f and one forward-mode pass.
 *
 * In PyTorch: a loop of `torch.autograd.functional.jacobian(f, x)`, as in the
 * course; batched, `torch.func.vmap(torch.func.jacfwd(f), randomness='different')`.
 *
 * @param f A function of one float32 tensor that returns a float32 tensor;
 *   with `batched`, one that maps `[n, ...x.shape]` to `[n, ...]` row by row.
 * @param x The point, a float32 tensor of any shape (a number is a scalar).
 * @param n The number of samples, an integer >= 1.
 * @param options `batched` (default false), `mode` (default `'auto'`).
 * @returns A float32 tensor of shape `[n, ...jacobian(f, x).shape]`; with
 *   `batched`, `[n, ...f(xTiled).shape.slice(1), ...x.shape]`.
 * @throws If f is not a function, x is not float32, n is not an integer >= 1,
 *   `batched` or `mode` is not allowed, f does not return a float32 tensor (of
 *   n rows when batched), f gives different values or makes different draws
 *   when run again, or forward mode meets an op whose gradient TensorFlow.js
 *   cannot differentiate (the message says to use `mode: 'reverse'`).
 * @example
 * manualSeed(0);
 * // 50 samples of dx/dtheta of a 50-step walk, [50, 50], in one pass:
 * const J = sampleJacobians((th) => randomWalk(th, 50, 0.5), 0.4, 50, { batched: true });
 * // the same numbers, one sample at a time:
 * manualSeed(0);
 * const slow = tf.stack(Array.from({ length: 50 }, () => jacobian((th) => randomWalk(th, 50, 0.5), 0.4)));
 */
export function sampleJacobians(
  f: TensorFunction,
  x: tf.Tensor | number,
  n: number,
  options: SampleJacobiansOptions = {},
): tf.Tensor {
  checkFunctionAndPoint(f, x, 'sampleJacobians');
  checkInteger(n, 'sampleJacobians', 'n', 1);
  const { batched = false, mode = 'auto' } = options;
  check(typeof batched === 'boolean', 'sampleJacobians', 'batched', 'a boolean', batched);
  check(['auto', 'forward', 'reverse'].includes(mode), 'sampleJacobians', 'mode', "one of 'auto', 'forward', 'reverse'", mode);
  return tf.tidy(() => {
    const $x = typeof x === 'number' ? tf.scalar(x) : x;
    if (batched) {
      const tiled = tf.broadcastTo(tf.expandDims($x, 0), [n, ...$x.shape]);
      return jacobianOnDraws(f, tiled, 'sampleJacobians', mode, 1);
    }
    const samples: tf.Tensor[] = [];
    for (let k = 0; k < n; k++) samples.push(jacobianOnDraws(f, $x, 'sampleJacobians', mode));
    return tf.stack(samples);
  });
}
