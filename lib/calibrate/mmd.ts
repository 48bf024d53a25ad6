/**
 * The maximum mean discrepancy (MMD) between two samples, with Gaussian kernels.
 *
 * MMD compares two distributions through samples only, which is what a
 * stochastic simulator gives: no likelihood is needed. With a characteristic
 * kernel such as the Gaussian, MMD(P, Q) = 0 exactly when P = Q. The sample
 * estimate is a smooth function of the samples, so its gradient with respect
 * to simulated values is available to autodiff.
 */
import * as tf from '@tensorflow/tfjs';
import { check, toFloat } from '../check';

/** Options of {@link mmd}. */
export interface MMDOptions {
  /**
   * Gaussian kernel bandwidths h > 0; the kernel is their average,
   * `k(a, b) = mean_h exp(-|a - b|^2 / (2 h^2))`, so k(a, a) = 1.
   * Default: `[medianBandwidth(y)]`, the median heuristic on the second sample.
   */
  bandwidths?: number[];
  /** Use the unbiased estimator (U-statistic, no self-pairs). Default true. */
  unbiased?: boolean;
}

/** Views a sample as [..., n, d]: rank 1 means n scalar points. */
function asPoints(t: tf.Tensor): tf.Tensor {
  return t.rank === 1 ? tf.expandDims(t, -1) : t;
}

/**
 * Squared Euclidean distances between the rows of a [..., n, d] and b [..., m, d]: [..., n, m].
 *
 * One matrix product of augmented rows, `[|a|^2, a, 1] . [1, -2b, |b|^2] = |a - b|^2`:
 * broadcasting a [n, 1, d] against a [1, m, d] tensor is slow on the cpu backend,
 * which broadcasts element by element, while matMul is fast on every backend.
 * The points are first centred on b's mean (distances do not change), which keeps
 * the float32 cancellation small (a round-off of order 1e-7 |a|^2, which can be
 * slightly negative: harmless in exp(-d^2 / 2h^2)).
 */
function squaredDistances(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const centre = tf.mean(b, b.rank === 3 ? [1] : [0], true);
  const ac = tf.sub(a, centre);
  const bc = tf.sub(b, centre);
  const a2 = tf.sum(tf.square(ac), -1, true);
  const b2 = tf.sum(tf.square(bc), -1, true);
  const left = tf.concat([a2, ac, tf.onesLike(a2)], -1);
  const right = tf.concat([tf.onesLike(b2), tf.mul(bc, -2), b2], -1);
  let d2: tf.Tensor;
  if (left.rank === right.rank) {
    d2 = tf.matMul(left, right, false, true);
  } else {
    // A batch of samples against one sample: fold the batch into the rows.
    const [B, n, w] = left.shape as number[];
    d2 = tf.reshape(tf.matMul(tf.reshape(left, [B * n, w]), right, false, true), [B, n, right.shape[0]]);
  }
  return d2;
}

/**
 * Sum of each [n, m] matrix of k [..., n, m], as products with vectors of ones:
 * the gradient of tf.sum over two axes broadcasts element by element on cpu.
 */
function sumMatrix(k: tf.Tensor): tf.Tensor {
  const m = k.shape[k.rank - 1];
  const rowSums = tf.matMul(k, tf.ones([m, 1]));
  return tf.sum(tf.squeeze(rowSums, [-1]), -1);
}

/** The averaged Gaussian kernel matrix between a and b. */
function kernel(a: tf.Tensor, b: tf.Tensor, bandwidths: number[]): tf.Tensor {
  const d2 = squaredDistances(a, b);
  const terms = bandwidths.map((h) => tf.exp(tf.mul(d2, -1 / (2 * h * h))));
  return terms.length === 1 ? terms[0] : tf.div(tf.addN(terms), terms.length);
}

/**
 * Mean of the off-diagonal entries of the [..., n, n] kernel matrix k of a
 * sample with itself, whose diagonal is k(x, x) = 1: (sum - n) / (n (n - 1)).
 */
