import * as tf from '@tensorflow/tfjs';
import { Normal } from '../../lib/distributions/normal';
import { manualSeed } from '../../lib/random';
import { jacobian } from '../../lib/jacobian';
import { sampleJacobians } from '../../lib/sampleJacobians';
import { centralDifferences, expectClose, expectNoLeak, expectWithinSE, FD_RTOL, moments, values, Z_TOLERANCE } from '../util';

const NUM_SAMPLES = 20_000;

/** The normal log-density in float64, the closed form the tests compare with. */
function normalLogPdf(x: number, loc: number, scale: number): number {
  return -((x - loc) ** 2) / (2 * scale * scale) - Math.log(scale) - 0.5 * Math.log(2 * Math.PI);
}

describe('Normal', () => {
  it('draws samples whose mean and variance are loc and scale^2, within Z_TOLERANCE standard errors', () => {
    manualSeed(3);
    for (const [loc, scale] of [
      [1, 2],
      [-0.5, 0.1],
    ]) {
      for (const method of ['sample', 'rsample'] as const) {
        const x = values(expectNoLeak(() => new Normal(loc, scale)[method]([NUM_SAMPLES])));
        const m = moments(x);
        expectWithinSE(m.mean, loc, scale / Math.sqrt(NUM_SAMPLES), `${method} mean`);
        // Var of the sample variance of a normal sample: 2 sigma^4 / (n - 1).
        expectWithinSE(m.variance, scale * scale, Math.sqrt(2 / (NUM_SAMPLES - 1)) * scale * scale, `${method} variance`);
      }
    }
  });

  it('gives samples of shape [...shape, ...batchShape], broadcasting loc and scale as PyTorch does', () => {
    const d = new Normal(tf.zeros([2, 1]), tf.ones([3]));
    expect(d.batchShape).toEqual([2, 3]);
    expect(d.sample().shape).toEqual([2, 3]);
    expect(d.rsample([4, 5]).shape).toEqual([4, 5, 2, 3]);
    expect(new Normal(0, 1).sample().shape).toEqual([]);
    expect(new Normal(0, 1).sample([0]).shape).toEqual([0]);
    expect(d.mean.shape).toEqual([2, 3]);
    expect(d.variance.shape).toEqual([2, 3]);
    expect(d.stddev.shape).toEqual([2, 3]);
  });

  it('gives mean, variance and stddev from the parameters', () => {
    const d = new Normal(tf.tensor([1, -2]), 3);
    expect(values(d.mean)).toEqual([1, -2]);
    expect(values(d.variance)).toEqual([9, 9]);
    expect(values(d.stddev)).toEqual([3, 3]);
  });

  it('draws the same numbers with sample and rsample on the same seed, and repeats them after manualSeed', () => {
    manualSeed(5);
    const a = values(new Normal(1, 2).sample([6]));
    manualSeed(5);
    const b = values(new Normal(1, 2).rsample([6]));
    expect(a).toEqual(b);
  });

  it('evaluates logProb as the closed-form log-density', () => {
    const xs = [-3, -0.5, 0, 1, 2.5, 7];
    const got = values(new Normal(1, 2).logProb(tf.tensor(xs)));
    expectClose(got, xs.map((x) => normalLogPdf(x, 1, 2)));
    expectClose(values(new Normal(tf.tensor([0, 1]), tf.tensor([1, 0.5])).logProb(1)), [normalLogPdf(1, 0, 1), normalLogPdf(1, 1, 0.5)]);
  });

  it('lets NaN in logProb values propagate', () => {
    expect(Number.isNaN(values(new Normal(0, 1).logProb(NaN))[0])).toBe(true);
  });

  it('differentiates logProb in loc and scale as the closed form says', () => {
    const x = 2.5;
    const [loc, scale] = [1, 2];
    const [gLoc, gScale] = tf
      .grads((l: tf.Tensor, s: tf.Tensor) => new Normal(l, s).logProb(x))([tf.scalar(loc), tf.scalar(scale)])
      .map((t) => t.dataSync()[0]);
    expectClose([gLoc, gScale], [(x - loc) / scale ** 2, (x - loc) ** 2 / scale ** 3 - 1 / scale]);
  });

  it('differentiates logProb like central finite differences', () => {
    const f = (p: number[]) => new Normal(p[0], p[1]).logProb(0.7).dataSync()[0];
    const g = tf.grads((l: tf.Tensor, s: tf.Tensor) => new Normal(l, s).logProb(0.7))([tf.scalar(0.2), tf.scalar(1.3)]);
    expectClose(g.map((t) => t.dataSync()[0]), centralDifferences(f, [0.2, 1.3]), FD_RTOL, 1e-3);
  });

  it('differentiates rsample: d x / d loc = 1 and d x / d scale = eps of the same draw', () => {
    manualSeed(9);
    const z = values(new Normal(1, 2).rsample([5]));
    const eps = z.map((v) => (v - 1) / 2);
    manualSeed(9);
    const [gLoc, gScale] = tf.grads((l: tf.Tensor, s: tf.Tensor) => tf.sum(new Normal(l, s).rsample([5])))([tf.scalar(1), tf.scalar(2)]);
    expect(gLoc.dataSync()[0]).toBeCloseTo(5, 5);
    expect(gScale.dataSync()[0]).toBeCloseTo(eps.reduce((a, b) => a + b), 4);
  });

  it('gives sample a zero gradient: the draw does not carry loc and scale', () => {
    const [gLoc, gScale] = tf.grads((l: tf.Tensor, s: tf.Tensor) => tf.sum(new Normal(l, s).sample([5])))([tf.scalar(1), tf.scalar(2)]);
    expect(gLoc.dataSync()[0]).toBe(0);
    expect(gScale.dataSync()[0]).toBe(0);
  });

  it('lets jacobian replay its draws: rows on the same noise', () => {
    // Reverse mode runs the function once per output (4 runs); each row is
    // d x_i / d scale = eps_i of the first run's draws only if the runs replay them.
    manualSeed(4);
    const z = values(new Normal(0.5, 3).rsample([4]));
    manualSeed(4);
    const J = jacobian((s) => new Normal(0.5, s).rsample([4]), tf.scalar(3), { strategy: 'reverse-mode' });
    expectClose(values(J), z.map((v) => (v - 0.5) / 3));
    expect(values(jacobian((l) => new Normal(l, 3).sample([4]), tf.scalar(0.5)))).toEqual([0, 0, 0, 0]);
  });

  it('gives sampleJacobians the reparameterised gradient 8 theta + 3 theta^2 of E[theta^2 (z + 4)], z ~ N(theta, 2^2)', () => {
    // Per sample: 2 theta (theta + 2 eps + 4) + theta^2 = 8 theta + 3 theta^2 + 4 theta eps: variance 16 theta^2.
    // Through sample() the draw's path is cut: 2 theta (z + 4), mean 2 theta (theta + 4), the same variance.
    const theta = 2;
    manualSeed(12);
    const rep = values(
      sampleJacobians((th) => tf.mul(tf.square(th), tf.add(new Normal(th, 2).rsample(), 4)), theta, NUM_SAMPLES, { batched: true }),
    );
    const norep = values(
      sampleJacobians((th) => tf.mul(tf.square(th), tf.add(new Normal(th, 2).sample(), 4)), theta, NUM_SAMPLES, { batched: true }),
    );
    const se = Math.sqrt((16 * theta * theta) / NUM_SAMPLES);
    expectWithinSE(moments(rep).mean, 8 * theta + 3 * theta * theta, se, 'rsample');
    expectWithinSE(moments(norep).mean, 2 * theta * (theta + 4), se, 'sample');
    // The estimate through sample() is far from the reparameterised mean: the two differ by theta^2 = 4.
    expect(Math.abs(moments(norep).mean - (8 * theta + 3 * theta * theta)) / se).toBeGreaterThan(10 * Z_TOLERANCE);
  });

  it('leaks no tensors', () => {
    const loc = tf.tensor([0, 1]);
    const d = new Normal(loc, 2);
    for (const run of [() => d.sample([3]), () => d.rsample([3]), () => d.logProb(0.5), () => d.mean, () => d.variance, () => d.stddev]) {
      const out = expectNoLeak(run);
      out.dispose();
    }
    const before = tf.memory().numTensors;
    tf.grad((l: tf.Tensor) => tf.sum(new Normal(l, 2).rsample([3])))(loc).dispose();
    expect(tf.memory().numTensors).toBe(before);
    loc.dispose();
  });

  it.each([0, -1, NaN, Infinity])('refuses scale = %p', (scale) => {
    expect(() => new Normal(0, scale)).toThrow(/Normal: scale must be a finite number > 0, but got/);
  });

  it.each([NaN, Infinity])('refuses loc = %p', (loc) => {
    expect(() => new Normal(loc, 1)).toThrow(/Normal: loc must be finite, but got/);
  });

  it('names the entry of a tensor parameter that is out of range', () => {
    expect(() => new Normal(0, tf.tensor([1, -2]))).toThrow(/Normal: scale must be a finite number > 0, but got -2 at flat index 1/);
  });

  it('refuses parameters that are not numbers or float32 tensors', () => {
    expect(() => new Normal(tf.tensor([1], [1], 'int32'), 1)).toThrow(/Normal: loc must be a number or a float32 tensor, but got a int32 tensor/);
    expect(() => new Normal('1' as unknown as number, 1)).toThrow(/Normal: loc must be a number or a float32 tensor, but got "1"/);
  });

  it('refuses shapes that do not broadcast, and bad sample shapes', () => {
    expect(() => new Normal(tf.zeros([2]), tf.ones([3]))).toThrow(/Normal: scale must have a shape that broadcasts with loc's \[2\], but got \[3\]/);
    expect(() => new Normal(0, 1).sample([1.5])).toThrow(/Normal.sample: shape must be an array of non-negative integers/);
    expect(() => new Normal(0, 1).rsample(3 as unknown as number[])).toThrow(/Normal.rsample: shape must be an array of non-negative integers/);
    expect(() => new Normal(tf.zeros([2]), 1).logProb(tf.zeros([3]))).toThrow(/Normal.logProb: value must have a shape that broadcasts/);
  });
});

