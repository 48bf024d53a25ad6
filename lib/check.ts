/**
 * Argument checks shared by the whole library.
 *
 * They use the library's one message template, `fn: arg must be <rule>, but got
 * <value>`, without importing TensorFlow.js: a figure can be built and shown in
 * a process that never loads a tfjs backend. Tensors are recognised by shape.
 */

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
