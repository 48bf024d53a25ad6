import * as tf from '@tensorflow/tfjs';
import { bernoulli, initialSeed, manualSeed, rand, randn, recordDraws, replayDraws, uniformArray } from '../lib/random';
import { expectNoLeak, expectWithinSE, moments, values } from './util';

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

  it('gives the same numbers on every backend', () => {
    // Printed once by this generator with seed 7 and compared exactly, so a
    // change of generator, or a backend that alters the draws, shows here.
    manualSeed(7);
    expect(values(rand([4]))).toEqual([0.8656277060508728, 0.853383481502533, 0.7813095450401306, 0.274358332157135]);
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
  });
});
