import * as tf from '@tensorflow/tfjs';
import { jacobian, jacobianByPasses, jacobianOnDraws, JacobianStrategy, jvp } from '../lib/jacobian';
import { manualSeed, rand, recordDraws } from '../lib/random';
import { sampleJacobians } from '../lib/sampleJacobians';
import { estimateGradient, finiteDifferenceObjective, PathLoss } from '../lib/walk/estimators';
import { randomWalk } from '../lib/walk/randomWalk';
import { expectClose, expectNoLeak, FD_RTOL, FD_STEP, values } from './util';

/** Rounding between forward mode (jvp) and reverse mode (jacobian), in float32. */
const MODE_RTOL = 1e-5;

describe('jacobian', () => {
  it('has shape [...f(x).shape, ...x.shape] and matches the closed form of a smooth map', () => {
    // f(x) = x^2 * w elementwise, so J[i, j, k, l] = 2 x[i, j] w[i, j] when (i, j) = (k, l).
    const x = tf.tensor2d([[0.5, -1], [2, 0.25], [1.5, -0.75]]);
    const w = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
    const J = jacobian((v) => tf.mul(tf.square(v), w), x);
    expect(J.shape).toEqual([3, 2, 3, 2]);
    const xs = values(x);
    const ws = values(w);
    const expected: number[] = [];
    for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) expected.push(i === j ? 2 * xs[i] * ws[i] : 0);
    expectClose(values(J), expected, 1e-6);
  });

  it('matches central finite differences on a smooth map with mixed entries', () => {
    const f = (v: tf.Tensor) => tf.stack([tf.sum(tf.sin(v)), tf.prod(v), tf.sum(tf.mul(v, tf.tensor1d([1, -2, 3])))]);
    const x0 = [0.3, -0.8, 1.1];
    const J = values(jacobian(f, tf.tensor1d(x0)));
    const fd: number[] = [];
    const fAt = (v: number[]) => values(f(tf.tensor1d(v)));
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        const up = x0.slice();
        const down = x0.slice();
        up[j] += FD_STEP;
        down[j] -= FD_STEP;
        fd.push((fAt(up)[i] - fAt(down)[i]) / (2 * FD_STEP));
      }
    }
    expectClose(J, fd, FD_RTOL, 1e-3);
  });

  it('gives zeros for outputs that do not depend on x', () => {
    const J = jacobian((v) => tf.concat([tf.ones([2]), tf.reshape(tf.mul(v, 3), [1])]), tf.scalar(1.5));
    expect(values(J)).toEqual([0, 0, 3]);
    expect(values(jacobian(() => tf.ones([2, 2]), tf.tensor1d([1, 2, 3])))).toEqual(new Array(12).fill(0));
  });

  it('accepts a number as a scalar point', () => {
    expect(values(jacobian((v) => tf.mul(v, v), 3))).toEqual([6]);
  });

  it.each(['reverse-mode', 'forward-mode'] as const)(
    'gives every row the same random draws in %s: the rows sum to the gradient of the summed outputs',
    (strategy) => {
      // With common random numbers, sum_t dx_t/dtheta = d(sum_t x_t)/dtheta on the
      // same seed. Rows from different draws would not add up to it. Reverse mode
      // runs f once per output (30 runs), forward mode once per input (two inputs,
      // whose mean is the walk's theta): every run after the first replays the first run's draws.
      const f = (th: tf.Tensor) => randomWalk(tf.mean(th), 30, 0.5);
      const theta = tf.tensor1d([0.4, 0.5]);
      manualSeed(12);
      const rowSums = values(tf.sum(jacobian(f, theta, { strategy }), 0));
      manualSeed(12);
      const grad = values(tf.grad((th: tf.Tensor) => tf.sum(f(th)))(theta));
      for (const v of rowSums) expect(v).toBeGreaterThan(0);
      expectClose(rowSums, grad, 1e-4);
    },
  );

  it('repeats exactly under manualSeed', () => {
    const f = (th: tf.Tensor) => randomWalk(th, 15, 1.0);
    manualSeed(5);
    const a = values(jacobian(f, tf.scalar(0.4)));
    manualSeed(5);
    expect(values(jacobian(f, tf.scalar(0.4)))).toEqual(a);
  });

  it('refuses a function whose randomness bypasses the generator', () => {
    const x = tf.tensor1d([1, 2]);
    const before = tf.memory().numTensors;
    expect(() => jacobian((v) => tf.add(tf.mul(v, 2), Math.random()), x)).toThrow(
      /jacobian: f gave different values when run again on the same random draws/,
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a function that makes other draws when run again', () => {
    // Reverse mode runs f a second time; with a scalar x, forward mode runs it once.
    let calls = 0;
    const f = (v: tf.Tensor) => tf.add(v, tf.sum(rand([++calls])));
    expect(() => jacobian(f, tf.scalar(1), { strategy: 'reverse-mode' })).toThrow(
      /jacobian: f asked for different random draws when run again \(request 1 wants shape \[2\], the first run drew shape \[1\]\)/,
    );
  });

  it('refuses a function whose draws change shape but not size when run again', () => {
    let calls = 0;
    const f = (v: tf.Tensor) => tf.add(v, tf.sum(rand(++calls === 1 ? [2, 3] : [3, 2])));
    const x = tf.scalar(1);
    const before = tf.memory().numTensors;
    expect(() => jacobian(f, x, { strategy: 'reverse-mode' })).toThrow(
      /jacobian: f asked for different random draws when run again \(request 1 wants shape \[3, 2\], the first run drew shape \[2, 3\]\)/,
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a non-float x', () => {
    expect(() => jacobian((v) => v, tf.tensor1d([1, 2], 'int32'))).toThrow(
      /jacobian: x must be a float32 tensor or a number, but got a int32 tensor of shape \[2\]/,
    );
  });

  it('does not leak tensors', () => {
    const x = tf.scalar(0.3);
    expectNoLeak(() => jacobian((th) => randomWalk(th, 12, 0.5), x)).dispose();
    x.dispose();
  });

  it('lets NaN in f propagate', () => {
    const J = values(jacobian((v) => tf.sqrt(v), tf.tensor1d([-1, 4])));
    expect(Number.isNaN(J[0])).toBe(true);
    expectClose([J[3]], [0.25], 1e-6);
  });
});

