import * as tf from '@tensorflow/tfjs';
import { contModel, contModelReference, ContParams, simulate } from '../../lib/abm/cont';
import { calibrate } from '../../lib/calibrate/optimize';
import { medianBandwidth, mmd } from '../../lib/calibrate/mmd';
import { manualSeed, recordDraws } from '../../lib/random';
import { jacobian } from '../../lib/jacobian';
import { expectClose, expectNoLeak, FD_RTOL, values } from '../util';

/** The model's draws, rebuilt in float64 from the recorded uniforms (see drawNoise in contModel). */
function drawsOf(draws: Float32Array[], N: number, T: number) {
  const normals = (u: Float32Array) => {
    const z: number[] = [];
    for (let i = 0; i < u.length / 2; i++) z.push(Math.sqrt(-2 * Math.log(u[2 * i])) * Math.cos(2 * Math.PI * u[2 * i + 1]));
    return z;
  };
  const z = normals(draws[0]);
  const xi = normals(draws[1]);
  // The uniforms of the resets, in one draw or in chunks of steps: u[t][i].
  const flat = draws.slice(2).flatMap((chunk) => Array.from(chunk));
  expect(flat).toHaveLength(T * N);
  const u = Array.from({ length: T }, (_, t) => flat.slice(t * N, (t + 1) * N));
  return { z, xi, u };
}

/** Cont's model in float64 with hard orders, on given draws. */
function referenceCont(p: { sigma: number; eta: number; s: number; gamma0: number; gamma1: number }, N: number, T: number, draws: Float32Array[]): number[] {
  const { z, xi, u } = drawsOf(draws, N, T);
  const nu = z.map((v) => Math.exp(p.gamma0 + p.gamma1 * v));
  const r: number[] = [];
  for (let t = 0; t < T; t++) {
    const eps = p.sigma * xi[t];
    let flow = 0;
    for (let i = 0; i < N; i++) flow += (eps > nu[i] ? 1 : 0) - (eps < -nu[i] ? 1 : 0);
    r.push(flow / (N * p.eta));
    // Agent i resets with probability s: when u > 1 - s (1 - s rounded to float32, as the model's float32 s).
    for (let i = 0; i < N; i++) if (u[t][i] > Math.fround(1 - p.s)) nu[i] = Math.abs(r[t]);
  }
  return r;
}

const TRUTH = { sigma: 0.001, eta: 10, s: 0.05, gamma0: Math.log(0.001), gamma1: 0.5 };

describe('the fused engine in float64', () => {
  it('carries a Jacobian equal to float64 central differences of its own returns', () => {
    // Soft orders and the feedback differentiated: the returns are smooth in sigma, eta, gamma0
    // and gamma1 as long as no reset flips (a step of 1e-7 flips none here), so the tangents must
    // match central differences to float64 accuracy. Relative error 1e-6 of the largest entry: a
    // float32 loop would be off by about 1e-7 / 1e-7 = 1 in the differences.
    const [N, T] = [40, 15];
    const draw = (t: tf.Tensor) => Float32Array.from(values(t));
    const noise = { z: draw(tf.randomNormal([N], 0, 1, 'float32', 1)), xi: draw(tf.randomNormal([T], 0, 1, 'float32', 2)), u: draw(tf.randomUniform([T * N], 0, 1, 'float32', 3)) };
    const p = { sigma: 0.01, eta: 4, s: 0.2, gamma0: Math.log(0.01), gamma1: 0.8 };
    const setup = (q: typeof p) => ({ p: q, N, T, k: 2, tau: 0.1, soft: true, feedback: true });
    const J = simulate(noise, setup(p), true).J as Float64Array;
    const names = ['sigma', 'eta', 's', 'gamma0', 'gamma1'] as const;
    let largest = 0;
    const errors: number[] = [];
    for (const j of [0, 1, 3, 4]) {
      const name = names[j];
      const h = 1e-7 * Math.max(Math.abs(p[name]), 1e-2);
      const up = simulate(noise, setup({ ...p, [name]: p[name] + h }), false).r;
      const down = simulate(noise, setup({ ...p, [name]: p[name] - h }), false).r;
      for (let t = 0; t < T; t++) {
        const fd = (up[t] - down[t]) / (2 * h);
        largest = Math.max(largest, Math.abs(fd));
        errors.push(Math.abs(J[t * 5 + j] - fd));
      }
    }
    expect(largest).toBeGreaterThan(0);
    expect(Math.max(...errors)).toBeLessThan(1e-6 * largest);
  });
});