function offDiagonalMean(k: tf.Tensor, n: number): tf.Tensor {
  return tf.div(tf.sub(sumMatrix(k), n), n * (n - 1));
}

/**
 * Computes the median heuristic bandwidth of a sample.
 *
 * `h = median{ |y_i - y_j| : i < j, y_i != y_j }`, the median distance between
 * distinct points (pairs at distance 0 are left out, so that samples with many
 * ties, such as +-1 increments, still get a useful scale). Returns 1 if all
 * points are equal. Read from the values: not differentiable, a constant.
 *
 * @param y A sample of shape [m] (scalar points) or [m, d].
 * @returns A positive number.
 * @throws If y is not a float tensor of rank 1 or 2 with at least 2 points.
 * @example
 * const h = medianBandwidth(observed); mmd(simulated, observed, { bandwidths: [h / 2, h, 2 * h] });
 * @see Gretton et al. (2012), A kernel two-sample test, JMLR 13, section 8.
 */
export function medianBandwidth(y: tf.Tensor | tf.TensorLike): number {
  const $y = toFloat(y, 'medianBandwidth', 'y');
  try {
    check($y.rank === 1 || $y.rank === 2, 'medianBandwidth', 'y', 'a tensor of shape [m] or [m, d]', $y);
    const m = $y.shape[0];
    check(m >= 2, 'medianBandwidth', 'y', 'a sample of at least 2 points', $y);
    const d = $y.rank === 1 ? 1 : ($y.shape[1] as number);
    const v = $y.dataSync();
    const distances: number[] = [];
    for (let i = 0; i < m; i++) {
      for (let j = i + 1; j < m; j++) {
        let s = 0;
        for (let c = 0; c < d; c++) s += (v[i * d + c] - v[j * d + c]) ** 2;
        if (s > 0) distances.push(Math.sqrt(s));
      }
    }
    if (distances.length === 0) return 1;
    const sorted = Float64Array.from(distances).sort();
    const mid = sorted.length >> 1;
    return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  } finally {
    if ($y !== y) $y.dispose();
  }
}

/**
 * Estimates the squared maximum mean discrepancy between two samples.
 *
 * Biased (V-statistic): `MMD_b^2 = mean_ij k(x_i, x_j) + mean_ij k(y_i, y_j) - 2 mean_ij k(x_i, y_j)`.
 * Unbiased (U-statistic): the same with the self-pairs i = j left out of the first
 * two means, so `E[MMD_u^2] = MMD^2(P, Q)` exactly, and it can be negative.
 * The kernel is the average of Gaussian kernels over `bandwidths`.
 *
 * Gradient: smooth in x and y everywhere (squared distances, no square roots);
 * the bandwidths are constants. Minimising the unbiased estimate over a simulator's
 * parameters minimises MMD^2(P_theta, empirical y) in expectation.
 *
 * PyTorch has no built-in counterpart; the estimator is usually written in a few
 * lines of `torch.cdist` and `torch.exp` in simulation-based inference code.
 *
 * @param x First sample: [n] scalar points, [n, d] points, or a batch [B, n, d] of B samples.
 * @param y Second sample: [m], [m, d], or [B, m, d] to pair with a batched x.
 * @param options `bandwidths` (default median heuristic on y), `unbiased` (default true).
 * @returns A float32 scalar, or shape [B] for a batch: one estimate per sample in x.
 * @throws If the shapes or point dimensions do not match, a bandwidth is not a
 *   finite number > 0, or the unbiased estimator gets a sample of fewer than 2 points.
 * @example
 * manualSeed(0);
 * mmd(randn([200]), randn([200])); // close to 0: two samples of one distribution
 * mmd(sim, obs, { bandwidths: [0.5, 1, 2], unbiased: false }); // >= 0
 * @see Gretton et al. (2012), A kernel two-sample test, JMLR 13, equations 3 and 5.
 */