describe('jvp', () => {
  it('matches the closed form J v of a smooth map', () => {
    // f(x) = [x0^2 x1, sin(x0) + 3 x1]: J = [[2 x0 x1, x0^2], [cos(x0), 3]].
    const f = (v: tf.Tensor) => {
      const [a, b] = tf.unstack(v);
      return tf.stack([tf.mul(tf.square(a), b), tf.add(tf.sin(a), tf.mul(b, 3))]);
    };
    const [x0, x1] = [0.7, -1.3];
    const [v0, v1] = [2, -0.5];
    const expected = [2 * x0 * x1 * v0 + x0 * x0 * v1, Math.cos(x0) * v0 + 3 * v1];
    expectClose(values(jvp(f, tf.tensor1d([x0, x1]), tf.tensor1d([v0, v1]))), expected, 1e-5);
  });

  it('matches central finite differences through exp, tanh, sigmoid, log and softmax', () => {
    // Second derivatives of these ops with respect to x fail in TensorFlow.js;
    // jvp only differentiates their gradients with respect to the incoming gradient.
    const f = (v: tf.Tensor) =>
      tf.concat([tf.exp(v), tf.tanh(v), tf.sigmoid(v), tf.log(v), tf.reshape(tf.softmax(tf.stack([v, tf.mul(v, 2)], -1)), [-1])]);
    const x0 = [0.4, 1.2];
    const v0 = [1, -0.5];
    const fAt = (x: number[]) => values(f(tf.tensor1d(x)));
    const up = fAt(x0.map((x, i) => x + FD_STEP * v0[i]));
    const down = fAt(x0.map((x, i) => x - FD_STEP * v0[i]));
    const fd = up.map((u, i) => (u - down[i]) / (2 * FD_STEP));
    expectClose(values(jvp(f, tf.tensor1d(x0), tf.tensor1d(v0))), fd, FD_RTOL, 1e-3);
  });

  it('gives the whole column of a scalar input, equal to jacobian on the same draws', () => {
    // Through the straight-through estimator (tf.customGrad) and the walk's custom log gradient.
    const f = (th: tf.Tensor) => randomWalk(th, 40, 0.5);
    manualSeed(8);
    const expected = values(jacobian(f, tf.scalar(0.35)));
    manualSeed(8);
    const column = values(jvp(f, 0.35, 1));
    expect(column[39]).toBeGreaterThan(0);
    expectClose(column, expected, MODE_RTOL, 1e-5);
  });

  it('gives each row of a batched walk its derivative with respect to its own theta', () => {
    // Row k of a batched walk uses the draws that the k-th of separate scalar walks would.
    const thetas = [0.2, 0.5, 0.7];
    const f = (th: tf.Tensor) => randomWalk(th, 10, 1.0);
    manualSeed(31);
    const expected = thetas.flatMap((th) => values(jacobian(f, th)));
    manualSeed(31);
    const x = tf.tensor1d(thetas);
    expectClose(values(jvp(f, x, tf.onesLike(x))), expected, MODE_RTOL, 1e-5);
  });

  it('gives zeros for outputs that do not depend on x', () => {
    expect(values(jvp((v) => tf.concat([tf.ones([2]), tf.mul(v, 3)]), tf.tensor1d([1.5]), tf.tensor1d([2])))).toEqual([0, 0, 6]);
    expect(values(jvp(() => tf.ones([2, 2]), tf.tensor1d([1, 2]), tf.tensor1d([1, 1])))).toEqual([0, 0, 0, 0]);
  });

  it('refuses v of another shape than x', () => {
    expect(() => jvp((v) => v, tf.tensor1d([1, 2]), tf.tensor1d([1, 2, 3]))).toThrow(
      /jvp: v must be a tensor of the shape of x, \[2\], but got a float32 tensor of shape \[3\]/,
    );
  });

  it('does not leak tensors', () => {
    const x = tf.scalar(0.3);
    expectNoLeak(() => jvp((th) => randomWalk(th, 12, 0.5), x, 1)).dispose();
    x.dispose();
  });

  it('lets NaN in f propagate', () => {
    const out = values(jvp((v) => tf.sqrt(v), tf.tensor1d([-1, 4]), tf.tensor1d([1, 1])));
    expect(Number.isNaN(out[0])).toBe(true);
    expectClose([out[1]], [0.25], 1e-6);
  });
});

