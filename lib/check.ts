/**
 * Argument checks shared by the whole library.
 *
 * Every message follows one template, `fn: arg must be <rule>, but got <value>`,
 * so that an error names the function, the argument and the allowed range.
 * Tensors are recognised by shape ({@link isTensorLike}), so the plot layer can
 * check a series without running any tensor operation.
 */
import * as tf from '@tensorflow/tfjs';

/** The parts of a tfjs tensor the plot layer reads (`Tensor1D`, `Tensor2D` fit). */
export interface TensorLike {
  readonly shape: number[];
  readonly dtype: string;
  dataSync(): ArrayLike<number | string | boolean>;
  arraySync(): unknown;
}

/**
 * Tells whether a value looks like a tfjs tensor (it has `shape`, `dtype` and `dataSync`).
 *
 * @param value Any value.
 * @returns True for tfjs tensors and objects with the same reading methods.
 * @example
 * isTensorLike(tf.tensor1d([1, 2])); // true
 * isTensorLike([1, 2]);              // false
 */
export function isTensorLike(value: unknown): value is TensorLike {
  const v = value as Partial<TensorLike> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    Array.isArray(v.shape) &&
    typeof v.dtype === 'string' &&
    typeof v.dataSync === 'function'
  );
}

/**
 * Formats a value for an error message: strings are quoted, arrays are listed
 * (the first few entries), tensors give their dtype and shape.
 *
 * @param value Any value.
 * @returns A short, one-line description.
 * @example
 * formatValue('x');        // '"x"'
 * formatValue([1, 2, 3]);  // '[1, 2, 3]'
 */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (isTensorLike(value)) return `a ${value.dtype} tensor of shape [${value.shape.join(', ')}]`;
  if (Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView))) {
    const items = Array.from(value as ArrayLike<unknown>);
    const head = items.slice(0, 5).map(formatValue).join(', ');
    return `[${head}${items.length > 5 ? `, ... (${items.length} entries)` : ''}]`;
  }
  if (typeof value === 'object' && value !== null) {
    const name = Object.getPrototypeOf(value)?.constructor?.name;
    return name && name !== 'Object' ? `a ${name}` : 'an object';
  }
  return String(value);
}

/**
 * Throws `fn: arg must be rule, but got value` when `ok` is false.
 *
 * @param ok The condition that must hold.
 * @param fn The public function's name, e.g. `'plot'`.
 * @param arg The argument's name, e.g. `'alpha'`.
 * @param rule What the argument must be, e.g. `'in [0, 1]'`.
 * @param value The offending value, formatted by {@link formatValue}.
 * @throws Error with the message above when `ok` is false.
 * @example
 * check(alpha >= 0 && alpha <= 1, 'plot', 'alpha', 'in [0, 1]', alpha);
 */
export function check(ok: boolean, fn: string, arg: string, rule: string, value: unknown): asserts ok {
  if (!ok) throw new Error(`${fn}: ${arg} must be ${rule}, but got ${formatValue(value)}`);
}


/** Checks that `n` is an integer >= `min`. */
export function checkInteger(n: unknown, fn: string, arg: string, min: number): asserts n is number {
  check(typeof n === 'number' && Number.isInteger(n) && n >= min, fn, arg, `an integer >= ${min}`, n);
}

/** Checks that `shape` is an array of non-negative integers (a tensor shape). */
export function checkShape(shape: unknown, fn: string, arg = 'shape'): asserts shape is number[] {
  check(
    Array.isArray(shape) && shape.every((d) => Number.isInteger(d) && d >= 0),
    fn,
    arg,
    'an array of non-negative integers',
    shape,
  );
}

/** Checks that `t` is a tensor of length `n` (shape `[n]`); `arg` names it, e.g. `'loss(theta)'`. */
export function checkVector(t: unknown, n: number, fn: string, arg: string): asserts t is tf.Tensor1D {
  check(t instanceof tf.Tensor && t.rank === 1 && t.shape[0] === n, fn, arg, `a tensor of shape [${n}]`, t);
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
