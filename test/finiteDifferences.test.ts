/**
 * Reference values: the difference quotients of a cubic in closed form,
 * `(f(x+e) - f(x)) / e = 3x^2 + 3x e + e^2` and `(f(x+e) - f(x-e)) / 2e = 3x^2 + e^2`
 * for f(x) = x^3 (expanding (x + e)^3), and the error model of the module notes:
 * truncation `|f''| e / 2` (forward), round-off about `u |f| / e`.
 */
import * as tf from '@tensorflow/tfjs';
import {
  FLOAT32_EPSILON,
  FLOAT64_EPSILON,
  centralDifference,
  defaultStep,
  differenceErrors,
  forwardDifference,
  logspace,
} from '../lib/finiteDifferences';
import { expectClose, expectNoLeak } from './util';

const cube = (x: number): number => x ** 3;
const cubeT = (x: tf.Tensor): tf.Tensor => tf.pow(x, 3);

describe('forwardDifference', () => {
  it('matches the closed-form forward quotient of x^3 in float64', () => {
    for (const [x, e] of [[2, 1e-2], [-1.5, 0.1], [0.3, 1e-4]]) {
      expect(forwardDifference(cube, x, e)).toBeCloseTo(3 * x * x + 3 * x * e + e * e, 9);
    }
  });

  it('works entry by entry on arrays of numbers', () => {
    const xs = [-1, 0, 2];
    const e = 1e-3;
    const d = forwardDifference(cube, xs, e);
    expect(Array.isArray(d)).toBe(true);
    expectClose(d, xs.map((x) => 3 * x * x + 3 * x * e + e * e), 1e-9, 1e-9);
  });

  it('computes in float32 on tensors, within float32 round-off of the quotient', () => {
    const xs = [-1, 0.5, 2];
    const e = 1e-2;
    const d = forwardDifference(cubeT, tf.tensor1d(xs), e);
    expect(d.dtype).toBe('float32');
    expect(d.shape).toEqual([3]);
    // Round-off bound: each value of f is off by at most about u |f| (plus the
    // rounding of x + e), divided by e; a factor 8 of slack.
    const got = d.dataSync();
    xs.forEach((x, i) => {
      const exact = 3 * x * x + 3 * x * Math.fround(e) + Math.fround(e) ** 2;
      const bound = (8 * FLOAT32_EPSILON * (Math.abs(x) ** 3 + 3 * x * x + 1)) / e;
      expect(Math.abs(got[i] - exact)).toBeLessThanOrEqual(bound);
    });
  });

  it('gives 0 in float32 when the step is below the spacing of floats at x', () => {
    // x + 1e-9 rounds back to x in float32, so the quotient is exactly 0; float64 still resolves it.
    expect(forwardDifference(cubeT, tf.tensor1d([1]), 1e-9).dataSync()[0]).toBe(0);
    expect(forwardDifference(cube, 1, 1e-9)).toBeCloseTo(3, 5);
  });

  it('uses the rule-of-thumb step of the precision by default', () => {
    expect(forwardDifference(cube, 2)).toBeCloseTo(12, 6);
    expect(forwardDifference(cubeT, tf.scalar(2)).dataSync()[0]).toBeCloseTo(12, 1);
  });

  it('can itself be differentiated on tensors', () => {
    // d/dx (sin(x + e) - sin(x)) / e = (cos(x + e) - cos(x)) / e.
    const x = 0.7;
    const e = 1e-2;
    const g = tf.grad((t: tf.Tensor) => tf.sum(forwardDifference((u: tf.Tensor) => tf.sin(u), t, e)))(tf.scalar(x));
    expect(g.dataSync()[0]).toBeCloseTo((Math.cos(x + e) - Math.cos(x)) / e, 3);
  });

  it('lets NaN through', () => {
    expect(forwardDifference(cube, NaN, 1e-3)).toBeNaN();
    expect(Number.isNaN(forwardDifference(cubeT, tf.tensor1d([NaN]), 1e-3).dataSync()[0])).toBe(true);
  });

  it('refuses a step that is not a finite number > 0', () => {
    for (const e of [0, -1e-3, NaN, Infinity]) {
      expect(() => forwardDifference(cube, 1, e)).toThrow(/^forwardDifference: eps must be a finite number > 0, but got/);
    }
    expect(() => forwardDifference(cube, 1, '1e-3' as unknown as number)).toThrow(/eps must be a finite number > 0, but got "1e-3"/);
  });

  it('refuses a missing function, a bad point and a function of the wrong kind', () => {
    expect(() => forwardDifference(null as unknown as typeof cube, 1, 1e-3)).toThrow(/forwardDifference: f must be a function/);
    expect(() => forwardDifference(cube, 'x' as unknown as number, 1e-3)).toThrow(
      /forwardDifference: x must be a number, an array of numbers or a float32 tensor, but got "x"/,
    );
    expect(() => forwardDifference(cubeT, tf.tensor1d([true, false], 'bool') as tf.Tensor, 1e-3)).toThrow(
      /forwardDifference: x must be a float32 or int32 tensor, but got a bool tensor/,
    );
    expect(() => forwardDifference((() => 'no') as unknown as typeof cube, 1, 1e-3)).toThrow(/f\(x\) must be a number/);
  });

  it('frees every intermediate tensor', () => {
    const x = tf.tensor1d([0.1, 0.2]);
    const d = expectNoLeak(() => forwardDifference(cubeT, x, 1e-2));
    d.dispose();
  });
});

