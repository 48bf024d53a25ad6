import * as tf from '@tensorflow/tfjs';
import { medianBandwidth, mmd, twoSimulationMMD, twoSimulationMMDReference } from '../../lib/calibrate/mmd';
import { manualSeed, randn } from '../../lib/random';
import { centralDifferences, expectClose, expectNoLeak, expectWithinSE, FD_RTOL, moments, values } from '../util';

const NUM_SAMPLES = 400;
/** How many standard errors above 0 the biased estimator's mean must be. */
const Z_SAFE = 4;

/** MMD^2 from its definition, in float64 loops: the reference for the tensor code. */
function referenceMMD(x: number[][], y: number[][], bandwidths: number[], unbiased: boolean): number {
  const k = (a: number[], b: number[]) => {
    const d2 = a.reduce((s, v, i) => s + (v - b[i]) ** 2, 0);
    return bandwidths.reduce((s, h) => s + Math.exp(-d2 / (2 * h * h)), 0) / bandwidths.length;
  };
  const within = (z: number[][]) => {
    let s = 0;
    for (let i = 0; i < z.length; i++) for (let j = 0; j < z.length; j++) if (!unbiased || i !== j) s += k(z[i], z[j]);
    return s / (unbiased ? z.length * (z.length - 1) : z.length ** 2);
  };
  let cross = 0;
  for (const a of x) for (const b of y) cross += k(a, b);
  return within(x) + within(y) - (2 * cross) / (x.length * y.length);
}

