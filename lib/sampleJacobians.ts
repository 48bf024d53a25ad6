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
import { checkFunctionAndPoint, JacobianMode, jacobianOnDraws, TensorFunction, vjpOnce } from './jacobian';
import { drawShape, probeDraws, recordDraws, replayDraws, rewindDraws, saveDraws, tapeDepth, uniformArray, withShape } from './random';
import { check, checkInteger } from './check';

/** Options of {@link sampleJacobians}. */
export interface SampleJacobiansOptions {
  /**
   * Whether f is batched: given x tiled to shape `[n, ...x.shape]`, it returns
   * `[n, ...]` whose row k depends on row k of its input and on its own noise
   * only (as `randomWalk` does for a 1-D theta). All n samples then come from
   * one run of f. `true` takes this on trust (see `verify`); `false` takes the
   * samples one at a time; left out, the batch is tried and checked on the
   * first call for each f and shape of x, and the samples are taken one at a
   * time, with a one-line notice, if the check fails.
   */
  batched?: boolean;
  /**
   * `'forward'` (one pass per entry of x), `'reverse'` (one pass per output, as
   * `jacobian`), or `'auto'`, the cheaper of the two. Forward mode
   * differentiates f's gradient, which TensorFlow.js cannot do for a few ops
   * (those whose gradient is its own kernel, such as elu's and maxPool's);
   * `'auto'` then takes reverse mode. Default `'auto'`.
   */
  mode?: JacobianMode;
  /**
   * With `batched: true`, check the batch: the Jacobians of the first and the
   * last row must equal those of unbatched runs of f on those rows' draws, or
   * the call throws. Each row costs one run of f and one reverse pass
   * (compared as a weighted sum of the row's Jacobian). Default false.
   */
  verify?: boolean;
}

/** Why f cannot be run as a batch of independent rows. */
class NotBatched extends Error {}

/** Largest relative gap allowed between a batched row and its unbatched run (float32 rounding). */
const VERIFY_RTOL = 1e-4;

/** For each f, the shapes of x (as text) at which it was found batched (true) or not (false). */
const verdicts = new WeakMap<TensorFunction, Map<string, boolean>>();
/** Sources of the functions that a notice was printed for. */
const noticed = new Set<string>();

const product = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
const firstLine = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0];

/**
 * The shape of one row of a batched request: `shape` without its leading n,
 * or a flat `[size / n]` (requests such as `sampleGumbel`'s that carry only a
 * size); null when the request does not split into n rows.
 */
function rowShape(shape: number[], n: number): number[] | null {
  if (shape.length >= 2 && shape[0] === n) return shape.slice(1);
  if (shape.length === 1 && shape[0] === n) return [];
  const size = product(shape);
  return size % n === 0 ? [size / n] : null;
}

/**
 * Draws the numbers of batched requests of `shapes` in the order that n
 * unbatched runs would draw them (row 0's requests, then row 1's, ...), and
 * lays them out as the batched requests.
 */
function dealDraws(shapes: number[][], rows: number[][], n: number): Float32Array[] {
  const sizes = rows.map(product);
  const out = shapes.map((shape, r) => withShape(new Float32Array(n * sizes[r]), shape));
  for (let k = 0; k < n; k++) {
    rows.forEach((row, r) => out[r].set(uniformArray(sizes[r], row), k * sizes[r]));
  }
  return out;
}

/** Row k's part of each batched request, with the shapes an unbatched run asks for. */
function rowDraws(draws: Float32Array[], n: number, k: number): Float32Array[] {
  return draws.map((d) => {
    const row = rowShape(drawShape(d), n) as number[];
    const size = d.length / n;
    return withShape(d.subarray(k * size, (k + 1) * size), row);
  });
}

/**
 * The n samples from one batched Jacobian, on the numbers that n unbatched
 * calls would draw, and the batched requests it replayed.
 * Throws NotBatched if f's draws do not split into n rows (unless `strict` is
 * false, which then draws them as f asks, in batched order).
 */
