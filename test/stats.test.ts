import * as tf from '@tensorflow/tfjs';
import { mean, variance, summarize, median, slope, ratioOfMeans } from '../lib/stats';

// Reference values worked out by hand from the definitions in the doc comments.
describe('sample summaries', () => {
  it('mean and variance match the formulas on a small sample', () => {
    expect(mean([2, 4, 4, 4, 5, 5, 7, 9])).toBe(5);
    expect(variance([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(32 / 7, 12);
  });

  it('summarize gives the standard error sqrt(variance / n)', () => {
    const s = summarize([1, 2, 3, 4]);
    expect(s).toEqual({ mean: 2.5, variance: 5 / 3, standardError: Math.sqrt(5 / 12), n: 4 });
  });

  it('reads tensors of any shape', () => {
    const t = tf.tensor2d([[1, 2], [3, 4]]);
    expect(mean(t)).toBe(2.5);
    expect(summarize(t).n).toBe(4);
    t.dispose();
  });

  it('median takes the middle value or the mean of the two middle values', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([3, 1, 2, 10])).toBe(2.5);
  });

  it('slope recovers the slope of a line and of a noisy line fitted by hand', () => {
    expect(slope([0, 1, 2, 3], [1, 3, 5, 7])).toBeCloseTo(2, 12);
    // x = 0..3, y = 0, 2, 1, 3: both means 1.5, sxy = 2.25 - 0.25 - 0.25 + 2.25 = 4, sxx = 5.
    expect(slope([0, 1, 2, 3], [0, 2, 1, 3])).toBeCloseTo(0.8, 12);
  });

  it('ratioOfMeans gives mean(x) / mean(y) and the delta-method standard error', () => {
    expect(ratioOfMeans([2, 4, 6], [1, 2, 3])).toEqual({ ratio: 2, standardError: 0 });
    // x = 1, 3, 2, y = 1, 1, 1: R = 2, residuals -1, 1, 0 with variance 1, SE = sqrt(1 / 3) / 1.
    const r = ratioOfMeans([1, 3, 2], [1, 1, 1]);
    expect(r.ratio).toBe(2);
    expect(r.standardError).toBeCloseTo(Math.sqrt(1 / 3), 12);
    expect(() => ratioOfMeans([1, 2], [1])).toThrow(/ratioOfMeans: y must be 2 numbers, as many as x, but got 1/);
  });

  it('lets NaN in the data propagate', () => {
    expect(mean([1, NaN])).toBeNaN();
    expect(variance([1, NaN, 2])).toBeNaN();
  });

  it('refuses samples that are too small, lengths that differ and a constant x', () => {
    expect(() => mean([])).toThrow(/mean: x must be a sample of at least 1 number, but got \[\]/);
    expect(() => variance([1])).toThrow(/variance: x must be a sample of at least 2 numbers/);
    expect(() => slope([1, 2], [1, 2, 3])).toThrow(/slope: y must be 2 numbers, as many as x, but got 3/);
    expect(() => slope([1, 1], [1, 2])).toThrow(/slope: x must be numbers that are not all equal/);
  });
});
