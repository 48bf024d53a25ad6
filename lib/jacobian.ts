/**
 * Jacobians of stochastic programs.
 *
 * TensorFlow.js computes gradients by running the function again under a
 * tape, once per `tf.grad` call. A Jacobian of a random function built from
 * one `tf.grad` per output would therefore mix rows from different random
 * draws. `jacobian` records the draws of a first run and replays them for
 * every row (common random numbers), as PyTorch's single recorded graph does.
 */
import * as tf from '@tensorflow/tfjs';
import { recordDraws, replayDraws } from './random';
import { check } from './validate';

/** Counts the entries where two tensors differ, NaN matching NaN. */
function countMismatches(a: tf.Tensor, b: tf.Tensor): tf.Scalar {
  const bothNaN = tf.logicalAnd(tf.isNaN(a), tf.isNaN(b));
  const differ = tf.logicalAnd(tf.notEqual(a, b), tf.logicalNot(bothNaN));
  return tf.sum(tf.cast(differ, 'int32'));
}

/** The i-th standard basis vector of length m. */
function unitVector(i: number, m: number): tf.Tensor1D {
  const e = new Float32Array(m);
  e[i] = 1;
  return tf.tensor1d(e);
}

/**
 * Computes the Jacobian of `f` at `x`, every row on the same random draws.
 *
 * `J[i..., j...] = d f(x)[i...] / d x[j...]`. Outputs that do not depend on x give
 * rows of zeros (PyTorch's `strict=False`), not an error. Random draws made
 * through the library's generator are recorded in a first run of `f` and
 * replayed for each row; a replayed output that differs from the first
 * (randomness from elsewhere, such as `Math.random`) is an error.
 * Mirrors `torch.autograd.functional.jacobian(f, x)`.
 *
 * @param f A function of one float32 tensor that returns a float32 tensor.
 * @param x The point, a float32 tensor of any shape (a number is a scalar).
 * @returns A float32 tensor of shape `[...f(x).shape, ...x.shape]`.
 * @throws If x is not float32, if f does not return a float32 tensor, or if f
 *   gives different values or makes different draws when run again.
 * @example
 * manualSeed(0);
 * const J = jacobian((th) => randomWalk(th, 100, 1.0), tf.scalar(0.4)); // shape [100]
 */
export function jacobian(f: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor | number): tf.Tensor {
  check(typeof f === 'function', 'jacobian', 'f', 'a function', typeof f);
  check(
    typeof x === 'number' || (x instanceof tf.Tensor && x.dtype === 'float32'),
    'jacobian',
    'x',
    'a float32 tensor or a number',
    x,
  );
  return tf.tidy(() => {
    const $x = typeof x === 'number' ? tf.scalar(x) : x;
    const { value: y0, draws } = recordDraws(() => f($x));
    check(y0 instanceof tf.Tensor && y0.dtype === 'float32', 'jacobian', 'f(x)', 'a float32 tensor', y0);
    const m = y0.size;
    const rows: tf.Tensor[] = [];
    const mismatches: tf.Scalar[] = [];
    let bad = 0;
    try {
      for (let i = 0; i < m; i++) {
        const row = tf.grad((xi: tf.Tensor) => {
          const y = replayDraws(draws, () => f(xi));
          mismatches.push(tf.keep(countMismatches(y, y0)));
          const picked = tf.sum(tf.mul(tf.reshape(y, [m]), unitVector(i, m)));
          // The 0 * x term keeps x on the tape, so an output that does not
          // depend on x gets a row of zeros instead of an error.
          return tf.add(picked, tf.sum(tf.mul(xi, 0)));
        })($x);
        rows.push(row);
      }
      if (m > 0) bad = tf.addN(mismatches).dataSync()[0];
    } finally {
      mismatches.forEach((t) => t.dispose());
    }
    if (bad > 0) {
      throw new Error(
        `jacobian: f gave different values when run again on the same random draws (${bad} of ${m} outputs); ` +
          'draw randomness through the library (rand, bernoulli, gumbelSoftmax) so that manualSeed controls it, not Math.random',
      );
    }
    const shape = [...y0.shape, ...$x.shape];
    return m === 0 ? tf.zeros(shape) : tf.reshape(tf.stack(rows), shape);
  });
}
