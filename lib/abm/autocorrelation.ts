/**
 * Time-series statistics for the outputs of agent-based models.
 *
 * The stylised facts of returns are statements about autocorrelations: returns
 * are uncorrelated, absolute returns are positively correlated over many lags
 * (volatility clustering). These functions are plain tensor programs, so they
 * are differentiable and can serve in a calibration loss as well as in a figure.
 */
import * as tf from '@tensorflow/tfjs';
import { check, checkInteger, toFloat } from '../check';

/**
 * Computes the sample autocorrelation function along the last axis.
 *
 * `rho_k = sum_{t=1}^{T-k} (x_t - m)(x_{t+k} - m) / sum_{t=1}^{T} (x_t - m)^2`, k = 0..maxLag,
 * with m the mean of the series (the usual biased estimator, as in `statsmodels`'
 * `acf`, which keeps the sequence positive semi-definite). rho_0 = 1.
 *
 * Gradient: smooth in x where the variance is positive. A constant series has
 * no autocorrelation: 0 / 0 gives NaN, which propagates.
 *
 * Mirrors `statsmodels.tsa.stattools.acf(x, nlags=maxLag, fft=False)`; PyTorch has no built-in.
 *
 * @param x A series [T] or a batch [..., T], T >= 2.
 * @param maxLag The largest lag, an integer in [0, T - 1]. Default min(20, T - 1).
 * @returns A float32 tensor of shape [..., maxLag + 1].
 * @throws If x has rank 0 or fewer than 2 points, or maxLag is out of range.
 * @example
 * autocorrelation(tf.abs(returns), 50); // volatility clustering: slowly decaying positive values
 */
export function autocorrelation(x: tf.Tensor | tf.TensorLike, maxLag?: number): tf.Tensor {
  const fn = 'autocorrelation';
  return tf.tidy(() => {
    const $x = toFloat(x, fn, 'x');
    check($x.rank >= 1 && $x.shape[$x.rank - 1] >= 2, fn, 'x', 'a tensor of shape [..., T] with T >= 2', $x);
    const T = $x.shape[$x.rank - 1];
    const lags = maxLag ?? Math.min(20, T - 1);
    checkInteger(lags, fn, 'maxLag', 0);
    check(lags <= T - 1, fn, 'maxLag', `an integer in [0, ${T - 1}] for a series of ${T} points`, lags);
    const centred = tf.sub($x, tf.mean($x, -1, true));
    const denominator = tf.sum(tf.square(centred), -1);
    const begin = $x.shape.map(() => 0);
    const rows: tf.Tensor[] = [];
    for (let k = 0; k <= lags; k++) {
      const size = $x.shape.slice();
      size[$x.rank - 1] = T - k;
      const head = tf.slice(centred, begin, size);
      const tail = tf.slice(centred, [...begin.slice(0, -1), k], size);
      rows.push(tf.sum(tf.mul(head, tail), -1));
    }
    return tf.div(tf.stack(rows, -1), tf.expandDims(denominator, -1));
  });
}

/**
 * Pairs each value of a series with the value `lag` steps later.
 *
 * `out[t] = [x_t, x_{t+lag}]` for t = 1..T-lag: points whose joint distribution
 * carries the dependence at that lag, for a two-sample loss such as MMD
 * (e.g. pairs of absolute returns, to match volatility clustering).
 *
 * Gradient: a rearrangement of x, so each entry passes its gradient through.
 *
 * Mirrors `torch.stack([x[:-lag], x[lag:]], -1)`.
 *
 * @param x A series [T] or a batch [..., T].
 * @param lag The lag, an integer in [1, T - 1]. Default 1.
 * @returns A float32 tensor of shape [..., T - lag, 2].
 * @throws If x has rank 0 or lag is out of range.
 * @example
 * mmd(lagPairs(tf.abs(rSim)), lagPairs(tf.abs(rObs)));
 */
export function lagPairs(x: tf.Tensor | tf.TensorLike, lag = 1): tf.Tensor {
  const fn = 'lagPairs';
  return tf.tidy(() => {
    const $x = toFloat(x, fn, 'x');
    check($x.rank >= 1, fn, 'x', 'a tensor of shape [..., T]', $x);
    const T = $x.shape[$x.rank - 1];
    checkInteger(lag, fn, 'lag', 1);
    check(lag <= T - 1, fn, 'lag', `an integer in [1, ${T - 1}] for a series of ${T} points`, lag);
    const begin = $x.shape.map(() => 0);
    const size = $x.shape.slice();
    size[$x.rank - 1] = T - lag;
    const now = tf.slice($x, begin, size);
    const later = tf.slice($x, [...begin.slice(0, -1), lag], size);
    return tf.stack([now, later], -1);
  });
}
