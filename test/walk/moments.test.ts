import { straightThroughMoments } from '../../lib/walk/moments';

// Reference values: scipy.integrate.quad over the logistic density, made by
// test/fixtures/scripts/straight_through_moments.py. The fixture holds the
// moments of one Bernoulli draw's derivative d xi / d p; a step of the walk is
// 2 xi - 1, so its derivative has twice the mean and four times the variance.
import fixture from '../fixtures/straight_through_moments.json';

/** Relative agreement with the scipy reference (quad's own tolerance is 1e-11). */
const QUADRATURE_RTOL = 1e-8;

describe('straightThroughMoments', () => {
  const rows = fixture.rows.filter((r) => [0.1, 0.3, 0.4, 0.5, 0.9].includes(r.p) || r.p === 0.2);

  it.each(rows.map((r) => [r.p, r.tau, r]))(
    'agrees with scipy quad at theta = %p, tau = %p',
    (theta, tau, row) => {
      const { mean, variance } = straightThroughMoments(theta as number, tau as number);
      const ref = row as { mean: number; variance: number };
      expect(Math.abs(mean - 2 * ref.mean) / (2 * ref.mean)).toBeLessThan(QUADRATURE_RTOL);
      expect(Math.abs(variance - 4 * ref.variance) / (4 * ref.variance)).toBeLessThan(QUADRATURE_RTOL);
    },
  );

  it('tends to the unbiased value 2 as tau falls, and is biased low at tau = 1', () => {
    expect(Math.abs(straightThroughMoments(0.4, 0.01).mean - 2)).toBeLessThan(0.01);
    expect(straightThroughMoments(0.4, 1).mean).toBeLessThan(1.5);
  });

  it('trades bias for variance at theta = 0.4: colder is less biased and more variable (what notebook 03 states)', () => {
    const [cold, mid, warm] = [0.1, 0.5, 1].map((tau) => straightThroughMoments(0.4, tau));
    const bias = (m: { mean: number }) => Math.abs(m.mean - 2);
    expect(bias(cold)).toBeLessThan(bias(mid));
    expect(bias(mid)).toBeLessThan(bias(warm));
    expect(cold.variance).toBeGreaterThan(mid.variance);
    expect(mid.variance).toBeGreaterThan(warm.variance);
  });

  it.each([0, 1, NaN, -0.2])('refuses theta = %p', (theta) => {
    expect(() => straightThroughMoments(theta, 1)).toThrow(/straightThroughMoments: theta must be in \(0, 1\), but got/);
  });

  it.each([0, -1, Infinity, NaN])('refuses tau = %p', (tau) => {
    expect(() => straightThroughMoments(0.5, tau)).toThrow(/straightThroughMoments: tau must be a finite number > 0, but got/);
  });
});