function batchedSamples(f: TensorFunction, x: tf.Tensor, n: number, mode: JacobianMode, strict: boolean): { J: tf.Tensor; draws: Float32Array[] } {
  const tiled = tf.broadcastTo(tf.expandDims(x, 0), [n, ...x.shape]);
  const run = () => jacobianOnDraws(f, tiled, 'sampleJacobians', mode, 1);
  let shapes: number[][];
  if (tapeDepth() === 0) {
    // Straight from the generator: one request of n rows is already in the
    // order of n unbatched calls. Several requests are redone below.
    const start = saveDraws();
    const { value, draws } = recordDraws(run);
    if (draws.length === 0 || (draws.length === 1 && (!strict || rowShape(drawShape(draws[0]), n) !== null))) return { J: value, draws };
    value.dispose();
    rewindDraws(start);
    shapes = draws.map(drawShape);
  } else {
    // Inside a recording or a replay, the draws must reach the tape in the
    // same order on every run: learn the requests without drawing.
    shapes = probeDraws(() => tf.tidy(() => f(tiled))).shapes;
  }
  const rows = shapes.map((shape) => rowShape(shape, n));
  const bad = rows.findIndex((row) => row === null);
  if (bad >= 0) {
    if (strict) throw new NotBatched(`its draws do not split into ${n} rows (a request of shape [${shapes[bad].join(', ')}])`);
    const { value, draws } = recordDraws(run);
    return { J: value, draws };
  }
  const draws = dealDraws(shapes, rows as number[][], n);
  return { J: replayDraws(draws, run, 'sampleJacobians'), draws };
}

/** Fixed weights in [0.5, 1.5), all different: the cotangent of the batch check. */
function checkWeights(size: number): Float32Array {
  const w = new Float32Array(size);
  for (let i = 0; i < size; i++) w[i] = 0.5 + ((i * 0.6180339887498949) % 1);
  return w;
}

/**
 * Checks rows 0 and n - 1 of a batched result against unbatched runs of f on
 * those rows' draws; throws NotBatched. Each check is one run of f and one
 * reverse pass, `w^T J` for fixed weights w, compared with the same
 * contraction of the batched row: differences in any entry of the row's
 * Jacobian show, unless they cancel in the weighted sum.
 */
function verifyRows(f: TensorFunction, x: tf.Tensor, n: number, J: tf.Tensor, draws: Float32Array[]): void {
  const xIn = x.shape;
  const xSize = product(xIn);
  const yIn = J.shape.slice(1, J.rank - xIn.length);
  const ySize = product(yIn);
  for (const k of n > 1 ? [0, n - 1] : [0]) {
    tf.tidy(() => {
      let single: { vjp: tf.Tensor; shape: number[] };
      try {
        const cotangent = (shape: number[]) => tf.tensor(checkWeights(product(shape)), shape, 'float32');
        single = replayDraws(rowDraws(draws, n, k), () => vjpOnce(f, x, 'sampleJacobians', cotangent), 'sampleJacobians');
      } catch (e) {
        throw new NotBatched(`an unbatched run on row ${k}'s draws failed (${firstLine(e)})`);
      }
      if (single.shape.join(', ') !== yIn.join(', ')) {
        throw new NotBatched(`row ${k} of the batch gives outputs of shape [${yIn.join(', ')}], an unbatched run [${single.shape.join(', ')}]`);
      }
      const row = tf.reshape(tf.slice(J, k, 1), [ySize, xSize]);
      const w = tf.tensor2d(checkWeights(ySize), [1, ySize]);
      const a = tf.matMul(w, row).dataSync();
      const scales = tf.matMul(w, tf.abs(row)).dataSync();
      const b = single.vjp.dataSync();
      let scale = 0;
      for (let i = 0; i < xSize; i++) if (Number.isFinite(scales[i])) scale = Math.max(scale, scales[i]);
      for (let i = 0; i < xSize; i++) {
        const same = a[i] === b[i] || (Number.isNaN(a[i]) && Number.isNaN(b[i])) || Math.abs(a[i] - b[i]) <= VERIFY_RTOL * (scales[i] + scale);
        if (!same) {
          throw new NotBatched(
            `row ${k} of the batched Jacobian differs from an unbatched run on the same draws ` +
              `(weighted sum ${i}: ${a[i]} against ${b[i]}), so the rows are not independent`,
          );
        }
      }
    });
  }
}

/** n calls of `jacobianOnDraws`, stacked: the general path. */
function oneAtATime(f: TensorFunction, x: tf.Tensor, n: number, mode: JacobianMode): tf.Tensor {
  const samples: tf.Tensor[] = [];
  for (let k = 0; k < n; k++) samples.push(jacobianOnDraws(f, x, 'sampleJacobians', mode));
  return tf.stack(samples);
}