describe('jacobianOnDraws', () => {
  it.each(['forward', 'reverse', 'auto'] as const)('builds the closed-form Jacobian in %s mode, batched or not', (mode) => {
    // f(v) = [v0 v1, exp(v0), v1^2] per row: J = [[v1, v0], [exp(v0), 0], [0, 2 v1]].
    const f = (v: tf.Tensor, axis: number) => {
      const [a, b] = tf.unstack(v, axis);
      return tf.stack([tf.mul(a, b), tf.exp(a), tf.square(b)], axis);
    };
    const rows = [[0.5, -1.5], [2, 0.25]];
    const closed = ([a, b]: number[]) => [b, a, Math.exp(a), 0, 0, 2 * b];
    const single = jacobianOnDraws((v) => f(v, 0), tf.tensor1d(rows[0]), 'test', mode);
    expect(single.shape).toEqual([3, 2]);
    expectClose(values(single), closed(rows[0]), 1e-5);
    const batched = jacobianOnDraws((v) => f(v, 1), tf.tensor2d(rows), 'test', mode, 1);
    expect(batched.shape).toEqual([2, 3, 2]);
    expectClose(values(batched), [...closed(rows[0]), ...closed(rows[1])], 1e-5);
  });
});

/** Entry (i, j) of the final position over paths [B, T], as a loss per walk. */
const finalPosition: PathLoss = (paths) => {
  const [B, T] = paths.shape as number[];
  return tf.squeeze(tf.slice(paths, [0, T - 1], [B, 1]), [1]);
};

