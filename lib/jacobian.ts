/**
 * Jacobians of stochastic programs.
 *
 * TensorFlow.js computes gradients by running the function again under a
 * tape, once per `tf.grad` call. A Jacobian of a random function built from
 * one `tf.grad` per output would therefore mix rows from different random
 * draws. `jacobian` records the draws of a first run and replays them for
 * every pass (common random numbers), as PyTorch's single recorded graph does.
 * Recordings nest (lib/random.ts), so f may itself record and replay draws, or
 * call `jacobian` or `sampleJacobians`.
 *
 * TensorFlow.js has reverse mode only. `jvp` gets forward mode from two
 * reverse passes, so that a function of few inputs and many outputs (a walk
 * of T positions driven by one theta) needs one pass per input instead of one
 * per output.
 */
import * as tf from '@tensorflow/tfjs';
import { recordDraws, replayDraws, rewindDraws, saveDraws } from './random';
import { check } from './check';

/** A function of one float32 tensor that returns a float32 tensor. */
export type TensorFunction = (x: tf.Tensor) => tf.Tensor;

/** Counts the entries where two tensors differ, NaN matching NaN. */
function countMismatches(a: tf.Tensor, b: tf.Tensor): tf.Scalar {
  const bothNaN = tf.logicalAnd(tf.isNaN(a), tf.isNaN(b));
  const differ = tf.logicalAnd(tf.notEqual(a, b), tf.logicalNot(bothNaN));
  return tf.sum(tf.cast(differ, 'int32'));
}

function sameShape(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * The runs of `f` that make up one Jacobian: the first records its draws and
 * its output, the later ones replay those draws and count the outputs that
 * came out different; `check` throws if any did. Used inside a `tf.tidy`;
 * `dispose` frees the recorded output and the counts.
 */
class Runs {
  private recorded: tf.Tensor | null = null;
  private draws: Float32Array[] = [];
  private readonly mismatches: tf.Scalar[] = [];

  constructor(
    private readonly f: TensorFunction,
    readonly fn: string,
  ) {}

  /** The output of the first run. */
  get first(): tf.Tensor {
    if (this.recorded === null) throw new Error(`${this.fn}: internal error, f has not run yet`);
    return this.recorded;
  }

  /** Runs f on x: on new draws the first time, on the same draws after. */
  run(x: tf.Tensor): tf.Tensor {
    if (this.recorded === null) {
      const { value, draws } = recordDraws(() => this.f(x));
      check(value instanceof tf.Tensor && value.dtype === 'float32', this.fn, 'f(x)', 'a float32 tensor', value);
      this.recorded = tf.keep(value);
      this.draws = draws;
      return value;
    }
    const y = replayDraws(this.draws, () => this.f(x), this.fn);
    check(
      y instanceof tf.Tensor && sameShape(y.shape, this.recorded.shape),
      this.fn,
      'f(x)',
      `the same shape on every run, [${this.recorded.shape}]`,
      y,
    );
    this.mismatches.push(tf.keep(countMismatches(y, this.recorded)));
    return y;
  }

  /** Throws if a replay gave outputs that differ from the first run. */
  check(): void {
    if (this.mismatches.length === 0) return;
    const bad = tf.addN(this.mismatches).dataSync()[0];
    if (bad > 0) {
      const of = this.mismatches.length * this.first.size;
      throw new Error(
        `${this.fn}: f gave different values when run again on the same random draws (${bad} of ${of} outputs); ` +
          'draw randomness through the library (rand, bernoulli, gumbelSoftmax) so that manualSeed controls it, not Math.random',
      );
    }
  }

  dispose(): void {
    this.mismatches.forEach((t) => t.dispose());
    this.mismatches.length = 0;
    this.recorded?.dispose();
    this.recorded = null;
  }
}

/**
 * The gradient of `y()` with respect to x, zeros where y does not depend on x
 * (PyTorch's `strict=False`) instead of TensorFlow.js's error.
 */
function gradient(y: () => tf.Scalar, x: tf.Tensor): tf.Tensor {
  try {
    const { grads } = tf.engine().gradients(y, [x], undefined, true);
    return grads[0] ?? tf.zerosLike(x);
  } catch (e) {
    freeFailedTape();
    throw e;
  }
}

/** `d <u, f(x)> / d x` for the cotangent `u(y)`: one reverse pass. */
function vjpPass(runs: Runs, x: tf.Tensor, u: (y: tf.Tensor) => tf.Tensor): tf.Tensor {
  return gradient(() => {
    const y = runs.run(x);
    return tf.sum(tf.mul(y, u(y)));
  }, x);
}

/**
 * `J v` from two reverse passes: forward mode, which TensorFlow.js lacks.
 *
 * `g(u) = d <u, f(x)> / d x = J^T u` is linear in the cotangent u, so
 * `d <g(u), v> / d u = J v` at any u (zeros here). The second pass
 * differentiates the first one's gradient code with respect to the gradient
 * flowing into it, which every TensorFlow.js gradient is linear in; it never
 * differentiates twice with respect to x (which fails for some TensorFlow.js
 * ops, such as exp, tanh and sigmoid).
 *
 * The shape of u is that of f(x), known only once f has run, so u is made
 * inside the first pass from a scalar s, `u = tap(0 * s)`, and `tap` (an
 * identity) hands over the gradient that reaches it, `d <g(u), v> / d u`.
 * So this pass can also be f's first run, the one that records the draws.
 */
function jvpPass(runs: Runs, x: tf.Tensor, v: tf.Tensor): tf.Tensor {
  const tapped: { column?: tf.Tensor } = {};
  const tap = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => ({
    value: tf.clone(args[0] as tf.Tensor),
    gradFunc: (dz: tf.Tensor) => {
      tapped.column = tf.keep(tf.clone(dz));
      return dz;
    },
  }));
  const s = tf.scalar(0);
  try {
    tf.engine().gradients(
      () => {
        const g = gradient(() => {
          const y = runs.run(x);
          return tf.sum(tf.mul(y, tap(tf.mul(tf.zeros(y.shape), s))));
        }, x);
        return tf.sum(tf.mul(g, v));
      },
      [s],
      undefined,
      true,
    );
  } catch (e) {
    tapped.column?.dispose();
    freeFailedTape();
    const message = e instanceof Error ? e.message : String(e);
    if (!/gradient function not found/.test(message)) throw e;
    throw new ForwardModeUnsupported(
      `${runs.fn}: forward mode differentiates the gradient of f, and TensorFlow.js cannot here (${message}); ` +
        "reverse mode only needs f's gradient: pass { strategy: 'reverse-mode' } to jacobian, or { mode: 'reverse' } to sampleJacobians",
    );
  }
  const { column } = tapped;
  if (column === undefined) return tf.zerosLike(runs.first);
  const out = tf.clone(column);
  column.dispose();
  return out;
}

