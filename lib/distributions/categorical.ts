/**
 * The categorical distribution, after `torch.distributions.Categorical`.
 */
import * as tf from '@tensorflow/tfjs';
import { uniformArray } from '../random';
import { check, toFloat } from '../check';
import { currentEstimate, reportDraw } from '../discreteDraws';
import { Distribution, sampleShape } from './distribution';
import { withoutGradient } from '../withoutGradient';

/**
 * The categorical distribution over classes 0..K-1 with probabilities p (the last axis).
 *
 * A draw is the inverse CDF of one uniform u: the least k with `u < F_k`,
 * `F_k = p_0 + ... + p_k`. Inside `derivativeEstimate` it flips k -> k - 1 at rate
 * `max(F'_{k-1}, 0) / p_k` and k -> k + 1 at rate `max(-F'_k, 0) / p_k`, see
 * {@link Categorical.flipRates}. Mirrors `torch.distributions.Categorical(probs)`
 * (probabilities are normalised along the last axis, as there); the flip rates are
 * those of StochasticAD.jl's Categorical.
 */
export class Categorical extends Distribution {
  readonly batchShape: number[];
  readonly hasRsample = false;
  /** The weights as given (a float32 tensor, kept by reference), [...batchShape, K]. */
  readonly weights: tf.Tensor;

  /**
   * Creates Categorical(probs).
   *
   * @param probs Non-negative weights, [...batchShape, K] with K >= 1, each row with a positive sum
   *   (normalised here; differentiable).
   * @throws If probs is not a float32 tensor of rank >= 1, or has a negative or NaN entry, or a row sums to 0.
   */
  constructor(probs: tf.Tensor | tf.TensorLike) {
    super();
    const p = toFloat(probs, 'Categorical', 'probs');
    check(p.rank >= 1, 'Categorical', 'probs', 'a tensor of rank >= 1 (classes last)', p);
    const values = p.dataSync();
    const K = p.shape[p.rank - 1];
    for (let i = 0; i < values.length; i++) {
      check(values[i] >= 0 && Number.isFinite(values[i]), 'Categorical', 'probs', 'finite and >= 0', values[i]);
    }
    for (let r = 0; r < values.length / K; r++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += values[r * K + k];
      check(s > 0, 'Categorical', 'probs', 'rows with a positive sum', s);
    }
    this.weights = p;
    this.batchShape = p.shape.slice(0, -1);
  }

  /** The normalised probabilities, [...batchShape, K] (a new tensor; call inside `tf.tidy`). */
  get probs(): tf.Tensor {
    return tf.div(this.weights, tf.sum(this.weights, -1, true));
  }

  /** The number of classes K. */
  get numClasses(): number {
    return this.weights.shape[this.weights.rank - 1];
  }

  /**
   * Draws class indices, by the inverse CDF of one uniform each, with a zero gradient.
   *
   * @param shape The sample shape. Default `[]`.
   * @returns A float32 tensor of integers in [0, K - 1], of shape `[...shape, ...batchShape]`.
   */
  sample(shape: number[] = []): tf.Tensor {
    const full = sampleShape(shape, this.batchShape, 'Categorical.sample');
    return tf.tidy(() => {
      const K = this.numClasses;
      const p = tf.broadcastTo(this.probs, [...full, K]);
      const size = p.size / K;
      const u = uniformArray(size, full);
      const pv = p.dataSync();
      const outcome = new Float32Array(size);
      for (let i = 0; i < size; i++) {
        let cdf = 0;
        let k = 0;
        for (; k < K - 1; k++) {
          cdf += pv[i * K + k];
          if (u[i] < cdf) break;
        }
        outcome[i] = k;
      }
      const estimate = currentEstimate();
      if (estimate !== null) reportDraw(estimate, 'categorical', 'Categorical.sample', p, outcome);
      return withoutGradient([p], () => tf.tensor(outcome, full, 'float32'));
    });
  }

  /** Refuses: a categorical draw is discrete. @throws Always. */
  rsample(shape: number[] = []): tf.Tensor {
    void shape;
    throw new Error('Categorical.rsample: a categorical draw has no reparameterised sampler (it is discrete); use sample() inside derivativeEstimate, or gumbelSoftmax');
  }

  /**
   * Evaluates `log p_value`.
   *
   * @param value Class indices (not checked: data), broadcasting with `batchShape`.
   * @returns A float32 tensor of the broadcast shape; differentiable in the probabilities.
   */
  logProb(value: tf.Tensor | number): tf.Tensor {
    return tf.tidy(() => {
      const k = tf.cast(toFloat(value, 'Categorical.logProb', 'value'), 'int32');
      return tf.sum(tf.mul(tf.cast(tf.oneHot(k, this.numClasses), 'float32'), tf.log(this.probs)), -1);
    });
  }

  /** The mean of the class index, `sum_k k p_k` (torch returns NaN here; the index is the value drawn). */
  get mean(): tf.Tensor {
    return tf.tidy(() => tf.sum(tf.mul(this.probs, tf.range(0, this.numClasses)), -1));
  }

  /** The variance of the class index, `sum_k k^2 p_k - mean^2`. */
  get variance(): tf.Tensor {
    return tf.tidy(() => {
      const k = tf.range(0, this.numClasses);
      const p = this.probs;
      const m = tf.sum(tf.mul(p, k), -1);
      return tf.sub(tf.sum(tf.mul(p, tf.square(k)), -1), tf.square(m));
    });
  }

  /**
   * The flip rates of a draw k at a change dp of the probabilities ([..., K]):
   * `down = max(F'_{k-1}, 0) / p_k` to k - 1 and `up = max(-F'_k, 0) / p_k` to k + 1.
   *
   * @param value Class indices, of `batchShape`.
   * @param probsDerivative dp/dx, [...batchShape, K] (entries summing to 0 per row).
   * @returns `{ up, down }`, float32 tensors of `batchShape` (0 where no flip is possible).
   */
  flipRates(value: tf.Tensor | number, probsDerivative: tf.Tensor): { up: tf.Tensor; down: tf.Tensor } {
    return tf.tidy(() => {
      const K = this.numClasses;
      const k = toFloat(value, 'Categorical.flipRates', 'value');
      const dp = tf.broadcastTo(toFloat(probsDerivative, 'Categorical.flipRates', 'probsDerivative'), [...k.shape, K]).dataSync();
      const p = tf.broadcastTo(this.probs, [...k.shape, K]).dataSync();
      const kv = k.dataSync();
      const up = new Float32Array(kv.length);
      const down = new Float32Array(kv.length);
      for (let i = 0; i < kv.length; i++) {
        const o = kv[i];
        let below = 0; // F'_{k-1}
        for (let m = 0; m < o; m++) below += dp[i * K + m];
        const pk = p[i * K + o];
        if (o > 0 && pk > 0) down[i] = Math.max(below, 0) / pk;
        if (o < K - 1 && pk > 0) up[i] = Math.max(-(below + dp[i * K + o]), 0) / pk;
      }
      return { up: tf.tensor(up, k.shape, 'float32'), down: tf.tensor(down, k.shape, 'float32') };
    });
  }

  toString(): string {
    return `Categorical(probs: [${this.weights.shape}])`;
  }
}
