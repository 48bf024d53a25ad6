import * as fs from 'fs';
import { join } from 'path';
import * as tf from '@tensorflow/tfjs';
import { betaPdf, hellingerDistance, logitNormalPdf } from '../../lib/distributions/densities';
import { logBeta } from '../../lib/distributions/special';
import { betaPosterior, walkLogLikelihood } from '../../lib/walk/likelihood';
import { fitLogitNormal, sampleLogitNormal, variationalObjective } from '../../lib/calibrate/vi';
import { manualSeed, recordDraws } from '../../lib/random';
import { randomWalk } from '../../lib/walk/randomWalk';
import { expectClose, expectNoLeak, expectWithinSE, FD_RTOL, FD_STEP, moments, values } from '../util';

const NUM_SAMPLES = 4000;

/** The logit-normal closest to the walk's posterior, from SciPy (test/fixtures/scripts/logit_normal_fit.py). */
const best = JSON.parse(fs.readFileSync(join(__dirname, '..', 'fixtures', 'logit_normal_fit.json'), 'utf8')) as {
  posterior: { alpha: number; beta: number };
  mu: number;
  sigma: number;
  hellinger: number;
};

/** The standard normals that randn made from recorded uniforms (Box-Muller in float64). */
function normalsFrom(u: Float32Array): number[] {
  const z: number[] = [];
  for (let i = 0; i < u.length / 2; i++) z.push(Math.sqrt(-2 * Math.log(u[2 * i])) * Math.cos(2 * Math.PI * u[2 * i + 1]));
  return z;
}

/** KL(logit-normal(mu, sigma) || Beta(a, b)) by quadrature on the logit scale (float64 reference). */
function klLogitNormalBeta(mu: number, sigma: number, a: number, b: number): number {
  let s = 0;
  const n = 20000;
  for (let i = 0; i < n; i++) {
    const z = mu + sigma * (-8 + (16 * (i + 0.5)) / n);
    const x = 1 / (1 + Math.exp(-z));
    const q = logitNormalPdf(x, mu, sigma);
    const density = Math.exp(-0.5 * ((z - mu) / sigma) ** 2) / (sigma * Math.sqrt(2 * Math.PI));
    s += density * (Math.log(q) - Math.log(betaPdf(x, a, b))) * ((16 * sigma) / n);
  }
  return s;
}

describe('sampleLogitNormal', () => {
  it('draws sigmoid(mu + sigma z): the logits have mean mu and standard deviation sigma', () => {
    manualSeed(1);
    const theta = values(sampleLogitNormal(-0.8, 0.5, NUM_SAMPLES));
    const logits = theta.map((t) => Math.log(t / (1 - t)));
    const { mean, variance } = moments(logits);
    expectWithinSE(mean, -0.8, 0.5 / Math.sqrt(NUM_SAMPLES), 'mean of logit theta');
    expectWithinSE(variance, 0.25, 0.25 * Math.sqrt(2 / NUM_SAMPLES), 'variance of logit theta');
  });

  it('refuses n < 1', () => {
    expect(() => sampleLogitNormal(0, 1, 0)).toThrow(/sampleLogitNormal: n must be an integer >= 1, but got 0/);
  });
});