describe('mmd', () => {
  const x = [[0.1, -0.4], [1.2, 0.3], [-0.7, 0.9], [0.5, 0.5]];
  const y = [[0.0, 0.2], [1.5, -0.3], [0.4, 1.1]];

  it.each([true, false])('matches the definition in float64 for 2-D points (unbiased = %p)', (unbiased) => {
    const got = mmd(tf.tensor2d(x), tf.tensor2d(y), { bandwidths: [0.5, 2], unbiased }).dataSync()[0];
    expectClose([got], [referenceMMD(x, y, [0.5, 2], unbiased)], 1e-4, 1e-6);
  });

  it('is exactly 0 for a sample compared with itself by the biased estimator', () => {
    manualSeed(1);
    const s = randn([50]);
    expect(mmd(s, s, { bandwidths: [1], unbiased: false }).dataSync()[0]).toBe(0);
  });

  it('has mean 0 between two samples of the same distribution (unbiased), and a positive mean otherwise', () => {
    // E[MMD_u^2] = MMD^2(P, Q): 0 when P = Q. The biased estimator is positive on average even then.
    manualSeed(2);
    const same: number[] = [];
    const biased: number[] = [];
    for (let i = 0; i < NUM_SAMPLES; i++) {
      const a = randn([20]);
      const b = randn([20]);
      same.push(mmd(a, b, { bandwidths: [1] }).dataSync()[0]);
      biased.push(mmd(a, b, { bandwidths: [1], unbiased: false }).dataSync()[0]);
      tf.dispose([a, b]);
    }
    const m = moments(same);
    expectWithinSE(m.mean, 0, m.se, 'unbiased MMD between equal distributions');
    expect(moments(biased).mean).toBeGreaterThan(Z_SAFE * moments(biased).se);
    const shifted = values(mmd(tf.add(randn([200]), 1), randn([200]), { bandwidths: [1] }));
    expect(shifted[0]).toBeGreaterThan(0.1);
  });

  it('gives one estimate per sample of a batch, each equal to the unbatched one', () => {
    manualSeed(3);
    const xb = randn([3, 6, 1]);
    const yb = randn([5, 1]);
    const batched = values(mmd(xb, yb, { bandwidths: [0.7] }));
    expect(batched).toHaveLength(3);
    const rows = tf.unstack(xb).map((row) => mmd(row, yb, { bandwidths: [0.7] }).dataSync()[0]);
    expectClose(batched, rows, 1e-5, 1e-7);
    const paired = values(mmd(xb, randn([3, 4, 1]), { bandwidths: [0.7] }));
    expect(paired).toHaveLength(3);
  });

  it('uses the median heuristic on y when no bandwidth is given', () => {
    const a = tf.tensor1d([0, 0.5, 2]);
    const b = tf.tensor1d([0, 1, 3]);
    expectClose(values(mmd(a, b)), values(mmd(a, b, { bandwidths: [2] })), 1e-6);
  });

  it('matches the closed-form gradient of the biased estimator', () => {
    // d/dx_a = (2/n^2) sum_j k(x_a, x_j) (x_j - x_a)/h^2 - (2/(nm)) sum_j k(x_a, y_j) (y_j - x_a)/h^2.
    const xs = [0.3, -0.5, 1.1, 0.8];
    const ys = [0.0, 0.9, -0.2];
    const h = 0.8;
    const k = (a: number, b: number) => Math.exp(-((a - b) ** 2) / (2 * h * h));
    const n = xs.length;
    const m = ys.length;
    const expected = xs.map((a) => {
      let g = 0;
      for (const b of xs) g += ((2 / n ** 2) * k(a, b) * (b - a)) / h ** 2;
      for (const b of ys) g -= ((2 / (n * m)) * k(a, b) * (b - a)) / h ** 2;
      return g;
    });
    const grad = tf.grad((v: tf.Tensor) => mmd(v, ys, { bandwidths: [h], unbiased: false }))(tf.tensor1d(xs));
    expectClose(values(grad), expected, 1e-4, 1e-6);
  });

  it('matches central finite differences (unbiased, two bandwidths, 2-D points)', () => {
    const flat = x.flat();
    const f = (v: number[]) => mmd(tf.tensor2d(v, [4, 2]), tf.tensor2d(y), { bandwidths: [0.5, 1.5] }).dataSync()[0];
    const grad = values(tf.grad((v: tf.Tensor) => mmd(v, tf.tensor2d(y), { bandwidths: [0.5, 1.5] }))(tf.tensor2d(x)));
    const fd = centralDifferences(f, flat);
    expectClose(grad, fd, FD_RTOL, 2e-4);
  });

  it('has a zero gradient at identical samples (the biased estimator is minimal there)', () => {
    const v = tf.tensor1d([0.2, -1, 0.7]);
    const grad = values(tf.grad((z: tf.Tensor) => mmd(z, v, { bandwidths: [1], unbiased: false }))(v));
    expectClose(grad, [0, 0, 0], 0, 1e-6);
  });

  it('propagates NaN in the samples', () => {
    expect(Number.isNaN(mmd([0, NaN, 1], [0, 1, 2], { bandwidths: [1] }).dataSync()[0])).toBe(true);
  });

  it('does not leak tensors', () => {
    const a = tf.tensor1d([0, 1, 2]);
    expectNoLeak(() => mmd(a, [1, 2], { bandwidths: [1] })).dispose();
    expectNoLeak(() => mmd(a, [1, 2])).dispose();
    const before = tf.memory().numTensors;
    expect(() => mmd(a, [[1, 2]], { bandwidths: [1] })).toThrow();
    expect(tf.memory().numTensors).toBe(before);
    a.dispose();
  });

  it.each([[[0]], [[-1]], [[NaN]], [[]], [[1, Infinity]]])('refuses bandwidths = %p', (bandwidths) => {
    expect(() => mmd([0, 1], [0, 1], { bandwidths })).toThrow(/mmd: bandwidths must be a non-empty array of finite numbers > 0, but got/);
  });

  it('refuses points of different dimensions, too few points and unbatched y with a batch mismatch', () => {
    expect(() => mmd(tf.zeros([3, 2]), tf.zeros([3, 3]), { bandwidths: [1] })).toThrow(/mmd: y must be points of dimension 2, like x, but got/);
    expect(() => mmd([1], [1, 2], { bandwidths: [1] })).toThrow(/mmd: x must be a sample of at least 2 points, but got/);
    expect(values(mmd([1], [2], { bandwidths: [1], unbiased: false }))).toHaveLength(1);
    expect(() => mmd(tf.zeros([2, 3, 1]), tf.zeros([3, 3, 1]), { bandwidths: [1] })).toThrow(/mmd: y must be a batch of 2 samples, like x/);
    expect(() => mmd(tf.zeros([3, 1]), tf.zeros([2, 3, 1]), { bandwidths: [1] })).toThrow(/mmd: y must be unbatched when x is unbatched/);
    expect(() => mmd(tf.scalar(1), [1, 2])).toThrow(/mmd: x must be a tensor of shape \[n\], \[n, d\] or \[B, n, d\], but got a float32 tensor of shape \[\]/);
    expect(() => mmd(tf.tensor1d([true, false], 'bool'), [1, 2])).toThrow(/mmd: x must be a float32 or int32 tensor, but got a bool tensor/);
  });
});



