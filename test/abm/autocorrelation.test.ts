import * as tf from '@tensorflow/tfjs';
import { autocorrelation, lagPairs } from '../../lib/abm/autocorrelation';
import { manualSeed, randn } from '../../lib/random';
import { centralDifferences, expectClose, expectNoLeak, expectWithinSE, FD_RTOL, moments, values } from '../util';

const NUM_SERIES = 300;

/** The sample autocorrelation from its definition, in float64. */
function referenceACF(x: number[], maxLag: number): number[] {
  const m = x.reduce((a, b) => a + b, 0) / x.length;
  const c = x.map((v) => v - m);
  const denominator = c.reduce((s, v) => s + v * v, 0);
  return Array.from({ length: maxLag + 1 }, (_, k) => {
    let s = 0;
    for (let t = 0; t + k < x.length; t++) s += c[t] * c[t + k];
    return s / denominator;
  });
}

describe('autocorrelation', () => {
  const x = [0.3, -1.2, 0.8, 2.0, -0.5, 0.1, 1.4, -0.9];

  it('matches the definition in float64, with rho_0 = 1', () => {
    const acf = values(autocorrelation(x, 5));
    expectClose(acf, referenceACF(x, 5), 1e-5, 1e-6);
    expect(acf[0]).toBeCloseTo(1, 6);
  });

  it('works along the last axis of a batch, with a default of min(20, T - 1) lags', () => {
    const batch = tf.tensor2d([x, x.map((v) => -2 * v + 1)]);
    const acf = autocorrelation(batch, 3);
    expect(acf.shape).toEqual([2, 4]);
    const rows = acf.arraySync() as number[][];
    expectClose(rows[1], rows[0], 1e-5, 1e-6);
    expect(autocorrelation(x).shape).toEqual([8]);
  });

  it('is near 0 at lag 1 for white noise (mean -1/T)', () => {
    // For iid data E[rho_1] ~ -1/T and Var[rho_1] ~ 1/T (Bartlett).
    manualSeed(1);
    const T = 100;
    const r1 = values(tf.slice(autocorrelation(randn([NUM_SERIES, T]), 1), [0, 1], [NUM_SERIES, 1]));
    const { mean } = moments(r1);
    expectWithinSE(mean, -1 / T, Math.sqrt(1 / T / NUM_SERIES), 'rho_1 of white noise');
  });

  it('is exactly -1/2 at lag 1 for two points, so its gradient is 0 (closed form)', () => {
    expectClose(values(autocorrelation([0.4, 2.5], 1)), [1, -0.5], 1e-6);
    const grad = values(tf.grad((v: tf.Tensor) => tf.slice(autocorrelation(v, 1), [1], [1]))(tf.tensor1d([0.4, 2.5])));
    expectClose(grad, [0, 0], 0, 1e-6);
  });

  it('matches central finite differences', () => {
    const w = tf.tensor1d([0.5, -1, 2, 0.3]);
    const f = (v: number[]) => tf.sum(tf.mul(autocorrelation(v, 3), w)).dataSync()[0];
    const grad = values(tf.grad((v: tf.Tensor) => tf.sum(tf.mul(autocorrelation(v, 3), w)))(tf.tensor1d(x)));
    const fd = centralDifferences(f, x);
    expectClose(grad, fd, FD_RTOL, 1e-3);
  });

  it('gives NaN for a constant series and propagates NaN', () => {
    expect(values(autocorrelation([2, 2, 2], 1)).every(Number.isNaN)).toBe(true);
    expect(values(autocorrelation([1, NaN, 3], 1)).every(Number.isNaN)).toBe(true);
  });

  it('does not leak and refuses bad lags and short series', () => {
    expectNoLeak(() => autocorrelation(x, 2)).dispose();
    expect(() => autocorrelation(x, 8)).toThrow(/autocorrelation: maxLag must be an integer in \[0, 7\] for a series of 8 points, but got 8/);
    expect(() => autocorrelation(x, -1)).toThrow(/autocorrelation: maxLag must be an integer >= 0, but got -1/);
    expect(() => autocorrelation([1])).toThrow(/autocorrelation: x must be a tensor of shape \[..., T\] with T >= 2, but got/);
  });
});

describe('lagPairs', () => {
  it('pairs each value with the one lag steps later', () => {
    expect(lagPairs([1, 2, 3, 4]).arraySync()).toEqual([[1, 2], [2, 3], [3, 4]]);
    expect(lagPairs([1, 2, 3, 4], 2).arraySync()).toEqual([[1, 3], [2, 4]]);
    expect(lagPairs([[1, 2, 3], [4, 5, 6]]).shape).toEqual([2, 2, 2]);
  });

  it('passes gradients through: each value gets one per pair it appears in', () => {
    const grad = values(tf.grad((v: tf.Tensor) => tf.sum(lagPairs(v, 1)))(tf.tensor1d([1, 2, 3, 4])));
    expect(grad).toEqual([1, 2, 2, 1]);
  });

  it('does not leak and refuses a lag outside [1, T - 1]', () => {
    expectNoLeak(() => lagPairs([1, 2, 3])).dispose();
    expect(() => lagPairs([1, 2, 3], 3)).toThrow(/lagPairs: lag must be an integer in \[1, 2\] for a series of 3 points, but got 3/);
    expect(() => lagPairs([1, 2, 3], 0)).toThrow(/lagPairs: lag must be an integer >= 1, but got 0/);
  });
});
