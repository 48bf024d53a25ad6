import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import {
  bernoulli,
  drawShape,
  initialSeed,
  manualSeed,
  probeDraws,
  rand,
  randn,
  recordDraws,
  replayDraws,
  rewindDraws,
  saveDraws,
  tapeDepth,
  uniformArray,
} from '../lib/random';
import { expectNoLeak, expectWithinSE, moments, values } from './util';

/** Draws of an independent sfc32 in Python (test/fixtures/scripts/sfc32.py). */
const SFC32: { cases: { seed: number; uniforms: number[]; normals: number[] }[] } = JSON.parse(
  fs.readFileSync(path.join(__dirname, 'fixtures', 'sfc32.json'), 'utf8'),
);

const NUM_SAMPLES = 100_000;

describe('manualSeed', () => {
  it('makes the draws repeat exactly after reseeding', () => {
    manualSeed(42);
    const a = values(rand([1000]));
    manualSeed(42);
    const b = values(rand([1000]));
    expect(b).toEqual(a);
    expect(initialSeed()).toBe(42);
  });

  it('gives different draws for different seeds', () => {
    manualSeed(1);
    const a = values(rand([100]));
    manualSeed(2);
    const b = values(rand([100]));
    expect(b).not.toEqual(a);
  });

  it.each(SFC32.cases.map((c) => [c.seed, c]))('draws the uniforms of an independent sfc32 for seed %p, on every backend', (seed, c) => {
    // Exact: a uniform is 23 bits of the generator's output, exact in float32.
    manualSeed(seed as number);
    expect(values(rand([c.uniforms.length]))).toEqual(c.uniforms);
  });

  it.each(SFC32.cases.map((c) => [c.seed, c]))('draws the normals of Box-Muller on an independent sfc32 for seed %p', (seed, c) => {
    // Both sides compute Box-Muller in float64 and round to float32; their
    // log and cos could differ in the last float64 bit, which would show here
    // only if it moved the float32 rounding.
    manualSeed(seed as number);
    expect(values(randn([c.normals.length]))).toEqual(c.normals);
  });

  it('draws bernoulli(p) as u < p on the uniforms of an independent sfc32', () => {
    const c = SFC32.cases[0];
    const p = c.uniforms.map((_, i) => (i + 0.5) / c.uniforms.length);
    manualSeed(c.seed);
    expect(values(bernoulli(p))).toEqual(c.uniforms.map((u, i) => (u < Math.fround(p[i]) ? 1 : 0)));
  });

  it.each([-1, 1.5, NaN, 2 ** 53, '3'])('refuses the seed %p', (seed) => {
    expect(() => manualSeed(seed as number)).toThrow(/manualSeed: seed must be an integer in \[0, 2\^53 - 1\], but got/);
  });
});

describe('rand', () => {
  it('draws from the open interval (0, 1) with mean 1/2 and variance 1/12', () => {
    manualSeed(3);
    const u = values(rand([NUM_SAMPLES]));
    expect(Math.min(...u)).toBeGreaterThan(0);
    expect(Math.max(...u)).toBeLessThan(1);
    const { mean, variance } = moments(u);
    expectWithinSE(mean, 0.5, Math.sqrt(1 / 12 / NUM_SAMPLES), 'mean');
    // Var of the sample variance of U(0,1) is (mu4 - sigma^4) / n, mu4 = 1/80.
    expectWithinSE(variance, 1 / 12, Math.sqrt((1 / 80 - 1 / 144) / NUM_SAMPLES), 'variance');
  });

  it('does not leak tensors', () => {
    const u = expectNoLeak(() => rand([2, 3]));
    expect(u.shape).toEqual([2, 3]);
    u.dispose();
  });

  it('refuses a bad shape', () => {
    expect(() => rand([2, -1])).toThrow(/rand: shape must be an array of non-negative integers/);
  });
});

describe('randn', () => {
  it('draws standard normals: mean 0, variance 1', () => {
    manualSeed(13);
    const z = values(randn([NUM_SAMPLES]));
    expect(z.every(Number.isFinite)).toBe(true);
    const { mean, variance } = moments(z);
    expectWithinSE(mean, 0, Math.sqrt(1 / NUM_SAMPLES), 'mean');
    // Var of the sample variance of N(0, 1) is (3 - 1) / n.
    expectWithinSE(variance, 1, Math.sqrt(2 / NUM_SAMPLES), 'variance');
  });

  it('puts 68.27% of the draws within one standard deviation', () => {
    manualSeed(14);
    const inside = values(randn([NUM_SAMPLES])).filter((v) => Math.abs(v) < 1).length / NUM_SAMPLES;
    const p = 0.6826894921370859;
    expectWithinSE(inside, p, Math.sqrt((p * (1 - p)) / NUM_SAMPLES), 'P(|z| < 1)');
  });
});

