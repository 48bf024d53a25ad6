/**
 * Reading the numbers a figure draws: arrays, typed arrays and tensors, read
 * into plain arrays with their type and shape checked.
 *
 * Tensors are read with `dataSync`/`arraySync`, which create no tensors. NaN is
 * kept (Plotly draws a gap there).
 */
import type { Tensor } from '@tensorflow/tfjs';
import { check, formatValue, isTensorLike } from '../check';

/** One series of numbers: an array, a typed array or a 1-D tensor (read with `dataSync`; the rank is checked when read). */
export type Series = readonly number[] | Float32Array | Float64Array | Int32Array | Uint8Array | Tensor;

/** Several series: an array of series, or a 2-D tensor whose rows are the series (rank checked when read). */
export type SeriesList = readonly Series[] | readonly (readonly number[])[] | Tensor;

/** Tells whether a value is read as a series (an array, a typed array or a tensor). */
export function isSeries(value: unknown): boolean {
  return Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView)) || isTensorLike(value);
}

/** Tells whether a value can be an options object: undefined, or an object that is not a series. */
export function isOptions(value: unknown): boolean {
  return value === undefined || (typeof value === 'object' && value !== null && !isSeries(value));
}

/**
 * Reads one series into a plain array, checking its type (NaN is kept).
 *
 * @param value A number[], a typed array of numbers or a 1-D float32/int32/bool tensor.
 * @param fn The public function's name, for messages.
 * @param arg The argument's name, for messages.
 * @returns A fresh array of numbers.
 * @throws `fn: arg must be ...` for any other value, a tensor of another rank or dtype, or a non-number entry.
 */
export function toNumbers(value: unknown, fn: string, arg: string): number[] {
  if (isTensorLike(value)) {
    check(value.shape.length === 1, fn, arg, 'a 1-D tensor', value);
    check(
      value.dtype === 'float32' || value.dtype === 'int32' || value.dtype === 'bool',
      fn,
      arg,
      'a float32, int32 or bool tensor',
      value,
    );
    return Array.from(value.dataSync() as ArrayLike<number>, Number);
  }
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    check(!(value instanceof BigInt64Array || value instanceof BigUint64Array), fn, arg, 'a typed array of numbers', value);
    return Array.from(value as unknown as ArrayLike<number>);
  }
  check(Array.isArray(value), fn, arg, 'a number[], a typed array or a 1-D tensor', value);
  const out = value as unknown[];
  for (let i = 0; i < out.length; i++) {
    if (typeof out[i] !== 'number') {
      throw new Error(`${fn}: ${arg} must be an array of numbers, but got ${formatValue(out[i])} at index ${i}`);
    }
  }
  return (out as number[]).slice();
}

/**
 * Reads several series (an array of series or a 2-D tensor's rows).
 *
 * @param value An array of series, or a 2-D float32/int32 tensor.
 * @param fn The public function's name, for messages.
 * @param arg The argument's name, for messages.
 * @param sameLength Whether all series must have one length (default true).
 * @returns One fresh array per series, at least one.
 * @throws If the value is not a list of series, is empty, or (with sameLength) is ragged.
 */
export function toRows(value: unknown, fn: string, arg: string, sameLength = true): number[][] {
  let rows: number[][];
  if (isTensorLike(value)) {
    check(value.shape.length === 2, fn, arg, 'an array of series or a 2-D tensor', value);
    check(value.dtype === 'float32' || value.dtype === 'int32', fn, arg, 'a float32 or int32 tensor', value);
    rows = value.arraySync() as number[][];
  } else {
    check(Array.isArray(value), fn, arg, 'an array of series or a 2-D tensor', value);
    rows = (value as unknown[]).map((row, i) => toNumbers(row, fn, `${arg}[${i}]`));
  }
  check(rows.length >= 1, fn, arg, 'at least one series', value);
  if (!sameLength) return rows;
  for (let i = 1; i < rows.length; i++) {
    if (rows[i].length !== rows[0].length) {
      throw new Error(
        `${fn}: ${arg} must hold series of one length, but got ${rows[0].length} for ${arg}[0] and ${rows[i].length} for ${arg}[${i}]`,
      );
    }
  }
  return rows;
}

/** Returns `[0, 1, ..., n - 1]`. */
export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** Throws `fn: x must have n entries (one per y value), but got m` when the lengths differ. */
export function checkSameLength(x: number[], n: number, fn: string): void {
  if (x.length !== n) throw new Error(`${fn}: x must have ${n} entries (one per y value), but got ${x.length}`);
}
