import * as tf from '@tensorflow/tfjs';
import { jacobian } from '../lib/jacobian';
import { manualSeed, rand, randn, recordDraws } from '../lib/random';
import { sampleJacobians } from '../lib/sampleJacobians';
import { randomWalk } from '../lib/walk/randomWalk';
import { expectClose, expectNoLeak, expectWithinSE, moments, straightThroughStepMoments, values } from './util';

/** Walks per temperature in the statistical test (one batched pass each, with the check of the batch). */
const NUM_SAMPLES = 2000;

/** Rounding between forward mode and the reference's reverse mode, in float32. */
const MODE_RTOL = 1e-5;

/** n calls of the reference `jacobian`, stacked: what sampleJacobians must reproduce. */
function referenceSamples(f: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor, n: number): tf.Tensor {
  return tf.tidy(() => tf.stack(Array.from({ length: n }, () => jacobian(f, x))));
}

/** The notices of sampleJacobians, collected from console.warn instead of printed. */
let notices: string[] = [];
beforeEach(() => {
  notices = [];
  jest.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
    const line = args.map(String).join(' ');
    if (line.startsWith('sampleJacobians')) notices.push(line);
  });
});
afterEach(() => jest.restoreAllMocks());

describe('sampleJacobians', () => {
  const walk = (th: tf.Tensor) => randomWalk(th, 12, 0.5);

  it.each([undefined, false, true])('gives the samples of n jacobian calls on the same seed (batched: %p)', (batched) => {
    // The samples consume the generator in the order of n separate calls: a
    // batched walk of n rows draws the rows' noise one after the other.
    const theta = tf.scalar(0.45);
    manualSeed(21);
    const expected = referenceSamples(walk, theta, 5);
    manualSeed(21);
    const J = sampleJacobians(walk, theta, 5, { batched });
    expect(J.shape).toEqual([5, 12]);
    expect(values(J).some((v) => v !== 0)).toBe(true);
    expectClose(values(J), values(expected), MODE_RTOL, 1e-5);
    expect(notices).toEqual([]);
  });

  it('gives different samples on fresh draws and repeats under manualSeed', () => {
    manualSeed(4);
    const a = values(sampleJacobians(walk, 0.4, 3, { batched: true }));
    manualSeed(4);
    expect(values(sampleJacobians(walk, 0.4, 3, { batched: true }))).toEqual(a);
    expect(a.slice(0, 12)).not.toEqual(a.slice(12, 24));
  });

  it('matches the closed form in forward and in reverse mode, batched or not', () => {
    // f(v) = [sum exp(v), prod v, sum(v * w), sum v, 0, sum v^2]:
    // J = [exp(v); prod(v) / v; w; 1; 0; 2 v].
    const x0 = [0.3, -0.8, 1.1];
    const w = [1, -2, 3];
    const rows = (v: number[], k: number) =>
      [
        v.map(Math.exp),
        v.map((_, j) => v.filter((__, i) => i !== j).reduce((a, b) => a * b, 1)),
        w,
        [1, 1, 1],
        [0, 0, 0],
        v.map((a) => 2 * a),
      ].slice(0, k);
    const fAll = (v: tf.Tensor, axis: number) => [
      tf.sum(tf.exp(v), axis),
      tf.prod(v, axis),
      tf.sum(tf.mul(v, w), axis),
      tf.sum(v, axis),
      tf.mul(tf.sum(v, axis), 0),
      tf.sum(tf.square(v), axis),
    ];
    const x = tf.tensor1d(x0);
    // 2 outputs for 3 inputs take reverse mode; 6 outputs take forward mode.
    for (const k of [2, 6]) {
      const expected = rows(x0, k).flat();
      const single = sampleJacobians((v) => tf.stack(fAll(v, 0).slice(0, k)), x, 2, { batched: false });
      expect(single.shape).toEqual([2, k, 3]);
      expectClose(values(single), [...expected, ...expected], 1e-5, 1e-6);
      const batched = sampleJacobians((v) => tf.stack(fAll(v, 1).slice(0, k), 1), x, 2, { batched: true });
      expect(batched.shape).toEqual([2, k, 3]);
      expectClose(values(batched), [...expected, ...expected], 1e-5, 1e-6);
    }
  });

  it('keeps the shape [n, ...f(x).shape, ...x.shape] for matrix inputs and outputs', () => {
    const x = tf.tensor2d([[1, 2], [3, 4]]);
    const J = sampleJacobians((v) => tf.reshape(tf.square(v), [1, 4]), x, 3, { batched: false });
    expect(J.shape).toEqual([3, 1, 4, 2, 2]);
    expectClose(values(J).slice(0, 16), values(jacobian((v) => tf.reshape(tf.square(v), [1, 4]), x)), 1e-6);
  });

  it.each([0.1, 0.5, 1.0])('has the exact mean and variance of the straight-through estimator at tau = %p', (tau) => {
    // dx_t/dtheta is a sum of t independent steps' derivatives, so its mean is
    // t E[g] and its variance t Var[g], with E[g], Var[g] and the fourth
    // moment of g from quadrature (test/util.ts); the variance's standard error
    // uses the fourth central moment of a sum of t steps, t mu4 + 3 t (t - 1) var^2.
    const theta = 0.4;
    const T = 11;
    const t = T - 1;
    manualSeed(100 + Math.round(tau * 10));
    const J = sampleJacobians((th) => randomWalk(th, T, tau), theta, NUM_SAMPLES);
    const last = values(tf.slice(J, [0, t], [NUM_SAMPLES, 1]));
    const step = straightThroughStepMoments(theta, tau);
    const { mean, variance } = moments(last);
    const exactVar = t * step.variance;
    const mu4 = t * step.mu4 + 3 * t * (t - 1) * step.variance ** 2;
    expectWithinSE(mean, t * step.mean, Math.sqrt(exactVar / NUM_SAMPLES), `tau ${tau} mean`);
    expectWithinSE(variance, exactVar, Math.sqrt((mu4 - exactVar ** 2) / NUM_SAMPLES), `tau ${tau} variance`);
  });

  it('does not leak tensors', () => {
    const x = tf.scalar(0.3);
    expectNoLeak(() => sampleJacobians(walk, x, 3)).dispose();
    expectNoLeak(() => sampleJacobians(walk, x, 3, { batched: false })).dispose();
    expectNoLeak(() => sampleJacobians(walk, x, 3, { batched: true, verify: true })).dispose();
    const v = tf.tensor1d([0.5, 1.5]);
    expectNoLeak(() => sampleJacobians((u) => tf.stack([tf.prod(u)]), v, 2, { batched: false })).dispose();
    expectNoLeak(() => sampleJacobians((u) => tf.concat([u, u, u]), v, 2, { batched: false })).dispose();
    // Falling back after a batch that fails in f, and after a check that fails.
    expectNoLeak(() => sampleJacobians((u) => tf.mul(u, rand([3])), x, 2)).dispose();
    expectNoLeak(() => sampleJacobians((u) => tf.mul(u, tf.mean(rand(u.shape))), x, 2)).dispose();
    expect(notices).toHaveLength(2);
    x.dispose();
    v.dispose();
  });

  it('keeps tf.memory() flat over many calls', () => {
    const f = (th: tf.Tensor) => randomWalk(th, 6, 0.5);
    sampleJacobians(f, 0.4, 3, { batched: true }).dispose();
    const before = tf.memory();
    for (let i = 0; i < 200; i++) sampleJacobians(f, 0.4, 3, { batched: true }).dispose();
    const after = tf.memory();
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numBytes).toBe(before.numBytes);
  });

  it.each([0, -1, 2.5, NaN, '3'])('refuses n = %p', (n) => {
    expect(() => sampleJacobians(walk, 0.4, n as number)).toThrow(
      new RegExp(`^sampleJacobians: n must be an integer >= 1, but got ${n === '3' ? '"3"' : n}$`),
    );
  });

  it('refuses verify without batched: true, and a bad verify', () => {
    expect(() => sampleJacobians(walk, 0.4, 2, { verify: true })).toThrow(/^sampleJacobians: verify must be used with batched: true, but got true$/);
    expect(() => sampleJacobians(walk, 0.4, 2, { batched: true, verify: 1 as unknown as boolean })).toThrow(
      /^sampleJacobians: verify must be a boolean, but got 1$/,
    );
  });

  it('refuses a bad f, x or batched', () => {
    expect(() => sampleJacobians('f' as unknown as () => tf.Tensor, 0.4, 2)).toThrow(/sampleJacobians: f must be a function, but got "string"/);
    expect(() => sampleJacobians(walk, tf.tensor1d([1, 2], 'int32'), 2)).toThrow(
      /sampleJacobians: x must be a float32 tensor or a number, but got a int32 tensor of shape \[2\]/,
    );
    expect(() => sampleJacobians(walk, 0.4, 2, { batched: 1 as unknown as boolean })).toThrow(
      /sampleJacobians: batched must be a boolean, but got 1/,
    );
  });

  it('refuses a batched f whose output does not have n rows', () => {
    const before = tf.memory().numTensors;
    expect(() => sampleJacobians((v) => tf.sum(v, 0, true), 0.4, 3, { batched: true })).toThrow(
      /sampleJacobians: f\(x\) must be a tensor of shape \[3, \.\.\.\] for a batched f, but got a float32 tensor of shape \[1\]/,
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a function whose randomness bypasses the generator, when it runs f twice', () => {
    // A vector x takes one pass per entry, each a replay of the first run.
    const x = tf.tensor1d([1, 2]);
    const before = tf.memory().numTensors;
    const f = (v: tf.Tensor) => tf.concat([tf.mul(v, Math.random()), v, v]);
    expect(() => sampleJacobians(f, x, 2)).toThrow(/sampleJacobians: f gave different values when run again on the same random draws/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('explains when forward mode meets a gradient TensorFlow.js cannot differentiate, and reverse mode works', () => {
    // elu's gradient is its own kernel (EluGrad), which has no gradient.
    const x = tf.tensor1d([0.5, -1]);
    const before = tf.memory().numTensors;
    expect(() => sampleJacobians((v) => tf.elu(v), x, 2, { mode: 'forward' })).toThrow(
      /sampleJacobians: forward mode differentiates the gradient of f, .*EluGrad.*mode: 'reverse'/,
    );
    expect(tf.memory().numTensors).toBe(before);
    const J = sampleJacobians((v) => tf.elu(v), x, 2, { mode: 'reverse' });
    expectClose(values(J), [1, 0, 0, Math.exp(-1), 1, 0, 0, Math.exp(-1)], 1e-6);
    expect(() => sampleJacobians(walk, 0.4, 2, { mode: 'sideways' as 'auto' })).toThrow(
      /sampleJacobians: mode must be one of 'auto', 'forward', 'reverse', but got "sideways"/,
    );
  });

  it('lets NaN in f propagate', () => {
    const J = values(sampleJacobians((v) => tf.sqrt(v), tf.scalar(-1), 2));
    expect(J.every(Number.isNaN)).toBe(true);
    const K = values(sampleJacobians((v) => tf.sqrt(v), 4, 1, { batched: true }));
    expectClose(K, [0.25], 1e-6);
  });
});

/** p + p shifted down by one along the first axis, with p = v * u, u ~ U(0, 1). */
function addPrevious(v: tf.Tensor): tf.Tensor {
  const p = tf.mul(v, rand(v.shape));
  const n = p.shape[0];
  return tf.add(p, tf.concat([tf.zerosLike(tf.slice(p, 0, 1)), tf.slice(p, 0, n - 1)]));
}

describe('sampleJacobians without the batched option', () => {
  it('runs a batched f as a batch, with the numbers of n jacobian calls, even when f makes several draws', () => {
    // Two requests per run: a batch draws each request for all rows at once, so
    // the numbers are dealt to the rows in the order n separate calls draw them.
    const f = (v: tf.Tensor) => tf.add(tf.mul(v, rand(v.shape)), tf.sum(tf.mul(tf.expandDims(tf.square(v), -1), randn([...v.shape, 3])), -1));
    const x = tf.tensor1d([0.3, -0.7]);
    manualSeed(60);
    const expected = values(tf.stack(Array.from({ length: 4 }, () => jacobian(f, x))));
    for (const batched of [undefined, true, false]) {
      manualSeed(60);
      const J = sampleJacobians(f, x, 4, { batched });
      expect(J.shape).toEqual([4, 2, 2]);
      expectClose(values(J), expected, MODE_RTOL, 1e-6);
    }
    expect(notices).toEqual([]);
  });

  it('checks the batch on the first call for each f only', () => {
    let calls = 0;
    const f = (th: tf.Tensor) => {
      calls++;
      return randomWalk(th, 8, 0.5);
    };
    sampleJacobians(f, 0.4, 5).dispose();
    const first = calls;
    calls = 0;
    sampleJacobians(f, 0.4, 5).dispose();
    // The first call also runs f unbatched on the first and last rows' draws.
    expect(calls).toBe(1);
    expect(first).toBe(3);
  });

  it('falls back, with a one-line notice, for an f that does not accept a batch', () => {
    // f multiplies by 3 draws of its own: [5] times [3] does not broadcast.
    const f = (v: tf.Tensor) => tf.mul(v, rand([3]));
    manualSeed(61);
    const expected = values(sampleJacobians(f, 0.4, 5, { batched: false }));
    manualSeed(61);
    const J = sampleJacobians(f, 0.4, 5);
    expect(J.shape).toEqual([5, 3]);
    expect(values(J)).toEqual(expected);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/^sampleJacobians: took the 5 samples one at a time, since f is not batched: it failed on a batch \(.*\)\. Pass \{ batched: false \} to skip the try\.$/);
    expect(notices[0]).not.toMatch(/\n/);
    // Once per function.
    sampleJacobians(f, 0.4, 5).dispose();
    expect(notices).toHaveLength(1);
  });

  it.each([
    // Row k's output uses every row's draws.
    ['the mean of all rows\' draws', (v: tf.Tensor) => tf.mul(v, tf.mean(rand(v.shape))), 0],
    // Each entry plus the one before it along the first axis: nothing to add
    // for x of one entry, the previous row when batched. With one input, a
    // forward-mode pass puts a tangent on every row at once: row 0 is right and
    // the last row is not.
    ['adding the previous entry along the first axis', addPrevious, 5],
  ])('falls back when rows depend on each other (%s), and verify refuses them', (_, f, row) => {
    const x = tf.tensor1d([0.4]);
    const options = {};
    manualSeed(62);
    const expected = values(sampleJacobians(f, x, 6, { ...options, batched: false }));
    manualSeed(62);
    expect(values(sampleJacobians(f, x, 6, options))).toEqual(expected);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(new RegExp(`row ${row} of the batched Jacobian differs from an unbatched run on the same draws`));
    const before = tf.memory().numTensors;
    expect(() => sampleJacobians(f, x, 6, { ...options, batched: true, verify: true })).toThrow(
      new RegExp(`^sampleJacobians: f must treat the rows of a batch independently \\(batched: true\\), but row ${row} of the batched Jacobian differs`),
    );
    expect(tf.memory().numTensors).toBe(before);
    // Without verify, batched: true takes f at its word.
    expect(() => sampleJacobians(f, x, 6, { batched: true }).dispose()).not.toThrow();
  });

  it('catches rows that interact through the gradient only', () => {
    // f(v) = v * sum(v): with every row at x, the outputs agree with an
    // unbatched run, but the batch's derivatives do not.
    const f = (v: tf.Tensor) => tf.mul(v, tf.sum(v));
    expect(() => sampleJacobians(f, 0.5, 3, { batched: true, verify: true })).toThrow(/row 0 of the batched Jacobian differs/);
    expectClose(values(sampleJacobians(f, 0.5, 3)), [1, 1, 1], 1e-6);
    expect(notices).toHaveLength(1);
  });

  it('leaves the draws of a recording around it as n jacobian calls would', () => {
    // Inside a recording, the batch learns the requests on placeholder draws first.
    const f = (th: tf.Tensor) => randomWalk(th, 6, 0.5);
    manualSeed(63);
    const outer = recordDraws(() => values(sampleJacobians(f, 0.4, 3)));
    manualSeed(63);
    const loop = recordDraws(() => values(sampleJacobians(f, 0.4, 3, { batched: false })));
    expect(outer.draws.map((d) => Array.from(d))).toEqual(loop.draws.map((d) => Array.from(d)));
    expectClose(outer.value, loop.value, MODE_RTOL, 1e-6);
  });
});

describe('sampleJacobians with draws shared by the rows', () => {
  it('falls back for an f whose one request does not split into n rows', () => {
    // Three draws shared by every row: rows depend on the same noise.
    const f = (v: tf.Tensor) => tf.mul(tf.reshape(v, [-1, 1]), rand([3]));
    manualSeed(64);
    const expected = values(sampleJacobians(f, tf.tensor1d([0.4]), 4, { batched: false }));
    manualSeed(64);
    expect(values(sampleJacobians(f, tf.tensor1d([0.4]), 4))).toEqual(expected);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/its draws do not split into 4 rows \(a request of shape \[3\]\)/);
    expect(() => sampleJacobians(f, tf.tensor1d([0.4]), 4, { batched: true, verify: true })).toThrow(
      /^sampleJacobians: f must treat the rows of a batch independently \(batched: true\), but its draws do not split into 4 rows/,
    );
  });
});
