import * as tf from '@tensorflow/tfjs';
import { scoreFunctionGradient, scoreFunctionSurrogate } from '../../lib/distributions/scoreFunction';
import { Normal } from '../../lib/distributions/normal';
import { Bernoulli } from '../../lib/distributions/bernoulli';
import { manualSeed } from '../../lib/random';
import { expectClose, expectNoLeak, expectWithinSE, moments, values } from '../util';

const NUM_SAMPLES = 40_000;

/** f(z, theta) = theta^2 (z + 4), the course's running example, row by row. */
const course = (z: tf.Tensor, th: tf.Tensor) => tf.mul(tf.square(th), tf.add(z, 4));

describe('scoreFunctionSurrogate', () => {
  it('has the value of f and the gradient f d log p + d f on a fixed sample', () => {
    // z ~ N(theta, 2^2) at theta = 2, z fixed at 3.5: d log p / d theta = (z - theta) / 4.
    const [theta, z] = [2, 3.5];
    const surrogate = (th: tf.Tensor) => scoreFunctionSurrogate(new Normal(th, 2).logProb(z), tf.mul(tf.square(th), z + 4));
    expect(surrogate(tf.scalar(theta)).dataSync()[0]).toBeCloseTo(theta * theta * (z + 4), 4);
    const g = tf.grad(surrogate)(tf.scalar(theta)).dataSync()[0];
    expectClose([g], [theta * theta * (z + 4) * ((z - theta) / 4) + 2 * theta * (z + 4)]);
  });

  it('lets NaN in the value or the log-probability propagate', () => {
    expect(Number.isNaN(values(scoreFunctionSurrogate(-1, NaN))[0])).toBe(true);
    expect(Number.isNaN(values(scoreFunctionSurrogate(NaN, 2))[0])).toBe(true);
  });

  it('broadcasts and keeps shapes', () => {
    expect(scoreFunctionSurrogate(tf.zeros([3]), tf.ones([3])).shape).toEqual([3]);
    expect(values(scoreFunctionSurrogate(tf.tensor([-1, -2]), 5))).toEqual([5, 5]);
  });

  it('leaks no tensors', () => {
    const lp = tf.tensor([-1, -2]);
    const f = tf.scalar(2);
    expectNoLeak(() => scoreFunctionSurrogate(lp, f)).dispose();
    expectNoLeak(() => scoreFunctionSurrogate(lp, 3)).dispose();
    tf.dispose([lp, f]);
  });

  it('refuses arguments that are not tensors or numbers', () => {
    expect(() => scoreFunctionSurrogate('a' as unknown as number, 1)).toThrow(/scoreFunctionSurrogate: logProb must be a tensor, a number or an array of numbers/);
  });
});

describe('scoreFunctionGradient', () => {
  it('estimates d E[theta^2 (z + 4)] / d theta = 8 theta + 3 theta^2 for z ~ N(theta, 2^2), with the closed-form variance', () => {
    // With z = theta + 2 eps the estimate is a eps + b eps^2 + c, a = theta^2 (theta + 4) / 2 + 4 theta,
    // b = theta^2, c = 2 theta (theta + 4): mean b + c = 8 theta + 3 theta^2, variance a^2 + 2 b^2.
    manualSeed(31);
    const theta = 2;
    const g = values(expectNoLeak(() => scoreFunctionGradient((th) => new Normal(th, 2), course, theta, NUM_SAMPLES)));
    expect(g.length).toBe(NUM_SAMPLES);
    const a = (theta * theta * (theta + 4)) / 2 + 4 * theta;
    const b = theta * theta;
    const variance = a * a + 2 * b * b;
    const m = moments(g);
    expectWithinSE(m.mean, 8 * theta + 3 * theta * theta, Math.sqrt(variance / NUM_SAMPLES), 'mean');
    // Fourth central moment of a eps + b eps^2: 3 a^4 + 60 a^2 b^2 + 60 b^4 (normal moments).
    const mu4 = 3 * a ** 4 + 60 * a * a * b * b + 60 * b ** 4;
    expectWithinSE(m.variance, variance, Math.sqrt((mu4 - variance ** 2) / NUM_SAMPLES), 'variance');
  });

  it('estimates d E[z] / d p = 1 for a Bernoulli draw, with variance (1 - p) / p', () => {
    // Each estimate is z / p: 1 / p with probability p, else 0.
    manualSeed(32);
    const p = 0.3;
    const g = values(scoreFunctionGradient((th) => new Bernoulli(th), (z) => z, p, NUM_SAMPLES));
    const m = moments(g);
    expectWithinSE(m.mean, 1, Math.sqrt((1 - p) / p / NUM_SAMPLES), 'mean');
    expect(g.every((v) => v === 0 || Math.abs(v - 1 / p) < 1e-4)).toBe(true);
  });

  it('returns [n, ...theta.shape] for a vector theta: d E[z^2] / d (mu, sigma) = (2 mu, 2 sigma)', () => {
    manualSeed(33);
    const [mu, sigma] = [0.5, 1.5];
    const g = scoreFunctionGradient(
      (th) => new Normal(tf.squeeze(tf.slice(th, [0, 0], [-1, 1]), [1]), tf.squeeze(tf.slice(th, [0, 1], [-1, 1]), [1])),
      (z) => tf.square(z),
      tf.tensor([mu, sigma]),
      NUM_SAMPLES,
    );
    expect(g.shape).toEqual([NUM_SAMPLES, 2]);
    const columns = tf.unstack(tf.transpose(g)).map(values);
    const [dMu, dSigma] = columns.map(moments);
    expectWithinSE(dMu.mean, 2 * mu, dMu.se, 'd / d mu');
    expectWithinSE(dSigma.mean, 2 * sigma, dSigma.se, 'd / d sigma');
  });

  it('repeats its estimates after manualSeed: the draws come from the seeded generator', () => {
    const run = () => {
      manualSeed(34);
      return values(scoreFunctionGradient((th) => new Normal(th, 2), course, 2, 5));
    };
    expect(run()).toEqual(run());
  });

  it('refuses bad arguments', () => {
    const dist = (th: tf.Tensor) => new Normal(th, 1);
    expect(() => scoreFunctionGradient(dist, course, 1, 0)).toThrow(/scoreFunctionGradient: n must be an integer >= 1, but got 0/);
    expect(() => scoreFunctionGradient(dist, course, '1' as unknown as number, 5)).toThrow(/scoreFunctionGradient: theta must be a number or a float32 tensor/);
    expect(() => scoreFunctionGradient(dist, (z) => tf.sum(z), 1, 5)).toThrow(/scoreFunctionGradient: f must be a function returning shape \[5\]/);
    expect(() => scoreFunctionGradient(() => new Normal(0, 1), course, 1, 5)).toThrow(/scoreFunctionGradient: distribution must be a function whose distribution has batchShape \[5, \.\.\.\]/);
  });
});