/** Forward mode met an op whose gradient TensorFlow.js cannot differentiate. */
class ForwardModeUnsupported extends Error {}

/**
 * Frees the tensors that a failed top-level gradient left on TensorFlow.js's
 * tape. TensorFlow.js 4.22 frees them only after a backward pass succeeds, so
 * a pass that stops at an op without a gradient would leak them.
 */
function freeFailedTape(): void {
  type Tape = { saved?: tf.Tensor[] }[];
  const state = (tf.engine() as unknown as { state?: { gradientDepth: number; activeTape: Tape | null } }).state;
  if (state === undefined || state.gradientDepth !== 0 || state.activeTape === null) return;
  state.activeTape.forEach((node) => node.saved?.forEach((t) => t.dispose()));
  state.activeTape = null;
}

/** The one-hot tensor of `shape` with a 1 at flat index `i`, broadcast to `full` (which adds leading axes). */
function basis(i: number, shape: number[], full: number[]): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const e = new Float32Array(size);
  e[i] = 1;
  return tf.broadcastTo(tf.tensor(e, shape, 'float32'), full);
}

/**
 * How {@link jacobianOnDraws} builds the Jacobian: one forward-mode pass per
 * input, one reverse pass per output, or whichever costs less (`'auto'`).
 */
export type JacobianMode = 'forward' | 'reverse' | 'auto';

/**
 * The strategies of {@link jacobian}, named as in PyTorch's
 * `torch.autograd.functional.jacobian(..., strategy=...)`, plus `'auto'`.
 */
export type JacobianStrategy = 'forward-mode' | 'reverse-mode' | 'auto';

const STRATEGY_MODES: Record<JacobianStrategy, JacobianMode> = {
  'forward-mode': 'forward',
  'reverse-mode': 'reverse',
  auto: 'auto',
};

