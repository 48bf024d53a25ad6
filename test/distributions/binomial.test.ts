import * as tf from '@tensorflow/tfjs';
import { Binomial, binomialInverseCdf } from '../../lib/distributions/binomial';
import { manualSeed } from '../../lib/random';
import { NUM_SAMPLES, expectClose, expectNoLeak, expectWithinSE } from '../util';

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