describe('bernoulli', () => {
  it('draws 1 with probability p', () => {
    manualSeed(4);
    const p = 0.3;
    const draws = values(bernoulli(tf.fill([NUM_SAMPLES], p)));
    expect(draws.every((d) => d === 0 || d === 1)).toBe(true);
    const { mean } = moments(draws);
    expectWithinSE(mean, p, Math.sqrt((p * (1 - p)) / NUM_SAMPLES));
  });

  it('is deterministic at p = 0 and p = 1', () => {
    expect(values(bernoulli([0, 1, 0, 1]))).toEqual([0, 1, 0, 1]);
  });

  it('has a zero gradient with respect to p', () => {
    const g = tf.grad((p: tf.Tensor) => tf.sum(tf.add(bernoulli(p), tf.mul(p, 0))))(tf.tensor([0.2, 0.7]));
    expect(values(g)).toEqual([0, 0]);
  });

  it.each([[[1.5]], [[NaN]], [[-0.1]]])('refuses probabilities outside [0, 1]: %p', (p) => {
    const before = tf.memory().numTensors;
    expect(() => bernoulli(p)).toThrow(/bernoulli: probs must be in \[0, 1\], but got/);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('recordDraws and replayDraws', () => {
  it('replay the recorded numbers in order', () => {
    const { value, draws } = recordDraws(() => [Array.from(uniformArray(3)), Array.from(uniformArray(2))]);
    const again = replayDraws(draws, () => [Array.from(uniformArray(3)), Array.from(uniformArray(2))]);
    expect(again).toEqual(value);
  });

  it('refuse a replay that asks for other draws', () => {
    const { draws } = recordDraws(() => uniformArray(3));
    expect(() => replayDraws(draws, () => uniformArray(4))).toThrow(/different random draws/);
    expect(() => replayDraws(draws, () => 0)).toThrow(/made 0 random draws when run again, but 1/);
    expect(tapeDepth()).toBe(0);
  });

  it('refuse a replay whose request has the recorded size but another shape', () => {
    const { draws } = recordDraws(() => [rand([2, 3]), randn([3])]);
    expect(draws.map(drawShape)).toEqual([[2, 3], [3, 2]]);
    expect(() => replayDraws(draws, () => [rand([3, 2]), randn([3])], 'test')).toThrow(
      /^test: f asked for different random draws when run again \(request 1 wants shape \[3, 2\], the first run drew shape \[2, 3\]\); f must make the same random calls on every run$/,
    );
    expect(() => replayDraws(draws, () => [rand([2, 3]), rand([6])], 'test')).toThrow(/request 2 wants shape \[6\], the first run drew shape \[3, 2\]/);
  });

  it('nest: a recording inside a recording lands in both, in order', () => {
    manualSeed(70);
    const outer = recordDraws(() => {
      const a = uniformArray(2);
      const inner = recordDraws(() => uniformArray(3));
      return { a, inner };
    });
    expect(outer.value.inner.draws).toHaveLength(1);
    expect(outer.draws).toEqual([outer.value.a, outer.value.inner.draws[0]]);
    // The same numbers as without any recording.
    manualSeed(70);
    expect(Array.from(uniformArray(5))).toEqual([...outer.draws[0], ...outer.draws[1]]);
  });

  it('nest: a recording inside a replay takes its draws from the replay, and its own replay does not', () => {
    manualSeed(71);
    const run = () => {
      const inner = recordDraws(() => uniformArray(2));
      const again = replayDraws(inner.draws, () => uniformArray(2));
      return [...inner.draws[0], ...again, ...uniformArray(1)];
    };
    const first = recordDraws(run);
    expect(first.draws.map((d) => d.length)).toEqual([2, 1]);
    const replayed = replayDraws(first.draws, run);
    expect(replayed).toEqual(first.value);
    expect(first.value.slice(0, 2)).toEqual(first.value.slice(2, 4));
  });

  it('probe the shapes of requests without consuming draws', () => {
    manualSeed(72);
    const expected = values(rand([4]));
    manualSeed(72);
    const { shapes } = recordDraws(() => probeDraws(() => [rand([2, 2]), randn([3])])).value;
    expect(shapes).toEqual([[2, 2], [3, 2]]);
    expect(values(rand([4]))).toEqual(expected);
  });

  it('rewind the generator and every frame to a saved point', () => {
    manualSeed(73);
    const outer = recordDraws(() => {
      uniformArray(1);
      const state = saveDraws();
      const dropped = Array.from(uniformArray(2));
      rewindDraws(state);
      return { dropped, kept: Array.from(uniformArray(2)) };
    });
    expect(outer.value.kept).toEqual(outer.value.dropped);
    expect(outer.draws.map((d) => d.length)).toEqual([1, 2]);
  });
});
