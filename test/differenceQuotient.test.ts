import { forwardDifferenceQuotient } from '../lib/differenceQuotient';
import { forwardDifference } from '../lib/finiteDifferences';

describe('forwardDifferenceQuotient', () => {
  it('gives what forwardDifference gives on numbers, to the last bit', () => {
    const f = (x: number) => x ** 3 + 4 * x ** 2 - 10;
    for (const x of [-5, -1.3, 0, 2.5]) {
      for (const eps of [1e-2, 1e-5]) expect(forwardDifferenceQuotient(f, x, eps)).toBe(forwardDifference(f, x, eps));
    }
  });

  it('is off by eps f\'\'(x) / 2 for a quadratic, exactly as Taylor says', () => {
    // f = x^2: (f(x + e) - f(x)) / e = 2x + e.
    expect(forwardDifferenceQuotient((x) => x * x, 3, 0.5)).toBe(6.5);
  });
});
