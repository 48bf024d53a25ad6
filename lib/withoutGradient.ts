/**
 * The stop-gradient: values that autodiff treats as constants, like PyTorch's
 * `x.detach()` and `torch.no_grad()`.
 */
import * as tf from '@tensorflow/tfjs';
import { check } from './check';

/**
 * Returns a copy of x that blocks gradients: the same values, and a zero
 * gradient with respect to x, like PyTorch's `x.detach()`.
 *
 * TensorFlow.js has no `stopGradient`; here the copy is a custom-gradient op
 * whose gradient is zero, so a function whose output reaches x only through
 * `detach(x)` has a zero gradient (not an error) with respect to x.
 *
 * @param x Any float32 tensor.
 * @returns A new tensor with x's values and shape; `d detach(x) / d x = 0`.
 * @throws If x is not a float32 tensor.
 * @example
 * tf.grad((t) => tf.mul(t, detach(t)))(tf.scalar(3)); // 3: only the first factor is differentiated
 */
export function detach(x: tf.Tensor): tf.Tensor {
  check(x instanceof tf.Tensor && x.dtype === 'float32', 'detach', 'x', 'a float32 tensor', x);
  return withoutGradient([x], (t) => tf.clone(t));
}

/**
 * Runs `compute` on the tensors `inputs` as one op whose gradient with respect to
 * every input is zero: the result does not carry the inputs' gradients, as a
 * PyTorch computation under `torch.no_grad()` does not. The ops inside are not
 * recorded for autodiff, so they may include ops without a gradient (`less`).
 * @internal
 */
export function withoutGradient(inputs: tf.Tensor[], compute: (...inputs: tf.Tensor[]) => tf.Tensor): tf.Tensor {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const tensors = args.slice(0, inputs.length) as tf.Tensor[];
    return {
      value: compute(...tensors),
      gradFunc: () => tensors.map((t) => tf.zerosLike(t)),
    };
  });
  return op(...inputs);
}
