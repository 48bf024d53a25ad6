/**
 * derivativeEstimate and sampleDerivativeEstimates against exact derivatives of expectations.
 * References: closed forms in float64 written here from the maths in each title, the exact walk
 * references of lib/walk/exact.ts (binomial algebra), and the SIR chain of
 * test/fixtures/sir_chain.json (NumPy/SciPy, test/fixtures/scripts/sir_chain.py).
 */
import * as tf from '@tensorflow/tfjs';
import { derivativeEstimate, sampleDerivativeEstimates } from '../lib/derivativeEstimate';
import { bernoulli, manualSeed, rand } from '../lib/random';
import { gumbelSoftmax } from '../lib/gumbel';
import { jacobian } from '../lib/jacobian';
import { randomWalk } from '../lib/walk/randomWalk';
import { walkMeanDerivative, walkProbabilityPositiveDerivative } from '../lib/walk/exact';
import { Binomial } from '../lib/distributions/binomial';
import { Categorical } from '../lib/distributions/categorical';
import { sirModel } from '../lib/abm/sir';
import { expectNoLeak, expectWithinSE } from './util';
import * as fs from 'fs';
import * as path from 'path';

/** Column means and standard errors of an [n, m] tensor. */
function meanAndSE(samples: tf.Tensor): { mean: number[]; se: number[]; variance: number[] } {
  const n = samples.shape[0];
  const flat = tf.tidy(() => tf.reshape(samples, [n, -1]));
  const { mean, variance } = tf.moments(flat, 0);
  const m = Array.from(mean.dataSync());
  const v = Array.from(variance.dataSync()).map((x) => (x * n) / (n - 1));
  tf.dispose([flat, mean, variance]);
  return { mean: m, variance: v, se: v.map((x) => Math.sqrt(x / n)) };
}

const THETA = 0.3;

describe('derivativeEstimate on the random walk', () => {
  const T = 30;
  it('is unbiased for every position and has at most the single-flip variance 4 t theta / (1 - theta) (enumerated flips)', () => {
    manualSeed(1);
    const n = 1000;
    const J = sampleDerivativeEstimates((th) => randomWalk(th, T), THETA, n, { batched: true });
    expect(J.shape).toEqual([n, T]);
    const { mean, se, variance } = meanAndSE(J);
    J.dispose();
    const exact = walkMeanDerivative(T);
    for (let t = 1; t < T; t++) {
      expectWithinSE(mean[t], exact[t], se[t], `t = ${t}`);
      // The bar is 1.5 times the single-flip variance; the sample variance's relative error is sqrt(2 / n) = 4.5%.
      expect(variance[t]).toBeLessThanOrEqual(1.5 * ((4 * t * THETA) / (1 - THETA)));
    }
    expect(mean[0]).toBe(0);
  });

  it('is unbiased with one pruned flip per sample, at a larger variance for early positions', () => {
    manualSeed(2);
    const n = 2000;
    const J = sampleDerivativeEstimates((th) => randomWalk(th, 10), THETA, n, { batched: true, route: 'prune' });
    const { mean, se, variance } = meanAndSE(J);
    J.dispose();
    for (let t = 1; t < 10; t++) expectWithinSE(mean[t], 2 * t, se[t], `t = ${t}`);
    expect(variance[1]).toBeGreaterThan(2 * ((4 * THETA) / (1 - THETA)));
  });

  it('estimates d P(x_t > 0) / d theta without bias, where straight-through gives 0', () => {
    manualSeed(3);
    const t = 9;
    // tf.step is the indicator x > 0 with a zero gradient (TF.js has no gradient for tf.greater).
    const positive = (th: tf.Tensor) => tf.step(tf.slice(randomWalk(th, t + 1), [0, t], [-1, 1]));
    const n = 4000;
    const J = sampleDerivativeEstimates(positive, 0.45, n, { batched: true });
    const { mean, se } = meanAndSE(J);
    J.dispose();
    expectWithinSE(mean[0], walkProbabilityPositiveDerivative(0.45, t), se[0], 'd P(x_9 > 0) / d theta');
    const st = jacobian((th) => tf.step(tf.slice(randomWalk(th, t + 1), [t], [1])), tf.scalar(0.45));
    expect(Array.from(st.dataSync())).toEqual([0]);
    st.dispose();
  });

  it('gives the same sample for the same seed, and leaks no tensor', () => {
    const run = () => {
      manualSeed(7);
      return expectNoLeak(() => derivativeEstimate((th) => randomWalk(th, 12), 0.4));
    };
    const a = run();
    const b = run();
    expect(a.shape).toEqual([12]);
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    tf.dispose([a, b]);
  });
});

