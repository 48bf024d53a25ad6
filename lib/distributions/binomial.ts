/**
 * The binomial distribution, after `torch.distributions.Binomial`.
 */
import * as tf from '@tensorflow/tfjs';
import { uniformArray } from '../random';
import { toFloat } from '../check';
import { currentEstimate, reportDraw } from '../discreteDraws';
import { asTensor, broadcastShapes, checkParameter, Distribution, Parameter, sampleShape, shapeOf } from './distribution';
import { withoutGradient } from '../withoutGradient';

/** The smallest probability used by `logProb`, as in PyTorch's `clamp_probs`. */
const EPS = 2 ** -23;

/** log n! for n = 0, 1, ...: Stirling's series beyond a table. */
export function logFactorial(n: number): number {
  if (n < 2) return 0;
  if (n < 64) {
    let s = 0;
    for (let k = 2; k <= n; k++) s += Math.log(k);
    return s;
  }
  const x = n + 1;
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x ** 3);
}

/** The inverse-CDF draw of Binomial(n, p) from one uniform u: the least k with u < F(k). */
export function binomialInverseCdf(n: number, p: number, u: number): number {
  if (p <= 0) return 0;
  if (p >= 1) return n;
  const q = 1 - p;
  let pmf = Math.exp(n * Math.log1p(-p));
  if (pmf === 0) {
    // Start from the mode, in logs, when (1 - p)^n underflows.
    let cdf = 0;
    for (let k = 0; k <= n; k++) {
      const lp = logFactorial(n) - logFactorial(k) - logFactorial(n - k) + k * Math.log(p) + (n - k) * Math.log1p(-p);
      cdf += Math.exp(lp);
      if (u < cdf) return k;
    }
    return n;
  }
  let cdf = pmf;
  for (let k = 0; k < n; k++) {
    if (u < cdf) return k;
    pmf *= ((n - k) / (k + 1)) * (p / q);
    cdf += pmf;
  }
  return n;
}

/**
 * The binomial distribution: the number of successes in n independent Bernoulli(p) trials.
 *
 * `P(X = k) = C(n, k) p^k (1 - p)^(n - k)`, k = 0..n. A draw is the inverse CDF of one
 * uniform, so it is monotone in p; inside `derivativeEstimate` it flips k -> k + 1 at rate
 * `max(p', 0) (n - k) / (1 - p)` and k -> k - 1 at rate `max(-p', 0) k / p` (the
 * derivative of the CDF, -n b(k; n - 1, p) p', over the pmf), see {@link Binomial.flipRates}.
 * Mirrors `torch.distributions.Binomial(total_count, probs)`; the flip rates are those of
 * StochasticAD.jl's Binomial.
 */
export class Binomial extends Distribution {
  readonly batchShape: number[];
  readonly hasRsample = false;
  readonly totalCount: Parameter;
  readonly probs: Parameter;

  /**
   * Creates Binomial(totalCount, probs).
   *
   * @param totalCount The number of trials: a non-negative integer, or a float32 tensor of them.
   * @param probs The success probability, in [0, 1]: a number or a float32 tensor.
   * @throws If an entry is out of range or NaN, or the shapes do not broadcast.
   */
  constructor(totalCount: Parameter, probs: Parameter) {
    super();
    this.totalCount = checkParameter(totalCount, 'Binomial', 'totalCount', 'a non-negative integer', (v) => Number.isInteger(v) && v >= 0);
    this.probs = checkParameter(probs, 'Binomial', 'probs', 'in [0, 1]', (v) => v >= 0 && v <= 1);
    const a = shapeOf(this.totalCount);
    const b = shapeOf(this.probs);
    this.batchShape = broadcastShapes(a, b, 'Binomial', 'totalCount', 'probs');
  }