/**
 * Draws n independent samples of the Jacobian of a random function at one point.
 *
 * `out[k] = d f_k(x) / d x`, where f_k is f on the k-th draw of its noise: the
 * same estimator as `jacobian(f, x)` called n times, and on the same seed the
 * same numbers (up to float32 rounding), because the samples consume the
 * generator in the same order, batched or not. Every entry of one sample is
 * taken on that sample's draws (common random numbers).
 *
 * Most random programs of the course accept a batch: given x tiled to
 * `[n, ...x.shape]` they return n independent rows (`randomWalk` with a 1-D
 * theta). Then every pass serves all n samples at once: for a scalar x, the
 * whole result is one run of f and one forward-mode pass. By default the
 * batch is tried, and checked on the first call for each f and shape of x:
 * the Jacobians of its first and last rows must equal unbatched runs of f on
 * those rows' draws. If f fails on the batch or the check fails, the samples
 * are taken one at a time (with a one-line notice), as with `batched: false`:
 * each is a recorded run of f and, on replays of its draws, one forward-mode
 * pass per entry of x or one reverse pass per output, whichever costs less.
 *
 * Limits: the check looks at the first and last rows only, at the first
 * call only, and compares a weighted sum of each row's Jacobian entries (one
 * reverse pass), so rows in between that depend on each other, or errors
 * that cancel in the sum, go unseen. `batched: true` skips the check unless
 * `verify: true`; `batched: false` never batches. A single sample (n = 1) is
 * taken unbatched.
 *
 * In PyTorch: a loop of `torch.autograd.functional.jacobian(f, x)`, as in the
 * course; batched, `torch.func.vmap(torch.func.jacfwd(f), randomness='different')`.
 *
 * @param f A function of one float32 tensor that returns a float32 tensor;
 *   batched, one that maps `[n, ...x.shape]` to `[n, ...]` row by row.
 * @param x The point, a float32 tensor of any shape (a number is a scalar).
 * @param n The number of samples, an integer >= 1.
 * @param options `batched` (default: try and check), `mode` (default
 *   `'auto'`), `verify` (default false).
 * @returns A float32 tensor of shape `[n, ...jacobian(f, x).shape]`; with
 *   `batched: true`, `[n, ...f(xTiled).shape.slice(1), ...x.shape]`.
 * @throws If f is not a function, x is not float32, n is not an integer >= 1,
 *   `batched`, `mode` or `verify` is not allowed, f does not return a float32
 *   tensor (of n rows when batched), f gives different values or makes
 *   different draws when run again, forward mode meets an op whose gradient
 *   TensorFlow.js cannot differentiate (with `mode: 'forward'`; the message
 *   says to use `mode: 'reverse'`), or `verify` finds rows that depend on
 *   each other.
 * @example
 * manualSeed(0);
 * // 50 samples of dx/dtheta of a 50-step walk, [50, 50], in one pass:
 * const J = sampleJacobians((th) => randomWalk(th, 50, 0.5), 0.4, 50);
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
  const fn = 'sampleJacobians';
  checkFunctionAndPoint(f, x, fn);
  checkInteger(n, fn, 'n', 1);
  check(typeof options === 'object' && options !== null, fn, 'options', 'an object', options);
  const { batched, mode = 'auto', verify = false } = options;
  check(batched === undefined || typeof batched === 'boolean', fn, 'batched', 'a boolean', batched);
  check(['auto', 'forward', 'reverse'].includes(mode), fn, 'mode', "one of 'auto', 'forward', 'reverse'", mode);
  check(typeof verify === 'boolean', fn, 'verify', 'a boolean', verify);
  check(!verify || batched === true, fn, 'verify', 'used with batched: true', verify);
  return tf.tidy(() => {
    const $x = typeof x === 'number' ? tf.scalar(x) : x;
    if (batched === false) return oneAtATime(f, $x, n, mode);
    if (batched === true) {
      try {
        const { J, draws } = batchedSamples(f, $x, n, mode, verify);
        if (verify) verifyRows(f, $x, n, J, draws);
        return J;
      } catch (e) {
        if (!(e instanceof NotBatched)) throw e;
        throw new Error(`${fn}: f must treat the rows of a batch independently (batched: true), but ${e.message}`);
      }
    }
    const key = $x.shape.join(',');
    const known = verdicts.get(f)?.get(key);
    // One sample gains nothing from a batch.
    if (known === false || n === 1) return oneAtATime(f, $x, n, mode);
    const start = saveDraws();
    let reason: string;
    try {
      const { J, draws } = batchedSamples(f, $x, n, mode, true);
      if (known === undefined) verifyRows(f, $x, n, J, draws);
      remember(f, key, true);
      return J;
    } catch (e) {
      reason = e instanceof NotBatched ? e.message : `it failed on a batch (${firstLine(e)})`;
    }
    rewindDraws(start);
    const J = oneAtATime(f, $x, n, mode);
    remember(f, key, false);
    const source = String(f);
    if (!noticed.has(source)) {
      noticed.add(source);
      console.warn(`${fn}: took the ${n} samples one at a time, since f is not batched: ${reason}. Pass { batched: false } to skip the try.`);
    }
    return J;
  });
}

function remember(f: TensorFunction, key: string, batched: boolean): void {
  let byShape = verdicts.get(f);
  if (byShape === undefined) verdicts.set(f, (byShape = new Map()));
  byShape.set(key, batched);
}