describe('derivativeEstimate on single draws (closed forms)', () => {
  it('Bernoulli: d E[3 xi] / dx = 6x for xi ~ Bernoulli(x^2)', () => {
    manualSeed(4);
    const x = 0.6;
    const n = 400;
    const J = sampleDerivativeEstimates((v) => tf.mul(bernoulli(tf.square(v)), 3), x, n);
    const { mean, se } = meanAndSE(J);
    J.dispose();
    expectWithinSE(mean[0], 6 * x, se[0], 'Bernoulli');
  });

  it('Binomial: d E[X^2] / dp = n (1 - 2p) + 2 n^2 p for X ~ Binomial(n, p)', () => {
    manualSeed(5);
    const [trials, p, n] = [10, 0.3, 2000];
    const J = sampleDerivativeEstimates((v) => tf.square(new Binomial(trials, v).sample()), p, n, { batched: true });
    const { mean, se } = meanAndSE(J);
    J.dispose();
    expectWithinSE(mean[0], trials * (1 - 2 * p) + 2 * trials * trials * p, se[0], 'Binomial');
  });

  // p = softmax([x, 0, -x]); E[k^2] = p_1 + 4 p_2, with p_k' = p_k (c_k - sum_m c_m p_m), c = [1, 0, -1].
  const softmaxExact = (x: number) => {
    const e = [Math.exp(x), 1, Math.exp(-x)];
    const z = e[0] + e[1] + e[2];
    const p = e.map((v) => v / z);
    const c = [1, 0, -1];
    const cbar = c.reduce((a, ck, k) => a + ck * p[k], 0);
    const dp = p.map((pk, k) => pk * (c[k] - cbar));
    return dp[1] + 4 * dp[2];
  };
  const logitsOf = (v: tf.Tensor) => tf.stack([v, tf.zerosLike(v), tf.neg(v)], -1);

  it('Categorical: d E[k^2] / dx for k ~ Categorical(softmax([x, 0, -x]))', () => {
    manualSeed(6);
    const [x, n] = [0.4, 3000];
    const J = sampleDerivativeEstimates((v) => tf.square(new Categorical(tf.softmax(logitsOf(v))).sample()), x, n, { batched: true });
    const { mean, se } = meanAndSE(J);
    J.dispose();
    expectWithinSE(mean[0], softmaxExact(x), se[0], 'Categorical');
  });

  it('a hard gumbelSoftmax draw is read as a categorical draw: the same derivative', () => {
    manualSeed(8);
    const [x, n] = [0.4, 3000];
    const f = (v: tf.Tensor) => tf.sum(tf.mul(gumbelSoftmax(logitsOf(v), { tau: 0.5, hard: true }), tf.tensor1d([0, 1, 4])), -1);
    const J = sampleDerivativeEstimates(f, x, n, { batched: true });
    const { mean, se } = meanAndSE(J);
    J.dispose();
    expectWithinSE(mean[0], softmaxExact(x), se[0], 'gumbelSoftmax');
  });
});

