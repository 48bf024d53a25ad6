import * as tf from '@tensorflow/tfjs';
import {
  estimateGradient,
  finiteDifferenceObjective,
  pathwiseObjective,
  PathLoss,
  scoreFunctionObjective,
  walkIncrementLoss,
  walkObjectives,
} from '../../lib/walk/estimators';
import { countSteps } from '../../lib/walk/likelihood';
import { calibrate } from '../../lib/calibrate/optimize';
import { manualSeed, recordDraws, replayDraws } from '../../lib/random';
import { randomWalk } from '../../lib/walk/randomWalk';
import { expectClose, expectNoLeak, expectWithinSE, FD_RTOL, FD_STEP, moments, straightThroughStepMoments, values } from '../util';

/** Gradient estimates per estimator in the statistical tests. */
const NUM_ESTIMATES = 300;

/** The final position of each walk: J(theta) = E[x_T] = (T - 1)(2 theta - 1), dJ/dtheta = 2 (T - 1). */
const finalPosition: PathLoss = (paths) => {
  const [B, T] = paths.shape as number[];
  return tf.squeeze(tf.slice(paths, [0, T - 1], [B, 1]), [1]);
};

function sampleGradients(objective: (theta: tf.Scalar) => tf.Scalar, theta: number, n = NUM_ESTIMATES): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(estimateGradient(objective, theta).gradient);
  return out;
}

describe('gradient estimators on the final position of the walk', () => {
  const T = 21;
  const theta = 0.4;
  const options = { nTimesteps: T, nSimulations: 8 };

  it('score function: unbiased, mean 2 (T - 1)', () => {
    manualSeed(1);
    const { mean, se } = moments(sampleGradients((th) => scoreFunctionObjective(th, finalPosition, options), theta));
    expectWithinSE(mean, 2 * (T - 1), se, 'score function');
  });

  it('score function without a baseline: unbiased too, with a larger variance', () => {
    manualSeed(2);
    const none = moments(sampleGradients((th) => scoreFunctionObjective(th, finalPosition, { ...options, baseline: 'none' }), theta));
    expectWithinSE(none.mean, 2 * (T - 1), none.se, 'score function without baseline');
    manualSeed(2);
    const loo = moments(sampleGradients((th) => scoreFunctionObjective(th, finalPosition, options), theta));
    expect(loo.variance).toBeLessThan(none.variance);
  });

  it('finite differences: the central difference of a linear J is exact, so unbiased', () => {
    manualSeed(3);
    const { mean, se } = moments(sampleGradients((th) => finiteDifferenceObjective(th, finalPosition, { ...options, step: 0.05 }), theta));
    expectWithinSE(mean, 2 * (T - 1), se, 'finite differences');
  });

  it('pathwise: mean (T - 1) m(tau), the straight-through bias below 2 (T - 1)', () => {
    // m(tau) is the mean straight-through derivative of one step, by quadrature (test/util.ts).
    const tau = 0.5;
    manualSeed(4);
    const { mean, se } = moments(sampleGradients((th) => pathwiseObjective(th, finalPosition, { ...options, tau }), theta));
    const expected = (T - 1) * straightThroughStepMoments(theta, tau).mean;
    expectWithinSE(mean, expected, se, 'pathwise');
    expect(expected).toBeLessThan(2 * (T - 1));
  });

  it('each returns the mean loss of its walks as its value', () => {
    // E[x_T] = (T - 1)(2 theta - 1) = -4 at theta = 0.4, T = 21 (linear, so also the mean at theta +- h).
    for (const objective of Object.values(walkObjectives)) {
      manualSeed(5);
      const v: number[] = [];
      for (let i = 0; i < 100; i++) v.push(estimateGradient((th) => objective(th, finalPosition, { ...options, tau: 0.5 }), theta).value);
      const { mean, se } = moments(v);
      expectWithinSE(mean, -4, se, 'mean value');
    }
  });
});