describe('centralDifference', () => {
  it('matches the closed-form central quotient of x^3 in float64', () => {
    for (const [x, e] of [[2, 1e-2], [-1.5, 0.1]]) {
      expect(centralDifference(cube, x, e)).toBeCloseTo(3 * x * x + e * e, 9);
    }
    expectClose(centralDifference(cube, [1, 3], 0.1), [3.01, 27.01], 1e-12, 1e-12);
  });

  it('is exact on a quadratic in float64, up to round-off', () => {
    expect(centralDifference((x) => 2 * x * x - x, 1.25, 0.5)).toBeCloseTo(4, 12);
  });

  it('computes in float32 on tensors', () => {
    const d = centralDifference((x: tf.Tensor) => tf.sin(x), tf.tensor1d([0, 1]), 1e-2);
    // Truncation |cos| e^2 / 6 < 2e-5, round-off about u / e ~ 1e-5.
    expectClose(d.dataSync(), [1, Math.cos(1)], 0, 1e-4);
  });

  it('refuses a bad step with its own name', () => {
    expect(() => centralDifference(cube, 1, 0)).toThrow(/^centralDifference: eps must be a finite number > 0, but got 0/);
  });
});

describe('defaultStep', () => {
  it('is sqrt(u) for forward and cbrt(u) for central quotients', () => {
    expect(defaultStep('forward')).toBe(Math.sqrt(2 ** -52));
    expect(defaultStep('central', 'float64')).toBe(Math.cbrt(2 ** -52));
    expect(defaultStep('forward', 'float32')).toBe(Math.sqrt(2 ** -23));
    expect(defaultStep('central', 'float32')).toBe(Math.cbrt(2 ** -23));
    expect(FLOAT64_EPSILON).toBe(2 ** -52);
    expect(FLOAT32_EPSILON).toBe(Math.fround(1 + 2 ** -23) - 1);
  });

  it('refuses unknown names', () => {
    expect(() => defaultStep('backward' as never)).toThrow(/defaultStep: scheme must be 'forward' or 'central', but got "backward"/);
    expect(() => defaultStep('forward', 'float16' as never)).toThrow(/defaultStep: dtype must be/);
  });
});