describe('derivativeEstimate on the agent-based SIR model', () => {
  const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'sir_chain.json'), 'utf8'));
  const options = { nAgents: fixture.nAgents, nTimesteps: fixture.nTimesteps, initialFractionInfected: fixture.initialFractionInfected };
  const T = fixture.nTimesteps;
  const batchedModel = (p: tf.Tensor) =>
    sirModel({ beta: tf.reshape(tf.slice(p, [0, 0], [-1, 1]), [-1]), gamma: tf.reshape(tf.slice(p, [0, 1], [-1, 1]), [-1]) }, options);

  it('is unbiased for every daily count, in beta and in gamma (the fused engine prunes as it runs)', () => {
    manualSeed(9);
    const n = 2000;
    const J = sampleDerivativeEstimates(batchedModel, tf.tensor1d([fixture.beta, fixture.gamma]), n, { batched: true });
    expect(J.shape).toEqual([n, 2, T, 2]);
    const { mean, se } = meanAndSE(J);
    J.dispose();
    const exact = [fixture.dBeta, fixture.dGamma];
    let worst = 0;
    for (let k = 0; k < 2; k++) {
      for (let t = 0; t < T; t++) {
        for (let j = 0; j < 2; j++) {
          const i = (k * T + t) * 2 + j;
          if (se[i] === 0) {
            expect(Math.abs(exact[j][k][t])).toBeLessThan(1e-6);
            continue;
          }
          expectWithinSE(mean[i], exact[j][k][t], se[i], `count ${k}, day ${t}, parameter ${j}`);
          worst = Math.max(worst, Math.abs(mean[i] - exact[j][k][t]) / se[i]);
        }
      }
    }
    expect(worst).toBeGreaterThan(0);
  });

  it('is unbiased for the total infected, whose exact derivatives are about 1.55 and -3.85', () => {
    manualSeed(10);
    const n = 2000;
    const total = (p: tf.Tensor) => tf.sum(tf.slice(batchedModel(p), [0, 0, 0], [-1, 1, -1]), [1, 2]);
    const J = sampleDerivativeEstimates(total, tf.tensor1d([fixture.beta, fixture.gamma]), n, { batched: true });
    const { mean, se } = meanAndSE(J);
    J.dispose();
    const exact = [0, 1].map((j) => (j === 0 ? fixture.dBeta : fixture.dGamma)[0].reduce((a: number, b: number) => a + b, 0));
    expectWithinSE(mean[0], exact[0], se[0], 'beta');
    expectWithinSE(mean[1], exact[1], se[1], 'gamma');
    // The standard error is small against the value.
    expect(se[0]).toBeLessThan(0.2 * Math.abs(exact[0]));
  });
});

describe('derivativeEstimate: bad input', () => {
  it('names a non-function f and a non-finite x', () => {
    expect(() => derivativeEstimate(42 as unknown as (x: tf.Tensor) => tf.Tensor, 0.5)).toThrow(/derivativeEstimate: f must be a function/);
    expect(() => derivativeEstimate((v) => bernoulli(v), NaN)).toThrow(/derivativeEstimate: x must be finite numbers, but got NaN/);
    expect(() => derivativeEstimate((v) => bernoulli(v), 1.5)).toThrow(/bernoulli: probs must be in \[0, 1\]/);
    expect(() => derivativeEstimate((v) => bernoulli(v), 0.5, { route: 'all' as never })).toThrow(/route must be one of/);
    expect(() => sampleDerivativeEstimates((v) => bernoulli(v), 0.5, 0)).toThrow(/sampleDerivativeEstimates: n must be/);
  });

  it('refuses uniforms from rand(), whose comparisons have no flip rule', () => {
    expect(() => derivativeEstimate((v) => tf.cast(tf.less(rand([1]), v), 'float32'), 0.5)).toThrow(/derivativeEstimate: f drew uniforms with rand\(\)/);
  });

  it('refuses an f whose runs make different draws', () => {
    let calls = 0;
    const f = (v: tf.Tensor) => (calls++ % 2 === 0 ? bernoulli(v) : tf.add(bernoulli(v), bernoulli(v)));
    expect(() => derivativeEstimate(f, 0.5)).toThrow(/derivativeEstimate: f (asked for different random draws|made \d+ random draws|made different discrete draws)/);
  });

  it('refuses a draw whose flip rate is not finite', () => {
    expect(() => derivativeEstimate((v) => bernoulli(tf.sqrt(v)), 0)).toThrow(/derivativeEstimate: a bernoulli draw of bernoulli has no finite flip rate/);
  });

  it('refuses a batched f whose draws do not lead with the batch', () => {
    expect(() => sampleDerivativeEstimates((v) => tf.add(v, bernoulli(0.5)), 0.5, 3, { batched: true })).toThrow(/every random draw has the batch \(3\) first/);
  });
});
