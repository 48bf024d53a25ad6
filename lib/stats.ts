/**
 * Summaries of samples in plain numbers: the mean, the unbiased variance, the
 * standard error of the mean, the median and a least-squares slope.
 *
 * The notebooks put Monte Carlo estimates next to exact values with these; they
 * take a tensor or an array, read it once, and compute in float64.
 */
import * as tf from '@tensorflow/tfjs';
import { check, isTensorLike } from './check';

/** Numbers, as an array or a tensor of any shape (read entry by entry). */
export type Sample = ArrayLike<number> | tf.Tensor;

/** The values of a sample as float64 numbers, checked to be a non-empty sample. */
function values(x: Sample, fn: string, min = 1, arg = 'x'): number[] {
  const v = isTensorLike(x) ? Array.from(x.dataSync() as ArrayLike<number>) : Array.from(x ?? []);
  check(v.length >= min, fn, arg, `a sample of at least ${min} number${min === 1 ? '' : 's'}`, x);
  return v;
}

/**
 * Returns the sample mean, `sum_i x_i / n` (`torch.mean`).
 *
 * @param x n >= 1 numbers (an array or a tensor).
 * @throws If x is empty.
 * @example
 * mean([1, 2, 3]); // 2
 */
export function mean(x: Sample): number {
  const v = values(x, 'mean');
  return v.reduce((a, b) => a + b, 0) / v.length;
}

/**
 * Returns the unbiased sample variance, `sum_i (x_i - mean)^2 / (n - 1)` (`torch.var`).
 *
 * @param x n >= 2 numbers.
 * @throws If x has fewer than two numbers.
 * @example
 * variance([1, 2, 3]); // 1
 */
export function variance(x: Sample): number {
  const v = values(x, 'variance', 2);
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  return v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1);
}

/** The mean of a sample, its unbiased variance, the standard error of the mean and the size. */
export interface Summary {
  mean: number;
  variance: number;
  /** `sqrt(variance / n)`. */
  standardError: number;
  n: number;
}

/**
 * Summarises a sample: mean, unbiased variance, standard error `sqrt(variance / n)`, size.
 *
 * @param x n >= 2 numbers.
 * @throws If x has fewer than two numbers.
 * @example
 * summarize([1, 2, 3]); // { mean: 2, variance: 1, standardError: 0.577..., n: 3 }
 */
export function summarize(x: Sample): Summary {
  const v = values(x, 'summarize', 2);
  const m = mean(v);
  const s2 = variance(v);
  return { mean: m, variance: s2, standardError: Math.sqrt(s2 / v.length), n: v.length };
}

/**
 * Returns the median: the middle value, or the mean of the two middle values (`numpy.median`).
 *
 * @param x n >= 1 numbers.
 * @throws If x is empty.
 * @example
 * median([3, 1, 2, 10]); // 2.5
 */
export function median(x: Sample): number {
  const v = values(x, 'median').sort((a, b) => a - b);
  return (v[(v.length - 1) >> 1] + v[v.length >> 1]) / 2;
}

/**
 * Returns the least-squares slope of y against x,
 * `sum_i (x_i - mean x)(y_i - mean y) / sum_i (x_i - mean x)^2` (`numpy.polyfit(x, y, 1)[0]`).
 *
 * @param x n >= 2 numbers, not all equal.
 * @param y n numbers.
 * @throws If the lengths differ, n < 2, or every x is the same.
 * @example
 * slope([0, 1, 2], [1, 3, 5]); // 2
 */
export function slope(x: Sample, y: Sample): number {
  const u = values(x, 'slope', 2);
  const v = values(y, 'slope', 1, 'y');
  check(v.length === u.length, 'slope', 'y', `${u.length} numbers, as many as x`, v.length);
  const mx = mean(u);
  const my = mean(v);
  const sxx = u.reduce((a, xi) => a + (xi - mx) ** 2, 0);
  check(sxx > 0, 'slope', 'x', 'numbers that are not all equal', u);
  return u.reduce((a, xi, i) => a + (xi - mx) * (v[i] - my), 0) / sxx;
}

/** A ratio of two means, with its standard error. */
export interface Ratio {
  ratio: number;
  standardError: number;
}

/**
 * Estimates the ratio of two means from paired samples, `R = mean(x) / mean(y)`, with
 * the delta-method standard error `sqrt(var(x_i - R y_i) / n) / |mean(y)|`: for the bias
 * of one gradient estimator against another on the same draws, `R - 1`.
 *
 * @param x n >= 2 numbers.
 * @param y n numbers, paired with x (the same draws), with a mean other than 0.
 * @throws If the lengths differ or n < 2.
 * @example
 * ratioOfMeans([2, 4, 6], [1, 2, 3]); // { ratio: 2, standardError: 0 }
 */
export function ratioOfMeans(x: Sample, y: Sample): Ratio {
  const u = values(x, 'ratioOfMeans', 2);
  const v = values(y, 'ratioOfMeans', 1, 'y');
  check(v.length === u.length, 'ratioOfMeans', 'y', `${u.length} numbers, as many as x`, v.length);
  const ratio = mean(u) / mean(v);
  const residuals = u.map((xi, i) => xi - ratio * v[i]);
  return { ratio, standardError: Math.sqrt(variance(residuals) / u.length) / Math.abs(mean(v)) };
}