describe('logspace', () => {
  it('spaces numbers evenly in log10, ends included', () => {
    expectClose(logspace(-2, 0, 3), [0.01, 0.1, 1], 1e-14, 0);
    const eps = logspace(-12, 0, 49);
    expect(eps).toHaveLength(49);
    expect(eps[0]).toBeCloseTo(1e-12, 25);
    expect(eps[48]).toBe(1);
    for (let i = 1; i < eps.length; i++) expect(Math.log10(eps[i] / eps[i - 1])).toBeCloseTo(0.25, 12);
  });

  it('refuses fewer than two numbers and non-finite exponents', () => {
    expect(() => logspace(0, 1, 1)).toThrow(/logspace: num must be an integer >= 2, but got 1/);
    expect(() => logspace(NaN, 1, 3)).toThrow(/logspace: start must be a finite number, but got NaN/);
  });
});

describe('differenceErrors', () => {
  const f64 = (x: number): number => x ** 3 + 4 * x ** 2 - 10;
  const f32 = (x: tf.Tensor): tf.Tensor => tf.sub(tf.add(tf.pow(x, 3), tf.mul(4, tf.square(x))), 10);
  const df = (x: number): number => 3 * x * x + 8 * x;
  const xs = Array.from({ length: 201 }, (_, i) => 0.5 + i * 0.005);
  const eps = logspace(-12, 0, 97);
  const argmin = (errors: number[]): number => eps[errors.indexOf(Math.min(...errors))];

  it('falls as eps where truncation dominates: mean |f\'\'| eps / 2 in float64', () => {
    const { float64 } = differenceErrors(f64, null, df, xs, [1e-3, 1e-4]);
    // Forward quotient error of this cubic: (3x + 4) e + e^2, exactly, for x > 0.
    const meanSecond = xs.reduce((s, x) => s + 3 * x + 4, 0) / xs.length;
    expect(float64[0]).toBeCloseTo(meanSecond * 1e-3 + 1e-6, 8);
    expect(float64[1]).toBeCloseTo(meanSecond * 1e-4 + 1e-8, 9);
  });

  it('has its minimum near sqrt(u) in each precision (within a factor 10)', () => {
    const { float64, float32 } = differenceErrors(f64, f32, df, xs, eps);
    expect(float32).not.toBeNull();
    const best64 = argmin(float64);
    const best32 = argmin(float32 as number[]);
    expect(Math.abs(Math.log10(best64 / Math.sqrt(FLOAT64_EPSILON)))).toBeLessThanOrEqual(1);
    expect(Math.abs(Math.log10(best32 / Math.sqrt(FLOAT32_EPSILON)))).toBeLessThanOrEqual(1);
    // float32's best is far worse than float64's: by about sqrt(2^29) ~ 2e4 in theory; at least 100 here.
    expect(Math.min(...(float32 as number[])) / Math.min(...float64)).toBeGreaterThan(100);
  });

  it('rises as 1/eps where round-off dominates', () => {
    // Below the optimum, ten times smaller steps give errors about ten times larger (averaged over many points).
    const { float32 } = differenceErrors(f64, f32, df, xs, [1e-6, 1e-5]);
    const ratio = (float32 as number[])[0] / (float32 as number[])[1];
    expect(ratio).toBeGreaterThan(3);
    expect(ratio).toBeLessThan(30);
  });

  it('gives the central quotient its deeper minimum near cbrt(u)', () => {
    const { float64 } = differenceErrors(f64, null, df, xs, eps, { scheme: 'central' });
    expect(Math.abs(Math.log10(argmin(float64) / Math.cbrt(FLOAT64_EPSILON)))).toBeLessThanOrEqual(1);
    expect(differenceErrors(f64, null, df, xs, [1e-3], { scheme: 'central' }).float64[0]).toBeCloseTo(1e-6, 10);
  });

  it('refuses bad points, steps and schemes, and frees its tensors', () => {
    expect(() => differenceErrors(f64, null, df, [], eps)).toThrow(/differenceErrors: xs must be a non-empty array of finite numbers/);
    expect(() => differenceErrors(f64, null, df, xs, [0])).toThrow(/differenceErrors: epsilons must be a non-empty array of finite numbers > 0/);
    expect(() => differenceErrors(f64, null, df, xs, eps, { scheme: 'left' as never })).toThrow(/scheme must be 'forward' or 'central'/);
    const before = tf.memory().numTensors;
    differenceErrors(f64, f32, df, xs, [1e-3]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
