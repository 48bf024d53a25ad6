// Unbiased derivatives of the agent-based SIR model (`derivativeEstimate`), against the
// straight-through Jacobian that `sirModel` gives by default.
//
// 1. Speed: one unbiased Jacobian sample of the daily counts in (beta, gamma) at the
//    notebook's size (1,000 agents, 60 steps, beta 0.2, gamma 0.05, 1% infected at the
//    start), against one straight-through Jacobian sample of the same model
//    (`sampleJacobians(f, x, 1)`, forward mode, as in the SIR section), timed in
//    alternating rounds in this process. Goal: ratio <= 3.
// 2. Spread: the derivative of the total fraction infected (the sum of the daily new
//    infections) in beta and in gamma, at N = 50 and N = 1000 (T = 60, beta 0.2,
//    gamma 0.05, 5% infected at the start), by each estimator: its mean over n samples,
//    the standard error of that mean, and the standard deviation of one sample. The exact
//    values at N = 50 come from the count-level Markov chain (test/fixtures/sir_chain.json,
//    float64, made by test/fixtures/scripts/sir_chain.py; `sirExpectedCounts` agrees).
'use strict';
const path = require('path');
const fs = require('fs');
const { tf, sirModel, sampleJacobians, manualSeed, ready, summarize } = require('diffabm');
const { derivativeEstimate, sampleDerivativeEstimates } = require('diffabm/dist/derivativeEstimate');
const { uniformArray } = require('diffabm/dist/random');
const { binomialInverseCdf } = require('diffabm/dist/distributions/binomial');
const { QUICK, ROUNDS, median, fmt, timeIt, runAlone } = require('../util');

const T = 60;
const BETA = 0.2;
const GAMMA = 0.05;

const split = (p) => ({ beta: tf.reshape(tf.slice(p, [0], [1]), []), gamma: tf.reshape(tf.slice(p, [1], [1]), []) });
const splitBatch = (p) => ({ beta: tf.reshape(tf.slice(p, [0, 0], [-1, 1]), [-1]), gamma: tf.reshape(tf.slice(p, [0, 1], [-1, 1]), [-1]) });

/** Mean, standard error and per-sample standard deviation of each column of an [n, 2] array. */
function spread(values, n) {
  return [0, 1].map((j) => {
    const s = summarize(Array.from({ length: n }, (_, i) => values[i * 2 + j]));
    return { mean: s.mean, se: s.standardError, sd: Math.sqrt(s.variance) };
  });
}

/** The total fraction infected of a batch, [B], from the batched model. */
const totalInfected = (options) => (p) => tf.sum(tf.slice(sirModel(splitBatch(p), options), [0, 0, 0], [-1, 1, -1]), [1, 2]);

/** n samples [n, 2] of an estimator of d total / d (beta, gamma). */
function estimates(name, N, n, f) {
  const options = { nAgents: N, nTimesteps: T, initialFractionInfected: f };
  const x = tf.tensor1d([BETA, GAMMA]);
  let out;
  if (name === 'unbiased') {
    out = sampleDerivativeEstimates(totalInfected(options), x, n, { batched: true });
  } else if (name.startsWith('straight-through')) {
    const tau = Number(name.split(' ').pop());
    out = sampleJacobians(totalInfected({ ...options, tau }), x, n, { batched: true });
  } else if (name === 'CRN finite differences') {
    out = crnDifferences(options, n);
  } else {
    out = scoreFunction(options, n);
  }
  const values = out.dataSync();
  out.dispose();
  x.dispose();
  return values;
}

/**
 * Central differences with common random numbers: the same seed for beta + h and beta - h
 * (and for gamma), so both runs use the same uniforms; h = 5% of each rate.
 */
function crnDifferences(options, n) {
  const h = [0.05 * BETA, 0.05 * GAMMA];
  const out = new Float32Array(n * 2);
  const run = (beta, gamma, seed) => {
    manualSeed(seed);
    const y = tf.tidy(() => tf.sum(tf.slice(sirModel({ beta: tf.fill([n], beta), gamma: tf.fill([n], gamma) }, options), [0, 0, 0], [-1, 1, -1]), [1, 2]));
    const v = y.dataSync();
    y.dispose();
    return v;
  };
  const seed = Math.floor(uniformArray(1)[0] * 2 ** 31);
  const up = [run(BETA + h[0], GAMMA, seed), run(BETA, GAMMA + h[1], seed)];
  const down = [run(BETA - h[0], GAMMA, seed), run(BETA, GAMMA - h[1], seed)];
  for (let i = 0; i < n; i++) for (let j = 0; j < 2; j++) out[i * 2 + j] = (up[j][i] - down[j][i]) / (2 * h[j]);
  return tf.tensor2d(out, [n, 2]);
}

/**
 * The score-function (REINFORCE) estimate F * d log p(path) / d(beta, gamma), no baseline, on
 * the count-level chain (the same law as the agent-based model's counts): per step
 * X ~ Binomial(S, p), Y ~ Binomial(I, q), and the score of a step is
 * X p'/p - (S - X) p'/(1 - p) in beta and Y q'/q - (I - Y) q'/(1 - q) in gamma.
 */
