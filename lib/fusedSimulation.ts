/**
 * A simulation written as plain loops, with forward-mode tangents, as one
 * TensorFlow.js operation with its gradient.
 */
import * as tf from '@tensorflow/tfjs';

/** What one run of a fused simulation returns. */
export interface FusedRun {
  /** The outputs of the B simulations, [B, K] flattened (K outputs each). */
  value: Float32Array;
  /** With `withJacobian`, d output / d parameter, [B, K, P] flattened; else null. */
  jacobian: Float32Array | null;
}

/**
 * Whether TensorFlow.js is recording operations for a gradient (inside
 * `tf.grad`, `optimizer.minimize`, ...), read from its engine's state; true
 * when that state cannot be read, which only costs time.
 */
function recordingGradients(): boolean {
  const state = (tf.engine() as unknown as { state?: { gradientDepth?: number } }).state;
  return typeof state?.gradientDepth === 'number' ? state.gradientDepth > 0 : true;
}

/**
 * Runs B simulations as one operation whose gradient comes from their Jacobian.
 *
 * Forward, `run(withJacobian)` gives the outputs y [B, K] (reshaped to
 * `shape`), and with `withJacobian` the Jacobian J [B, K, P] of each
 * simulation's outputs in its P parameters, which the loops carry forward as
 * tangents. Backward, `dL/d theta_bj = sum_k dL/dy_bk J_bkj`, summed over b for
 * a parameter given as one value for all B simulations. When TensorFlow.js
 * records a gradient, the Jacobian is computed in the forward run (one run);
 * otherwise a gradient asked for later runs `run(true)` again, which must
 * replay the same draws. The gradient is a product and a sum of tensors in dy,
 * so it can itself be differentiated with respect to dy, as `jvp` does.
 *
 * @param inputs The P parameters, each a float32 scalar or a vector [B].
 * @param shape The shape of the output, `[B, ...]`, of B K entries.
 * @param run Runs the B simulations on fixed draws, with or without the Jacobian.
 * @returns The outputs, float32 of `shape`.
 * @internal
 */
export function fusedSimulation(inputs: tf.Tensor[], shape: number[], run: (withJacobian: boolean) => FusedRun): tf.Tensor {
  const B = shape[0];
  const K = shape.slice(1).reduce((a, b) => a * b, 1);
  const P = inputs.length;
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const params = args.slice(0, P) as tf.Tensor[];
    const first = run(recordingGradients());
    return {
      value: tf.tensor(first.value, shape, 'float32'),
      gradFunc: (dy: tf.Tensor) => {
        const J = first.jacobian ?? (run(true).jacobian as Float32Array);
        // [B, P]: the gradient of each simulation's parameters.
        const perSimulation = tf.sum(tf.mul(tf.reshape(dy, [B, K, 1]), tf.tensor3d(J, [B, K, P])), 1);
        const columns = tf.unstack(perSimulation, 1);
        return params.map((param, j) => tf.reshape(param.size === 1 && B > 1 ? tf.sum(columns[j]) : columns[j], param.shape));
      },
    };
  });
  return op(...inputs);
}