export function mmd(x: tf.Tensor | tf.TensorLike, y: tf.Tensor | tf.TensorLike, options: MMDOptions = {}): tf.Tensor {
  const { unbiased = true } = options;
  check(typeof unbiased === 'boolean', 'mmd', 'unbiased', 'a boolean', unbiased);
  if (options.bandwidths !== undefined) {
    const bw = options.bandwidths;
    check(
      Array.isArray(bw) && bw.length > 0 && bw.every((h) => typeof h === 'number' && Number.isFinite(h) && h > 0),
      'mmd',
      'bandwidths',
      'a non-empty array of finite numbers > 0',
      bw,
    );
  }
  return tf.tidy(() => {
    const $x = toFloat(x, 'mmd', 'x');
    const $y = toFloat(y, 'mmd', 'y');
    check($x.rank >= 1 && $x.rank <= 3, 'mmd', 'x', 'a tensor of shape [n], [n, d] or [B, n, d]', $x);
    check($y.rank >= 1 && $y.rank <= 3, 'mmd', 'y', 'a tensor of shape [m], [m, d] or [B, m, d]', $y);
    check($y.rank < 3 || $x.rank === 3, 'mmd', 'y', 'unbatched when x is unbatched', $y);
    const px = asPoints($x);
    const py = asPoints($y);
    const d = px.shape[px.rank - 1];
    check(py.shape[py.rank - 1] === d, 'mmd', 'y', `points of dimension ${d}, like x`, $y);
    if ($x.rank === 3 && $y.rank === 3) {
      check($y.shape[0] === $x.shape[0], 'mmd', 'y', `a batch of ${$x.shape[0]} samples, like x`, $y);
    }
    const n = px.shape[px.rank - 2];
    const m = py.shape[py.rank - 2];
    const least = unbiased ? 2 : 1;
    check(n >= least, 'mmd', 'x', `a sample of at least ${least} points`, $x);
    check(m >= least, 'mmd', 'y', `a sample of at least ${least} points`, $y);
    const bandwidths = options.bandwidths ?? [medianBandwidth($y.rank === 3 ? tf.reshape($y, [-1, d]) : $y)];
    const kxx = kernel(px, px, bandwidths);
    const kyy = kernel(py, py, bandwidths);
    const kxy = kernel(px, py, bandwidths);
    const xx = unbiased ? offDiagonalMean(kxx, n) : tf.div(sumMatrix(kxx), n * n);
    const yy = unbiased ? offDiagonalMean(kyy, m) : tf.div(sumMatrix(kyy), m * m);
    return tf.sub(tf.add(xx, yy), tf.mul(sumMatrix(kxy), 2 / (n * m)));
  });
}

/** The data of {@link twoSimulationMMD} as distinct points with their counts, and its within-data terms by bandwidths. */
interface DataSummary {
  points: Float32Array;
  counts: Float32Array;
  distinct: number;
  withinData: Map<string, number>;
}

/** The summaries made so far, per data tensor (tensors are immutable). */
const summaries = new WeakMap<tf.Tensor, DataSummary>();

/**
 * The distinct points of the data [m, d] and how often each occurs: computed
 * once per data tensor, since a calibration calls its loss with the same data at
 * every epoch. Data from a simulator with discrete outcomes (returns that are
 * whole numbers of orders over N eta) have far fewer distinct points than
 * points, and every kernel sum against the data shrinks by as much, exactly.
 */
function summarise(y: tf.Tensor, points: tf.Tensor): DataSummary {
  const cached = summaries.get(y);
  if (cached !== undefined) return cached;
  const [m, d] = points.shape as [number, number];
  const values = points.dataSync();
  const index = new Map<string, number>();
  const distinct: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < m; i++) {
    const row = Array.from(values.subarray(i * d, (i + 1) * d));
    const key = row.join(',');
    const at = index.get(key);
    if (at === undefined) {
      index.set(key, counts.length);
      distinct.push(...row);
      counts.push(1);
    } else {
      counts[at]++;
    }
  }
  const summary = { points: Float32Array.from(distinct), counts: Float32Array.from(counts), distinct: counts.length, withinData: new Map<string, number>() };
  summaries.set(y, summary);
  return summary;
}