describe('contModel', () => {
  it('returns T returns in [-1/eta, 1/eta], each a whole number of orders over N eta', () => {
    manualSeed(1);
    const r = values(contModel(TRUTH, { nAgents: 50, nTimesteps: 30 }));
    expect(r).toHaveLength(30);
    for (const v of r) {
      expect(Math.abs(v)).toBeLessThanOrEqual(1 / 10 + 1e-7);
      expect(Math.abs(v * 50 * 10 - Math.round(v * 50 * 10))).toBeLessThan(1e-3);
    }
  });

  it.each([0, 0.3, 1])('matches a float64 simulation of the model on the same draws (s = %p)', (s) => {
    const p = { sigma: 0.01, eta: 4, s, gamma0: Math.log(0.01), gamma1: 0.8 };
    const [N, T] = [30, 20];
    manualSeed(2);
    const { value, draws } = recordDraws(() => values(contModel(p, { nAgents: N, nTimesteps: T })));
    expectClose(value, referenceCont(p, N, T, draws), 1e-4, 1e-7);
  });

  it('is the same with soft orders when k is large', () => {
    manualSeed(3);
    const hard = values(contModel(TRUTH, { nAgents: 40, nTimesteps: 15 }));
    manualSeed(3);
    const soft = values(contModel(TRUTH, { nAgents: 40, nTimesteps: 15, orders: 'soft', k: 1e5 }));
    expectClose(soft, hard, 1e-3, 1e-5);
  });

  it('matches the closed-form gradient of one step with soft orders', () => {
    // r = sum_i [S(k xi - k nu_i / sigma) - S(-k xi - k nu_i / sigma)] / (N eta), S the sigmoid:
    // dr/deta = -r / eta; dr/dsigma = sum_i [S'(b_i) + ... ] with d(-k nu_i / sigma)/dsigma = k nu_i / sigma^2;
    // dr/dgamma0 = sum_i [-S'(b_i) + S'(s_i)] k nu_i / sigma / (N eta), nu_i = exp(gamma0 + gamma1 z_i).
    const [N, k] = [25, 3];
    const p = { sigma: 0.02, eta: 5, s: 0.1, gamma0: Math.log(0.02), gamma1: 0.7 };
    manualSeed(4);
    const { draws } = recordDraws(() => contModel(p, { nAgents: N, nTimesteps: 1, orders: 'soft', k }));
    const { z, xi } = drawsOf(draws, N, 1);
    const S = (x: number) => 1 / (1 + Math.exp(-x));
    const dS = (x: number) => S(x) * (1 - S(x));
    let r = 0;
    let dsigma = 0;
    let dgamma0 = 0;
    let dgamma1 = 0;
    for (let i = 0; i < N; i++) {
      const nu = Math.exp(p.gamma0 + p.gamma1 * z[i]);
      const buy = k * xi[0] - (k * nu) / p.sigma;
      const sell = -k * xi[0] - (k * nu) / p.sigma;
      r += (S(buy) - S(sell)) / (N * p.eta);
      const slope = (dS(buy) - dS(sell)) / (N * p.eta);
      dsigma += (slope * k * nu) / p.sigma ** 2;
      dgamma0 -= (slope * k * nu) / p.sigma;
      dgamma1 -= (slope * k * nu * z[i]) / p.sigma;
    }
    manualSeed(4);
    const grads = tf.grads((sigma: tf.Tensor, eta: tf.Tensor, gamma0: tf.Tensor, gamma1: tf.Tensor) =>
      tf.sum(contModel({ sigma, eta, s: p.s, gamma0, gamma1 }, { nAgents: N, nTimesteps: 1, orders: 'soft', k })),
    )([tf.scalar(p.sigma), tf.scalar(p.eta), tf.scalar(p.gamma0), tf.scalar(p.gamma1)]);
    expectClose(grads.map((gr) => gr.dataSync()[0]), [dsigma, -r / p.eta, dgamma0, dgamma1], 1e-3, 1e-6);
  });

  it('matches the closed-form straight-through gradient through one reset', () => {
    // r_2 depends on s through the reset after step 1: nu_i' = nu_i + m_i (|r_1| - nu_i), with the
    // straight-through derivative dm_i/ds = y_i (1 - y_i) / (tau s (1 - s)), y_i = S((logit s + L_i) / tau),
    // L_i = log(u_i / (1 - u_i)) the logistic noise (the difference of two Gumbel noises), m_i = 1[u_i > 1 - s].
    const [N, k, tau] = [20, 2, 0.5];
    const p = { sigma: 0.02, eta: 2, s: 0.3, gamma0: Math.log(0.02), gamma1: 0.7 };
    manualSeed(5);
    const { value, draws } = recordDraws(() => values(contModel(p, { nAgents: N, nTimesteps: 2, orders: 'soft', k, tau })));
    const { z, xi, u } = drawsOf(draws, N, 2);
    const S = (x: number) => 1 / (1 + Math.exp(-x));
    const dS = (x: number) => S(x) * (1 - S(x));
    const logit = Math.log(p.s / (1 - p.s));
    let ds = 0;
    for (let i = 0; i < N; i++) {
      const nu = Math.exp(p.gamma0 + p.gamma1 * z[i]);
      const L = Math.log(u[0][i] / (1 - u[0][i]));
      const m = u[0][i] > 1 - p.s ? 1 : 0;
      const y = S((logit + L) / tau);
      const after = m === 1 ? Math.abs(value[0]) : nu;
      const dm = (y * (1 - y)) / (tau * p.s * (1 - p.s));
      const buy = k * xi[1] - (k * after) / p.sigma;
      const sell = -k * xi[1] - (k * after) / p.sigma;
      ds += ((-dS(buy) + dS(sell)) * (k / p.sigma) * (Math.abs(value[0]) - nu) * dm) / (N * p.eta);
    }
    manualSeed(5);
    const grad = tf.grad((s: tf.Tensor) => tf.sum(contModel({ ...p, s }, { nAgents: N, nTimesteps: 2, orders: 'soft', k, tau })))(tf.scalar(p.s));
    expectClose(values(grad), [ds], 1e-3, 1e-6);
  });

  it('matches central finite differences with soft orders and the feedback differentiated', () => {
    // Smooth case: soft orders, resets fixed by the seed (they depend on s only), feedback on.
    const [N, T, k] = [20, 6, 2];
    const p = { sigma: 0.02, eta: 3, s: 0.3, gamma0: Math.log(0.02), gamma1: 0.6 };
    const weights = tf.linspace(1, 2, T);
    const f = (q: typeof p) => {
      manualSeed(6);
      return tf.sum(tf.mul(contModel(q, { nAgents: N, nTimesteps: T, orders: 'soft', k, feedback: true }), weights)).dataSync()[0];
    };
    manualSeed(6);
    const grads = tf.grads((sigma: tf.Tensor, eta: tf.Tensor, gamma0: tf.Tensor, gamma1: tf.Tensor) =>
      tf.sum(tf.mul(contModel({ sigma, eta, s: p.s, gamma0, gamma1 }, { nAgents: N, nTimesteps: T, orders: 'soft', k, feedback: true }), weights)),
    )([tf.scalar(p.sigma), tf.scalar(p.eta), tf.scalar(p.gamma0), tf.scalar(p.gamma1)]).map((gr) => gr.dataSync()[0]);
    // Relative steps of 1e-2 of each parameter's scale.
    const names = ['sigma', 'eta', 'gamma0', 'gamma1'] as const;
    const steps = [2e-4, 3e-2, 1e-2, 1e-2];
    const fd = names.map((name, i) => (f({ ...p, [name]: p[name] + steps[i] }) - f({ ...p, [name]: p[name] - steps[i] })) / (2 * steps[i]));
    expectClose(grads, fd, FD_RTOL, 1e-4);
  });

  it('keeps gradients bounded over hundreds of steps, where the differentiated feedback explodes', () => {
    // d mean|r| / d sigma: the mean |r| is ~1e-2, so ~1e-2 / sigma = 10 is the physical scale.
    // With the feedback differentiated, this seed gives ~4e7 (other seeds: 4e4 to 3e19).
    const run = (feedback: boolean) => {
      manualSeed(8);
      return tf.grad((sigma: tf.Tensor) => tf.mean(tf.abs(contModel({ ...TRUTH, sigma }, { nAgents: 300, nTimesteps: 300, feedback }))))(tf.scalar(TRUTH.sigma)).dataSync()[0];
    };
    const cut = run(false);
    const full = run(true);
    expect(Math.abs(cut)).toBeGreaterThan(1);
    expect(Math.abs(cut)).toBeLessThan(100);
    expect(Math.abs(full)).toBeGreaterThan(1000 * Math.abs(cut));
  });

  it('gives finite gradients at s = 0 and s = 1, for T = 1 and for a single agent', () => {
    for (const s of [0, 1]) {
      const grad = tf.grad((v: tf.Tensor) => tf.sum(contModel({ ...TRUTH, s: v }, { nAgents: 10, nTimesteps: 5, orders: 'soft' })))(tf.scalar(s));
      expect(Number.isFinite(grad.dataSync()[0])).toBe(true);
    }
    expect(values(contModel(TRUTH, { nAgents: 1, nTimesteps: 1 }))).toHaveLength(1);
    const g = tf.grad((v: tf.Tensor) => tf.sum(contModel({ ...TRUTH, eta: v }, { nAgents: 1, nTimesteps: 1, orders: 'soft' })))(tf.scalar(10));
    expect(Number.isFinite(g.dataSync()[0])).toBe(true);
  });

  describe.each([
    ['straight-through', false],
    ['straight-through', true],
    ['soft', false],
    ['soft', true],
  ] as const)('the fused engine, with %s orders and feedback %p', (orders, feedback) => {
    // The autodiff engine is the model written as tensor operations and differentiated by
    // TensorFlow.js; the fused engine must give the same returns and the same gradients on the
    // same draws (float32 operations against float64 loops: relative 1e-3).
    const [N, T] = [40, 30];
    const p = { sigma: 0.01, eta: 4, s: 0.3, gamma0: Math.log(0.01), gamma1: 0.6 };
    const names = ['sigma', 'eta', 's', 'gamma0', 'gamma1'] as const;
    const run = (engine: 'fused' | 'autodiff') => {
      const weights = tf.linspace(-1, 2, T);
      manualSeed(11);
      const r = values(contModel(p, { nAgents: N, nTimesteps: T, orders, feedback, engine }));
      manualSeed(11);
      const grads = tf.grads((...theta: tf.Tensor[]) => {
        const q = Object.fromEntries(names.map((name, j) => [name, theta[j]])) as unknown as ContParams;
        const x = contModel(q, { nAgents: N, nTimesteps: T, orders, feedback, engine });
        return tf.add(tf.sum(tf.mul(x, weights)), tf.mul(tf.sum(tf.square(x)), 10));
      })(names.map((name) => tf.scalar(p[name])));
      return { r, g: grads.map((gr) => gr.dataSync()[0]) };
    };

    it('gives the returns of the autodiff engine on the same draws', () => {
      expectClose(run('fused').r, run('autodiff').r, 1e-4, 1e-7);
    });

    it('gives the gradients of the autodiff engine for all five parameters', () => {
      const fused = run('fused').g;
      const reference = run('autodiff').g;
      const scale = Math.max(...reference.map(Math.abs));
      expectClose(fused, reference, 1e-3, 1e-5 * scale);
    });
  });

  it('runs a batch of simulations that match the same simulations run one at a time', () => {
    for (const engine of ['fused', 'autodiff'] as const) {
      const opts = { nAgents: 25, nTimesteps: 20, engine };
      manualSeed(12);
      const batch = contModel(TRUTH, { ...opts, nSimulations: 3 });
      expect(batch.shape).toEqual([3, 20]);
      manualSeed(12);
      const singles = [0, 1, 2].map(() => values(contModel(TRUTH, opts)));
      expect(values(batch)).toEqual(singles.flat());
      // The gradient of a sum over the batch is the sum of the single gradients.
      const loss = (x: tf.Tensor) => tf.sum(tf.square(x));
      manualSeed(12);
      const gBatch = tf.grad((v: tf.Tensor) => loss(contModel({ ...TRUTH, sigma: v }, { ...opts, nSimulations: 3 })))(tf.scalar(TRUTH.sigma)).dataSync()[0];
      manualSeed(12);
      const gSingles = [0, 1, 2].map(() => tf.grad((v: tf.Tensor) => loss(contModel({ ...TRUTH, sigma: v }, opts)))(tf.scalar(TRUTH.sigma)).dataSync()[0]);
      expectClose([gBatch], [gSingles.reduce((a, b) => a + b, 0)], 1e-5, 1e-9);
    }
  });

  it('takes a vector of parameters, one per simulation, and gives per-simulation gradients', () => {
    for (const engine of ['fused', 'autodiff'] as const) {
      const opts = { nAgents: 20, nTimesteps: 15, engine };
      const sigmas = [0.001, 0.002, 0.0005];
      const loss = (x: tf.Tensor) => tf.sum(tf.square(x));
      manualSeed(15);
      const batch = tf.grad((v: tf.Tensor) => loss(contModel({ ...TRUTH, sigma: v }, { ...opts, nSimulations: 3 })))(tf.tensor1d(sigmas));
      expect(batch.shape).toEqual([3]);
      manualSeed(15);
      const singles = sigmas.map((sigma) => tf.grad((v: tf.Tensor) => loss(contModel({ ...TRUTH, sigma: v }, opts)))(tf.scalar(sigma)).dataSync()[0]);
      expectClose(values(batch), singles, 1e-5, 1e-9);
    }
    expect(() => contModel({ ...TRUTH, sigma: [0.001, 0.002] as never }, { nAgents: 5, nTimesteps: 5, nSimulations: 3 })).toThrow(
      /contModel: params.sigma must be a number, a scalar tensor or a vector of nSimulations = 3 values, but got a float32 tensor of shape \[2\]/,
    );
    expect(() => contModel({ ...TRUTH, s: [0.1, 2] as never }, { nAgents: 5, nTimesteps: 5, nSimulations: 2 })).toThrow(/contModel: params.s must be in \[0, 1\], but got 2/);
  });

  it('matches central finite differences of an MMD calibration loss on fixed draws (soft orders, feedback on)', () => {
    // The notebook's kind of loss: MMD^2 between the simulated and fixed "observed" absolute
    // returns. Smooth case: soft orders and the feedback differentiated, so the loss is a smooth
    // function of sigma, eta, gamma0, gamma1 on fixed draws (s is left out: it moves the discrete
    // resets). Reference: central differences with steps of 1e-2 of each parameter's scale.
    const [N, T, k] = [30, 12, 2];
    const p = { sigma: 0.02, eta: 3, s: 0.2, gamma0: Math.log(0.02), gamma1: 0.6 };
    const observed = tf.tensor1d(Array.from({ length: T }, (_, t) => 0.02 + 0.01 * Math.sin(t)));
    const loss = (q: typeof p | ContParams) => {
      manualSeed(13);
      const r = contModel(q, { nAgents: N, nTimesteps: T, orders: 'soft', k, feedback: true });
      return mmd(tf.abs(r), observed, { bandwidths: [0.01, 0.03] });
    };
    const names = ['sigma', 'eta', 'gamma0', 'gamma1'] as const;
    const grads = tf.grads((...theta: tf.Tensor[]) => loss({ ...p, ...Object.fromEntries(names.map((name, j) => [name, theta[j]])) }) as tf.Scalar)(
      names.map((name) => tf.scalar(p[name])),
    ).map((gr) => gr.dataSync()[0]);
    const steps = [2e-4, 3e-2, 1e-2, 1e-2];
    const f = (q: typeof p) => loss(q).dataSync()[0];
    const fd = names.map((name, i) => (f({ ...p, [name]: p[name] + steps[i] }) - f({ ...p, [name]: p[name] - steps[i] })) / (2 * steps[i]));
    const scale = Math.max(...fd.map(Math.abs));
    expectClose(grads, fd, FD_RTOL, 1e-3 * scale);
    observed.dispose();
  });

  it('gives the Jacobian of the autodiff engine through jacobian (forward mode through the fused gradient)', () => {
    const opts = { nAgents: 20, nTimesteps: 10, orders: 'soft' as const, k: 3 };
    const J = (engine: 'fused' | 'autodiff') => {
      manualSeed(14);
      return values(jacobian((v: tf.Tensor) => contModel({ ...TRUTH, sigma: v }, { ...opts, engine }), tf.scalar(TRUTH.sigma)));
    };
    const reference = J('autodiff');
    expectClose(J('fused'), reference, 1e-3, 1e-5 * Math.max(...reference.map(Math.abs)));
  });

  it('repeats exactly under manualSeed', () => {
    manualSeed(8);
    const a = values(contModel(TRUTH, { nAgents: 30, nTimesteps: 25 }));
    manualSeed(8);
    expect(values(contModel(TRUTH, { nAgents: 30, nTimesteps: 25 }))).toEqual(a);
  });

  it('does not leak tensors, forward or backward', () => {
    expectNoLeak(() => contModel(TRUTH, { nAgents: 10, nTimesteps: 20 })).dispose();
    expectNoLeak(() => contModel(TRUTH, { nAgents: 10, nTimesteps: 20, nSimulations: 2 })).dispose();
    expectNoLeak(() => contModel(TRUTH, { nAgents: 10, nTimesteps: 20, engine: 'autodiff' })).dispose();
    const sigma = tf.scalar(0.001);
    const before = tf.memory().numTensors;
    tf.grad((v: tf.Tensor) => tf.sum(contModel({ ...TRUTH, sigma: v }, { nAgents: 10, nTimesteps: 20 })))(sigma).dispose();
    expect(tf.memory().numTensors).toBe(before);
    sigma.dispose();
  });

  it('refuses parameters out of range and invalid options', () => {
    const opts = { nAgents: 5, nTimesteps: 5 };
    expect(() => contModel({ ...TRUTH, sigma: 0 }, opts)).toThrow(/contModel: params.sigma must be a finite number > 0, but got 0/);
    expect(() => contModel({ ...TRUTH, eta: -1 }, opts)).toThrow(/contModel: params.eta must be a finite number > 0, but got -1/);
    expect(() => contModel({ ...TRUTH, s: 1.5 }, opts)).toThrow(/contModel: params.s must be in \[0, 1\], but got 1.5/);
    expect(() => contModel({ ...TRUTH, s: NaN }, opts)).toThrow(/contModel: params.s must be in \[0, 1\], but got NaN/);
    expect(() => contModel({ ...TRUTH, gamma0: Infinity }, opts)).toThrow(/contModel: params.gamma0 must be a finite number, but got Infinity/);
    expect(() => contModel({ ...TRUTH, gamma1: -0.1 }, opts)).toThrow(/contModel: params.gamma1 must be a finite number >= 0, but got -0.1/);
    expect(() => contModel({ ...TRUTH, sigma: tf.tensor1d([1, 2]) }, opts)).toThrow(/contModel: params.sigma must be a number or a scalar tensor, but got a float32 tensor of shape \[2\]/);
    const { gamma1, ...missing } = TRUTH;
    expect(gamma1).toBe(0.5);
    expect(() => contModel(missing as ContParams, opts)).toThrow(/contModel: params.gamma1 must be a finite number >= 0, but got undefined/);
    expect(() => contModel(TRUTH, { nAgents: 0, nTimesteps: 5 })).toThrow(/contModel: nAgents must be an integer >= 1, but got 0/);
    expect(() => contModel(TRUTH, { nAgents: 5, nTimesteps: 2.5 })).toThrow(/contModel: nTimesteps must be an integer >= 1, but got 2.5/);
    expect(() => contModel(TRUTH, { ...opts, orders: 'hard' as never })).toThrow(/contModel: orders must be 'straight-through' or 'soft', but got "hard"/);
    expect(() => contModel(TRUTH, { ...opts, k: 0 })).toThrow(/contModel: k must be a finite number > 0, but got 0/);
    expect(() => contModel(TRUTH, { ...opts, tau: -1 })).toThrow(/contModel: tau must be a finite number > 0, but got -1/);
    expect(() => contModel(TRUTH, { ...opts, feedback: 1 as never })).toThrow(/contModel: feedback must be a boolean, but got 1/);
    expect(() => contModel(TRUTH, { ...opts, nSimulations: 0 })).toThrow(/contModel: nSimulations must be an integer >= 1, but got 0/);
    expect(() => contModel(TRUTH, { ...opts, engine: 'gpu' as never })).toThrow(/contModel: engine must be 'fused' or 'autodiff', but got "gpu"/);
  });
});

