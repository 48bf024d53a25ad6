import * as tf from '@tensorflow/tfjs';
import { averageOfLastEpochs, calibrate, calibrateAsync, EpochInfo, fromDomain, toDomain } from '../../lib/calibrate/optimize';
import { expectClose, values } from '../util';

/** A smooth loss with its minimum at theta = 0.3, sigma = 2: (theta - 0.3)^2 + (log sigma - log 2)^2. */
const bowl = (p: Record<string, tf.Scalar>) =>
  tf.add(tf.square(tf.sub(p.theta, 0.3)), tf.square(tf.sub(tf.log(p.sigma), Math.log(2)))) as tf.Scalar;

describe('toDomain and fromDomain', () => {
  it.each([
    ['real', -1.5],
    ['positive', 0.02],
    ['unit', 0.3],
    [[-2, 5], 4.2],
  ] as const)('are inverse maps for the domain %p', (domain, x) => {
    const u = fromDomain(x, domain as never);
    expectClose(values(toDomain(tf.scalar(u), domain as never)), [x], 1e-6);
  });
});

describe('calibrate', () => {
  it('takes plain gradient steps on the unconstrained values (closed form of one SGD step)', () => {
    // For theta = sigmoid(u) and loss (theta - 0.3)^2: u1 = u0 - lr * 2 (theta - 0.3) theta (1 - theta).
    const lr = 0.5;
    const theta0 = 0.8;
    const fit = calibrate({
      init: { theta: theta0 },
      domains: { theta: 'unit' },
      loss: ({ theta }) => tf.square(tf.sub(theta, 0.3)) as tf.Scalar,
      optimizer: tf.train.sgd(lr),
      maxEpochs: 1,
    });
    const u1 = fromDomain(theta0, 'unit') - lr * 2 * (theta0 - 0.3) * theta0 * (1 - theta0);
    expectClose([fit.params.theta], [1 / (1 + Math.exp(-u1))], 1e-5);
    expectClose(fit.history.loss, [(theta0 - 0.3) ** 2], 1e-5);
    expectClose(fit.history.params.theta, [theta0], 1e-7);
  });

  it('finds the minimum of a smooth loss, keeping each parameter in its domain', () => {
    const fit = calibrate({
      init: { theta: 0.9, sigma: 0.5 },
      domains: { theta: 'unit', sigma: 'positive' },
      loss: bowl,
      optimizer: tf.train.adam(0.1),
      maxEpochs: 300,
    });
    expectClose([fit.params.theta, fit.params.sigma], [0.3, 2], 1e-2);
    expect(fit.history.params.theta.every((v) => v > 0 && v < 1)).toBe(true);
    expect(fit.history.params.sigma.every((v) => v > 0)).toBe(true);
    expect(fit.epochs).toBe(300);
    expect(fit.stopReason).toBe('maxEpochs');
  });

  it('stops early when the loss stops improving for `patience` epochs', () => {
    // A constant loss never improves after epoch 0: the loop ends after 1 + patience epochs.
    const fit = calibrate({ init: { a: 1 }, loss: ({ a }) => tf.mul(a, 0) as tf.Scalar, maxEpochs: 100, patience: 5 });
    expect(fit.stopReason).toBe('patience');
    expect(fit.epochs).toBe(6);
    expect(fit.best.epoch).toBe(0);
  });

  it('counts only decreases larger than tol, on the smoothed loss', () => {
    // Loss 1, then 0.9 forever: a decrease of 0.1 counts with tol 0.05 (stop after
    // epochs 0, 1 and 3 more) but not with tol 0.2 (stop after epoch 0 and 3 more).
    const run = (tol: number) => {
      let epoch = 0;
      return calibrate({
        init: { a: 0 },
        loss: ({ a }) => tf.add(tf.mul(a, 0), epoch++ === 0 ? 1 : 0.9) as tf.Scalar,
        maxEpochs: 50,
        patience: 3,
        tol,
      });
    };
    expect(run(0.2).epochs).toBe(4);
    expect(run(0.05).epochs).toBe(5);
    expect(run(0.05).best.epoch).toBe(1);
    // The moving average with weight 0.5 of 4, 2, 2: 4, 3, 2.5.
    let e = 0;
    const smoothed = calibrate({
      init: { a: 0 },
      loss: ({ a }) => tf.add(tf.mul(a, 0), [4, 2, 2][e++]) as tf.Scalar,
      maxEpochs: 3,
      smoothing: 0.5,
    });
    expectClose(smoothed.history.smoothedLoss, [4, 3, 2.5], 1e-7);
  });

  it('calls onEpoch with the epoch, loss and parameters, and stops when it returns false', () => {
    const seen: EpochInfo[] = [];
    const fit = calibrate({
      init: { theta: 0.5 },
      domains: { theta: 'unit' },
      loss: ({ theta }) => tf.square(theta) as tf.Scalar,
      maxEpochs: 10,
      onEpoch: (info) => {
        seen.push(info);
        return info.epoch < 2;
      },
    });
    expect(seen.map((s) => s.epoch)).toEqual([0, 1, 2]);
    expect(seen[0].params.theta).toBe(0.5);
    expectClose([seen[0].loss], [0.25], 1e-6);
    expect(fit.stopReason).toBe('callback');
    expect(fit.history.loss).toHaveLength(3);
  });

  it('stops on a non-finite loss', () => {
    const fit = calibrate({ init: { a: 1 }, loss: ({ a }) => tf.div(a, 0) as tf.Scalar, maxEpochs: 10 });
    expect(fit.stopReason).toBe('nonFiniteLoss');
    expect(fit.epochs).toBe(0);
  });

  it('gives the same result asynchronously, awaiting onEpoch', async () => {
    const options = { init: { theta: 0.9, sigma: 0.5 }, domains: { theta: 'unit', sigma: 'positive' } as const, loss: bowl, maxEpochs: 20 };
    const sync = calibrate({ ...options, optimizer: tf.train.adam(0.1) });
    const epochs: number[] = [];
    const async = await calibrateAsync({
      ...options,
      optimizer: tf.train.adam(0.1),
      onEpoch: async ({ epoch }) => {
        epochs.push(epoch);
      },
    });
    expect(async.history.loss).toEqual(sync.history.loss);
    expect(epochs).toHaveLength(20);
  });

  it('does not leak tensors, also when the loss throws', () => {
    const before = tf.memory().numTensors;
    calibrate({ init: { theta: 0.5 }, domains: { theta: 'unit' }, loss: ({ theta }) => tf.square(theta) as tf.Scalar, maxEpochs: 5 });
    expect(tf.memory().numTensors).toBe(before);
    expect(() =>
      calibrate({
        init: { a: 1 },
        loss: () => {
          throw new Error('boom');
        },
      }),
    ).toThrow('boom');
    expect(() => calibrate({ init: { a: 1 }, loss: () => tf.ones([2]) as tf.Scalar })).toThrow(/calibrate: loss\(params\) must be a float32 scalar tensor, but got a float32 tensor of shape \[2\]/);
    expect(() =>
      calibrate({
        init: { a: 1 },
        loss: ({ a }) => tf.square(a) as tf.Scalar,
        onEpoch: () => {
          throw new Error('stop');
        },
      }),
    ).toThrow('stop');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses start values outside their domains, unknown domains and bad options', () => {
    const loss = ({ theta }: Record<string, tf.Scalar>) => theta;
    expect(() => calibrate({ init: { theta: 1 }, domains: { theta: 'unit' }, loss })).toThrow(/calibrate: init.theta must be in \(0, 1\), but got 1/);
    expect(() => calibrate({ init: { theta: -1 }, domains: { theta: 'positive' }, loss })).toThrow(/calibrate: init.theta must be a finite number > 0, but got -1/);
    expect(() => calibrate({ init: { theta: NaN }, loss })).toThrow(/calibrate: init.theta must be a finite number, but got NaN/);
    expect(() => calibrate({ init: { theta: 3 }, domains: { theta: [0, 2] }, loss })).toThrow(/calibrate: init.theta must be in \(0, 2\), but got 3/);
    expect(() => calibrate({ init: { theta: 0.5 }, domains: { theta: 'prob' as never }, loss })).toThrow(
      /calibrate: domains.theta must be 'real', 'positive', 'unit' or \[lo, hi\] with lo < hi, but got "prob"/,
    );
    expect(() => calibrate({ init: { theta: 0.5 }, domains: { other: 'unit' }, loss })).toThrow(/calibrate: domains.other must be the domain of a parameter in init/);
    expect(() => calibrate({ init: {}, loss })).toThrow(/calibrate: init must be an object with at least one parameter/);
    expect(() => calibrate({ init: { theta: 0.5 }, loss, maxEpochs: 0 })).toThrow(/calibrate: maxEpochs must be an integer >= 1, but got 0/);
    expect(() => calibrate({ init: { theta: 0.5 }, loss, patience: 0 })).toThrow(/calibrate: patience must be an integer >= 1 or Infinity, but got 0/);
    expect(() => calibrate({ init: { theta: 0.5 }, loss, smoothing: 1 })).toThrow(/calibrate: smoothing must be in \[0, 1\), but got 1/);
    expect(() => calibrate({ init: { theta: 0.5 }, loss, tol: -1 })).toThrow(/calibrate: tol must be a finite number >= 0, but got -1/);
    expect(() => calibrate({ init: { theta: 0.5 }, loss, optimizer: {} as never })).toThrow(/calibrate: optimizer must be a tf.Optimizer/);
  });
});

describe('averageOfLastEpochs', () => {
  it('averages a parameter over the last epochs of the history, read here from the history itself', () => {
    const fit = calibrate({ init: { theta: 0, sigma: 1 }, domains: { sigma: 'positive' }, loss: bowl, maxEpochs: 12 });
    const theta = fit.history.params.theta;
    expect(theta.length).toBe(12);
    const lastFive = (theta[7] + theta[8] + theta[9] + theta[10] + theta[11]) / 5;
    expect(averageOfLastEpochs(fit, 'theta', 5)).toBeCloseTo(lastFive, 12);
    expect(averageOfLastEpochs(fit, 'theta', 100)).toBeCloseTo(theta.reduce((a, b) => a + b, 0) / 12, 12);
  });

  it('gives the final value when no epoch ran', () => {
    const fit = calibrate({ init: { theta: 0.25, sigma: 1 }, domains: { sigma: 'positive' }, loss: bowl, maxEpochs: 12 });
    const empty = { ...fit, history: { ...fit.history, params: { theta: [] as number[] } }, epochs: 0 };
    expect(averageOfLastEpochs(empty, 'theta', 5)).toBe(fit.params.theta);
  });
});

