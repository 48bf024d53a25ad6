import * as tf from '@tensorflow/tfjs';
import { jacobian } from '../../lib/jacobian';
import { manualSeed, recordDraws } from '../../lib/random';
import { randomWalk, randomWalkNaive } from '../../lib/walk/randomWalk';
import { expectClose, expectNoLeak, expectWithinSE, moments, straightThroughStepMoments, values } from '../util';

const NUM_WALKS = 4000;
const NUM_JACOBIANS = 300;

/** Checks a path: starts at 0 and moves by exactly +-1 each step. */
function expectSteps(path: number[]): void {
  expect(path[0]).toBe(0);
  for (let t = 1; t < path.length; t++) expect(Math.abs(path[t] - path[t - 1])).toBe(1);
}

describe.each([
  ['randomWalkNaive', (theta: number, T: number) => randomWalkNaive(theta, T)],
  ['randomWalk', (theta: number, T: number) => randomWalk(theta, T, 0.5)],
])('%s', (name, walk) => {
  it('starts at 0 and moves by +-1', () => {
    manualSeed(1);
    const path = values(walk(0.4, 50));
    expect(path).toHaveLength(50);
    expectSteps(path);
  });

  it('has mean slope 2 theta - 1', () => {
    // After n = T - 1 steps of the exact walk, E[x] = n (2 theta - 1) and Var[x] = 4 n theta (1 - theta).
    const theta = 0.3;
    const T = name === 'randomWalkNaive' ? 21 : 101;
    const n = name === 'randomWalkNaive' ? 300 : NUM_WALKS;
    manualSeed(2);
    const ends: number[] = [];
    if (name === 'randomWalkNaive') {
      for (let i = 0; i < n; i++) ends.push(values(walk(theta, T))[T - 1]);
    } else {
      const batch = randomWalk(tf.fill([n], theta), T, 0.5);
      ends.push(...values(tf.slice(batch, [0, T - 1], [n, 1])));
    }
    const steps = T - 1;
    const { mean } = moments(ends.map((x) => x / steps));
    const se = Math.sqrt((4 * theta * (1 - theta)) / steps / n);
    expectWithinSE(mean, 2 * theta - 1, se, `${name} slope`);
  });

  it('is deterministic at theta = 0 and theta = 1', () => {
    expect(values(walk(0, 5))).toEqual([0, -1, -2, -3, -4]);
    expect(values(walk(1, 5))).toEqual([0, 1, 2, 3, 4]);
  });

  it('returns [0] for a single timestep', () => {
    expect(values(walk(0.5, 1))).toEqual([0]);
  });

  it('repeats exactly under manualSeed', () => {
    manualSeed(77);
    const a = values(walk(0.6, 30));
    manualSeed(77);
    expect(values(walk(0.6, 30))).toEqual(a);
  });

  it('does not leak tensors', () => {
    expectNoLeak(() => walk(0.5, 20)).dispose();
    const theta = tf.scalar(0.5);
    expectNoLeak(() => walk(theta as unknown as number, 20)).dispose();
    theta.dispose();
  });

  it.each([1.5, -0.1, NaN])('refuses theta = %p', (theta) => {
    const before = tf.memory().numTensors;
    expect(() => walk(theta, 10)).toThrow(new RegExp(`${name}: theta must be in \\[0, 1\\], but got`));
    expect(tf.memory().numTensors).toBe(before);
  });

  it.each([0, -3, 2.5, NaN])('refuses nTimesteps = %p', (T) => {
    expect(() => walk(0.5, T)).toThrow(new RegExp(`${name}: nTimesteps must be an integer >= 1, but got`));
  });
});

describe('randomWalkNaive', () => {
  it('has an all-zero Jacobian: the if hides theta from autodiff', () => {
    manualSeed(3);
    const J = values(jacobian((th) => randomWalkNaive(th, 20), tf.scalar(0.2)));
    expect(J).toEqual(new Array(20).fill(0));
  });
});

