/**
 * Gradients that replace TensorFlow.js's own: `Tile` and `Unpack` (costs and a
 * failure in forward mode), and `Abs` (PyTorch's value at 0). `ready()`
 * registers them, through {@link registerGradients}; importing this module
 * changes nothing.
 *
 * TensorFlow.js looks gradients up by kernel name in a global registry, so
 * registering one here changes it for every caller in the process.
 */
import * as tf from '@tensorflow/tfjs';

/**
 * The gradient of `Tile`: the sum of dy over the copies, in one reduction.
 *
 * `tile(x, reps)` lays `reps[i]` copies of x along axis i, so
 * `dx = sum over copies of dy`: dy reshaped to `[..., reps[i], x.shape[i], ...]`
 * and summed over the copy axes. TensorFlow.js 4.22 instead adds one slice of
 * dy per copy, which for `broadcastTo(logits, [T, 2])` is T kernels per
 * gradient, and T pads of size T (quadratic) when the gradient itself is
 * differentiated, as `jvp` does; it also has no gradient above rank 4. This
 * one is a reshape and a sum at any rank, and its own gradient is a broadcast.
 */
export const tileGradient: tf.GradConfig = {
  kernelName: tf.Tile,
  inputsToSave: ['x'],
  gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs?: tf.NamedAttrMap) => {
    const [x] = saved;
    const reps = (attrs as unknown as tf.TileAttrs).reps;
    return {
      x: () => {
        const split: number[] = [];
        const copyAxes: number[] = [];
        x.shape.forEach((size, i) => {
          if (reps[i] !== 1) {
            copyAxes.push(split.length);
            split.push(reps[i]);
          }
          if (size !== 1 || reps[i] === 1) split.push(size);
        });
        const summed = copyAxes.length === 0 ? (dy as tf.Tensor) : tf.sum(tf.reshape(dy as tf.Tensor, split), copyAxes);
        return tf.reshape(summed, x.shape);
      },
    };
  },
};

/**
 * The gradient of `Unpack` (`unstack`): the gradients of the pieces, stacked.
 *
 * `unstack(x, axis)` splits x into its slices along axis, so
 * `dx = stack([dy_0, dy_1, ...], axis)`. TensorFlow.js hands a gradient
 * function of one output a single tensor instead of a list, and its own
 * Unpack gradient then fails for an axis of size 1: the gradient of a
 * `stack` of one tensor cannot be differentiated, which forward mode does.
 */
export const unpackGradient: tf.GradConfig = {
  kernelName: tf.Unpack,
  gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs?: tf.NamedAttrMap) => {
    const { axis } = attrs as unknown as tf.UnpackAttrs;
    return { value: () => tf.stack(Array.isArray(dy) ? dy : [dy], axis) };
  },
};

/**
 * The gradient of `Abs`: `dx = dy * sign(x)`, so 0 at x = 0 and NaN at NaN.
 *
 * Its own gradient is 0 (the derivative of `sign` away from 0), as in PyTorch.
 * Mirrors `torch.abs`'s backward (`grad * self.sgn()`).
 *
 * TensorFlow.js 4.22 differentiates `abs(x)` as `dy * step(x, -1)`, which is
 * -1 at x = 0 (measured on the cpu and wasm backends: `tf.grad(tf.abs)(0)`
 * gives -1). PyTorch gives 0 there (`sign(0) = 0`), the midpoint of the
 * subdifferential [-1, 1]. The difference matters for returns of agent-based
 * models, which are exactly 0 whenever no agent trades: a loss on `|r_t|`
 * would push such a return's gradient as if it were negative.
 */
export const absGradient: tf.GradConfig = {
  kernelName: tf.Abs,
  inputsToSave: ['x'],
  gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
    const [x] = saved;
    // sign(x) as step(x) - step(-x): 0 at 0, NaN at NaN. (tf.sign gives 0 for
    // NaN on the cpu and wasm backends, and 0 for x = 1e-30 on wasm.)
    return {
      x: () => {
        const v = tf.cast(x, 'float32');
        return tf.mul(dy as tf.Tensor, tf.sub(tf.step(v, 0), tf.step(tf.neg(v), 0)));
      },
    };
  },
};

/** The gradients of this module, in the order {@link registerGradients} registers them. */
export const REGISTERED_GRADIENTS: readonly tf.GradConfig[] = [tileGradient, unpackGradient, absGradient];

/**
 * Registers the gradients of this module in TensorFlow.js's global registry,
 * in place of its own for `Tile`, `Unpack` and `Abs`. Registering again is harmless.
 * @internal Called by `ready()`.
 */
export function registerGradients(): void {
  for (const config of REGISTERED_GRADIENTS) tf.registerGradient(config);
}
