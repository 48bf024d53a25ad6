import * as tf from '@tensorflow/tfjs';
import { jacobian, jvp } from '../../lib/jacobian';
import { manualSeed, recordDraws } from '../../lib/random';
import { randomWalk } from '../../lib/walk/randomWalk';
import { walkJacobian } from '../../lib/walk/walkJacobian';
import { expectClose, values } from '../util';

/**
 * Float32 sums of up to T terms taken in different orders agree to a few
 * units of 2^-24 times T times the largest partial sum in the worst case; in
 * practice far less. Jacobians are compared with this tolerance relative to
 * their largest entry.
 */
const SUM_RTOL = 1e-5;

/** Asserts |a - b| <= rtol * max |b| entry by entry. */
function expectCloseToScale(actual: number[], expected: number[], rtol: number): void {
  const scale = Math.max(...expected.map(Math.abs));
  expectClose(actual, expected, 0, rtol * scale);
}

/** Runs walkJacobian and returns its two results as arrays, freeing the tensors. */
function run(theta: number, T: number, tau: number, chunk?: number): { path: number[]; jacobian: number[] } {
  const out = walkJacobian(theta, T, tau, chunk === undefined ? {} : { chunk });
  const result = { path: values(out.path), jacobian: values(out.jacobian) };
  tf.dispose([out.path, out.jacobian]);
  return result;
}

describe('walkJacobian', () => {
  it.each([
    [30, 1],
    [50, 7],
    [300, 64],
    [300, 1000],
  ])('gives, for T = %p in chunks of %p, the path of randomWalk and the Jacobian of jacobian on the same seed', (T, chunk) => {
    manualSeed(31);
    const path = values(randomWalk(0.4, T, 0.5));
    manualSeed(31);
    const J = values(jacobian((th) => randomWalk(th, T, 0.5), tf.scalar(0.4)));
    manualSeed(31);
    const out = run(0.4, T, 0.5, chunk);
    expect(out.path).toEqual(path);
    expect(out.jacobian[0]).toBe(0);
    expectCloseToScale(out.jacobian, J, SUM_RTOL);
  });

  it('gives the same path for every chunk size, and Jacobians equal up to float32 rounding', () => {
    const T = 2000;
    manualSeed(32);
    const forward = values(jvp((th) => randomWalk(th, T, 1.0), 0.3, 1));
    const results = [13, 512, T - 1, 100_000, undefined].map((chunk) => {
      manualSeed(32);
      return run(0.3, T, 1.0, chunk);
    });
    for (const r of results) {
      expect(r.path).toEqual(results[0].path);
      expectCloseToScale(r.jacobian, forward, SUM_RTOL);
    }
  });

  it('matches a float64 re-computation from its recorded draws over 20000 steps', () => {
    // Reference: step s goes up when logit theta + g0 - g1 > 0 (g = -log(-log u)), and adds
    // 2 y (1 - y) / (tau theta (1 - theta)) to dx/dtheta, y = sigmoid((logit theta + g0 - g1) / tau).
    // Float64 sums against float32 running sums of 2e4 terms: rtol 1e-4 of the largest entry.
    const [theta, tau, T] = [0.45, 0.8, 20_000];
    manualSeed(33);
    const { value, draws } = recordDraws(() => run(theta, T, tau, 3000));
    expect(draws).toHaveLength(Math.ceil((T - 1) / 3000));
    const u = draws.flatMap((d) => Array.from(d));
    expect(u).toHaveLength(2 * (T - 1));
    const logit = Math.log(theta / (1 - theta));
    const path = [0];
    const grads = [0];
    for (let s = 0; s < T - 1; s++) {
      const a = logit - Math.log(-Math.log(u[2 * s])) + Math.log(-Math.log(u[2 * s + 1]));
      const y = 1 / (1 + Math.exp(-a / tau));
      path.push(path[s] + (a > 0 ? 1 : -1));
      grads.push(grads[s] + (2 * y * (1 - y)) / (tau * theta * (1 - theta)));
    }
    expect(value.path).toEqual(path);
    expectCloseToScale(value.jacobian, grads, 1e-4);
  });

  it('keeps the peak tensor memory to the results and one chunk, far below jvp on the whole walk', async () => {
    // Bound: the two [T] results and their concatenated copies (16 bytes per step), plus
    // one chunk's tape at no more than 1000 bytes per step (about 350 are measured).
    // tf.profile's peakBytes counts every live tensor, so the bytes held before are subtracted;
    // it returns the same object on every call, so each peak is read before the next profile.
    const T = 100_000;
    const chunk = 2048;
    const held = tf.memory().numBytes;
    manualSeed(34);
    const chunked = (
      await tf.profile(() => {
        const out = walkJacobian(0.4, T, 0.5, { chunk });
        tf.dispose([out.path, out.jacobian]);
      })
    ).peakBytes - held;
    manualSeed(34);
    const whole = (
      await tf.profile(() => {
        jvp((th) => randomWalk(th, T, 0.5), 0.4, 1).dispose();
      })
    ).peakBytes - held;
    expect(chunked).toBeLessThanOrEqual(16 * T + 1000 * chunk);
    expect(chunked * 5).toBeLessThan(whole);
  });

  it('returns [0] and [0] for T = 1, and draws nothing', () => {
    const { value, draws } = recordDraws(() => run(0.5, 1, 0.5));
    expect(value).toEqual({ path: [0], jacobian: [0] });
    expect(draws).toHaveLength(0);
  });

  it('is deterministic with a zero Jacobian at theta = 0 and theta = 1', () => {
    expect(run(0, 6, 0.5, 4)).toEqual({ path: [0, -1, -2, -3, -4, -5], jacobian: [0, 0, 0, 0, 0, 0] });
    expect(run(1, 6, 0.5, 4)).toEqual({ path: [0, 1, 2, 3, 4, 5], jacobian: [0, 0, 0, 0, 0, 0] });
  });

  it('accepts a scalar tensor theta and does not leak tensors', () => {
    const theta = tf.scalar(0.4);
    const before = tf.memory().numTensors;
    const out = walkJacobian(theta, 100, 0.5, { chunk: 30 });
    expect(tf.memory().numTensors).toBe(before + 2);
    tf.dispose([out.path, out.jacobian]);
    expect(() => walkJacobian(1.5, 10)).toThrow();
    expect(tf.memory().numTensors).toBe(before);
    theta.dispose();
  });

  it('refuses bad theta, lengths, temperatures and chunks', () => {
    expect(() => walkJacobian(1.5, 10)).toThrow(/walkJacobian: theta must be in \[0, 1\], but got 1.5/);
    expect(() => walkJacobian(NaN, 10)).toThrow(/walkJacobian: theta must be in \[0, 1\], but got NaN/);
    expect(() => walkJacobian(tf.tensor1d([0.5, 0.5]), 10)).toThrow(/walkJacobian: theta must be a number or a scalar tensor, but got a float32 tensor of shape \[2\]/);
    expect(() => walkJacobian(0.5, 0)).toThrow(/walkJacobian: nTimesteps must be an integer >= 1, but got 0/);
    expect(() => walkJacobian(0.5, 10, 0)).toThrow(/walkJacobian: tau must be a finite number > 0, but got 0/);
    expect(() => walkJacobian(0.5, 10, 0.5, { chunk: 0 })).toThrow(/walkJacobian: chunk must be an integer >= 1, but got 0/);
    expect(() => walkJacobian(0.5, 10, 0.5, { chunk: 2.5 })).toThrow(/walkJacobian: chunk must be an integer >= 1, but got 2.5/);
  });
});
