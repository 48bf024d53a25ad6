/**
 * Gradients that replace TensorFlow.js's own, registered on import.
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
tf.registerGradient(tileGradient);
