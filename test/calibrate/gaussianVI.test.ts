import * as tf from '@tensorflow/tfjs';
import { fitGaussian, gaussianVariationalObjective } from '../../lib/calibrate/gaussianVI';
import { manualSeed } from '../../lib/random';
import { expectClose, expectNoLeak, values } from '../util';

/** A quadratic loss (z - c)^2 / (2 v) per dimension, summed: a Gaussian likelihood of one observation c. */
const quadratic = (c: number[], v: number[]) => (z: tf.Tensor2D) =>
  tf.sum(tf.div(tf.square(tf.sub(z, tf.tensor1d(c))), tf.mul(2, tf.tensor1d(v))), 1) as tf.Tensor1D;

describe('gaussianVariationalObjective', () => {
  it('equals the closed form of E_q[loss] + KL for a quadratic loss (Monte Carlo over many samples)', () => {
    // E_q[(z - c)^2 / (2v)] = ((mu - c)^2 + sigma^2) / (2v); KL(N(mu, sigma^2) || N(m, s^2)) in closed form.
    // With S = 200000 samples the Monte Carlo mean has a relative SE below 1e-2.
    const [mu, sigma, c, v, m, s] = [0.3, 0.5, 1, 2, 0, 1.5];
    const kl = Math.log(s / sigma) + (sigma ** 2 + (mu - m) ** 2) / (2 * s ** 2) - 0.5;
    const exact = ((mu - c) ** 2 + sigma ** 2) / (2 * v) + kl;
    manualSeed(1);
    const F = gaussianVariationalObjective(tf.tensor1d([mu]), tf.tensor1d([sigma]), quadratic([c], [v]), {
      prior: { mu: [m], sigma: [s] },
      nSamples: 200000,
    });
    expectClose(values(F), [exact], 1e-2);
  });

  it('gives the closed-form gradient of the KL term when the loss is zero', () => {
    // dKL/dmu = (mu - m) / s^2, dKL/dsigma = -1/sigma + sigma / s^2, per dimension.
    const mu = [0.2, -1];
    const sigma = [0.5, 2];
    const prior = { mu: [0, 1], sigma: [1, 3] };
    const zero = (z: tf.Tensor2D) => tf.zeros([z.shape[0]]) as tf.Tensor1D;
    const [gMu, gSigma] = tf.grads((a: tf.Tensor, b: tf.Tensor) => gaussianVariationalObjective(a, b, zero, { prior }))([
      tf.tensor1d(mu),
      tf.tensor1d(sigma),
    ]);
    expectClose(values(gMu), mu.map((x, j) => (x - prior.mu[j]) / prior.sigma[j] ** 2), 1e-5);
    expectClose(values(gSigma), sigma.map((x, j) => -1 / x + x / prior.sigma[j] ** 2), 1e-5);
  });

  it('does not leak and refuses invalid arguments', () => {
    const prior = { mu: [0, 0], sigma: [1, 1] };
    const mu = tf.tensor1d([0, 0]);
    const sigma = tf.tensor1d([1, 1]);
    expectNoLeak(() => gaussianVariationalObjective(mu, sigma, quadratic([0, 0], [1, 1]), { prior })).dispose();
    expect(() => gaussianVariationalObjective(mu, sigma, quadratic([0, 0], [1, 1]), { prior: { mu: [0], sigma: [0] } })).toThrow(
      /gaussianVariationalObjective: prior must be \{ mu, sigma \}: d >= 1 finite means and finite standard deviations > 0/,
    );
    expect(() => gaussianVariationalObjective(tf.tensor1d([0]), sigma, quadratic([0, 0], [1, 1]), { prior })).toThrow(
      /gaussianVariationalObjective: mu must be a tensor of shape \[2\], but got a float32 tensor of shape \[1\]/,
    );
    expect(() => gaussianVariationalObjective(mu, sigma, (z) => tf.sum(z) as never, { prior })).toThrow(
      /gaussianVariationalObjective: loss\(z\) must be a tensor of shape \[8\]/,
    );
    expect(() => gaussianVariationalObjective(mu, sigma, quadratic([0, 0], [1, 1]), { prior, nSamples: 0 })).toThrow(
      /gaussianVariationalObjective: nSamples must be an integer >= 1, but got 0/,
    );
    expect(() => gaussianVariationalObjective(mu, sigma, quadratic([0, 0], [1, 1]), { prior, weight: -1 })).toThrow(
      /gaussianVariationalObjective: weight must be a finite number >= 0, but got -1/,
    );
  });
});

describe('fitGaussian', () => {
  it('recovers the exact posterior of a conjugate Gaussian model in two dimensions', () => {
    // Likelihood N(c | z, v) per dimension and prior N(m, s^2): the posterior is Gaussian with
    // precision 1/s^2 + 1/v and mean (m/s^2 + c/v) / precision, which the family contains.
    // Tolerances: 0.05 on the means and 5% on the standard deviations (stochastic optimisation,
    // averaged over the last 100 of 600 epochs).
    const c = [1, -2];
    const v = [0.5, 2];
    const prior = { mu: [0, 0], sigma: [1, 2] };
    const precision = c.map((_, j) => 1 / prior.sigma[j] ** 2 + 1 / v[j]);
    const postMu = c.map((_, j) => (prior.mu[j] / prior.sigma[j] ** 2 + c[j] / v[j]) / precision[j]);
    const postSigma = precision.map((p) => 1 / Math.sqrt(p));
    manualSeed(2);
    const q = fitGaussian({ loss: quadratic(c, v), prior, nSamples: 16, maxEpochs: 600, average: 100, optimizer: tf.train.adam(0.03) });
    expectClose(q.mu, postMu, 0, 0.05);
    expectClose(q.sigma, postSigma, 0.05, 0);
    expect(q.fit.epochs).toBe(600);
  });

  it('refuses an init of the wrong dimension', () => {
    expect(() => fitGaussian({ loss: quadratic([0], [1]), prior: { mu: [0], sigma: [1] }, init: { mu: [0, 0], sigma: [1, 1] } })).toThrow(
      /fitGaussian: init must be \{ mu, sigma \}: d = 1 finite means and finite standard deviations > 0/,
    );
  });
});