/**
 * What a forward-mode pass (two reverse passes) costs in reverse passes, as
 * `'auto'` assumes: it takes forward mode when inputs x this <= outputs. A
 * fixed value, not a measurement: the measured ratio depends on the backend
 * and lies on either side of it (the "forward pass / reverse pass" column of
 * section 3 of bench/RESULTS.md, `npm run bench`).
 */
const FORWARD_PASS_COST = 1.75;

/** One Jacobian in the given mode; see {@link jacobianOnDraws}. */
function buildJacobian(f: TensorFunction, x: tf.Tensor, fn: string, mode: JacobianMode, lead: 0 | 1): tf.Tensor {
  return tf.tidy(() => {
    const runs = new Runs(f, fn);
    try {
      const xIn = x.shape.slice(lead);
      const xSize = xIn.reduce((a, b) => a * b, 1);
      // With one input, forward mode is one pass, and that pass is f's first
      // run; otherwise a first run tells the output's size.
      const onePass = mode !== 'reverse' && xSize === 1;
      const parts: tf.Tensor[] = onePass ? [jvpPass(runs, x, tf.onesLike(x))] : [];
      const y0 = onePass ? runs.first : runs.run(x);
      if (lead === 1) {
        check(
          y0.rank >= 1 && y0.shape[0] === x.shape[0],
          fn,
          'f(x)',
          `a tensor of shape [${x.shape[0]}, ...] for a batched f`,
          y0,
        );
      }
      const yIn = y0.shape.slice(lead);
      const ySize = yIn.reduce((a, b) => a * b, 1);
      const shape = [...y0.shape, ...xIn];
      if (xSize === 0 || ySize === 0) return tf.zeros(shape);
      const forward = onePass || mode === 'forward' || (mode === 'auto' && xSize * FORWARD_PASS_COST <= ySize);
      if (!onePass) {
        if (forward) {
          for (let j = 0; j < xSize; j++) parts.push(jvpPass(runs, x, basis(j, xIn, x.shape)));
        } else {
          for (let i = 0; i < ySize; i++) parts.push(vjpPass(runs, x, (y) => basis(i, yIn, y.shape)));
        }
      }
      runs.check();
      // Forward parts are columns [...y] (stacked last); reverse parts are rows
      // [...x] (stacked after the batch axis).
      return tf.reshape(forward ? tf.stack(parts, -1) : tf.stack(parts, lead), shape);
    } finally {
      runs.dispose();
    }
  });
}

/**
 * The Jacobian of `f` at `x` with every pass on the draws of one recorded run.
 *
 * With `lead = 1`, f is batched: x has shape [n, ...xIn], f(x) has shape
 * [n, ...yIn], and row k of f(x) depends on row k of x only (with its own
 * noise). One pass then serves all n rows, and the result is the n per-row
 * Jacobians, [n, ...yIn, ...xIn]. With `lead = 0` it is [...y, ...x].
 * Forward mode takes one pass per entry of xIn (each pass runs f, its
 * gradient, and the gradient of that), reverse mode one per entry of yIn
 * (each runs f and its gradient). `'auto'` takes the cheaper one, and reverse
 * mode when forward mode meets an op whose gradient TensorFlow.js cannot
 * differentiate (the draws of the abandoned attempt are rewound first).
 * @internal Used by `jacobian` and `sampleJacobians`; f and x are checked by them.
 */
export function jacobianOnDraws(f: TensorFunction, x: tf.Tensor, fn: string, mode: JacobianMode, lead: 0 | 1 = 0): tf.Tensor {
  if (mode !== 'auto') return buildJacobian(f, x, fn, mode, lead);
  const state = saveDraws();
  try {
    return buildJacobian(f, x, fn, 'auto', lead);
  } catch (e) {
    if (!(e instanceof ForwardModeUnsupported)) throw e;
    rewindDraws(state);
    return buildJacobian(f, x, fn, 'reverse', lead);
  }
}

/**
 * `w^T J` of f at x from one run of f and one reverse pass, with the
 * cotangent `w = cotangent(f(x).shape)`; also returns the shape of f(x).
 * @internal Used by `sampleJacobians` to check a batch cheaply.
 */
export function vjpOnce(f: TensorFunction, x: tf.Tensor, fn: string, cotangent: (shape: number[]) => tf.Tensor): { vjp: tf.Tensor; shape: number[] } {
  let shape: number[] = [];
  const vjp = gradient(() => {
    const y = f(x);
    check(y instanceof tf.Tensor && y.dtype === 'float32', fn, 'f(x)', 'a float32 tensor', y);
    shape = y.shape;
    return tf.sum(tf.mul(y, cotangent(y.shape)));
  }, x);
  return { vjp, shape };
}