describe('jacobian of a function that records its own draws', () => {
  it.each(['forward-mode', 'reverse-mode'] as const)('differentiates a function that calls jacobian (%s)', (strategy) => {
    // g(x) = jacobian of x^2 * u, u ~ U(0, 1)^3: g(x)[i, j] = 2 x_i u_i [i = j],
    // so dg[i, j, k]/dx = 2 u_i [i = j = k], from the u recorded around the call.
    const f = (v: tf.Tensor) => tf.mul(tf.square(v), rand([3]));
    const g = (v: tf.Tensor) => jacobian(f, v);
    manualSeed(40);
    const { value, draws } = recordDraws(() => values(jacobian(g, tf.tensor1d([0.5, -1, 2]), { strategy })));
    expect(draws).toHaveLength(1);
    const u = Array.from(draws[0]);
    const expected: number[] = [];
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) expected.push(i === j && j === k ? 2 * u[i] : 0);
    expectClose(value, expected, 1e-5, 1e-6);
  });

  it.each([undefined, true, false])('differentiates a function that calls sampleJacobians (batched: %p)', (batched) => {
    // g(x) = sampleJacobians of x^2 * u_k over 4 samples: g(x)[k] = 2 x u_k, dg[k]/dx = 2 u_k.
    const f = (v: tf.Tensor) => tf.mul(tf.square(v), rand(v.shape));
    const g = (v: tf.Tensor) => sampleJacobians(f, v, 4, { batched });
    for (const strategy of ['forward-mode', 'reverse-mode'] as const) {
      manualSeed(41);
      const { value, draws } = recordDraws(() => values(jacobian(g, tf.scalar(0.7), { strategy })));
      const u = draws.flatMap((d) => Array.from(d));
      expect(u).toHaveLength(4);
      expectClose(value, u.map((v) => 2 * v), 1e-5, 1e-6);
      // The same draws as four jacobian calls on the seed.
      manualSeed(41);
      expectClose(u, [0, 1, 2, 3].map(() => rand([]).dataSync()[0]), 0, 0);
    }
  });

  it.each(['forward-mode', 'reverse-mode'] as const)('differentiates finiteDifferenceObjective, whose walks share draws (%s)', (strategy) => {
    // g(v) = the objectives at v0 and at v1, so dg/dv = diag of the two
    // finite-difference estimates, which estimateGradient gives on the same seed.
    const options = { nTimesteps: 12, nSimulations: 6, step: 0.1 };
    const g = (v: tf.Tensor) => {
      const [a, b] = tf.unstack(v);
      return tf.stack([finiteDifferenceObjective(a, finalPosition, options), finiteDifferenceObjective(b, finalPosition, options)]);
    };
    const thetas = [0.35, 0.6];
    manualSeed(42);
    const J = values(jacobian(g, tf.tensor1d(thetas), { strategy }));
    manualSeed(42);
    const expected = thetas.map((th) => estimateGradient((t) => finiteDifferenceObjective(t, finalPosition, options), th).gradient);
    expect(expected.every((e) => e !== 0)).toBe(true);
    expectClose(J, [expected[0], 0, 0, expected[1]], 1e-5, 1e-6);
  });
});