describe('calibration of the Cont model', () => {
  it('brings sigma, eta, gamma0 and gamma1 to within 0.3 of the truth on their optimised scales (100 agents, 100 steps, s fixed)', () => {
    // Data simulated at TRUTH; loss MMD^2 between the absolute returns, Gaussian kernels at
    // 1/2, 1 and 2 times the median heuristic; Adam 0.05, 20 epochs, one simulation per epoch.
    // Each calibrated parameter must end (mean of the last 5 epochs) within TOLERANCE of its true
    // value on the unconstrained scale it is optimised on (log sigma, log eta, gamma0, log gamma1):
    // a factor of 1.35 for the positive ones. The start is 0.4 to 0.6 away on each. The fit is noisy
    // (one simulation per epoch) and the gradient biased (straight-through orders, the feedback cut),
    // so it does not converge to the truth: with 60 epochs eta drifts away again. Measured on this
    // seed, the errors after 20 epochs are about 0.21, 0.23, 0.09 and 0.19.
    const [N, T] = [100, 100];
    manualSeed(123);
    const observed = tf.abs(contModel(TRUTH, { nAgents: N, nTimesteps: T }));
    const h = medianBandwidth(observed);
    const start = { sigma: 0.0015, eta: 6, gamma0: -7.5, gamma1: 0.8 };
    manualSeed(7);
    const fit = calibrate({
      init: start,
      domains: { sigma: 'positive', eta: 'positive', gamma1: 'positive' },
      loss: (p) => mmd(tf.abs(contModel({ sigma: p.sigma, eta: p.eta, s: TRUTH.s, gamma0: p.gamma0, gamma1: p.gamma1 }, { nAgents: N, nTimesteps: T })), observed, { bandwidths: [h / 2, h, 2 * h] }) as tf.Scalar,
      optimizer: tf.train.adam(0.05),
      maxEpochs: 20,
    });
    const scale = { sigma: Math.log, eta: Math.log, gamma0: (v: number) => v, gamma1: Math.log };
    for (const name of ['sigma', 'eta', 'gamma0', 'gamma1'] as const) {
      const tail = fit.history.params[name].slice(-5);
      const end = tail.reduce((a, b) => a + b, 0) / tail.length;
      const TOLERANCE = 0.3;
      const error = Math.abs(scale[name](end) - scale[name](TRUTH[name]));
      if (!(error < TOLERANCE)) throw new Error(`${name}: start ${start[name]}, end ${end}, truth ${TRUTH[name]}, error ${error} on its scale`);
    }
    observed.dispose();
  });
});

