/**
 * The score-function (REINFORCE, likelihood-ratio) gradient estimator.
 *
 * For z ~ p_theta and a function f_theta,
 *
 *   d/dtheta E[f_theta(z)] = E[ f_theta(z) d/dtheta log p_theta(z) + d/dtheta f_theta(z) ],
 *
 * because `d p_theta = p_theta d log p_theta`. Only the log-density needs to be
 * differentiable in theta: the draw itself may be discrete, and f may be a
 * black box in z. The price is variance, which grows with the size of f.
 */
import * as tf from '@tensorflow/tfjs';
import { check, checkInteger, toFloat } from '../check';
import { detach } from '../withoutGradient';
import { Distribution } from './distribution';

/**
 * Builds a surrogate whose value is f and whose gradient is the score-function estimate.
 *
 * `surrogate = f * exp(logProb - detach(logProb))`: the factor is exactly 1, so
 * the value is `f`, and its gradient is `f * d logProb + d f` with the sample held
 * fixed, the single-sample score-function estimate of `d E[f] / d theta`. This is
 * the "magic box" of DiCE (Foerster et al., 2018); PyTorch's documentation writes
 * the common special case, where f does not depend on theta, as the loss
 * `-dist.log_prob(sample) * reward`.
 *
 * Gradient: through `logProb` (the score) and through f's own dependence on
 * theta; nothing flows through the sample, which must come from `sample()`, not
 * `rsample()` (a reparameterised sample would count the path twice).
 *
 * @param logProb `dist.logProb(z)` for a sample z drawn with `dist.sample()`, any shape.
 * @param value `f(z)`, a float32 tensor that broadcasts with logProb (usually the same shape).
 * @returns A float32 tensor of the broadcast shape with the values of `value`.
 * @throws If either argument is not a float32 tensor (or number).
 * @example
 * const grad = tf.grad((theta) => {
 *   const dist = new Bernoulli(theta);
 *   const z = dist.sample([1000]);
 *   return tf.mean(scoreFunctionSurrogate(dist.logProb(z), z));  // E[z] = theta
 * })(tf.scalar(0.3));                                            // about 1
 * @see Foerster et al. (2018), DiCE: the infinitely differentiable Monte Carlo estimator, https://arxiv.org/abs/1802.05098
 * @see https://pytorch.org/docs/stable/distributions.html#score-function
 */
export function scoreFunctionSurrogate(logProb: tf.Tensor | number, value: tf.Tensor | number): tf.Tensor {
  return tf.tidy(() => {
    const lp = toFloat(logProb, 'scoreFunctionSurrogate', 'logProb');
    const f = toFloat(value, 'scoreFunctionSurrogate', 'value');
    return tf.mul(f, tf.exp(tf.sub(lp, detach(lp))));
  });
}

/**
 * Draws n independent score-function estimates of the gradient of an expectation.
 *
 * Estimates `d/dtheta E_{z ~ p_theta}[f(z, theta)]`: theta is tiled to
 * `[n, ...theta.shape]`, `distribution` turns the tiled theta into a
 * distribution with n independent rows, z is drawn once per row with `sample()`,
 * and the gradient of the summed {@link scoreFunctionSurrogate} with respect to
 * the tiled theta gives, row by row, `f(z_k) d log p(z_k) + d f(z_k)`. Their mean
 * is the Monte Carlo estimate; their spread is the estimator's.
 *
 * In PyTorch: the surrogate loss of the documentation, differentiated per sample
 * (`torch.func.vmap(torch.func.grad(...), randomness='different')`).
 *
 * @param distribution Maps the tiled theta `[n, ...theta.shape]` to a distribution
 *   whose `batchShape` starts with n, row k depending on row k of theta only.
 * @param f Maps the sample (of the distribution's `batchShape`) and the tiled theta
 *   to one value per row, shape `[n]`; differentiable in theta where it depends on it.
 * @param theta The point, a number or a float32 tensor.
 * @param n The number of estimates, an integer >= 1.
 * @returns A float32 tensor `[n, ...theta.shape]` of independent estimates.
 * @throws If theta is not a number or float32 tensor, n is not an integer >= 1,
 *   `distribution` does not return a Distribution, or f does not return shape [n].
 * @example
 * manualSeed(0);
 * // z ~ N(theta, 2^2), f = theta^2 (z + 4): d E[f] / d theta = 8 theta + 3 theta^2
 * const g = scoreFunctionGradient((th) => new Normal(th, 2), (z, th) => tf.mul(tf.square(th), tf.add(z, 4)), 2, 10000);
 * tf.mean(g); // about 28
 */
export function scoreFunctionGradient(
  distribution: (theta: tf.Tensor) => Distribution,
  f: (z: tf.Tensor, theta: tf.Tensor) => tf.Tensor,
  theta: tf.Tensor | number,
  n: number,
): tf.Tensor {
  const fn = 'scoreFunctionGradient';
  check(typeof distribution === 'function', fn, 'distribution', 'a function of theta', distribution);
  check(typeof f === 'function', fn, 'f', 'a function of (z, theta)', f);
  check(
    typeof theta === 'number' || (theta instanceof tf.Tensor && theta.dtype === 'float32'),
    fn,
    'theta',
    'a number or a float32 tensor',
    theta,
  );
  checkInteger(n, fn, 'n', 1);
  return tf.tidy(() => {
    const point = typeof theta === 'number' ? tf.scalar(theta) : theta;
    const tiled = tf.tile(tf.expandDims(point, 0), [n, ...point.shape.map(() => 1)]);
    return tf.grad((th: tf.Tensor) => {
      const dist = distribution(th);
      check(dist instanceof Distribution, fn, 'distribution', 'a function that returns a Distribution', dist);
      check(dist.batchShape[0] === n, fn, 'distribution', `a function whose distribution has batchShape [${n}, ...]`, dist.batchShape);
      const z = dist.sample();
      const value = f(z, th);
      check(value instanceof tf.Tensor && value.rank === 1 && value.shape[0] === n, fn, 'f', `a function returning shape [${n}]`, value);
      const logProb = dist.logProb(z);
      const rowLogProb = logProb.rank > 1 ? tf.sum(tf.reshape(logProb, [n, -1]), 1) : logProb;
      return tf.sum(scoreFunctionSurrogate(rowLogProb, value));
    })(tiled);
  });
}
