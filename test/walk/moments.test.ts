import { straightThroughMoments } from '../../lib/walk/moments';
import { straightThroughStepMoments } from '../util';

describe('straightThroughMoments', () => {
  it.each([
    [0.4, 0.1],
    [0.4, 0.5],
    [0.4, 1.0],
    [0.2, 2.0],
  ])('agrees with an independent quadrature at theta = %p, tau = %p', (theta, tau) => {
    // test/util.ts integrates over L with the logistic density (trapezoid);
    // the library integrates on the probability scale (midpoint).
    const lib = straightThroughMoments(theta, tau);
    const ref = straightThroughStepMoments(theta, tau);
    expect(Math.abs(lib.mean - ref.mean) / ref.mean).toBeLessThan(1e-5);
    expect(Math.abs(lib.variance - ref.variance) / ref.variance).toBeLessThan(1e-4);
  });

  it('tends to the unbiased value 2 as tau falls', () => {
    expect(Math.abs(straightThroughMoments(0.4, 0.01).mean - 2)).toBeLessThan(0.01);
    expect(straightThroughMoments(0.4, 1).mean).toBeLessThan(1.5);
  });

  it.each([0, 1, NaN])('refuses theta = %p', (theta) => {
    expect(() => straightThroughMoments(theta, 1)).toThrow(/straightThroughMoments: theta must be in \(0, 1\), but got/);
  });

  it('refuses tau <= 0', () => {
    expect(() => straightThroughMoments(0.5, 0)).toThrow(/straightThroughMoments: tau must be a finite number > 0, but got 0/);
  });
});
