/**
 * The exact walk references. Checks: the binomial tail against an independent sum over all
 * 2^t step sequences (t <= 12), and the derivative against central differences in float64.
 */
import { walkMean, walkMeanDerivative, walkProbabilityPositive, walkProbabilityPositiveDerivative } from '../../lib/walk/exact';

/** P(x_t > 0) by enumerating every sequence of t steps. */
function bruteForce(theta: number, t: number): number {
  let total = 0;
  for (let mask = 0; mask < 2 ** t; mask++) {
    let x = 0;
    let p = 1;
    for (let s = 0; s < t; s++) {
      const up = (mask >> s) & 1;
      x += up ? 1 : -1;
      p *= up ? theta : 1 - theta;
    }
    if (x > 0) total += p;
  }
  return total;
}

describe('exact walk references', () => {
  it('gives E[x_t] = t (2 theta - 1) and its derivative 2t', () => {
    expect(walkMean(0.3, 4)).toEqual([0, 1 * -0.4, 2 * -0.4, 3 * -0.4].map((v) => expect.closeTo(v, 12)));
    expect(walkMeanDerivative(4)).toEqual([0, 2, 4, 6]);
  });

  it('gives P(x_t > 0) as the sum over all step sequences does', () => {
    for (const t of [0, 1, 2, 7, 12]) {
      for (const theta of [0.1, 0.45, 0.8]) expect(walkProbabilityPositive(theta, t)).toBeCloseTo(bruteForce(theta, t), 12);
    }
  });

  it('gives d P(x_t > 0) / d theta as central differences do (step 1e-6, float64)', () => {
    for (const t of [1, 2, 9, 30]) {
      for (const theta of [0.2, 0.45, 0.7]) {
        const h = 1e-6;
        const fd = (walkProbabilityPositive(theta + h, t) - walkProbabilityPositive(theta - h, t)) / (2 * h);
        expect(walkProbabilityPositiveDerivative(theta, t)).toBeCloseTo(fd, 6);
      }
    }
  });

  it('names a theta outside [0, 1] and a bad time', () => {
    expect(() => walkMean(1.5, 3)).toThrow(/walkMean: theta must be in \[0, 1\], but got 1.5/);
    expect(() => walkProbabilityPositive(NaN, 3)).toThrow(/theta must be in \[0, 1\]/);
    expect(() => walkProbabilityPositiveDerivative(0.5, -1)).toThrow(/t must be/);
  });
});
