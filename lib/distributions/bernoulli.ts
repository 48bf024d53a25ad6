/**
 * The Bernoulli distribution, after `torch.distributions.Bernoulli`.
 */
import * as tf from '@tensorflow/tfjs';
import { bernoulli } from '../random';
import { toFloat } from '../check';
import { asTensor, checkParameter, Distribution, Parameter, sampleShape, shapeOf } from './distribution';

/** The smallest probability used by `logProb`, float32's machine epsilon, as in PyTorch's `clamp_probs`. */
const EPS = 2 ** -23;

/**
 * The Bernoulli distribution: 1 with probability `probs`, 0 otherwise.
 *
 * Probability: `P(x) = p^x (1 - p)^(1 - x)` for x in {0, 1}; mean p, variance
 * p (1 - p). A draw is `1[u < p]` with u ~ U(0, 1) from the library's seeded
 * generator. A discrete draw is a step function of p, so there is no
 * reparameterised sampler: `rsample` throws, and gradients of an expectation
 * come from the score function (`scoreFunctionSurrogate`, which uses `logProb`)
 * or from a relaxation such as the straight-through Gumbel-Softmax.
 *
 * Mirrors `torch.distributions.Bernoulli(probs)`.
 *
 * @example
 * manualSeed(0);
 * const b = new Bernoulli(0.3);
 * tf.mean(b.sample([10000]));     // about 0.3
 * b.logProb(tf.tensor([0, 1]));   // [log 0.7, log 0.3]
 * @see https://pytorch.org/docs/stable/distributions.html#bernoulli
 */
export class Bernoulli extends Distribution {
  readonly batchShape: number[];
  readonly hasRsample = false;
  /** The probability of a 1, as given (a number or a float32 tensor, kept by reference). */
  readonly probs: Parameter;

  /**
   * Creates Bernoulli(probs).
   *
   * @param probs The probability of a 1: a number or a float32 tensor, every entry in [0, 1].
   * @throws If probs is not a number or float32 tensor, or an entry is outside [0, 1] or NaN.
   */
  constructor(probs: Parameter) {
    super();
    this.probs = checkParameter(probs, 'Bernoulli', 'probs', 'in [0, 1]', (v) => v >= 0 && v <= 1);
    this.batchShape = shapeOf(this.probs);
  }

  /**
   * Draws 0/1 values, 1 with probability p, with a zero gradient with respect to p
   * (a draw is a step function of p; PyTorch's `sample` has no gradient either).
   *
   * @param shape The sample shape. Default `[]`.
   * @returns A float32 tensor of 0s and 1s of shape `[...shape, ...batchShape]`.
   * @throws If shape is not an array of non-negative integers.
   */
  sample(shape: number[] = []): tf.Tensor {
    const full = sampleShape(shape, this.batchShape, 'Bernoulli.sample');
    // `bernoulli` draws 1[u < p] with a zero gradient, and reports the draw inside `derivativeEstimate`.
    return tf.tidy(() => bernoulli(tf.broadcastTo(asTensor(this.probs), full)));
  }

  /**
   * Refuses: a Bernoulli draw cannot be written as a differentiable function of p
   * and parameter-free noise (PyTorch raises `NotImplementedError`).
   *
   * @throws Always, with a message that names the alternatives.
   */
  rsample(shape: number[] = []): tf.Tensor {
    void shape;
    throw new Error(
      'Bernoulli.rsample: a Bernoulli draw has no reparameterised sampler (it is discrete); ' +
        'use sample() with scoreFunctionSurrogate, or gumbelSoftmax with hard: true for a straight-through draw',
    );
  }

  /**
   * Evaluates the log-probability, `x log p + (1 - x) log(1 - p)`, with p clamped
   * to [eps, 1 - eps] (eps = 2^-23) so that it is finite at p = 0 or 1, as in PyTorch.
   *
   * Differentiable in p (zero where p is clamped) and in value.
   *
   * @param value Points in {0, 1} (not checked: data), a number or a float32 tensor
   *   that broadcasts with `batchShape`.
   * @returns A float32 tensor of the broadcast shape of value and `batchShape`.
   * @throws If value is not a number, array or float32/int32 tensor.
   */
  logProb(value: tf.Tensor | number): tf.Tensor {
    return tf.tidy(() => {
      const x = toFloat(value, 'Bernoulli.logProb', 'value');
      const p = tf.clipByValue(asTensor(this.probs), EPS, 1 - EPS);
      return tf.add(tf.mul(x, tf.log(p)), tf.mul(tf.sub(1, x), tf.log1p(tf.neg(p))));
    });
  }

  /** The mean, p (a new tensor of `batchShape`). */
  get mean(): tf.Tensor {
    return tf.tidy(() => tf.clone(asTensor(this.probs)));
  }

  /** The variance, p (1 - p) (a new tensor of `batchShape`). */
  get variance(): tf.Tensor {
    return tf.tidy(() => {
      const p = asTensor(this.probs);
      return tf.mul(p, tf.sub(1, p));
    });
  }

  /** A short description of the parameter. */
  toString(): string {
    return this.describeWith('Bernoulli', { probs: this.probs });
  }
}