describe('medianBandwidth', () => {
  it('is the median distance between distinct points', () => {
    // Distances of [0, 1, 3]: 1, 3, 2, median 2; of 2-D points (0,0), (3,4), (6,8): 5, 10, 5, median 5.
    expect(medianBandwidth([0, 1, 3])).toBe(2);
    expect(medianBandwidth([[0, 0], [3, 4], [6, 8]])).toBe(5);
    // Even count: distances 1, 2, 3, 1, 2, 1 of [0, 1, 2, 3]: sorted 1 1 1 2 2 3, median 1.5.
    expect(medianBandwidth([0, 1, 2, 3])).toBe(1.5);
  });

  it('leaves out ties, and gives 1 when all points are equal', () => {
    expect(medianBandwidth([1, 1, -1, 1])).toBe(2);
    expect(medianBandwidth([4, 4, 4])).toBe(1);
  });

  it('refuses fewer than 2 points and rank 3', () => {
    expect(() => medianBandwidth([1])).toThrow(/medianBandwidth: y must be a sample of at least 2 points, but got/);
    expect(() => medianBandwidth(tf.zeros([2, 2, 2]))).toThrow(/medianBandwidth: y must be a tensor of shape \[m\] or \[m, d\], but got/);
  });
});

describe('twoSimulationMMD', () => {
  const a = [[0.1, -0.4], [1.2, 0.3], [-0.7, 0.9]];
  const b = [[0.3, 0.1], [-0.2, -0.6]];
  const y = [[0.0, 0.2], [1.5, -0.3], [0.4, 1.1], [-1, 0]];
  const bandwidths = [0.5, 2];

  it('is half the sum of the unbiased MMDs to the data minus the MMD between the simulations (float64 reference)', () => {
    const got = twoSimulationMMD(tf.tensor2d(a), tf.tensor2d(b), tf.tensor2d(y), { bandwidths }).dataSync()[0];
    const expected = (referenceMMD(a, y, bandwidths, true) + referenceMMD(b, y, bandwidths, true) - referenceMMD(a, b, bandwidths, true)) / 2;
    expectClose([got], [expected], 1e-4, 1e-6);
  });

  it('gives the float64 reference for data with repeated points (counted once per occurrence)', () => {
    const repeated = [[0.5], [0.5], [-1], [0.5], [2], [-1]];
    const [sa, sb] = [[[0.1], [0.7]], [[-0.3], [0.5], [1.1]]];
    const got = twoSimulationMMD(tf.tensor2d(sa), tf.tensor2d(sb), tf.tensor1d(repeated.flat()), { bandwidths: [0.7] }).dataSync()[0];
    const expected = (referenceMMD(sa, repeated, [0.7], true) + referenceMMD(sb, repeated, [0.7], true) - referenceMMD(sa, sb, [0.7], true)) / 2;
    expectClose([got], [expected], 1e-4, 1e-6);
  });

  it('gives the reference value and the gradient of every copy for simulations with repeated points', () => {
    // Equal points are grouped; each copy must still get its own partial derivative.
    const [sa, sb, data] = [[0.5, 0.5, 1, 0.5], [0.5, -1], [0.2, 0.9, -0.4]];
    const got = twoSimulationMMD(sa, sb, data, { bandwidths: [0.8] }).dataSync()[0];
    const col = (v: number[]) => v.map((x) => [x]);
    const expected = (referenceMMD(col(sa), col(data), [0.8], true) + referenceMMD(col(sb), col(data), [0.8], true) - referenceMMD(col(sa), col(sb), [0.8], true)) / 2;
    expectClose([got], [expected], 1e-4, 1e-6);
    const y = tf.tensor1d(data);
    const f = (v: number[]) => twoSimulationMMD(v.slice(0, 4), v.slice(4), y, { bandwidths: [0.8] }).dataSync()[0];
    const grad = values(tf.grad((v: tf.Tensor) => twoSimulationMMD(tf.slice(v, 0, 4), tf.slice(v, 4, 2), y, { bandwidths: [0.8] }))(tf.tensor1d([...sa, ...sb])));
    expectClose(grad, centralDifferences(f, [...sa, ...sb]), FD_RTOL, 2e-4);
    y.dispose();
  });

  it('averages to 0 for runs whose points are strongly dependent, where mmd does not', () => {
    // Each run: n points z + 0.1 e_i sharing one draw z ~ N(0, 1); their marginal is N(0, 1.01), the data's.
    // Both estimators compare the same distributions, so MMD^2 = 0; within one run the points
    // are far closer than independent draws, which mmd counts as a difference.
    const [n, m] = [20, 20];
    const run = () => tf.add(randn([1]), tf.mul(randn([n]), 0.1));
    manualSeed(21);
    const paired: number[] = [];
    const single: number[] = [];
    for (let rep = 0; rep < NUM_SAMPLES; rep++) {
      tf.tidy(() => {
        const data = tf.mul(randn([m]), Math.sqrt(1.01));
        const [r1, r2] = [run(), run()];
        paired.push(twoSimulationMMD(r1, r2, data, { bandwidths: [1] }).dataSync()[0]);
        single.push(mmd(r1, data, { bandwidths: [1] }).dataSync()[0]);
      });
    }
    const p = moments(paired);
    expectWithinSE(p.mean, 0, p.se, 'twoSimulationMMD');
    const q = moments(single);
    expect(q.mean / q.se).toBeGreaterThan(Z_SAFE);
  });

  it('matches central finite differences in a and b, and reuses the data term of the same data tensor', () => {
    const data = tf.tensor2d(y);
    const flat = [...a.flat(), ...b.flat()];
    const split = (t: tf.Tensor) => [tf.reshape(tf.slice(t, 0, 6), [3, 2]), tf.reshape(tf.slice(t, 6, 4), [2, 2])];
    const f = (v: number[]) => tf.tidy(() => {
      const [x1, x2] = split(tf.tensor1d(v));
      return twoSimulationMMD(x1, x2, data, { bandwidths }).dataSync()[0];
    });
    const grad = values(tf.grad((v: tf.Tensor) => {
      const [x1, x2] = split(v);
      return twoSimulationMMD(x1, x2, data, { bandwidths });
    })(tf.tensor1d(flat)));
    expectClose(grad, centralDifferences(f, flat), FD_RTOL, 2e-4);
    // The second call with the same data gives the value of a fresh copy of the data.
    const again = twoSimulationMMD(tf.tensor2d(a), tf.tensor2d(b), data, { bandwidths }).dataSync()[0];
    const fresh = twoSimulationMMD(tf.tensor2d(a), tf.tensor2d(b), tf.tensor2d(y), { bandwidths }).dataSync()[0];
    expect(again).toBe(fresh);
    data.dispose();
  });

  it('does not leak tensors, and refuses mismatched points, a single data point and unbiased: false', () => {
    const [ta, tb, ty] = [tf.tensor2d(a), tf.tensor2d(b), tf.tensor2d(y)];
    expectNoLeak(() => twoSimulationMMD(ta, tb, ty, { bandwidths })).dispose();
    expectNoLeak(() => twoSimulationMMD([1, 2], [3], [0, 1, 2])).dispose();
    expect(() => twoSimulationMMD(ta, tf.zeros([2, 3]), ty)).toThrow(/twoSimulationMMD: b must be points of dimension 2, like y, but got a float32 tensor of shape \[2, 3\]/);
    expect(() => twoSimulationMMD([1], [2], [3])).toThrow(/twoSimulationMMD: y must be a sample of at least 2 points, but got/);
    expect(() => twoSimulationMMD([1], [2], [3, 4], { unbiased: false })).toThrow(/twoSimulationMMD: unbiased must be true or left out \(the estimator has no self-pairs\), but got false/);
    expect(() => twoSimulationMMD([1], [2], [3, 4], { bandwidths: [0] })).toThrow(/twoSimulationMMD: bandwidths must be a non-empty array of finite numbers > 0, but got \[0\]/);
    tf.dispose([ta, tb, ty]);
  });
});

describe('twoSimulationMMDReference', () => {
  it('equals twoSimulationMMD, for scalar and for 2-D points with repeated values', () => {
    manualSeed(21);
    const a = tf.round(tf.mul(randn([40]), 3));
    const b = tf.round(tf.mul(randn([30]), 3));
    const y = tf.round(tf.mul(tf.add(randn([50]), 0.5), 3));
    expectClose(values(twoSimulationMMDReference(a, b, y, [1, 2])), values(twoSimulationMMD(a, b, y, { bandwidths: [1, 2] })), 1e-3, 1e-6);
    const a2 = randn([20, 2]);
    const b2 = randn([25, 2]);
    const y2 = tf.add(randn([30, 2]), 0.3);
    expectClose(values(twoSimulationMMDReference(a2, b2, y2, [0.8])), values(twoSimulationMMD(a2, b2, y2, { bandwidths: [0.8] })), 1e-3, 1e-6);
  });
});