describe('gradient estimators on the MMD loss between increments', () => {
  // With +-1 increments, bandwidth h and the unbiased MMD, E[loss] = 2 (1 - c)(theta - q)^2 + const,
  // c = exp(-4 / (2 h^2)), q the observed fraction of ups (derived in walkIncrementLoss's doc comment).
  const T = 50;
  const h = 2;
  const c = Math.exp(-4 / (2 * h * h));
  let observed: number[] = [];
  let q = 0;
  let loss: PathLoss = finalPosition;
  const exact = (theta: number) => 4 * (1 - c) * (theta - q);

  beforeAll(() => {
    manualSeed(10);
    observed = values(randomWalk(0.3, 80));
    q = countSteps(observed).ups / 79;
    loss = walkIncrementLoss(observed, { bandwidths: [h] });
  });

  it.each([
    ['score function', scoreFunctionObjective],
    ['finite differences', finiteDifferenceObjective],
  ] as const)('%s: unbiased for 4 (1 - c)(theta - q)', (_, objective) => {
    manualSeed(11);
    const { mean, se } = moments(sampleGradients((th) => objective(th, loss, { nTimesteps: T, nSimulations: 8 }), 0.6, 200));
    expectWithinSE(mean, exact(0.6), se, 'MMD gradient');
  });

  it('pathwise: equals central finite differences along the soft path on the recorded draws', () => {
    // On fixed draws the objective is piecewise constant in theta (hard steps), so its own finite
    // differences are 0 almost everywhere. The straight-through gradient is instead the derivative of
    // F(theta') = mean_b loss(x_hard + x_soft(theta') - x_soft(theta)) at theta' = theta, where
    // x_soft sums the soft steps 2 y - 1, y = sigmoid((logit theta' + g0 - g1) / tau), g = -log(-log u).
    // Reference: (F(theta + h) - F(theta - h)) / 2h, the soft paths in float64 from the recorded
    // uniforms, the loss from the library. Tolerance FD_RTOL (float32 loss, step FD_STEP).
    const [theta, tau, B] = [0.45, 0.5, 8];
    const objective = (th: tf.Scalar) => pathwiseObjective(th, loss, { nTimesteps: T, nSimulations: B, tau });
    manualSeed(13);
    const { value: gradient, draws } = recordDraws(() => estimateGradient(objective, theta).gradient);
    expect(draws).toHaveLength(1);
    const u = draws[0];
    const soft = (p: number) =>
      Array.from({ length: B }, (_, b) => {
        const x = [0];
        for (let s = 0; s < T - 1; s++) {
          const i = 2 * (b * (T - 1) + s);
          const a = Math.log(p / (1 - p)) - Math.log(-Math.log(u[i])) + Math.log(-Math.log(u[i + 1]));
          x.push(x[s] + 2 / (1 + Math.exp(-a / tau)) - 1);
        }
        return x;
      });
    const hard = Array.from({ length: B }, (_, b) => {
      const x = [0];
      for (let s = 0; s < T - 1; s++) {
        const i = 2 * (b * (T - 1) + s);
        const a = Math.log(theta / (1 - theta)) - Math.log(-Math.log(u[i])) + Math.log(-Math.log(u[i + 1]));
        x.push(x[s] + (a > 0 ? 1 : -1));
      }
      return x;
    });
    // The float64 hard paths are the walks the objective simulated.
    const simulated = replayDraws(draws, () => randomWalk(tf.fill([B], theta), T, tau).arraySync() as number[][]);
    expect(simulated).toEqual(hard);
    const centre = soft(theta);
    const F = (p: number) => {
      const shifted = soft(p).map((x, b) => x.map((v, t) => hard[b][t] + v - centre[b][t]));
      return tf.tidy(() => tf.mean(loss(tf.tensor2d(shifted))).dataSync()[0]);
    };
    const reference = (F(theta + FD_STEP) - F(theta - FD_STEP)) / (2 * FD_STEP);
    expect(Math.abs(reference)).toBeGreaterThan(0.01);
    expectClose([gradient], [reference], FD_RTOL, 1e-4);
  });

  it('pathwise: biased low, more so at a higher tau, with less variance than the score function and finite differences (what notebook 04 states)', () => {
    // 40 estimates of each at theta = 0.6 and 8 walks each; the bias is tens of standard errors
    // and the variances differ severalfold, against a relative error of about 22% on a variance of 40 samples.
    const budget = { nTimesteps: T, nSimulations: 8 };
    manualSeed(14);
    const cold = moments(sampleGradients((th) => pathwiseObjective(th, loss, { ...budget, tau: 0.1 }), 0.6, 40));
    const warm = moments(sampleGradients((th) => pathwiseObjective(th, loss, { ...budget, tau: 1 }), 0.6, 40));
    const score = moments(sampleGradients((th) => scoreFunctionObjective(th, loss, budget), 0.6, 40));
    const fd = moments(sampleGradients((th) => finiteDifferenceObjective(th, loss, budget), 0.6, 40));
    expect(cold.mean + 4 * cold.se).toBeLessThan(exact(0.6));
    expect(warm.mean + 4 * Math.hypot(warm.se, cold.se)).toBeLessThan(cold.mean);
    expect(warm.variance).toBeLessThan(cold.variance);
    expect(2 * cold.variance).toBeLessThan(Math.min(score.variance, fd.variance));
  });

  it('pathwise: points the same way as the exact gradient', () => {
    manualSeed(12);
    const below = moments(sampleGradients((th) => pathwiseObjective(th, loss, { nTimesteps: T, nSimulations: 8, tau: 0.5 }), 0.15, 50));
    const above = moments(sampleGradients((th) => pathwiseObjective(th, loss, { nTimesteps: T, nSimulations: 8, tau: 0.5 }), 0.6, 50));
    expect(below.mean).toBeLessThan(0);
    expect(above.mean).toBeGreaterThan(0);
  });

  it('gives each walk the MMD between its increments and the observed ones', () => {
    // Two walks of all ups and all downs against the observed increments, in float64:
    // unbiased MMD with xx = 1, yy = (U(U-1) + D(D-1) + 2UDc) / (m(m-1)), xy = (U + Dc)/m for all ups.
    const m = 79;
    const U = countSteps(observed).ups;
    const D = m - U;
    const yy = (U * (U - 1) + D * (D - 1) + 2 * U * D * c) / (m * (m - 1));
    const paths = tf.stack([tf.range(0, 6, 1, 'float32'), tf.neg(tf.range(0, 6, 1, 'float32'))]);
    // rtol 1e-3: the wasm backend's float32 sums of thousands of terms drift by ~5e-5.
    expectClose(values(loss(paths)), [1 + yy - (2 * (U + D * c)) / m, 1 + yy - (2 * (D + U * c)) / m], 1e-3, 1e-6);
  });
});