/** Checks the function and the point of a Jacobian. @internal */
export function checkFunctionAndPoint(f: unknown, x: unknown, fn: string): void {
  check(typeof f === 'function', fn, 'f', 'a function', typeof f);
  check(
    typeof x === 'number' || (x instanceof tf.Tensor && x.dtype === 'float32'),
    fn,
    'x',
    'a float32 tensor or a number',
    x,
  );
}

/** Options of {@link jacobian}. */
export interface JacobianOptions {
  /**
   * `'reverse-mode'`: one reverse pass (f and its gradient) per entry of f(x).
   * `'forward-mode'`: one forward-mode pass (f, its gradient and the gradient
   * of that, see {@link jvp}) per entry of x.
   * `'auto'`: forward mode when x has few enough entries for it to cost less,
   * else reverse mode; also reverse mode when forward mode meets an op whose
   * gradient TensorFlow.js cannot differentiate. Default `'auto'`.
   */
  strategy?: JacobianStrategy;
}

/**
 * Computes the Jacobian of `f` at `x`, every row on the same random draws.
 *
 * `J[i..., j...] = d f(x)[i...] / d x[j...]`. Outputs that do not depend on x give
 * rows of zeros (PyTorch's `strict=False`), not an error. Random draws made
 * through the library's generator are recorded in a first run of `f` and
 * replayed in every pass; a replayed output that differs from the first
 * (randomness from elsewhere, such as `Math.random`) is an error. f may
 * itself record and replay draws (`finiteDifferenceObjective`) or call
 * `jacobian` or `sampleJacobians`: the replays of the outer Jacobian give
 * those the same draws too.
 * For many samples of a Jacobian, {@link sampleJacobians} is much faster.
 * Mirrors `torch.autograd.functional.jacobian(f, x, strategy=...)`.
 *
 * Limits. Randomness from outside the library is caught only when it changes
 * the output of a replay: noise that only moves a gradient (say, a
 * straight-through estimator whose backward pass uses `Math.random`) goes
 * unseen, and the Jacobian then mixes draws; with a single input, forward
 * mode runs f once, so there is no replay to compare. Forward mode
 * differentiates f's gradient, which TensorFlow.js cannot do for a few ops
 * (those whose gradient is a kernel of its own, such as elu's);
 * `'forward-mode'` then throws, and `'auto'` uses reverse mode. For many
 * samples, `sampleJacobians` runs f on a batch: that needs rows that do not
 * depend on each other, which `batched: true` takes on trust unless
 * `verify: true`, and the default call checks on its first and last rows only.
 *
 * Gradient behaviour: straight-through and custom gradients (`tf.customGrad`)
 * count as f's derivative, as in PyTorch.
 *
 * @param f A function of one float32 tensor that returns a float32 tensor.
 * @param x The point, a float32 tensor of any shape (a number is a scalar).
 * @param options `strategy`: `'auto'` (default), `'forward-mode'` or `'reverse-mode'`.
 * @returns A float32 tensor of shape `[...f(x).shape, ...x.shape]`.
 * @throws If x is not float32, if f does not return a float32 tensor, if
 *   `strategy` is not one of the three, if f gives different values or makes
 *   different draws (in number or shape) when run again, or if
 *   `'forward-mode'` meets an op whose gradient cannot be differentiated.
 * @example
 * manualSeed(0);
 * const J = jacobian((th) => randomWalk(th, 100, 1.0), tf.scalar(0.4)); // shape [100]
 * const K = jacobian((v) => tf.mul(tf.sum(v), tf.ones([3])), tf.ones([10]), { strategy: 'reverse-mode' }); // [3, 10], 3 passes
 */
export function jacobian(f: TensorFunction, x: tf.Tensor | number, options: JacobianOptions = {}): tf.Tensor {
  checkFunctionAndPoint(f, x, 'jacobian');
  check(typeof options === 'object' && options !== null, 'jacobian', 'options', 'an object', options);
  const { strategy = 'auto' } = options;
  check(
    typeof strategy === 'string' && Object.prototype.hasOwnProperty.call(STRATEGY_MODES, strategy),
    'jacobian',
    'strategy',
    "one of 'auto', 'forward-mode', 'reverse-mode'",
    strategy,
  );
  return tf.tidy(() => jacobianOnDraws(f, typeof x === 'number' ? tf.scalar(x) : x, 'jacobian', STRATEGY_MODES[strategy]));
}

