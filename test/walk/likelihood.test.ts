import * as tf from '@tensorflow/tfjs';
import { betaPosterior, countSteps, walkLogLikelihood } from '../../lib/walk/likelihood';
import { manualSeed } from '../../lib/random';
import { randomWalk } from '../../lib/walk/randomWalk';
import { expectClose, expectNoLeak, FD_RTOL, FD_STEP, values } from '../util';

describe('countSteps', () => {
  it('counts ups and downs', () => {
    expect(countSteps([0, 1, 0, 1, 2])).toEqual({ ups: 3, downs: 1 });
    expect(countSteps([0])).toEqual({ ups: 0, downs: 0 });
    manualSeed(1);
    const path = values(randomWalk(0.3, 101));
    const { ups, downs } = countSteps(path);
    expect(ups + downs).toBe(100);
    expect(ups - downs).toBe(path[100]);
  });

  it('refuses a path that is not a walk', () => {
    expect(() => countSteps([0, 2])).toThrow(/countSteps: path must be a walk with steps of \+1 or -1, but got "a step of 2 at index 1"/);
    expect(() => countSteps([0, NaN])).toThrow(/countSteps: path must be a walk with steps of \+1 or -1, but got "a step of NaN at index 1"/);
    expect(() => countSteps(tf.zeros([2, 2]))).toThrow(/countSteps: path must be a 1-D tensor of at least one position/);
  });
});

describe('walkLogLikelihood', () => {
  const path = [0, 1, 0, 1, 2];

  it('is U log theta + D log(1 - theta), for a batch of theta', () => {
    const theta = [0.2, 0.5, 0.9];
    expectClose(values(walkLogLikelihood(theta, path)), theta.map((t) => 3 * Math.log(t) + Math.log(1 - t)), 1e-5);
    expectClose(values(walkLogLikelihood(0.3, { ups: 2, downs: 0 })), [2 * Math.log(0.3)], 1e-6);
  });

  it('gives 0, not NaN, for a zero count at a probability of 0 or 1', () => {
    expect(values(walkLogLikelihood([0, 1], { ups: 0, downs: 0 }))).toEqual([0, 0]);
    expect(values(walkLogLikelihood([1], [0, 1, 2]))).toEqual([0]);
    expect(values(walkLogLikelihood([0], [0, 1]))).toEqual([-Infinity]);
  });

  it('has gradient U / theta - D / (1 - theta) (closed form)', () => {
    const theta = tf.tensor1d([0.2, 0.6]);
    const grad = values(tf.grad((t: tf.Tensor) => tf.sum(walkLogLikelihood(t, path)))(theta));
    expectClose(grad, [3 / 0.2 - 1 / 0.8, 3 / 0.6 - 1 / 0.4], 1e-5);
  });

  it('matches central finite differences', () => {
    const f = (t: number) => walkLogLikelihood(t, path).dataSync()[0];
    const grad = tf.grad((t: tf.Tensor) => walkLogLikelihood(t, path))(tf.scalar(0.45)).dataSync()[0];
    expectClose([grad], [(f(0.45 + FD_STEP) - f(0.45 - FD_STEP)) / (2 * FD_STEP)], FD_RTOL, 1e-3);
  });

  it('does not leak tensors and refuses theta of rank 2', () => {
    expectNoLeak(() => walkLogLikelihood(0.4, path)).dispose();
    expect(() => walkLogLikelihood([[0.5]], path)).toThrow(/walkLogLikelihood: theta must be a number, a scalar or a 1-D tensor, but got/);
    expect(() => walkLogLikelihood(0.5, { ups: -1, downs: 0 })).toThrow(/walkLogLikelihood: path.ups must be an integer >= 0, but got -1/);
  });
});

describe('betaPosterior', () => {
  it('adds the counts to the prior (conjugacy)', () => {
    expect(betaPosterior([0, 1, 0, 1, 2])).toEqual({ alpha: 5, beta: 3 });
    expect(betaPosterior({ ups: 30, downs: 69 }, [1, 1])).toEqual({ alpha: 31, beta: 70 });
  });

  it('refuses an invalid prior', () => {
    expect(() => betaPosterior([0, 1], [0, 1])).toThrow(/betaPosterior: prior must be \[a, b\] with finite a, b > 0, but got \[0, 1\]/);
  });
});
