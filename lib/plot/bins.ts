/**
 * Summaries of samples that figures draw: histogram counts and box-plot
 * statistics, computed with the rules of numpy and matplotlib so that a
 * figure here shows the same bars and boxes as the course's originals.
 */

/** A histogram: counts of equal-width bins, their centres, the left edge and the width. */
export interface BinCounts {
  centers: number[];
  counts: number[];
  start: number;
  size: number;
}

/**
 * Counts values in `bins` equal bins from the smallest to the largest finite value,
 * like numpy's `histogram`: bins are [a, b) except the last, [a, b]. NaN and
 * ±Infinity are not counted. Equal values get the range [v - 0.5, v + 0.5].
 *
 * @param values The samples.
 * @param bins The number of bins, an integer >= 1 (checked by the caller).
 * @returns The counts and bin geometry; no bins when no value is finite.
 */
export function binCounts(values: readonly number[], bins: number): BinCounts {
  let lo = Infinity;
  let hi = -Infinity;
  for (const t of values) {
    if (Number.isFinite(t)) {
      if (t < lo) lo = t;
      if (t > hi) hi = t;
    }
  }
  if (lo > hi) return { centers: [], counts: [], start: 0, size: 1 };
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  const size = (hi - lo) / bins;
  const edge = (k: number) => (k === bins ? hi : lo + k * size);
  const counts = new Array<number>(bins).fill(0);
  for (const t of values) {
    if (!Number.isFinite(t)) continue;
    let k = Math.min(bins - 1, Math.floor((t - lo) / size));
    // Rounding can put a value on an edge into the neighbouring bin; fix that.
    if (t < edge(k)) k--;
    else if (k < bins - 1 && t >= edge(k + 1)) k++;
    counts[k]++;
  }
  const centers = counts.map((_, k) => (edge(k) + edge(k + 1)) / 2);
  return { centers, counts, start: lo, size };
}

/** What a box of a box plot shows. */
export interface BoxStats {
  /** The first quartile (25th percentile). */
  q1: number;
  /** The median. */
  median: number;
  /** The third quartile (75th percentile). */
  q3: number;
  /** The lower whisker's end: the smallest value >= q1 - whis·IQR (q1 if there is none below q1). */
  lowerFence: number;
  /** The upper whisker's end: the largest value <= q3 + whis·IQR (q3 if there is none above q3). */
  upperFence: number;
  /** The arithmetic mean. */
  mean: number;
  /** The values beyond the whiskers, in increasing order. */
  fliers: number[];
}

/**
 * Returns the p-th quantile of sorted values by linear interpolation between
 * order statistics, numpy's default (`method='linear'`): position `p (n - 1)`.
 *
 * @param sorted Values in increasing order, at least one.
 * @param p The quantile in [0, 1].
 */
export function quantileSorted(sorted: readonly number[], p: number): number {
  const h = p * (sorted.length - 1);
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * Computes a box plot's statistics as matplotlib's `cbook.boxplot_stats` does:
 * quartiles by numpy's linear percentile, `IQR = q3 - q1`, whiskers at the
 * furthest values within `[q1 - whis·IQR, q3 + whis·IQR]`, fliers beyond them.
 * A NaN among the values makes every statistic NaN (as numpy's percentile does).
 *
 * @param values The samples, at least one (checked by the caller).
 * @param whis The whisker reach in IQRs, > 0 (default 1.5, matplotlib's).
 * @returns The statistics of one box.
 */
export function boxStats(values: readonly number[], whis = 1.5): BoxStats {
  if (values.some(Number.isNaN)) {
    return { q1: NaN, median: NaN, q3: NaN, lowerFence: NaN, upperFence: NaN, mean: NaN, fliers: [] };
  }
  const sorted = [...values].sort((a, b) => a - b);
  const q1 = quantileSorted(sorted, 0.25);
  const median = quantileSorted(sorted, 0.5);
  const q3 = quantileSorted(sorted, 0.75);
  const iqr = q3 - q1;
  const lowLimit = q1 - whis * iqr;
  const highLimit = q3 + whis * iqr;
  const inside = sorted.filter((v) => v >= lowLimit && v <= highLimit);
  const lowerFence = inside.length === 0 || inside[0] > q1 ? q1 : inside[0];
  const upperFence = inside.length === 0 || inside[inside.length - 1] < q3 ? q3 : inside[inside.length - 1];
  const mean = sorted.reduce((s, v) => s + v, 0) / sorted.length;
  const fliers = sorted.filter((v) => v < lowerFence || v > upperFence);
  return { q1, median, q3, lowerFence, upperFence, mean, fliers };
}
