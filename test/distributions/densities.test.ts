import { betaPdf, hellingerDistance, klBeta, klDivergence, logitNormalPdf, totalVariation, unitGrid } from '../../lib/distributions/densities';
import { logBeta } from '../../lib/distributions/special';
import { expectClose } from '../util';

/** Integrates f over (0, 1) with the midpoint rule on n cells (independent of the library's grid). */
function integrate(f: (x: number) => number, n = 20000): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += f((i + 0.5) / n);
  return s / n;
}

describe('betaPdf and logitNormalPdf', () => {
  it('are normalised densities', () => {
    expectClose([integrate((x) => betaPdf(x, 2, 2)), integrate((x) => betaPdf(x, 32, 71)), integrate((x) => logitNormalPdf(x, -0.7, 0.4))], [1, 1, 1], 1e-6);
  });

  it('take known values', () => {
    // Beta(2, 2) = 6 x (1 - x); Beta(1, 1) = 1 on [0, 1]; logit-normal(0, 1) at 1/2 = 4 / sqrt(2 pi).
    expectClose([betaPdf(0.3, 2, 2), betaPdf(0, 1, 1), betaPdf(1, 1, 1), betaPdf(1.2, 2, 2), logitNormalPdf(0.5, 0, 1)], [6 * 0.3 * 0.7, 1, 1, 0, 4 / Math.sqrt(2 * Math.PI)], 1e-12, 1e-14);
    expect(logitNormalPdf(0, 0, 1)).toBe(0);
    expect(Number.isNaN(betaPdf(NaN, 2, 2))).toBe(true);
    expectClose([Math.exp(logBeta(2, 3))], [1 / 12], 1e-12);
  });

  it('refuse non-positive shapes', () => {
    expect(() => betaPdf(0.5, 0, 2)).toThrow(/betaPdf: a must be a finite number > 0, but got 0/);
    expect(() => logitNormalPdf(0.5, 0, -1)).toThrow(/logitNormalPdf: sigma must be a finite number > 0, but got -1/);
    expect(() => logitNormalPdf(0.5, NaN, 1)).toThrow(/logitNormalPdf: mu must be a finite number, but got NaN/);
  });
});

describe('klBeta', () => {
  it('is 0 for equal distributions and matches quadrature of p log(p / q)', () => {
    expect(klBeta(2, 2, 2, 2)).toBe(0);
    for (const [a1, b1, a2, b2] of [[3, 5, 2, 2], [32, 71, 2, 2], [0.7, 1.5, 2, 3]]) {
      const reference = integrate((x) => {
        const p = betaPdf(x, a1, b1);
        return p > 0 ? p * Math.log(p / betaPdf(x, a2, b2)) : 0;
      }, 200000);
      expectClose([klBeta(a1, b1, a2, b2)], [reference], 2e-3, 1e-6);
    }
  });

  it('refuses a non-positive shape', () => {
    expect(() => klBeta(1, 1, 1, -2)).toThrow(/klBeta: b2 must be a finite number > 0, but got -2/);
  });
});

describe('distances between densities', () => {
  it('give 0 for a density and itself', () => {
    const p = (x: number) => betaPdf(x, 3, 4);
    expect(hellingerDistance(p, p)).toBe(0);
    expect(totalVariation(p, p)).toBe(0);
    expect(klDivergence(p, p)).toBe(0);
  });

  it('match the closed form of the Hellinger distance between Beta densities', () => {
    // Bhattacharyya coefficient of Beta(a1, b1) and Beta(a2, b2): B((a1 + a2)/2, (b1 + b2)/2) / sqrt(B(a1, b1) B(a2, b2)).
    const [a1, b1, a2, b2] = [32, 71, 30, 73];
    const bc = Math.exp(logBeta((a1 + a2) / 2, (b1 + b2) / 2) - 0.5 * (logBeta(a1, b1) + logBeta(a2, b2)));
    const h = hellingerDistance((x) => betaPdf(x, a1, b1), (x) => betaPdf(x, a2, b2));
    expectClose([h], [Math.sqrt(1 - bc)], 1e-4);
  });

  it('matches klBeta by quadrature, and gives total variation 1 for disjoint densities', () => {
    expectClose([klDivergence((x) => betaPdf(x, 3, 5), (x) => betaPdf(x, 2, 2))], [klBeta(3, 5, 2, 2)], 1e-4);
    const left = (x: number) => (x < 0.5 ? 2 : 0);
    const right = (x: number) => (x >= 0.5 ? 2 : 0);
    expect(totalVariation(left, right)).toBeCloseTo(1, 10);
    expect(hellingerDistance(left, right)).toBeCloseTo(1, 10);
  });

  it('uses a grid of midpoints', () => {
    expect(unitGrid(4)).toEqual([0.125, 0.375, 0.625, 0.875]);
    expect(() => unitGrid(0)).toThrow(/unitGrid: n must be an integer >= 1, but got 0/);
    expect(() => hellingerDistance((x) => x, (x) => x, 1)).toThrow(/hellingerDistance: nGrid must be an integer >= 2, but got 1/);
    expect(() => totalVariation(1 as never, (x) => x)).toThrow(/totalVariation: p must be a function of x in \(0, 1\), but got "number"/);
  });
});