function scoreFunction(options, n) {
  const { nAgents: N, initialFractionInfected: f } = options;
  const out = new Float32Array(n * 2);
  const u = uniformArray(n * (1 + 2 * T));
  for (let i = 0; i < n; i++) {
    let k = i * (1 + 2 * T);
    let I = binomialInverseCdf(N, f, u[k++]);
    let S = N - I;
    let total = 0;
    let sb = 0;
    let sg = 0;
    const q = 1 - Math.exp(-GAMMA);
    const dq = Math.exp(-GAMMA);
    for (let t = 0; t < T; t++) {
      const e = Math.exp((-BETA * I) / N);
      const p = 1 - e;
      const dp = (e * I) / N;
      const X = binomialInverseCdf(S, p, u[k++]);
      const Y = binomialInverseCdf(I, q, u[k++]);
      if (p > 0) sb += (X * dp) / p - ((S - X) * dp) / (1 - p);
      sg += (Y * dq) / q - ((I - Y) * dq) / (1 - q);
      S -= X;
      I += X - Y;
      total += X / N;
    }
    out[i * 2] = total * sb;
    out[i * 2 + 1] = total * sg;
  }
  return tf.tensor2d(out, [n, 2]);
}

async function run({ quick, rounds, say }) {
  const backend = tf.getBackend();
  // 1. Speed, N = 1000.
  const options = { nAgents: 1000, nTimesteps: T };
  const f = (p) => sirModel(split(p), options);
  const x = tf.tensor1d([BETA, GAMMA]);
  const straight = () => tf.dispose(sampleJacobians(f, x, 1, { batched: false, mode: 'forward' }));
  const unbiased = () => tf.dispose(derivativeEstimate(f, x));
  const repeats = quick ? 2 : 5;
  const times = { straight: [], unbiased: [] };
  for (let r = 0; r < rounds; r++) {
    times.straight.push(...timeIt(straight, repeats, r === 0 ? 2 : 0));
    times.unbiased.push(...timeIt(unbiased, repeats, r === 0 ? 2 : 0));
  }
  x.dispose();
  const ratio = median(times.unbiased) / median(times.straight);
  say(`## Unbiased derivatives of the SIR model (${backend})`);
  say();
  say('One Jacobian sample of the daily counts in (beta, gamma), 1,000 agents, 60 steps, in alternating rounds ' +
    `(${rounds} rounds of ${repeats}, medians): straight-through (\`sampleJacobians(f, x, 1)\`, forward mode) ` +
    `${fmt(median(times.straight))} ms; unbiased (\`derivativeEstimate(f, x)\`, the fused engine pruning as it runs) ` +
    `${fmt(median(times.unbiased))} ms. Ratio unbiased / straight-through = **${ratio.toFixed(2)}** (goal <= 3: ${ratio <= 3 ? 'met' : 'NOT met'}).`);
  say();
  // Memory: the peak tensor bytes of a batch of unbiased samples (N = 1000), by tf.profile.
  const peaks = [];
  for (const n of quick ? [10, 20] : [50, 100, 200]) {
    const xb = tf.tensor1d([BETA, GAMMA]);
    const total = totalInfected({ nAgents: 1000, nTimesteps: T, initialFractionInfected: 0.05 });
    const info = await tf.profile(() => tf.dispose(sampleDerivativeEstimates(total, xb, n, { batched: true })));
    xb.dispose();
    peaks.push({ n, bytes: info.peakBytes });
  }
  say('Memory of a batch of unbiased samples of d(total infected)/d(beta, gamma), N = 1000, T = 60 (`tf.profile` peak tensor bytes; ' +
    'the pruned alternatives live in plain arrays of 2 N numbers per epidemic and parameter): ' +
    peaks.map(({ n, bytes }) => `n = ${n}: ${(bytes / 2 ** 20).toFixed(2)} MiB (${(bytes / n / 1024).toFixed(1)} KiB per sample)`).join('; ') + '.');
  say();
  // 2. Spread.
  const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'test', 'fixtures', 'sir_chain.json'), 'utf8'));
  const exact = [fixture.dBeta[0].reduce((a, b) => a + b, 0), fixture.dGamma[0].reduce((a, b) => a + b, 0)];
  const sizes = [
    { N: 50, n: quick ? 200 : 4000, nScore: quick ? 2000 : 100000 },
    { N: 1000, n: quick ? 20 : 400, nScore: quick ? 2000 : 100000 },
  ];
  const names = ['unbiased', 'straight-through tau 0.1', 'straight-through tau 0.5', 'straight-through tau 1', 'score function', 'CRN finite differences'];
  say('The derivative of the total fraction infected (sum of the daily new infections over N) in beta and in gamma, ' +
    'T = 60, beta 0.2, gamma 0.05, 5% infected at the start: mean of n samples (standard error), and the standard deviation ' +
    'of one sample. Exact at N = 50 (count-level Markov chain, float64): ' +
    `d/dbeta = ${exact[0].toFixed(3)}, d/dgamma = ${exact[1].toFixed(3)}. ` +
    'Score function: no baseline, on the count-level chain. CRN finite differences: central, h = 5% of the rate, the same seed on both sides.');
  say();
  say('| N | estimator | n | d/dbeta: mean (SE) | SD per sample | d/dgamma: mean (SE) | SD per sample | seconds |');
  say('| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const { N, n, nScore } of sizes) {
    for (const name of names) {
      const m = name === 'score function' ? nScore : n;
      manualSeed(N + names.indexOf(name));
      const start = Date.now();
      const s = spread(estimates(name, N, m, 0.05), m);
      const secs = (Date.now() - start) / 1000;
      const cell = (c) => `${c.mean.toFixed(3)} (${c.se.toFixed(3)})`;
      say(`| ${N} | ${name} | ${m} | ${cell(s[0])} | ${s[0].sd.toFixed(2)} | ${cell(s[1])} | ${s[1].sd.toFixed(2)} | ${secs.toFixed(1)} |`);
    }
  }
  say();
}

module.exports = { run };
if (require.main === module) ready().then(() => runAlone(run));