describe('variationalObjective', () => {
  const path = [0, 1, 0, -1, 0, 1, 2, 1];
  const nll = (th: tf.Tensor) => tf.neg(walkLogLikelihood(th, path));

  it('equals, on its own draws, the loss plus the KL formula (float64 reference)', () => {
    const [mu, sigma, S] = [-0.3, 0.7, 5];
    manualSeed(2);
    const { value, draws } = recordDraws(() => variationalObjective(mu, sigma, nll, { nSamples: S, weight: 0.5 }).dataSync()[0]);
    const z = normalsFrom(draws[0]).map((e) => mu + sigma * e);
    const th = z.map((v) => 1 / (1 + Math.exp(-v)));
    const loss = th.map((t) => -(4 * Math.log(t) + 3 * Math.log(1 - t)));
    const cross = -th.reduce((s, t) => s + 2 * Math.log(t) + 2 * Math.log(1 - t), 0) / S;
    const kl = cross - Math.log(sigma) - 0.5 * Math.log(2 * Math.PI * Math.E) + logBeta(2, 2);
    expectClose([value], [loss.reduce((s, v) => s + v, 0) / S + 0.5 * kl], 1e-5);
  });

  it('has a KL term whose mean is KL(q || Beta(2, 2)) by quadrature', () => {
    manualSeed(3);
    const zero = (th: tf.Tensor) => tf.zerosLike(th);
    const estimates: number[] = [];
    for (let i = 0; i < 200; i++) estimates.push(variationalObjective(0.4, 0.6, zero, { nSamples: 16 }).dataSync()[0]);
    const { mean, se } = moments(estimates);
    expectWithinSE(mean, klLogitNormalBeta(0.4, 0.6, 2, 2), se, 'KL');
  });

  it('matches the closed-form gradient on fixed draws', () => {
    // With theta_s = sigmoid(mu + sigma e_s) and loss 0, weight 1, prior (a, b):
    // dF/dmu = -(1/S) sum_s [a (1 - theta_s) - b theta_s],
    // dF/dsigma = -1/sigma - (1/S) sum_s [a (1 - theta_s) - b theta_s] e_s.
    const [mu, sigma, S, a, b] = [0.2, 0.9, 6, 3, 2];
    const zero = (th: tf.Tensor) => tf.zerosLike(th);
    manualSeed(4);
    const { draws } = recordDraws(() => variationalObjective(mu, sigma, zero, { nSamples: S, prior: [a, b] }));
    const e = normalsFrom(draws[0]);
    const inner = e.map((v) => {
      const t = 1 / (1 + Math.exp(-(mu + sigma * v)));
      return a * (1 - t) - b * t;
    });
    const dmu = -inner.reduce((s, v) => s + v, 0) / S;
    const dsigma = -1 / sigma - inner.reduce((s, v, i) => s + v * e[i], 0) / S;
    manualSeed(4);
    const grads = tf.grads((m: tf.Tensor, sg: tf.Tensor) => variationalObjective(m, sg, zero, { nSamples: S, prior: [a, b] }))([tf.scalar(mu), tf.scalar(sigma)]);
    expectClose(grads.map((g) => g.dataSync()[0]), [dmu, dsigma], 1e-4, 1e-6);
  });

  it('matches central finite differences on fixed draws', () => {
    const f = (mu: number, sigma: number) => {
      manualSeed(5);
      return variationalObjective(mu, sigma, nll, { nSamples: 8, weight: 2 }).dataSync()[0];
    };
    manualSeed(5);
    const grads = tf.grads((m: tf.Tensor, sg: tf.Tensor) => variationalObjective(m, sg, nll, { nSamples: 8, weight: 2 }))([tf.scalar(0.1), tf.scalar(0.8)]);
    const fd = [(f(0.1 + FD_STEP, 0.8) - f(0.1 - FD_STEP, 0.8)) / (2 * FD_STEP), (f(0.1, 0.8 + FD_STEP) - f(0.1, 0.8 - FD_STEP)) / (2 * FD_STEP)];
    expectClose(grads.map((g) => g.dataSync()[0]), fd, FD_RTOL, 1e-3);
  });

  it('stays finite for logits far in the tails, and does not leak', () => {
    manualSeed(6);
    expect(Number.isFinite(variationalObjective(40, 0.1, (th) => tf.zerosLike(th)).dataSync()[0])).toBe(true);
    expectNoLeak(() => variationalObjective(0, 1, nll)).dispose();
  });

  it('refuses invalid options and a loss of the wrong shape', () => {
    expect(() => variationalObjective(0, 1, nll, { weight: -1 })).toThrow(/variationalObjective: weight must be a finite number >= 0, but got -1/);
    expect(() => variationalObjective(0, 1, nll, { prior: [2, 0] })).toThrow(/variationalObjective: prior must be \[a, b\] with finite a, b > 0, but got \[2, 0\]/);
    expect(() => variationalObjective(0, 1, nll, { nSamples: 0 })).toThrow(/variationalObjective: nSamples must be an integer >= 1, but got 0/);
    expect(() => variationalObjective(0, 1, (th) => tf.sum(th))).toThrow(/variationalObjective: loss\(theta\) must be a tensor of shape \[32\], but got a float32 tensor of shape \[\]/);
  });
});

describe('fitLogitNormal', () => {
  it('comes within 0.01 in Hellinger distance of the best logit-normal for the exact posterior (fixture)', () => {
    // Negative log-likelihood as loss, weight 1, Beta(2, 2) prior: the objective is KL(q || posterior)
    // plus a constant, with the posterior Beta(2 + U, 2 + D). Its minimiser over logit-normals, and that
    // minimiser's Hellinger distance to the posterior, come from SciPy (quadrature, grid search and
    // Nelder-Mead): test/fixtures/scripts/logit_normal_fit.py. Tolerances, for the jitter of a stochastic
    // fit averaged over its last 50 epochs: the fitted density is within 0.01 of that best distance, and
    // its mu and sigma within 0.02 of the minimiser's.
    manualSeed(2024);
    const path = randomWalk(0.3, 100);
    const { alpha, beta } = betaPosterior(path);
    expect({ alpha, beta }).toEqual(best.posterior);
    const posterior = (x: number) => betaPdf(x, alpha, beta);
    // The library's quadrature agrees with SciPy's at the minimiser.
    expectClose([hellingerDistance((x) => logitNormalPdf(x, best.mu, best.sigma), posterior)], [best.hellinger], 1e-3);
    manualSeed(1);
    const q = fitLogitNormal({ loss: (th) => tf.neg(walkLogLikelihood(th, path)), optimizer: tf.train.adam(0.05), maxEpochs: 300 });
    const distance = hellingerDistance(q.pdf, posterior);
    expect(distance).toBeLessThan(best.hellinger + 0.01);
    expectClose([q.mu, q.sigma], [best.mu, best.sigma], 0, 0.02);
    expect(q.fit.history.loss).toHaveLength(300);
  });

  it('does not leak tensors', () => {
    const before = tf.memory().numTensors;
    fitLogitNormal({ loss: (th) => tf.zerosLike(th), maxEpochs: 3 });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a missing loss or a bad start', () => {
    expect(() => fitLogitNormal({} as never)).toThrow(/fitLogitNormal: loss must be a function from theta \[S\] to losses \[S\], but got "undefined"/);
    expect(() => fitLogitNormal({ loss: (th) => th, init: { sigma: 0 } })).toThrow(/calibrate: init.sigma must be a finite number > 0, but got 0/);
    expect(() => fitLogitNormal({ loss: (th) => th, average: 0 })).toThrow(/fitLogitNormal: average must be an integer >= 1, but got 0/);
  });
});