describe('calibration of the walk', () => {
  it('recovers theta* = 0.3 from 100 observed steps with each estimator (16 walks per epoch)', () => {
    // The MMD loss is minimised in expectation at q, the observed fraction of ups (the maximum-
    // likelihood estimate, whose standard error is sqrt(q (1 - q) / 99)). Tolerance:
    // |mean of the last 20 epochs - q| < 0.03 and |that - theta*| < 2 standard errors of q.
    // On the cpu backend (about 10 times slower here) only the pathwise estimator runs.
    const objectives = tf.getBackend() === 'cpu' ? { pathwise: walkObjectives.pathwise } : walkObjectives;
    manualSeed(2024);
    const observed = randomWalk(0.3, 100);
    const q = countSteps(observed).ups / 99;
    const loss = walkIncrementLoss(observed);
    const se = Math.sqrt((q * (1 - q)) / 99);
    for (const [name, objective] of Object.entries(objectives)) {
      manualSeed(7);
      const fit = calibrate({
        init: { theta: 0.5 },
        domains: { theta: 'unit' },
        loss: ({ theta }) => objective(theta, loss, { nTimesteps: 100, nSimulations: 16, tau: 0.5 }),
        optimizer: tf.train.adam(0.05),
        maxEpochs: 60,
      });
      const estimate = moments(fit.history.params.theta.slice(-20)).mean;
      if (!(Math.abs(estimate - q) < 0.03 && Math.abs(estimate - 0.3) < 2 * se)) {
        throw new Error(`${name}: estimate ${estimate}, q = ${q}, theta* = 0.3`);
      }
    }
  });
});

