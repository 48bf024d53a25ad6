import * as tf from '@tensorflow/tfjs';
import { sirReference } from '../../lib/abm/sirReference';
import { sirModel, SirParams } from '../../lib/abm/sir';
import { jacobian } from '../../lib/jacobian';
import { manualSeed } from '../../lib/random';
import { expectClose, expectNoLeak, values } from '../util';

/** The two rates of a point x = [beta, gamma] (a [2] tensor), as scalars. */
const split = (x: tf.Tensor) => ({
  beta: tf.reshape(tf.slice(x, [0], [1]), []) as tf.Scalar,
  gamma: tf.reshape(tf.slice(x, [1], [1]), []) as tf.Scalar,
});

const OPTIONS = { nAgents: 120, nTimesteps: 25, deltaT: 0.8, initialFractionInfected: 0.1, tau: 0.5 };

describe('sirReference', () => {
  it('gives the daily counts of sirModel, both engines, on the same seed', () => {
    // An epidemic that takes off: beta 0.9, so that the counts are far from zero.
    for (const seed of [1, 2, 3]) {
      manualSeed(seed);
      const ref = values(sirReference(tf.scalar(0.9), tf.scalar(0.2), OPTIONS));
      for (const engine of ['fused', 'autodiff'] as const) {
        manualSeed(seed);
        expect(values(sirModel({ beta: 0.9, gamma: 0.2 }, { ...OPTIONS, engine }))).toEqual(ref);
      }
      expect(Math.max(...ref)).toBeGreaterThan(0.02);
    }
  });

  it('gives the straight-through Jacobian of sirModel on the same seed', () => {
    const point = tf.tensor1d([0.9, 0.2]);
    manualSeed(4);
    const ref = values(jacobian((x) => sirReference(split(x).beta, split(x).gamma, OPTIONS), point));
    manualSeed(4);
    const fast = values(jacobian((x) => sirModel(split(x) as SirParams, OPTIONS), point));
    expectClose(fast, ref, 1e-3, 1e-5);
    // Not trivially zero.
    expect(Math.max(...ref.map(Math.abs))).toBeGreaterThan(0.05);
  });

  it('does not leak tensors, forward or backward', () => {
    const beta = tf.scalar(0.5);
    const gamma = tf.scalar(0.1);
    expectNoLeak(() => sirReference(beta, gamma, OPTIONS)).dispose();
    expectNoLeak(() => tf.grad((b: tf.Tensor) => tf.sum(sirReference(b as tf.Scalar, gamma, OPTIONS)))(beta)).dispose();
  });

  it('refuses sizes, temperatures and rates out of range, naming the argument', () => {
    const b = tf.scalar(0.2);
    expect(() => sirReference(b, b, { nAgents: 0, nTimesteps: 5 })).toThrow(/sirReference: nAgents/);
    expect(() => sirReference(b, b, { nAgents: 10, nTimesteps: 2.5 })).toThrow(/sirReference: nTimesteps/);
    expect(() => sirReference(b, b, { nAgents: 10, nTimesteps: 5, tau: 0 })).toThrow(/sirReference: tau/);
    expect(() => sirReference(b, b, { nAgents: 10, nTimesteps: 5, deltaT: -1 })).toThrow(/sirReference: deltaT must be a finite number > 0/);
    expect(() => sirReference(b, b, { nAgents: 10, nTimesteps: 5, initialFractionInfected: 1.5 })).toThrow(/sirReference: initialFractionInfected must be in \[0, 1\]/);
    expect(() => sirReference(b, tf.tensor1d([0.1, 0.2]) as unknown as tf.Scalar, { nAgents: 10, nTimesteps: 5 })).toThrow(/sirReference: gamma/);
    expect(() => sirReference(0.2 as unknown as tf.Scalar, b, { nAgents: 10, nTimesteps: 5 })).toThrow(/sirReference: beta/);
  });
});