/**
 * Computes the Jacobian-vector product `J v` of `f` at `x` on one run's draws.
 *
 * `(J v)[i...] = sum_j d f(x)[i...] / d x[j...] v[j...]`, the directional
 * derivative of every output along v: forward mode, built from two reverse
 * passes (see the module notes); bench/RESULTS.md (section 3) gives its cost
 * in gradients.
 * f runs once, so every entry comes from the same random draws. With a
 * scalar x and v = 1 it is the whole Jacobian, in one pass instead of
 * {@link jacobian}'s one per output.
 * For a batched f whose rows are independent (`randomWalk` with a 1-D theta),
 * v = 1 gives every row's derivative with respect to its own x in one pass.
 * Straight-through and custom gradients (`tf.customGrad`) are handled: only
 * their gradient's dependence on the incoming gradient is differentiated.
 * Mirrors `torch.autograd.functional.jvp(f, x, v)[1]`.
 *
 * @param f A function of one float32 tensor that returns a float32 tensor.
 * @param x The point, a float32 tensor of any shape (a number is a scalar).
 * @param v The direction, of the shape of x (a number for a scalar x).
 * @returns A float32 tensor of the shape of f(x).
 * @throws As {@link jacobian}, and if v does not have the shape of x.
 * @example
 * manualSeed(0);
 * const dx = jvp((th) => randomWalk(th, 100, 1.0), 0.4, 1); // shape [100], like jacobian
 * const thetas = tf.linspace(0.1, 0.9, 1000);
 * const dxs = jvp((th) => randomWalk(th, 100, 1.0), thetas, tf.onesLike(thetas)); // [1000, 100]
 */
export function jvp(f: TensorFunction, x: tf.Tensor | number, v: tf.Tensor | number): tf.Tensor {
  checkFunctionAndPoint(f, x, 'jvp');
  return tf.tidy(() => {
    const $x = typeof x === 'number' ? tf.scalar(x) : x;
    const $v = typeof v === 'number' ? tf.scalar(v) : v;
    check($v instanceof tf.Tensor && sameShape($v.shape, $x.shape), 'jvp', 'v', `a tensor of the shape of x, [${$x.shape}]`, v);
    const runs = new Runs(f, 'jvp');
    try {
      const out = jvpPass(runs, $x, tf.cast($v, 'float32'));
      runs.check();
      return out;
    } finally {
      runs.dispose();
    }
  });
}

/**
 * Builds the Jacobian of a deterministic `f: R^m -> R^n` pass by pass, the way the two
 * modes of automatic differentiation do: the readable reference of {@link jacobian}.
 *
 * Reverse mode: one reverse pass per output i gives row i, `d f_i / d x`. Forward mode:
 * one forward pass per input j ({@link jvp} along the unit vector e_j) gives column j,
 * `J e_j`. So reverse mode costs n passes and forward mode m. `jacobian` computes the
 * same (tested), and also replays random draws, handles any shapes and picks the mode.
 *
 * @param f A function of a vector [m] that returns a vector [n], without randomness.
 * @param x The point, [m].
 * @param strategy `'reverse-mode'` or `'forward-mode'`.
 * @returns The Jacobian, [n, m].
 * @example
 * jacobianByPasses((v) => tf.mul(v, v), tf.tensor1d([1, 2]), 'forward-mode'); // [[2, 0], [0, 4]]
 */
export function jacobianByPasses(f: (x: tf.Tensor1D) => tf.Tensor1D, x: tf.Tensor1D, strategy: 'forward-mode' | 'reverse-mode'): tf.Tensor2D {
  return tf.tidy(() => {
    const n = f(x).size;
    const m = x.size;
    const unit = (i: number, size: number) => tf.oneHot(i, size).toFloat();
    if (strategy === 'reverse-mode') {
      const rows = Array.from({ length: n }, (_, i) => tf.grad((v: tf.Tensor) => tf.sum(tf.mul(f(v as tf.Tensor1D), unit(i, n))))(x));
      return tf.stack(rows) as tf.Tensor2D;
    }
    const columns = Array.from({ length: m }, (_, j) => jvp(f as TensorFunction, x, unit(j, m)));
    return tf.stack(columns, 1) as tf.Tensor2D;
  });
}