describe('randomWalk', () => {
  it('takes the steps and straight-through gradients that its Gumbel draws imply', () => {
    // Reference in float64 from the recorded uniforms u: class "up" wins when
    // log theta + g0 > log(1 - theta) + g1 with g = -log(-log u), and each step
    // adds 2 y (1 - y) / (tau theta (1 - theta)) to dx_t/dtheta, y = sigmoid((logit theta + g0 - g1) / tau).
    const theta = 0.35;
    const tau = 0.7;
    const T = 40;
    manualSeed(4);
    const { value, draws } = recordDraws(() => values(randomWalk(theta, T, tau)));
    expect(draws).toHaveLength(1);
    const u = Array.from(draws[0]);
    const g = u.map((v) => -Math.log(-Math.log(v)));
    const positions = [0];
    const grads = [0];
    for (let s = 0; s < T - 1; s++) {
      const a = Math.log(theta / (1 - theta)) + g[2 * s] - g[2 * s + 1];
      const y = 1 / (1 + Math.exp(-a / tau));
      positions.push(positions[s] + (a > 0 ? 1 : -1));
      grads.push(grads[s] + (2 * y * (1 - y)) / (tau * theta * (1 - theta)));
    }
    expect(value).toEqual(positions);
    manualSeed(4);
    const J = values(jacobian((th) => randomWalk(th, T, tau), tf.scalar(theta)));
    expectClose(J, grads, 1e-3, 1e-4);
  });

  it('batches independent walks over a vector of theta', () => {
    manualSeed(5);
    const x = randomWalk([0, 1, 0.5, 0.5], 30, 0.3);
    expect(x.shape).toEqual([4, 30]);
    const rows = x.arraySync() as number[][];
    rows.forEach(expectSteps);
    expect(rows[0][29]).toBe(-29);
    expect(rows[1][29]).toBe(29);
    expect(rows[2]).not.toEqual(rows[3]);
  });

  it('has finite (zero) gradients at theta = 0 and theta = 1', () => {
    for (const theta of [0, 1]) {
      const J = values(jacobian((th) => randomWalk(th, 10, 0.5), tf.scalar(theta)));
      expect(J).toEqual(new Array(10).fill(0));
    }
  });

  describe.each([0.5, 1.0])('with tau = %p, the Monte Carlo Jacobian', (tau) => {
    // Exact moments of dx_t/dtheta from quadrature: E = t m(tau), Var = t v(tau).
    const theta = 0.4;
    const T = 11;
    const t = T - 1;
    const step = straightThroughStepMoments(theta, tau);
    let samples: number[] = [];

    beforeAll(() => {
      manualSeed(100 + tau * 10);
      samples = [];
      for (let i = 0; i < NUM_JACOBIANS; i++) {
        const J = jacobian((th) => randomWalk(th, T, tau), tf.scalar(theta));
        samples.push(J.dataSync()[t]);
        J.dispose();
      }
    });

    it('has mean t m(tau), biased below the true gradient 2t', () => {
      const { mean, se } = moments(samples);
      expectWithinSE(mean, t * step.mean, se, 'mean dx_t/dtheta');
      expect(t * step.mean).toBeLessThan(2 * t);
    });

    it('has variance t v(tau)', () => {
      // Var of the sample variance of a sum of t iid steps: (mu4 - sigma^4) / n,
      // with mu4 = t mu4_step + 3 t (t - 1) v^2 for the sum.
      const { variance } = moments(samples);
      const sigma2 = t * step.variance;
      const mu4 = t * step.mu4 + 3 * t * (t - 1) * step.variance ** 2;
      expectWithinSE(variance, sigma2, Math.sqrt((mu4 - sigma2 ** 2) / samples.length), 'variance dx_t/dtheta');
    });
  });

  it.each([0, -1, Infinity, NaN])('refuses tau = %p', (tau) => {
    expect(() => randomWalk(0.5, 10, tau)).toThrow(/randomWalk: tau must be a finite number > 0, but got/);
  });

  it('refuses theta of rank 2', () => {
    expect(() => randomWalk(tf.ones([2, 2]).mul(0.5), 10)).toThrow(/randomWalk: theta must be a number, a scalar or a 1-D tensor/);
  });
});
