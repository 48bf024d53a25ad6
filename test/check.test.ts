import { check, formatValue, isTensorLike } from '../lib/check';

describe('check', () => {
  test('check throws one message naming the function, the argument, the rule and the value', () => {
    expect(() => check(false, 'plot', 'alpha', 'in [0, 1]', 1.5)).toThrow(/^plot: alpha must be in \[0, 1\], but got 1\.5$/);
  });

  test('check does nothing when the condition holds', () => {
    expect(() => check(true, 'plot', 'alpha', 'in [0, 1]', 0.5)).not.toThrow();
  });

  test('formatValue quotes strings, lists arrays briefly and names objects', () => {
    expect(formatValue('a')).toBe('"a"');
    expect(formatValue([1, 2, 3])).toBe('[1, 2, 3]');
    expect(formatValue([1, 2, 3, 4, 5, 6, 7])).toBe('[1, 2, 3, 4, 5, ... (7 entries)]');
    expect(formatValue(new Float32Array([0.5]))).toBe('[0.5]');
    expect(formatValue(null)).toBe('null');
    expect(formatValue(undefined)).toBe('undefined');
    expect(formatValue(NaN)).toBe('NaN');
    expect(formatValue({})).toBe('an object');
    expect(formatValue(new Map())).toBe('a Map');
    expect(formatValue(() => 1)).toBe('a function');
  });

  test('formatValue gives the dtype and shape of a tensor without reading it', () => {
    const fake = { shape: [2, 3], dtype: 'float32', dataSync: () => { throw new Error('read'); }, arraySync: () => [] };
    expect(formatValue(fake)).toBe('a float32 tensor of shape [2, 3]');
  });

  test('isTensorLike recognises objects with shape, dtype and dataSync only', () => {
    expect(isTensorLike({ shape: [1], dtype: 'int32', dataSync: () => [1], arraySync: () => [1] })).toBe(true);
    expect(isTensorLike([1, 2])).toBe(false);
    expect(isTensorLike({ shape: [1], dtype: 'int32' })).toBe(false);
    expect(isTensorLike(null)).toBe(false);
  });
});
