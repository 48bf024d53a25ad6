/**
 * The relaxed Bernoulli (binary Concrete) distribution, after `torch.distributions.RelaxedBernoulli`.
 */
import * as tf from '@tensorflow/tfjs';
import { uniformTensor } from '../random';
import { checkTemperature, toFloat } from '../check';
import { asTensor, checkParameter, Distribution, Parameter, sampleShape, shapeOf } from './distribution';
import { withoutGradient } from '../withoutGradient';

/**
 * The relaxed Bernoulli distribution: the soft two-class Gumbel-Softmax sample.
 *
 * A draw is `y = sigmoid((logit p + L) / tau)` with L ~ Logistic(0, 1) (the
 * difference of two standard Gumbel draws, here `log u - log(1 - u)` with
 * u ~ U(0, 1) from the seeded generator). It is the first entry of
 * `gumbelSoftmax(log([p, 1 - p]), { tau })`, a value in (0, 1) that approaches a
 * Bernoulli(p) draw as tau -> 0. Since `logit y = (logit p + L) / tau` is logistic,
 *
 *   P(Y <= y) = sigmoid(tau logit y - logit p),
 *   log density = log tau + log sigma'(tau logit y - logit p) - log y - log(1 - y),
 *
 * with sigma' the logistic density (Maddison et al., 2017, the binary Concrete).
 * `rsample` is reparameterised in p: `d y / d p = y (1 - y) / (tau p (1 - p))`,
 * the straight-through derivative that `straightThroughBernoulliMoments` integrates.
 *
 * Mirrors `torch.distributions.RelaxedBernoulli(temperature, probs)`; like it,
 * it has no closed-form mean or variance (the getters throw).
 *
 * @example
 * manualSeed(0);
 * const d = new RelaxedBernoulli(0.5, 0.3);
 * d.rsample([1000]);           // values in (0, 1), most near 0 or 1
 * d.cdf(0.5);                  // P(Y <= 1/2) = sigmoid(-logit 0.3) = 0.7
 * @see Maddison et al. (2017), The Concrete distribution, https://arxiv.org/abs/1611.00712
 */
export class RelaxedBernoulli extends Distribution {
  readonly batchShape: number[];
  readonly hasRsample = true;
  /** The temperature tau > 0. */
  readonly temperature: number;
  /** The probability p of the Bernoulli draw being relaxed, as given. */
  readonly probs: Parameter;

  /**
   * Creates the relaxed Bernoulli distribution at temperature tau.
   *
   * @param temperature tau, a finite number > 0.
   * @param probs p: a number or a float32 tensor, every entry in (0, 1).
   * @throws If tau is not a finite number > 0, or probs is not a number or float32
   *   tensor with every entry in (0, 1).
   */
  constructor(temperature: number, probs: Parameter) {
    super();
    checkTemperature(temperature, 'RelaxedBernoulli');
    this.temperature = temperature;
    this.probs = checkParameter(probs, 'RelaxedBernoulli', 'probs', 'in (0, 1)', (v) => v > 0 && v < 1);
    this.batchShape = shapeOf(this.probs);
  }

  /** `sigmoid((logit p + L) / tau)` on fresh logistic noise L. */
  private draw(p: tf.Tensor, full: number[]): tf.Tensor {
    const u = uniformTensor(full, 'RelaxedBernoulli.rsample');
    const noise = tf.sub(tf.log(u), tf.log1p(tf.neg(u)));
    const logit = tf.sub(tf.log(p), tf.log1p(tf.neg(p)));
    return tf.sigmoid(tf.div(tf.add(logit, noise), this.temperature));
  }

  /**
   * Draws relaxed samples with a zero gradient with respect to p (PyTorch's `sample`).
   *
   * @param shape The sample shape. Default `[]`.
   * @returns A float32 tensor in (0, 1) of shape `[...shape, ...batchShape]`
   *   (float32 may round values within 6e-8 of an end to 0 or 1).
   * @throws If shape is not an array of non-negative integers.
   */
  sample(shape: number[] = []): tf.Tensor {
    const full = sampleShape(shape, this.batchShape, 'RelaxedBernoulli.sample');
    return tf.tidy(() => withoutGradient([asTensor(this.probs)], (p) => this.draw(p, full)));
  }

  /**
   * Draws reparameterised relaxed samples, differentiable in p:
   * `d y / d p = y (1 - y) / (tau p (1 - p))`.
   *
   * @param shape The sample shape. Default `[]`.
   * @returns A float32 tensor in (0, 1) of shape `[...shape, ...batchShape]`.
   * @throws If shape is not an array of non-negative integers.
   */
  rsample(shape: number[] = []): tf.Tensor {
    const full = sampleShape(shape, this.batchShape, 'RelaxedBernoulli.rsample');
    return tf.tidy(() => this.draw(asTensor(this.probs), full));
  }

  /**
   * Evaluates the log-density, `log tau + log sigma'(tau logit y - logit p) - log y - log(1 - y)`.
   *
   * Differentiable in p and y. Values outside (0, 1) give NaN or -Infinity (not checked: data).
   *
   * @param value Points in (0, 1), a number or a float32 tensor that broadcasts with `batchShape`.
   * @returns A float32 tensor of the broadcast shape.
   * @throws If value is not a number, array or float32/int32 tensor.
   */
  logProb(value: tf.Tensor | number): tf.Tensor {
    return tf.tidy(() => {
      const y = toFloat(value, 'RelaxedBernoulli.logProb', 'value');
      const p = asTensor(this.probs);
      const logY = tf.log(y);
      const log1mY = tf.log1p(tf.neg(y));
      const x = tf.sub(tf.mul(this.temperature, tf.sub(logY, log1mY)), tf.sub(tf.log(p), tf.log1p(tf.neg(p))));
      // log sigma'(x) = -|x| - 2 log(1 + e^-|x|), without overflow.
      const absX = tf.abs(x);
      const logDensity = tf.sub(tf.neg(absX), tf.mul(2, tf.log1p(tf.exp(tf.neg(absX)))));
      return tf.sub(tf.add(logDensity, Math.log(this.temperature)), tf.add(logY, log1mY));
    });
  }

  /**
   * Evaluates the distribution function, `P(Y <= y) = sigmoid(tau logit y - logit p)`.
   *
   * @param value Points in [0, 1] (0 gives 0, 1 gives 1), a number or a float32 tensor.
   * @returns A float32 tensor of the broadcast shape of value and `batchShape`.
   * @throws If value is not a number, array or float32/int32 tensor.
   */
  cdf(value: tf.Tensor | number): tf.Tensor {
    return tf.tidy(() => {
      const y = toFloat(value, 'RelaxedBernoulli.cdf', 'value');
      const p = asTensor(this.probs);
      const logitY = tf.sub(tf.log(y), tf.log1p(tf.neg(y)));
      return tf.sigmoid(tf.sub(tf.mul(this.temperature, logitY), tf.sub(tf.log(p), tf.log1p(tf.neg(p)))));
    });
  }

  /** Not available in closed form (PyTorch raises too). @throws Always. */
  get mean(): tf.Tensor {
    throw new Error('RelaxedBernoulli.mean: the relaxed Bernoulli distribution has no closed-form mean; average samples instead');
  }

  /** Not available in closed form (PyTorch raises too). @throws Always. */
  get variance(): tf.Tensor {
    throw new Error('RelaxedBernoulli.variance: the relaxed Bernoulli distribution has no closed-form variance; use samples instead');
  }

  /** A short description of the parameters. */
  toString(): string {
    return this.describeWith('RelaxedBernoulli', { temperature: this.temperature, probs: this.probs });
  }
}
