/**
 * Tests of reading series: arrays, typed arrays and tensors into plain arrays,
 * with the type and shape checked and no tensor created.
 */
import * as tf from '@tensorflow/tfjs';
import { checkSameLength, isOptions, isSeries, range, toNumbers, toRows } from '../../lib/plot/series';

describe('toNumbers', () => {
  test('toNumbers reads arrays, typed arrays and 1-D float32, int32 and bool tensors', () => {
    expect(toNumbers([1, 2], 'f', 'y')).toEqual([1, 2]);
    expect(toNumbers(new Float32Array([0.5, -2]), 'f', 'y')).toEqual([0.5, -2]);
    const t = tf.tensor1d([0.5, 1.5]);
    const i = tf.tensor1d([1, 2], 'int32');
    const b = tf.tensor1d([1, 0], 'bool');
    expect(toNumbers(t, 'f', 'y')).toEqual([0.5, 1.5]);
    expect(toNumbers(i, 'f', 'y')).toEqual([1, 2]);
    expect(toNumbers(b, 'f', 'y')).toEqual([1, 0]);
    tf.dispose([t, i, b]);
  });

  test('toNumbers returns a copy and keeps NaN', () => {
    const y = [1, NaN];
    const out = toNumbers(y, 'f', 'y');
    out[0] = 9;
    expect(y[0]).toBe(1);
    expect(out[1]).toBeNaN();
  });

  test('toNumbers creates no tensor and leaves the input alive', () => {
    const t = tf.tensor1d([1, 2, 3]);
    const before = tf.memory().numTensors;
    toNumbers(t, 'f', 'y');
    expect(tf.memory().numTensors).toBe(before);
    expect(t.isDisposed).toBe(false);
    t.dispose();
  });

  test('toNumbers refuses other ranks, dtypes and entries with the function and argument named', () => {
    const m = tf.tensor2d([[1, 2]]);
    const s = tf.tensor1d(['a'], 'string');
    expect(() => toNumbers(m, 'plot', 'y')).toThrow(/^plot: y must be a 1-D tensor, but got a float32 tensor of shape \[1, 2\]$/);
    expect(() => toNumbers(s, 'plot', 'y')).toThrow(/^plot: y must be a float32, int32 or bool tensor, but got a string tensor/);
    expect(() => toNumbers([1, 'x'], 'plot', 'y')).toThrow(/^plot: y must be an array of numbers, but got "x" at index 1$/);
    expect(() => toNumbers(new BigInt64Array(1), 'plot', 'y')).toThrow(/^plot: y must be a typed array of numbers/);
    expect(() => toNumbers('abc', 'plot', 'y')).toThrow(/^plot: y must be a number\[\], a typed array or a 1-D tensor, but got "abc"$/);
    tf.dispose([m, s]);
  });
});

describe('toRows', () => {
  test('toRows reads the rows of a 2-D tensor or an array of series', () => {
    const m = tf.tensor2d([[1, 2], [3, 4]]);
    expect(toRows(m, 'f', 'ys')).toEqual([[1, 2], [3, 4]]);
    expect(toRows([[1, 2], new Float64Array([3, 4])], 'f', 'ys')).toEqual([[1, 2], [3, 4]]);
    m.dispose();
  });

  test('toRows refuses ragged lists unless told lengths may differ', () => {
    expect(() => toRows([[1, 2], [1]], 'lines', 'ys')).toThrow(
      /^lines: ys must hold series of one length, but got 2 for ys\[0\] and 1 for ys\[1\]$/,
    );
    expect(toRows([[1, 2], [1]], 'boxplot', 'groups', false)).toEqual([[1, 2], [1]]);
  });

  test('toRows refuses an empty list, a 1-D tensor and a bad row', () => {
    const v = tf.tensor1d([1]);
    expect(() => toRows([], 'mean', 'ys')).toThrow(/^mean: ys must be at least one series, but got \[\]$/);
    expect(() => toRows(v, 'mean', 'ys')).toThrow(/^mean: ys must be an array of series or a 2-D tensor, but got a float32 tensor of shape \[1\]$/);
    expect(() => toRows([[1, 'a']], 'lines', 'ys')).toThrow(/^lines: ys\[0\] must be an array of numbers, but got "a" at index 1$/);
    v.dispose();
  });
});

describe('series kinds, ranges and lengths', () => {
  test('isSeries and isOptions tell series from option objects', () => {
    const t = tf.tensor1d([1]);
    expect([isSeries([1]), isSeries(new Int32Array(1)), isSeries(t), isSeries({})]).toEqual([true, true, true, false]);
    expect([isOptions(undefined), isOptions({}), isOptions([1]), isOptions(t), isOptions(null)]).toEqual([true, true, false, false, false]);
    t.dispose();
  });

  test('range counts from 0, and checkSameLength names both lengths', () => {
    expect(range(3)).toEqual([0, 1, 2]);
    expect(range(0)).toEqual([]);
    expect(() => checkSameLength([0, 1, 2], 2, 'plot')).toThrow(/^plot: x must have 2 entries \(one per y value\), but got 3$/);
  });
});