describe('contModelReference', () => {
  // The readable definition shown in notebook 04: both engines must agree with it on the same
  // draws (same seed), returns and gradients (float32 operations in another order: relative 1e-3).
  const [N, T] = [30, 25];
  const p = { sigma: 0.01, eta: 4, s: 0.3, gamma0: Math.log(0.01), gamma1: 0.6 };
  const names = ['sigma', 'eta', 's', 'gamma0', 'gamma1'] as const;
  const weights = () => tf.linspace(-1, 2, T);
  const loss = (x: tf.Tensor) => tf.add(tf.sum(tf.mul(x, weights())), tf.mul(tf.sum(tf.square(x)), 10)) as tf.Scalar;
  const reference = () => {
    manualSeed(13);
    const scalars = { sigma: tf.scalar(p.sigma), eta: tf.scalar(p.eta), s: tf.scalar(p.s), gamma0: tf.scalar(p.gamma0), gamma1: tf.scalar(p.gamma1) };
    const r = values(contModelReference(scalars, N, T));
    manualSeed(13);
    const g = tf.grads((...theta: tf.Tensor[]) => {
      const [sigma, eta, s, gamma0, gamma1] = theta as tf.Scalar[];
      return loss(contModelReference({ sigma, eta, s, gamma0, gamma1 }, N, T));
    })(names.map((n) => tf.scalar(p[n])));
    return { r, g: g.map((t) => t.dataSync()[0]) };
  };
  const engine = (name: 'fused' | 'autodiff') => {
    manualSeed(13);
    const r = values(contModel(p, { nAgents: N, nTimesteps: T, engine: name }));
    manualSeed(13);
    const g = tf.grads((...theta: tf.Tensor[]) => {
      const [sigma, eta, s, gamma0, gamma1] = theta;
      return loss(contModel({ sigma, eta, s, gamma0, gamma1 }, { nAgents: N, nTimesteps: T, engine: name }));
    })(names.map((n) => tf.scalar(p[n])));
    return { r, g: g.map((t) => t.dataSync()[0]) };
  };

  it.each(['fused', 'autodiff'] as const)('gives the returns and gradients of the %s engine on the same draws', (name) => {
    const ref = reference();
    const got = engine(name);
    expectClose(got.r, ref.r, 1e-4, 1e-7);
    const scale = Math.max(...ref.g.map(Math.abs));
    expectClose(got.g, ref.g, 1e-3, 1e-5 * scale);
  });

  it('frees every intermediate tensor', () => {
    const params = { sigma: tf.scalar(p.sigma), eta: tf.scalar(p.eta), s: tf.scalar(p.s), gamma0: tf.scalar(p.gamma0), gamma1: tf.scalar(p.gamma1) };
    const before = tf.memory().numTensors;
    contModelReference(params, N, T).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
