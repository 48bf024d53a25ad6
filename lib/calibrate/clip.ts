/**
 * Gradient-norm clipping for any TensorFlow.js optimiser.
 *
 * A stochastic simulator can return a gradient far larger than usual now and
 * then (a rare draw, a steep region of the parameters); one such step can throw
 * a fit far away. Clipping rescales the whole gradient when its norm exceeds a
 * bound, keeping its direction.
 */
import * as tf from '@tensorflow/tfjs';
import { check } from '../check';

/** An optimiser that rescales the gradients to a global norm of at most `maxNorm`, then hands them to another. */
class ClippedOptimizer extends tf.Optimizer {
  static get className(): string {
    return 'ClippedOptimizer';
  }

  constructor(
    private readonly inner: tf.Optimizer,
    private readonly maxNorm: number,
  ) {
    super();
  }

  applyGradients(variableGradients: tf.NamedTensorMap | { name: string; tensor: tf.Tensor }[]): void {
    const named = Array.isArray(variableGradients)
      ? variableGradients
      : Object.keys(variableGradients).map((name) => ({ name, tensor: variableGradients[name] }));
    const clipped = tf.tidy(() => {
      const norm = tf.sqrt(tf.addN(named.map(({ tensor }) => tf.sum(tf.square(tensor)))));
      // torch.nn.utils.clip_grad_norm_: scale by min(1, maxNorm / (norm + 1e-6)).
      const scale = tf.minimum(1, tf.div(this.maxNorm, tf.add(norm, 1e-6)));
      return named.map(({ name, tensor }) => ({ name, tensor: tf.mul(tensor, scale) }));
    });
    try {
      this.inner.applyGradients(clipped);
    } finally {
      clipped.forEach(({ tensor }) => tensor.dispose());
    }
  }

  async getWeights(): Promise<{ name: string; tensor: tf.Tensor }[]> {
    return this.inner.getWeights();
  }

  async setWeights(weightValues: { name: string; tensor: tf.Tensor }[]): Promise<void> {
    return this.inner.setWeights(weightValues);
  }

  getConfig(): tf.serialization.ConfigDict {
    return { maxNorm: this.maxNorm, inner: this.inner.getClassName() };
  }

  dispose(): void {
    this.inner.dispose();
  }
}

/**
 * Wraps an optimiser so that every step first rescales the gradients to a global norm of at most `maxNorm`.
 *
 * With `g` all the gradients of a step and `||g|| = sqrt(sum of their squares)`,
 * the wrapped optimiser receives `g min(1, maxNorm / (||g|| + 1e-6))`: the same
 * direction, the length capped at `maxNorm`. Usable wherever an optimiser is
 * (`calibrate`'s `optimizer`, `minimize`); disposing it disposes `optimizer`.
 *
 * Mirrors `torch.nn.utils.clip_grad_norm_(params, maxNorm)` called between
 * `loss.backward()` and `optimizer.step()`.
 *
 * @param optimizer The optimiser that takes the clipped steps, e.g. `tf.train.adam(0.05)`.
 * @param maxNorm The largest norm of a step's gradient, a finite number > 0.
 * @returns A `tf.Optimizer`.
 * @throws If `optimizer` is not a `tf.Optimizer` or `maxNorm` is not a finite number > 0.
 * @example
 * calibrate({ init, loss, optimizer: clipGradNorm(tf.train.adam(0.05), 1) });
 */
export function clipGradNorm(optimizer: tf.Optimizer, maxNorm: number): tf.Optimizer {
  check(optimizer instanceof tf.Optimizer, 'clipGradNorm', 'optimizer', 'a tf.Optimizer (e.g. tf.train.adam(0.05))', optimizer);
  check(typeof maxNorm === 'number' && Number.isFinite(maxNorm) && maxNorm > 0, 'clipGradNorm', 'maxNorm', 'a finite number > 0', maxNorm);
  return new ClippedOptimizer(optimizer, maxNorm);
}
