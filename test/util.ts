/**
 * Shared tolerances, sample sizes and reference values for the tests.
 *
 * Reference values come from outside the code under test: closed forms and
 * 1-D quadrature in float64, written here from the maths in the doc comments.
 */
import * as tf from '@tensorflow/tfjs';

/** Statistical tests pass when |estimate - exact| <= Z_TOLERANCE standard errors. */
export const Z_TOLERANCE = 4;

/** The number of draws of the tests of a discrete distribution's frequencies and moments. */
export const NUM_SAMPLES = 20_000;

/** Relative tolerance for float32 results compared with float64 references. */
export const FLOAT32_RTOL = 1e-4;

/** Relative tolerance for central finite differences in float32 (step FD_STEP). */
export const FD_RTOL = 2e-2;
export const FD_STEP = 1e-2;

/**
 * Central finite differences of a scalar function of a vector, entry by entry:
 * `(f(x + h e_i) - f(x - h e_i)) / 2h`, the reference of the gradient tests.
 */
export function centralDifferences(f: (x: number[]) => number, x: number[], h = FD_STEP): number[] {
  return x.map((_, i) => {
    const up = x.slice();
    const down = x.slice();
    up[i] += h;
    down[i] -= h;
    return (f(up) - f(down)) / (2 * h);
  });
}

/** Asserts |a - b| <= atol + rtol * |b| elementwise, with a readable failure. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol = FLOAT32_RTOL, atol = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i] - expected[i]);
    if (!(err <= atol + rtol * Math.abs(expected[i]))) {
      throw new Error(`entry ${i}: got ${actual[i]}, expected ${expected[i]} (rtol ${rtol}, atol ${atol})`);
    }
  }
}

/** Asserts that an estimate is within Z_TOLERANCE standard errors of the exact value. */
export function expectWithinSE(estimate: number, exact: number, standardError: number, label = ''): void {
  const z = Math.abs(estimate - exact) / standardError;
  if (!(z <= Z_TOLERANCE)) {
    throw new Error(`${label} estimate ${estimate} is ${z.toFixed(2)} SE from ${exact} (SE ${standardError}, tolerance ${Z_TOLERANCE} SE)`);
  }
}

/** Asserts that `run` leaves tf.memory().numTensors unchanged, and returns its result's values. */
export function expectNoLeak<T>(run: () => T): T {
  const before = tf.memory().numTensors;
  const result = run();
  const created = result instanceof tf.Tensor ? 1 : 0;
  expect(tf.memory().numTensors - created).toBe(before);
  return result;
}

/** The mean and variance of samples, with the standard error of the mean. */
export function moments(xs: ArrayLike<number>): { mean: number; variance: number; se: number } {
  const n = xs.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += xs[i];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (xs[i] - mean) ** 2;
  const variance = ss / (n - 1);
  return { mean, variance, se: Math.sqrt(variance / n) };
}

/**
 * Moments of one step's straight-through gradient in the differentiable walk,
 * g(L) = 2 y (1 - y) / (tau theta (1 - theta)), y = sigmoid((logit theta + L) / tau),
 * L ~ Logistic(0, 1). Returns E[g], Var[g] and the fourth central moment, by the
 * trapezoidal rule on the probability scale L = log(u / (1 - u)), u in (0, 1),
 * with enough nodes that the result is stable to ~1e-8.
 */
export function straightThroughStepMoments(theta: number, tau: number): { mean: number; variance: number; mu4: number } {
  const logit = Math.log(theta / (1 - theta));
  const scale = tau * theta * (1 - theta);
  const g = (L: number) => {
    const s = (logit + L) / tau;
    const y = 1 / (1 + Math.exp(-s));
    return (2 * y * (1 - y)) / scale;
  };
  // Integrate over L directly with the logistic density; the integrand is
  // peaked with width ~tau near L = -logit, so the grid step scales with tau.
  const h = Math.min(1e-3, tau / 200);
  const lo = -60;
  const hi = 60;
  const raw = [0, 0, 0, 0];
  for (let L = lo; L <= hi; L += h) {
    const e = Math.exp(-Math.abs(L));
    const density = e / (1 + e) ** 2;
    const v = g(L);
    raw[0] += density * h;
    raw[1] += v * density * h;
    raw[2] += v * v * density * h;
    raw[3] += v ** 4 * density * h;
  }
  const mean = raw[1] / raw[0];
  const m2 = raw[2] / raw[0];
  const variance = m2 - mean * mean;
  // Fourth central moment from raw moments: needs E[g^3] too.
  let m3 = 0;
  for (let L = lo; L <= hi; L += h) {
    const e = Math.exp(-Math.abs(L));
    m3 += g(L) ** 3 * (e / (1 + e) ** 2) * h;
  }
  m3 /= raw[0];
  const m4 = raw[3] / raw[0];
  const mu4 = m4 - 4 * mean * m3 + 6 * mean * mean * m2 - 3 * mean ** 4;
  return { mean, variance, mu4 };
}

/** Float32 values of a tensor as a plain array. */
export function values(t: tf.Tensor): number[] {
  return Array.from(t.dataSync());
}
