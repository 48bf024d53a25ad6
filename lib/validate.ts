/**
 * Argument checks shared by the public functions.
 *
 * Every message follows one template, `fn: arg must be <rule>, but got <value>`,
 * so that an error names the function, the argument and the allowed range.
 */
import * as tf from '@tensorflow/tfjs';
import { check } from './check';

export { check };

/** Checks that `n` is an integer >= `min`. */
export function checkInteger(n: unknown, fn: string, arg: string, min: number): asserts n is number {
  check(typeof n === 'number' && Number.isInteger(n) && n >= min, fn, arg, `an integer >= ${min}`, n);
}

/** Checks that `tau` is a finite number > 0. */
export function checkTemperature(tau: unknown, fn: string): asserts tau is number {
  check(typeof tau === 'number' && Number.isFinite(tau) && tau > 0, fn, 'tau', 'a finite number > 0', tau);
}

/**
 * Converts numbers, arrays and tensors to a float32 tensor, checking the dtype.
 * Integer tensors are cast; boolean, string and complex tensors are refused.
 */
export function toFloat(x: tf.Tensor | tf.TensorLike, fn: string, arg: string): tf.Tensor {
  if (x instanceof tf.Tensor) {
    check(x.dtype === 'float32' || x.dtype === 'int32', fn, arg, 'a float32 or int32 tensor', x);
    return x.dtype === 'float32' ? x : x.toFloat();
  }
  check(
    typeof x === 'number' || Array.isArray(x) || ArrayBuffer.isView(x),
    fn,
    arg,
    'a tensor, a number or an array of numbers',
    x,
  );
  return tf.tensor(x as tf.TensorLike, undefined, 'float32');
}

/**
 * Checks that every entry of a probability tensor lies in [0, 1] (NaN is refused).
 * This reads the tensor's values: use it on parameters, not on data.
 */
export function checkProbabilities(p: tf.Tensor, fn: string, arg: string): void {
  const values = p.dataSync();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!(v >= 0 && v <= 1)) {
      const where = p.size === 1 ? '' : ` at flat index ${i}`;
      throw new Error(`${fn}: ${arg} must be in [0, 1], but got ${v}${where}`);
    }
  }
}
