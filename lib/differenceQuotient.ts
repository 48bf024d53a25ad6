/**
 * The forward difference quotient, written as the formula: the readable reference of
 * `forwardDifference` (lib/finiteDifferences.ts), which computes the same quotient for a
 * number, an array of numbers (float64) or a tensor (float32), and checks its arguments.
 */

/**
 * Returns the forward difference quotient `(f(x + eps) - f(x)) / eps` of a function of one number.
 *
 * It estimates f'(x) with an error of about `eps |f''(x)| / 2` from truncation and
 * `u |f(x)| / eps` from round-off (u the machine epsilon). Mirrors no PyTorch function:
 * `torch.autograd.gradcheck` uses central differences.
 *
 * @param f A function of one number.
 * @param x The point.
 * @param eps The step, a number other than 0.
 * @returns The quotient, a number.
 * @example
 * forwardDifferenceQuotient((x) => x * x, 3, 1e-6); // about 6
 */
export function forwardDifferenceQuotient(f: (x: number) => number, x: number, eps: number): number {
  return (f(x + eps) - f(x)) / eps;
}