  /**
   * Draws counts, by the inverse CDF of one uniform each, with a zero gradient.
   *
   * @param shape The sample shape. Default `[]`.
   * @returns A float32 tensor of integers in [0, n], of shape `[...shape, ...batchShape]`.
   */
  sample(shape: number[] = []): tf.Tensor {
    const full = sampleShape(shape, this.batchShape, 'Binomial.sample');
    return tf.tidy(() => {
      const p = tf.broadcastTo(asTensor(this.probs), full);
      const n = tf.broadcastTo(asTensor(this.totalCount), full).dataSync() as Float32Array;
      const u = uniformArray(p.size, full);
      const pv = p.dataSync();
      const outcome = new Float32Array(p.size);
      for (let i = 0; i < p.size; i++) outcome[i] = binomialInverseCdf(n[i], pv[i], u[i]);
      const estimate = currentEstimate();
      if (estimate !== null) reportDraw(estimate, 'binomial', 'Binomial.sample', p, outcome, Float32Array.from(n));
      return withoutGradient([p], () => tf.tensor(outcome, full, 'float32'));
    });
  }

  /** Refuses: a binomial draw is discrete. @throws Always. */
  rsample(shape: number[] = []): tf.Tensor {
    void shape;
    throw new Error('Binomial.rsample: a binomial draw has no reparameterised sampler (it is discrete); use sample() inside derivativeEstimate');
  }

  /**
   * Evaluates `log C(n, k) + k log p + (n - k) log(1 - p)`, p clamped to [eps, 1 - eps].
   *
   * @param value Counts (not checked: data), broadcasting with `batchShape`.
   * @returns A float32 tensor of the broadcast shape; differentiable in p.
   */
  logProb(value: tf.Tensor | number): tf.Tensor {
    return tf.tidy(() => {
      const k = toFloat(value, 'Binomial.logProb', 'value');
      const n = asTensor(this.totalCount);
      const p = tf.clipByValue(asTensor(this.probs), EPS, 1 - EPS);
      const lgamma = (t: tf.Tensor) => tf.tensor(Array.from(t.dataSync()).map((v) => logFactorial(v)), t.shape, 'float32');
      const shape = broadcastShapes(k.shape, this.batchShape, 'Binomial.logProb', 'value', 'batchShape');
      const kb = tf.broadcastTo(k, shape);
      const nb = tf.broadcastTo(n, shape);
      const coef = tf.sub(tf.sub(lgamma(nb), lgamma(kb)), lgamma(tf.sub(nb, kb)));
      return tf.add(coef, tf.add(tf.mul(kb, tf.log(p)), tf.mul(tf.sub(nb, kb), tf.log1p(tf.neg(p)))));
    });
  }

  /** The mean, n p. */
  get mean(): tf.Tensor {
    return tf.tidy(() => tf.broadcastTo(tf.mul(asTensor(this.totalCount), asTensor(this.probs)), this.batchShape));
  }

  /** The variance, n p (1 - p). */
  get variance(): tf.Tensor {
    return tf.tidy(() => {
      const p = asTensor(this.probs);
      return tf.broadcastTo(tf.mul(asTensor(this.totalCount), tf.mul(p, tf.sub(1, p))), this.batchShape);
    });
  }

  /**
   * The flip rates of a draw k at a change dp of p (per unit of the parameter):
   * `up = max(dp, 0) (n - k) / (1 - p)` to k + 1, `down = max(-dp, 0) k / p` to k - 1.
   *
   * @param value Outcomes k, broadcasting with `batchShape`.
   * @param probsDerivative dp/dx, broadcasting with `batchShape`.
   * @returns `{ up, down }`, float32 tensors of the broadcast shape (0 where no flip is possible).
   */
  flipRates(value: tf.Tensor | number, probsDerivative: tf.Tensor | number): { up: tf.Tensor; down: tf.Tensor } {
    return tf.tidy(() => {
      const k = toFloat(value, 'Binomial.flipRates', 'value');
      const dp = toFloat(probsDerivative, 'Binomial.flipRates', 'probsDerivative');
      const p = asTensor(this.probs);
      const n = asTensor(this.totalCount);
      const up = tf.divNoNan(tf.mul(tf.relu(dp), tf.sub(n, k)), tf.sub(1, p));
      const down = tf.divNoNan(tf.mul(tf.relu(tf.neg(dp)), k), p);
      return { up, down };
    });
  }

  toString(): string {
    return this.describeWith('Binomial', { totalCount: this.totalCount, probs: this.probs });
  }
}
