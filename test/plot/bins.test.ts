/**
 * Tests of histogram counts and box-plot statistics.
 *
 * Histogram counts were worked out by hand and agree with
 * `numpy.histogram([1, 1, 2, 3, 3, 3, 4, 5, 5, 5, 5], bins=4)`, which gives
 * counts [2, 1, 3, 5] and edges [1, 2, 3, 4, 5]. Box statistics come from
 * matplotlib's `cbook.boxplot_stats`, saved by
 * `test/fixtures/scripts/boxplot_stats.py` in `test/fixtures/boxplot_stats.json`.
 */
import { binCounts, boxStats, quantileSorted } from '../../lib/plot/bins';
import { expectClose } from '../util';
import fixture from '../fixtures/boxplot_stats.json';

/** The statistics are sums and interpolations of float64 values: equal to round-off. */
const RTOL = 1e-12;

describe('binCounts', () => {
  test('binCounts gives numpy bin counts, the maximum in the last bin', () => {
    const b = binCounts([1, 1, 2, 3, 3, 3, 4, 5, 5, 5, 5], 4);
    expect(b).toEqual({ counts: [2, 1, 3, 5], centers: [1.5, 2.5, 3.5, 4.5], start: 1, size: 1 });
  });

  test('binCounts skips NaN and infinities', () => {
    const b = binCounts([0, 10, NaN, Infinity, -Infinity, 5], 10);
    expect(b.counts.reduce((s, c) => s + c, 0)).toBe(3);
    expect([b.start, b.size]).toEqual([0, 1]);
  });

  test('binCounts of equal values spans [v - 0.5, v + 0.5] like numpy', () => {
    expect(binCounts([2, 2, 2], 2)).toEqual({ counts: [0, 3], centers: [1.75, 2.25], start: 1.5, size: 0.5 });
  });

  test('binCounts puts values near an edge in the bin numpy does, whatever the division rounds to', () => {
    // numpy.histogram([0, 0.3, 1], bins=10) gives [1, 0, 1, 0, 0, 0, 0, 0, 0, 1]: its edge 0 + 3 * 0.1 is
    // 0.30000000000000004 > 0.3. numpy.histogram([-3.76, 8.97, 0.48333333333333334], bins=6) gives
    // [1, 1, 0, 0, 0, 1]: the value is just below the edge -3.76 + 2 * 2.1216..., though dividing
    // its distance from -3.76 by the width rounds up to 2.
    expect(binCounts([0, 0.3, 1], 10).counts).toEqual([1, 0, 1, 0, 0, 0, 0, 0, 0, 1]);
    expect(binCounts([-3.76, 8.97, 0.48333333333333334], 6).counts).toEqual([1, 1, 0, 0, 0, 1]);
  });

  test('binCounts of no finite value gives no bins', () => {
    expect(binCounts([NaN], 3).counts).toEqual([]);
  });
});

describe('boxStats', () => {
  test('quantileSorted interpolates linearly between order statistics, like numpy.percentile', () => {
    // numpy.percentile([1, 2, 4, 8], [0, 25, 50, 75, 100]) = [1, 1.75, 3, 5, 8]
    expect([0, 0.25, 0.5, 0.75, 1].map((p) => quantileSorted([1, 2, 4, 8], p))).toEqual([1, 1.75, 3, 5, 8]);
  });

  test.each(fixture.cases.map((c) => [c.name, c] as const))('boxStats matches matplotlib boxplot_stats: %s', (_, c) => {
    const s = boxStats(c.values);
    expectClose(
      [s.q1, s.median, s.q3, s.lowerFence, s.upperFence, s.mean],
      [c.q1, c.median, c.q3, c.lowerFence, c.upperFence, c.mean],
      RTOL,
      1e-12,
    );
    expectClose(s.fliers, c.fliers, RTOL, 0);
  });

  test('the fixture has cases with fliers on both sides, so the whisker rule is exercised', () => {
    const c = fixture.cases.find((k) => k.name === 'with outliers')!;
    expect(c.fliers).toEqual([-20, 30]);
  });

  test('boxStats does not reorder its input', () => {
    const values = [3, 1, 2];
    boxStats(values);
    expect(values).toEqual([3, 1, 2]);
  });

  test('a NaN makes every statistic NaN, as numpy.percentile does', () => {
    const s = boxStats([1, NaN, 3]);
    expect([s.q1, s.median, s.q3, s.lowerFence, s.upperFence, s.mean].every(Number.isNaN)).toBe(true);
  });
});
