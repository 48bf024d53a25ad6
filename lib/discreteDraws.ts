/**
 * The discrete draws of a program, as `derivativeEstimate` sees them.
 *
 * Outside an estimate nothing here is active, and the library's draws behave
 * as they always do (straight-through gradients for the hard Gumbel-Softmax
 * draws). While `derivativeEstimate` runs a function, every discrete draw of the
 * library (`bernoulli`, `Bernoulli`, `Binomial`, `Categorical`, a hard
 * `gumbelSoftmax`) reports itself here: its kind, its probabilities (a tensor
 * that autodiff can differentiate with respect to the parameters) and its
 * outcomes. It returns its outcome as a constant, with a zero derivative: its
 * effect on the output comes from the flips the estimator adds. An estimate can
 * also force an outcome, to run the program again with one draw flipped.
 */
import * as tf from '@tensorflow/tfjs';

/** The kinds of discrete draws the estimator can differentiate. */
export type DrawKind = 'bernoulli' | 'binomial' | 'categorical';

/** One discrete draw call of a run, as recorded by {@link reportDraw}. */
export interface DrawRecord {
  kind: DrawKind;
  /** The function that made the draw, for error messages. */
  fn: string;
  /** The shape of the outcomes (for a categorical draw, without the class axis). */
  shape: number[];
  /** The outcomes: 0/1, a count, or a class index, one per element. */
  outcome: Float32Array;
  /** The probabilities: p per element, or p per element and class ([..., K]) for a categorical draw. */
  probs: Float32Array;
  /** The number of trials of a binomial draw, per element. */
  totalCount: Float32Array | null;
  /** The number of classes of a categorical draw (1 otherwise). */
  classes: number;
}

/** The state of an estimate while f runs. @internal */
export interface EstimateContext {
  /** The public function, for error messages. */
  fn: string;
  /** The draws of this run, in order. */
  draws: DrawRecord[];
  /** Forced outcomes: per draw call, flat element index -> outcome. */
  force: Map<number, Map<number, number>>;
  /** When not null, the probability tensors of the run's draws are collected here, to be differentiated. */
  probs: tf.Tensor[] | null;
  /**
   * Whether step-by-step engines that carry their own pruned flips (`sirModel`'s fused
   * engine) may do so; false when a route is forced, and they then report their draws here.
   */
  engines: boolean;
}

const stack: EstimateContext[] = [];

/** The innermost estimate, or null outside any. @internal */
export function currentEstimate(): EstimateContext | null {
  return stack.length === 0 ? null : stack[stack.length - 1];
}

/** Runs `run` inside an estimate context. @internal */
export function withinEstimate<T>(context: EstimateContext, run: () => T): T {
  stack.push(context);
  try {
    return run();
  } finally {
    stack.pop();
  }
}

/** Runs `run` outside of any estimate (for draws the library makes for itself, such as the pruning choices). @internal */
export function outsideEstimate<T>(run: () => T): T {
  const saved = stack.splice(0, stack.length);
  try {
    return run();
  } finally {
    stack.push(...saved);
  }
}

/**
 * Records a discrete draw of the running estimate and applies its forced outcomes.
 *
 * @param context The running estimate.
 * @param kind The kind of draw.
 * @param fn The public function that draws, for messages.
 * @param probs The probabilities tensor: [...shape] or, categorical, [...shape, K].
 * @param outcome The outcomes drawn, one per element of shape (changed in place where forced).
 * @param totalCount Binomial trials per element.
 * @returns The outcomes after forcing.
 * @internal
 */
export function reportDraw(
  context: EstimateContext,
  kind: DrawKind,
  fn: string,
  probs: tf.Tensor,
  outcome: Float32Array,
  totalCount: Float32Array | null = null,
): Float32Array {
  const index = context.draws.length;
  const forced = context.force.get(index);
  if (forced) forced.forEach((value, element) => (outcome[element] = value));
  const classes = kind === 'categorical' ? probs.shape[probs.rank - 1] : 1;
  const shape = kind === 'categorical' ? probs.shape.slice(0, -1) : probs.shape.slice();
  context.draws.push({ kind, fn, shape, outcome, probs: probs.dataSync() as Float32Array, totalCount, classes });
  if (context.probs) context.probs.push(tf.keep(probs));
  return outcome;
}
