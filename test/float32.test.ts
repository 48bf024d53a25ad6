/**
 * Tests of the float32 constants, against values computed here independently:
 * 2^-126 in float64, and what Float32Array stores.
 */
import { FLOAT32_TINY } from '../lib/float32';

describe('FLOAT32_TINY', () => {
  it('is 2^-126, the smallest positive normal float32', () => {
    expect(FLOAT32_TINY).toBe(2 ** -126);
    expect(FLOAT32_TINY).toBe(Math.pow(2, -126));
  });

  it('is stored exactly by a Float32Array', () => {
    expect(Float32Array.of(FLOAT32_TINY)[0]).toBe(FLOAT32_TINY);
  });

  it('is normal: half of it is subnormal and loses bits in float32, where it itself keeps them', () => {
    // A normal float32 keeps 24 significant bits: 1 + 2^-23 times it is stored exactly.
    const next = FLOAT32_TINY * (1 + 2 ** -23);
    expect(Float32Array.of(next)[0]).toBe(next);
    // Below it the float32 values are subnormal, spaced 2^-149 apart: half of
    // (1 + 2^-23) times it falls between two of them and is rounded.
    const half = next / 2;
    expect(Float32Array.of(half)[0]).not.toBe(half);
  });

  it('keeps a logarithm and a quotient finite in float32', () => {
    expect(Number.isFinite(Math.log(Float32Array.of(FLOAT32_TINY)[0]))).toBe(true);
    expect(Float32Array.of(1 / FLOAT32_TINY)[0]).toBe(2 ** 126);
    expect(Number.isFinite(Float32Array.of(1 / FLOAT32_TINY)[0])).toBe(true);
  });
});