/**
 * Groups the equal points of a sample [n, d]: each group's mean (equal to each of
 * its points, so the kernel is unchanged) and its size. The mean passes the
 * gradient to every point of the group, so a weighted sum over groups has the
 * gradient of the sum over points. Simulated returns are whole numbers of orders
 * over N eta, so a series of a few hundred has a few dozen distinct values.
 */
function groupEqual(x: tf.Tensor): { points: tf.Tensor; counts: tf.Tensor } {
  const [n, d] = x.shape as [number, number];
  const values = x.dataSync();
  const index = new Map<string, number>();
  const ids = new Int32Array(n);
  const counts: number[] = [];
  for (let i = 0; i < n; i++) {
    const key = Array.from(values.subarray(i * d, (i + 1) * d)).join(',');
    let at = index.get(key);
    if (at === undefined) {
      at = counts.length;
      index.set(key, at);
      counts.push(0);
    }
    counts[at]++;
    ids[i] = at;
  }
  // The group means as one product with [U, n] weights 1 / count (a segment sum has no wasm kernel).
  const U = counts.length;
  const weights = new Float32Array(U * n);
  for (let i = 0; i < n; i++) weights[ids[i] * n + i] = 1 / counts[ids[i]];
  return { points: tf.matMul(tf.tensor2d(weights, [U, n]), x), counts: tf.tensor2d(counts, [U, 1]) };
}

/**
 * Estimates the squared MMD between a simulator and data from two independent simulations.
 *
 * `MMD_2^2 = mean_ij k(a_i, b_j) + mean_{i != j} k(y_i, y_j) - mean_ij k(a_i, y_j) - mean_ij k(b_i, y_j)`,
 * which is `(MMD_u^2(a, y) + MMD_u^2(b, y) - MMD_u^2(a, b)) / 2`: the pairs from inside
 * one simulation cancel. When the points of a simulated series are dependent
 * (returns of one run cluster in time), the within-sample term of {@link mmd}
 * no longer averages to `E k(x, x')` over independent draws, and biases the loss;
 * here every simulated pair comes from two independent runs, so with a and b
 * independent draws of the simulator P and y's points drawn from Q,
 * `E[MMD_2^2] = MMD^2(P, Q)` whatever the dependence inside each run.
 *
 * Gradient: smooth in a and b, as {@link mmd}'s; y is data, a constant (no
 * gradient). The data are summarised once per data tensor as distinct points
 * with their counts (exact; far fewer points for data with discrete values, such
 * as returns that are whole numbers of orders), and the term within the data,
 * which does not depend on a simulator's parameters, is computed once per
 * bandwidths and kept in the value, so that it estimates MMD^2.
 *
 * @param a A simulation: [n] scalar points or [n, d] points.
 * @param b A second, independent simulation: [n'] or [n', d].
 * @param y The data: [m] or [m, d], m >= 2.
 * @param options `bandwidths` (default the median heuristic on y). `unbiased` must be left out or true.
 * @returns A float32 scalar, which can be negative.
 * @throws If the shapes or point dimensions do not match, y has fewer than 2 points, or a bandwidth is invalid.
 * @example
 * const [a, b] = tf.unstack(contModel(params, { nAgents: 200, nTimesteps: 200, nSimulations: 2 }));
 * twoSimulationMMD(a, b, observed, { bandwidths: [h / 2, h, 2 * h] });
 * @see Gretton et al. (2012), A kernel two-sample test, JMLR 13, equation 3 (the cross terms).
 */