describe('jacobian strategies', () => {
  const strategies: JacobianStrategy[] = ['forward-mode', 'reverse-mode', 'auto'];
  const cases: [string, (v: tf.Tensor) => tf.Tensor, () => tf.Tensor][] = [
    ['scalar to vector', (v) => tf.stack([tf.sin(v), tf.mul(v, v), tf.exp(v)]), () => tf.scalar(0.3)],
    ['vector to scalar', (v) => tf.sum(tf.mul(tf.square(v), tf.tensor1d([1, 2, 3, 4]))), () => tf.tensor1d([0.5, -1, 2, 0.25])],
    ['matrix to matrix', (v) => tf.matMul(tf.tanh(v), tf.tensor2d([[1, 2, 0], [-1, 0.5, 3]])), () => tf.tensor2d([[0.1, 0.2], [0.3, -0.4], [1, 2]])],
    ['random function on replayed draws', (v) => tf.mul(tf.sigmoid(tf.add(v, rand([2, 3]))), rand([2, 3])), () => tf.tensor2d([[0.1, 0.2, 0.3], [-1, 0, 1]])],
  ];

  it.each(cases)('give the same Jacobian to float32 rounding: %s', (_, f, x) => {
    const out = strategies.map((strategy) => {
      manualSeed(50);
      return values(jacobian(f, x(), { strategy }));
    });
    expect(out[0].some((v) => v !== 0)).toBe(true);
    expectClose(out[0], out[1], MODE_RTOL, 1e-6);
    expectClose(out[2], out[1], MODE_RTOL, 1e-6);
  });

  it('run f once and then once per input in forward mode, once per output in reverse mode', () => {
    // f(x) = sum(x) * ones(n): 10 inputs and 3 outputs.
    let calls = 0;
    const f = (v: tf.Tensor) => {
      calls++;
      return tf.mul(tf.sum(v), tf.ones([3]));
    };
    const x = tf.ones([10]);
    const count = (strategy: JacobianStrategy) => {
      calls = 0;
      expect(values(jacobian(f, x, { strategy }))).toEqual(new Array(30).fill(1));
      return calls;
    };
    expect(count('forward-mode')).toBe(1 + 10);
    expect(count('reverse-mode')).toBe(1 + 3);
    expect(count('auto')).toBe(1 + 3);
  });

  it("falls back to reverse mode in 'auto' when forward mode meets a gradient it cannot differentiate", () => {
    // elu's gradient is its own kernel (EluGrad), which has no gradient.
    const x = tf.scalar(-1);
    const before = tf.memory().numTensors;
    expect(() => jacobian((v) => tf.elu(v), x, { strategy: 'forward-mode' })).toThrow(/jacobian: forward mode differentiates the gradient of f, .*EluGrad.*strategy: 'reverse-mode'/);
    expect(tf.memory().numTensors).toBe(before);
    // The abandoned attempt's draws are given back: the same numbers as reverse mode on the seed.
    const f = (v: tf.Tensor) => tf.mul(tf.elu(v), rand([2]));
    manualSeed(51);
    const auto = values(jacobian(f, x));
    manualSeed(51);
    expectClose(auto, values(jacobian(f, x, { strategy: 'reverse-mode' })), 0, 0);
    expect(Math.abs(auto[0])).toBeGreaterThan(0);
  });

  it.each(['forward', 'Reverse-mode', 1, null])('refuses the strategy %p', (strategy) => {
    expect(() => jacobian((v) => v, 1, { strategy: strategy as JacobianStrategy })).toThrow(
      /jacobian: strategy must be one of 'auto', 'forward-mode', 'reverse-mode', but got/,
    );
  });
});

describe('jacobianByPasses', () => {
  it.each(['forward-mode', 'reverse-mode'] as const)('gives the Jacobian of jacobian and of the closed form in %s', (strategy) => {
    // f(x) = [x0 x1, sin(x1), x0^2 + x2]: J = [[x1, x0, 0], [0, cos x1, 0], [2 x0, 0, 1]].
    const f = (x: tf.Tensor1D) => {
      const [x0, x1, x2] = tf.unstack(x);
      return tf.stack([tf.mul(x0, x1), tf.sin(x1), tf.add(tf.square(x0), x2)]) as tf.Tensor1D;
    };
    const x = tf.tensor1d([0.5, -1.2, 2]);
    const exact = [-1.2, 0.5, 0, 0, Math.cos(-1.2), 0, 1, 0, 1];
    const J = jacobianByPasses(f, x, strategy);
    expect(J.shape).toEqual([3, 3]);
    expectClose(values(J), exact, 1e-5, 1e-6);
    expectClose(values(J), values(jacobian(f as (x: tf.Tensor) => tf.Tensor, x, { strategy })), 1e-6, 1e-7);
  });
});
