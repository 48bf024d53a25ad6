/**
 * The normal distribution, after `torch.distributions.Normal`.
 */
import * as tf from '@tensorflow/tfjs';
import { randn } from '../random';
import { toFloat } from '../check';
import { asTensor, broadcastShapes, checkParameter, Distribution, Parameter, sampleShape, shapeOf } from './distribution';
import { withoutGradient } from '../withoutGradient';

const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/**
 * The normal distribution N(loc, scale^2), with mean `loc` and standard deviation `scale`.
 *
 * Density: `p(x) = exp(-(x - loc)^2 / (2 scale^2)) / (scale sqrt(2 pi))`.
 * A reparameterised draw is `x = loc + scale * eps` with eps ~ N(0, 1) from the
 * library's seeded generator (`randn`), so `d x / d loc = 1` and
 * `d x / d scale = eps`. `sample` draws the same numbers but blocks the gradient
 * (zero), as PyTorch's `sample` does.
 *
 * Mirrors `torch.distributions.Normal(loc, scale)`.
 *
 * @example
 * manualSeed(0);
 * const theta = tf.scalar(2);
 * const z = new Normal(theta, 2).rsample([1000]);          // [1000], differentiable in theta
 * tf.grad((t) => tf.mean(new Normal(t, 2).rsample([10])))(theta); // 1
 * new Normal(0, 1).logProb(0);                            // -0.919 = -log(2 pi) / 2
 * @see https://pytorch.org/docs/stable/distributions.html#normal
 */
export class Normal extends Distribution {
  readonly batchShape: number[];
  readonly hasRsample = true;
  /** The mean, as given (a number or a float32 tensor, kept by reference). */
  readonly loc: Parameter;
  /** The standard deviation, as given; every entry finite and > 0. */
  readonly scale: Parameter;

  /**
   * Creates N(loc, scale^2).
   *
   * @param loc The mean: a finite number or a float32 tensor of finite values.
   * @param scale The standard deviation: a number or float32 tensor, finite and > 0,
   *   with a shape that broadcasts with loc's.
   * @throws If loc or scale is not a number or float32 tensor, has an entry out of
   *   range (NaN included), or their shapes do not broadcast.
   */
  constructor(loc: Parameter, scale: Parameter) {
    super();
    this.loc = checkParameter(loc, 'Normal', 'loc', 'finite', Number.isFinite);
    this.scale = checkParameter(scale, 'Normal', 'scale', 'a finite number > 0', (v) => Number.isFinite(v) && v > 0);
    this.batchShape = broadcastShapes(shapeOf(this.loc), shapeOf(this.scale), 'Normal', 'loc', 'scale');
  }

  /**
   * Draws `loc + scale * eps`, eps ~ N(0, 1), with a zero gradient with respect to
   * loc and scale (PyTorch's `sample`, run under `no_grad`).
   *
   * @param shape The sample shape. Default `[]`.
   * @returns A float32 tensor of shape `[...shape, ...batchShape]`.
   * @throws If shape is not an array of non-negative integers.
   */
  sample(shape: number[] = []): tf.Tensor {
    const full = sampleShape(shape, this.batchShape, 'Normal.sample');
    return tf.tidy(() =>
      withoutGradient([asTensor(this.loc), asTensor(this.scale)], (loc, scale) => tf.add(loc, tf.mul(scale, randn(full)))),
    );
  }

  /**
   * Draws `loc + scale * eps`, eps ~ N(0, 1): the reparameterisation trick, so the
   * draw is differentiable, `d x / d loc = 1` and `d x / d scale = eps`.
   *
   * @param shape The sample shape. Default `[]`.
   * @returns A float32 tensor of shape `[...shape, ...batchShape]`.
   * @throws If shape is not an array of non-negative integers.
   */
  rsample(shape: number[] = []): tf.Tensor {
    const full = sampleShape(shape, this.batchShape, 'Normal.rsample');
    return tf.tidy(() => tf.add(asTensor(this.loc), tf.mul(asTensor(this.scale), randn(full))));
  }

  /**
   * Evaluates the log-density, `-(x - loc)^2 / (2 scale^2) - log(scale) - log(2 pi) / 2`.
   *
   * Differentiable in value, loc and scale. NaN in value propagates.
   *
   * @param value Points, a number or a float32 tensor that broadcasts with `batchShape`.
   * @returns A float32 tensor of the broadcast shape of value and `batchShape`.
   * @throws If value is not a number, array or float32/int32 tensor, or does not broadcast.
   */
  logProb(value: tf.Tensor | number): tf.Tensor {
    return tf.tidy(() => {
      const x = toFloat(value, 'Normal.logProb', 'value');
      broadcastShapes(this.batchShape, x.shape, 'Normal.logProb', 'batchShape', 'value');
      const scale = asTensor(this.scale);
      const z = tf.div(tf.sub(x, asTensor(this.loc)), scale);
      return tf.sub(tf.mul(tf.square(z), -0.5), tf.add(tf.log(scale), HALF_LOG_TWO_PI));
    });
  }

  /** The mean, `loc` broadcast to `batchShape` (a new tensor). */
  get mean(): tf.Tensor {
    return tf.tidy(() => tf.broadcastTo(tf.add(asTensor(this.loc), tf.zerosLike(asTensor(this.scale))), this.batchShape));
  }

  /** The variance, `scale^2` broadcast to `batchShape` (a new tensor). */
  get variance(): tf.Tensor {
    return tf.tidy(() => tf.broadcastTo(tf.add(tf.square(asTensor(this.scale)), tf.zerosLike(asTensor(this.loc))), this.batchShape));
  }

  /** The standard deviation, `scale` broadcast to `batchShape` (a new tensor). */
  get stddev(): tf.Tensor {
    return tf.tidy(() => tf.broadcastTo(tf.add(asTensor(this.scale), tf.zerosLike(asTensor(this.loc))), this.batchShape));
  }

  /** A short description of the parameters. */
  toString(): string {
    return this.describeWith('Normal', { loc: this.loc, scale: this.scale });
  }
}