export function twoSimulationMMD(
  a: tf.Tensor | tf.TensorLike,
  b: tf.Tensor | tf.TensorLike,
  y: tf.Tensor | tf.TensorLike,
  options: MMDOptions = {},
): tf.Scalar {
  const fn = 'twoSimulationMMD';
  check(options.unbiased === undefined || options.unbiased === true, fn, 'unbiased', 'true or left out (the estimator has no self-pairs)', options.unbiased);
  if (options.bandwidths !== undefined) {
    const bw = options.bandwidths;
    check(
      Array.isArray(bw) && bw.length > 0 && bw.every((h) => typeof h === 'number' && Number.isFinite(h) && h > 0),
      fn,
      'bandwidths',
      'a non-empty array of finite numbers > 0',
      bw,
    );
  }
  return tf.tidy(() => {
    const $a = toFloat(a, fn, 'a');
    const $b = toFloat(b, fn, 'b');
    const $y = toFloat(y, fn, 'y');
    for (const [name, t] of [['a', $a], ['b', $b], ['y', $y]] as const) {
      check(t.rank === 1 || t.rank === 2, fn, name, 'a tensor of shape [n] or [n, d]', t);
    }
    const pa = asPoints($a);
    const pb = asPoints($b);
    const py = asPoints($y);
    const d = py.shape[1];
    check(pa.shape[1] === d, fn, 'a', `points of dimension ${d}, like y`, $a);
    check(pb.shape[1] === d, fn, 'b', `points of dimension ${d}, like y`, $b);
    const m = py.shape[0];
    check(m >= 2, fn, 'y', 'a sample of at least 2 points', $y);
    check(pa.shape[0] >= 1, fn, 'a', 'a sample of at least 1 point', $a);
    check(pb.shape[0] >= 1, fn, 'b', 'a sample of at least 1 point', $b);
    const bandwidths = options.bandwidths ?? [medianBandwidth($y)];
    // Every sample enters as its distinct points u with their counts w, so that
    // mean_ij k(a_i, y_j) = w_a' K(u_a, u_y) w_y / (n m), exactly.
    const data = summarise($y, py);
    const distinct = tf.tensor2d(data.points, [data.distinct, d as number]);
    const counts = tf.tensor2d(data.counts, [data.distinct, 1]);
    const sa = groupEqual(pa);
    const sb = groupEqual(pb);
    const weightedMean = (x: { points: tf.Tensor; counts: tf.Tensor }, z: { points: tf.Tensor; counts: tf.Tensor }, size: number) =>
      tf.div(tf.sum(tf.matMul(tf.matMul(x.counts, kernel(x.points, z.points, bandwidths), true), z.counts)), size);
    const data$ = { points: distinct, counts };
    const ab = weightedMean(sa, sb, pa.shape[0] * pb.shape[0]);
    const ay = weightedMean(sa, data$, pa.shape[0] * m);
    const by = weightedMean(sb, data$, pb.shape[0] * m);
    const key = bandwidths.join(',');
    if (!data.withinData.has(key)) {
      // mean_{i != j} k(y_i, y_j) = (w' K w - m) / (m (m - 1)): the m self-pairs have k = 1.
      const total = tf.sum(tf.matMul(tf.matMul(counts, kernel(distinct, distinct, bandwidths), true), counts)).dataSync()[0];
      data.withinData.set(key, (total - m) / (m * (m - 1)));
    }
    const yy = data.withinData.get(key) as number;
    return tf.sub(tf.add(ab, yy), tf.add(ay, by)) as tf.Scalar;
  });
}

/**
 * Computes {@link twoSimulationMMD} from three ordinary MMD^2 estimates: its readable
 * reference, `(MMD^2(a, y) + MMD^2(b, y) - MMD^2(a, b)) / 2`. The pairs within a and
 * within b cancel, and only pairs from two independent simulations are left.
 * `twoSimulationMMD` computes the same (tested), faster: it groups equal points and
 * computes the term within the data once.
 *
 * @param a A simulation: [n] or [n, d].
 * @param b A second, independent simulation: [n'] or [n', d].
 * @param y The data: [m] or [m, d].
 * @param bandwidths The kernel bandwidths, each > 0.
 * @returns A float32 scalar, which can be negative.
 */
export function twoSimulationMMDReference(a: tf.Tensor, b: tf.Tensor, y: tf.Tensor, bandwidths: number[]): tf.Scalar {
  return tf.tidy(() => {
    const options = { bandwidths, unbiased: true };
    const crossTerms = tf.sub(tf.add(mmd(a, y, options), mmd(b, y, options)), mmd(a, b, options));
    return tf.mul(0.5, crossTerms) as tf.Scalar;
  });
}
