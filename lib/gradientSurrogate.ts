/**
 * A loss with a given value and a given gradient, to hand an estimated gradient to an optimiser.
 */
import * as tf from '@tensorflow/tfjs';
import { check, toFloat } from './check';
import { detach } from './withoutGradient';

/**
 * Builds a scalar whose value is `value` and whose gradient with respect to x is `gradient`.
 *
 *   surrogate(x) = detach(value) + sum(x * detach(g)) - detach(sum(x * g)),
 *
 * so `surrogate = value` and `d surrogate / d x = g`. Use it to feed a gradient that autodiff
 * does not produce, such as a `derivativeEstimate` sample, to a loop that differentiates its
 * loss (`calibrate`, `optimizer.minimize`): return `gradientSurrogate(x, loss, g)` as the loss.
 *
 * Gradient: exactly `gradient` with respect to x (wherever x came from, the chain rule carries it
 * on); none through `value` or `gradient`, which are held.
 *
 * In PyTorch: `value.detach() + (x * g.detach()).sum() - (x * g).sum().detach()`.
 *
 * @param x The parameters the gradient is for, a float32 tensor of any shape.
 * @param value The loss value to report, a number or a float32 tensor of one element.
 * @param gradient The gradient, a float32 tensor of x's shape.
 * @returns A float32 scalar equal to value.
 * @throws If x is not a float32 tensor, value does not have one element, or gradient's shape differs from x's.
 * @example
 * const x = tf.scalar(2);
 * tf.grad((t) => gradientSurrogate(t, 10, tf.scalar(-3)))(x); // -3, and the value is 10
 */
export function gradientSurrogate(x: tf.Tensor, value: tf.Tensor | number, gradient: tf.Tensor): tf.Scalar {
  const fn = 'gradientSurrogate';
  check(x instanceof tf.Tensor && x.dtype === 'float32', fn, 'x', 'a float32 tensor', x);
  check(gradient instanceof tf.Tensor, fn, 'gradient', 'a float32 tensor', gradient);
  check(
    gradient.shape.length === x.shape.length && gradient.shape.every((d, i) => d === x.shape[i]),
    fn,
    'gradient',
    `a tensor of the shape of x, [${x.shape}]`,
    gradient,
  );
  return tf.tidy(() => {
    const v = toFloat(value, fn, 'value');
    check(v.size === 1, fn, 'value', 'a number or a tensor of one element', v);
    const inner = tf.sum(tf.mul(x, detach(toFloat(gradient, fn, 'gradient'))));
    return tf.add(tf.reshape(detach(v), []), tf.sub(inner, detach(inner))) as tf.Scalar;
  });
}
