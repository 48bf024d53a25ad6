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
 * mmd(tf.randomNormal([200]), tf.randomNormal([200])); // close to 0
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
