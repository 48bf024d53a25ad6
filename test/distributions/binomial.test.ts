import * as tf from '@tensorflow/tfjs';
import { Binomial, binomialInverseCdf } from '../../lib/distributions/binomial';
import { Categorical } from '../../lib/distributions/categorical';
import { manualSeed } from '../../lib/random';
import { expectClose, expectNoLeak, expectWithinSE } from '../util';

const NUM_SAMPLES = 20_000;

describe('Binomial', () => {
  it('draws with mean n p and variance n p (1 - p), within Z_TOLERANCE standard errors', () => {
    manualSeed(31);
    const d = new Binomial(12, 0.3);
    const x = expectNoLeak(() => d.sample([NUM_SAMPLES]));
    const v = Array.from(x.dataSync());
    x.dispose();
    const mean = v.reduce((a, b) => a + b) / NUM_SAMPLES;
    expectWithinSE(mean, 12 * 0.3, Math.sqrt((12 * 0.3 * 0.7) / NUM_SAMPLES));
    expect(v.every((k) => Number.isInteger(k) && k >= 0 && k <= 12)).toBe(true);
  });

  it('has a log-probability that sums to 1 over 0..n, and the closed-form mean and variance', () => {
    const d = new Binomial(7, 0.35);
    const lp = d.logProb(tf.range(0, 8));
    expect(tf.sum(tf.exp(lp)).dataSync()[0]).toBeCloseTo(1, 5);
    expectClose([d.mean.dataSync()[0], d.variance.dataSync()[0]], [7 * 0.35, 7 * 0.35 * 0.65]);
    lp.dispose();
  });

  it('draws by the inverse CDF: monotone in u and in p', () => {
    expect(binomialInverseCdf(5, 0.5, 0.01)).toBe(0);
    expect(binomialInverseCdf(5, 0.5, 0.999)).toBe(5);
    expect(binomialInverseCdf(5, 0.2, 0.5)).toBeLessThanOrEqual(binomialInverseCdf(5, 0.6, 0.5));
  });

  it('gives the flip rates max(dp, 0)(n - k)/(1 - p) up and max(-dp, 0) k / p down', () => {
    const d = new Binomial(10, 0.4);
    const { up, down } = d.flipRates(tf.tensor1d([3, 3]), tf.tensor1d([2, -2]));
    expectClose(up.dataSync(), [(2 * 7) / 0.6, 0]);
    expectClose(down.dataSync(), [0, (2 * 3) / 0.4]);
    tf.dispose([up, down]);
  });

  it('names a non-integer count and a probability outside [0, 1]', () => {
    expect(() => new Binomial(2.5, 0.3)).toThrow(/Binomial: totalCount must be a non-negative integer, but got 2.5/);
    expect(() => new Binomial(3, 1.2)).toThrow(/Binomial: probs must be in \[0, 1\]/);
  });
});

describe('Categorical', () => {
  it('draws each class with its probability, within Z_TOLERANCE standard errors', () => {
    manualSeed(32);
    const p = [0.2, 0.5, 0.3];
    const x = new Categorical(tf.tensor1d(p)).sample([NUM_SAMPLES]);
    const v = Array.from(x.dataSync());
    x.dispose();
    p.forEach((pk, k) => expectWithinSE(v.filter((c) => c === k).length / NUM_SAMPLES, pk, Math.sqrt((pk * (1 - pk)) / NUM_SAMPLES), `class ${k}`));
  });

  it('normalises its weights, and gives log p_k, the mean and the variance of the index', () => {
    const d = new Categorical(tf.tensor1d([1, 2, 1]));
    expectClose(d.logProb(tf.tensor1d([0, 1])).dataSync(), [Math.log(0.25), Math.log(0.5)]);
    expectClose([d.mean.dataSync()[0], d.variance.dataSync()[0]], [1, 0.5]);
  });

  it('gives the flip rates max(F\'_{k-1}, 0)/p_k down and max(-F\'_k, 0)/p_k up', () => {
    const d = new Categorical(tf.tensor1d([0.2, 0.5, 0.3]));
    const dp = tf.tensor1d([0.1, -0.3, 0.2]);
    const { up, down } = d.flipRates(tf.tensor1d([1]).reshape([]), dp);
    // F' = [0.1, -0.2, 0]: down rate 0.1 / 0.5, up rate 0.2 / 0.5.
    expectClose([down.dataSync()[0], up.dataSync()[0]], [0.2, 0.4]);
  });

  it('names negative weights', () => {
    expect(() => new Categorical(tf.tensor1d([0.5, -0.1]))).toThrow(/Categorical: probs must be finite and >= 0/);
  });
});
