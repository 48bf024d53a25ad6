/**
 * The Gumbel-Softmax trick (Jang et al., 2017; Maddison et al., 2017).
 *
 * A categorical draw is the argmax of the logits plus Gumbel noise. Replacing
 * that argmax by a softmax at temperature tau gives a sample that is smooth in
 * the logits; the straight-through variant keeps the exact one-hot draw in the
 * forward pass and uses the smooth sample's gradient in the backward pass.
 */
import * as tf from '@tensorflow/tfjs';
import { uniformArray } from './random';
import { check, checkTemperature, toFloat } from './check';
import { currentEstimate, EstimateContext, reportDraw } from './discreteDraws';
import { straightThroughOp } from './straightThroughOp';

/**
 * Draws standard Gumbel noise, `g = -log(-log(u))` with u ~ U(0, 1).
 *
 * @param shape The shape of the result.
 * @returns A float32 tensor of `shape`; every value is finite.
 */
export function sampleGumbel(shape: number[]): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tidy(() => tf.neg(tf.log(tf.neg(tf.log(tf.tensor(uniformArray(size, shape), shape, 'float32'))))));
}

/**
 * The straight-through estimator: forward value one-hot(argmax(soft)) along
 * the last axis, gradient equal to the gradient reaching it (identity).
 * NaN in `soft` propagates to the output.
 */
function straightThrough(soft: tf.Tensor): tf.Tensor {
  return straightThroughOp(soft, (y) => {
    const depth = y.shape[y.rank - 1];
    // tf.oneHot needs depth >= 2; a single class is always drawn.
    const hard = depth === 1 ? tf.onesLike(y) : tf.cast(tf.oneHot(tf.argMax(y, -1), depth), 'float32');
    return { value: tf.add(hard, tf.mul(y, 0)) };
  });
}

/**
 * A hard draw inside `derivativeEstimate`: the one-hot argmax of `z` (classes
 * last), reported as a categorical draw with probabilities softmax(logits), with
 * a zero derivative.
 */
function categoricalDraw(estimate: EstimateContext, z: tf.Tensor, logits: tf.Tensor): tf.Tensor {
  const depth = z.shape[z.rank - 1];
  const index = tf.argMax(z, -1);
  const outcome = Float32Array.from(index.dataSync());
  reportDraw(estimate, 'categorical', 'gumbelSoftmax', tf.softmax(logits), outcome);
  if (depth === 1) return tf.onesLike(z);
  return tf.cast(tf.oneHot(tf.tensor(outcome, index.shape, 'int32'), depth), 'float32');
}

/** The permutation that moves `axis` to the end of a rank-`rank` shape. */
function axisToEnd(rank: number, axis: number): number[] {
  const perm = [];
  for (let i = 0; i < rank; i++) if (i !== axis) perm.push(i);
  perm.push(axis);
  return perm;
}

/** Options of {@link gumbelSoftmax}. */
export interface GumbelSoftmaxOptions {
  /** Temperature tau > 0; small values give samples close to one-hot. Default 1. */
  tau?: number;
  /** Return one-hot samples with straight-through gradients. Default false. */
  hard?: boolean;
  /** The class axis, negative values count from the end. Default -1. */
  axis?: number;
}

/**
 * Samples from the Gumbel-Softmax (Concrete) distribution.
 *
 * Soft: `y = softmax((logits + g) / tau)` along `axis`, with g standard Gumbel
 * noise. Hard: the forward value is `one_hot(argmax(y))`, the exact categorical
 * sample with probabilities `softmax(logits)`, and the gradient is the soft
 * sample's (straight-through): `d hard / d logits := d y / d logits`.
 *
 * Inside `derivativeEstimate`, a hard draw returns the same one-hot outcome with a
 * zero derivative and is reported as a categorical draw of probabilities
 * softmax(logits), whose flips the estimator adds (unbiased, unlike the
 * straight-through gradient).
 *
 * Mirrors `torch.nn.functional.gumbel_softmax(logits, tau, hard, dim)`.
 *
 * @param logits Unnormalised log-probabilities, any shape of rank >= 1. A logit
 *   of -Infinity gives a class that is never drawn. NaN propagates to the output.
 * @param options `tau` (default 1), `hard` (default false), `axis` (default -1).
 * @returns A float32 tensor of the shape of `logits`. Its entries along `axis`
 *   sum to 1; with `hard` they are exactly one 1 and the rest 0.
 * @throws If `tau` is not a finite number > 0, or `axis` is not an integer in
 *   [-rank, rank - 1], or `logits` is a scalar or not numeric.
 * @example
 * const logits = tf.log(tf.tensor([0.3, 0.7]));
 * gumbelSoftmax(logits, { tau: 0.5, hard: true }); // [1, 0] or [0, 1]
 * @see https://arxiv.org/abs/1611.01144
 */
export function gumbelSoftmax(logits: tf.Tensor | tf.TensorLike, options: GumbelSoftmaxOptions = {}): tf.Tensor {
  const { tau = 1, hard = false, axis = -1 } = options;
  checkTemperature(tau, 'gumbelSoftmax');
  check(typeof hard === 'boolean', 'gumbelSoftmax', 'hard', 'a boolean', hard);
  return tf.tidy(() => {
    const $logits = toFloat(logits, 'gumbelSoftmax', 'logits');
    const rank = $logits.rank;
    check(rank >= 1, 'gumbelSoftmax', 'logits', 'a tensor of rank >= 1', $logits);
    check(
      Number.isInteger(axis) && axis >= -rank && axis < rank,
      'gumbelSoftmax',
      'axis',
      `an integer in [${-rank}, ${rank - 1}] for logits of rank ${rank}`,
      axis,
    );
    const ax = axis < 0 ? axis + rank : axis;
    const perm = ax === rank - 1 ? null : axisToEnd(rank, ax);
    const estimate = currentEstimate();
    let z = tf.div(tf.add($logits, sampleGumbel($logits.shape)), tau);
    if (perm) z = tf.transpose(z, perm);
    const y = hard && estimate !== null ? categoricalDraw(estimate, z, perm ? tf.transpose($logits, perm) : $logits) : hard ? straightThrough(tf.softmax(z)) : tf.softmax(z);
    if (!perm) return y;
    const inverse = perm.map((_, i) => perm.indexOf(i));
    return tf.transpose(y, inverse);
  });
}