describe('estimator edge cases', () => {
  const options = { nTimesteps: 10, nSimulations: 4 };

  it('give finite estimates at theta = 0 and theta = 1', () => {
    for (const theta of [0, 1]) {
      for (const objective of Object.values(walkObjectives)) {
        const g = estimateGradient((th) => objective(th, finalPosition, options), theta).gradient;
        expect(Number.isFinite(g)).toBe(true);
      }
      // All walks are equal, so the leave-one-out score estimate is 0 exactly.
      expect(estimateGradient((th) => scoreFunctionObjective(th, finalPosition, options), theta).gradient).toBe(0);
    }
  });

  it('do not leak tensors', () => {
    const theta = tf.scalar(0.4);
    for (const objective of Object.values(walkObjectives)) {
      expectNoLeak(() => objective(theta, finalPosition, options)).dispose();
      const before = tf.memory().numTensors;
      estimateGradient((th) => objective(th, finalPosition, options), 0.4);
      expect(tf.memory().numTensors).toBe(before);
    }
    const loss = walkIncrementLoss([0, 1, 0, 1]);
    const paths = tf.zeros([2, 5]);
    expectNoLeak(() => loss(paths)).dispose();
    tf.dispose([theta, paths]);
  });

  it('refuse bad theta, budgets, steps and losses', () => {
    expect(() => pathwiseObjective(1.5, finalPosition, options)).toThrow(/pathwiseObjective: theta must be in \[0, 1\], but got 1.5/);
    expect(() => scoreFunctionObjective(tf.tensor1d([0.5]), finalPosition, options)).toThrow(/scoreFunctionObjective: theta must be a number or a scalar tensor, but got a float32 tensor of shape \[1\]/);
    expect(() => finiteDifferenceObjective(0.5, finalPosition, { nTimesteps: 10, nSimulations: 5 })).toThrow(
      /finiteDifferenceObjective: nSimulations must be even \(one pair of walks per difference\), but got 5/,
    );
    expect(() => finiteDifferenceObjective(0.5, finalPosition, { ...options, step: 0 })).toThrow(/finiteDifferenceObjective: step must be a finite number > 0, but got 0/);
    expect(() => pathwiseObjective(0.5, finalPosition, { nTimesteps: 1, nSimulations: 4 })).toThrow(/pathwiseObjective: nTimesteps must be an integer >= 2, but got 1/);
    expect(() => pathwiseObjective(0.5, finalPosition, { nTimesteps: 5, nSimulations: 1 })).toThrow(/pathwiseObjective: nSimulations must be an integer >= 2, but got 1/);
    expect(() => pathwiseObjective(0.5, finalPosition, { ...options, tau: 0 })).toThrow(/pathwiseObjective: tau must be a finite number > 0, but got 0/);
    expect(() => scoreFunctionObjective(0.5, finalPosition, { ...options, baseline: 'mean' as never })).toThrow(
      /scoreFunctionObjective: baseline must be 'leave-one-out' or 'none', but got "mean"/,
    );
    expect(() => scoreFunctionObjective(0.5, (p) => tf.sum(p), options)).toThrow(/scoreFunctionObjective: loss\(paths\) must be a tensor of shape \[4\], but got a float32 tensor of shape \[\]/);
    expect(() => walkIncrementLoss([0, 1])).toThrow(/walkIncrementLoss: observed must be a 1-D tensor of at least 3 positions, but got/);
    expect(() => estimateGradient((th) => tf.stack([th, th]) as tf.Scalar, 0.5)).toThrow(/estimateGradient: objective\(theta\) must be a float32 scalar tensor/);
  });
});
