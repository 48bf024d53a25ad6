/**
 * The straight-through op: one value in the forward pass, another derivative in the backward pass.
 */
import * as tf from '@tensorflow/tfjs';

/** What a straight-through op computes from its input x. */
export interface StraightThroughParts {
  /** The forward value, of x's shape (e.g. a hard 0/1 or one-hot draw). */
  value: tf.Tensor;
  /**
   * The derivative used in place of value's, elementwise, of x's shape: a tensor
   * computed with the value, or a function of x computed only when a gradient
   * is asked for; omitted, the identity.
   */
  slope?: tf.Tensor | ((x: tf.Tensor) => tf.Tensor);
}

/**
 * Applies a straight-through op to x: `op(x) = value(x)` forward, and
 * `d op / d x := slope(x)` backward (elementwise, `dx = dy * slope`), or the
 * identity `dx = dy` when no slope is given.
 *
 * A hard draw has a zero derivative almost everywhere; the straight-through
 * estimator keeps the draw and borrows the derivative of a smooth relaxation
 * (Bengio et al., 2013). The operations inside `parts` run once, unrecorded:
 * the backward pass is one product, not the gradients of the relaxation's
 * operations. PyTorch writes the same estimator as
 * `soft + (hard - soft).detach()`; that form records both.
 *
 * @param x A float32 tensor.
 * @param parts Computes the value and the slope from x.
 * @returns `parts(x).value`, with the straight-through gradient.
 * @example
 * // A step forward, the sigmoid's derivative backward:
 * straightThroughOp(x, (v) => ({ value: tf.cast(tf.greater(v, 0), 'float32'), slope: (u) => tf.mul(tf.sigmoid(u), tf.sigmoid(tf.neg(u))) }));
 * @internal
 */
export function straightThroughOp(x: tf.Tensor, parts: (x: tf.Tensor) => StraightThroughParts): tf.Tensor {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const { value, slope } = parts(input);
    if (slope) save([slope instanceof tf.Tensor ? slope : input]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        if (!slope) return tf.clone(dy);
        return tf.mul(dy, slope instanceof tf.Tensor ? saved[0] : slope(saved[0]));
      },
    };
  });
  return op(x);
}
