/**
 * An agent-based SIR epidemic, as a differentiable program.
 *
 * N agents are each susceptible, infected or recovered. At every step a
 * susceptible agent catches the disease with a probability that grows with the
 * fraction of the population infected, and an infected agent recovers with a
 * fixed probability. It is the agent-based version of the SIR equations
 *
 *   dS/dt = -beta S I,   dI/dt = beta S I - gamma I,   dR/dt = gamma I,
 *
 * with beta the contact rate and gamma the recovery rate (mean infectious
 * period 1 / gamma). Every draw is a straight-through Gumbel-Softmax Bernoulli
 * draw, so the daily counts are exact and have a Jacobian with respect to beta
 * and gamma.
 *
 * Two engines compute the same simulation on the same draws. `'autodiff'` is
 * the model written as tensor operations, one step after the other, and
 * differentiated by TensorFlow.js: the definition. `'fused'` (the default) runs
 * the whole simulation as one operation in plain loops that repeat the float32
 * arithmetic of the autodiff engine, with its own gradient (`tf.customGrad`)
 * that carries the derivatives of every agent's state with respect to
 * (beta, gamma) forward in time (forward mode, two parameters); the tests check
 * it against the `'autodiff'` engine, counts, Jacobians and gradients.
 */
import * as tf from '@tensorflow/tfjs';
import { uniformArray } from '../random';
import { currentEstimate, EstimateContext, reportDraw } from '../discreteDraws';
import { check, checkInteger, checkTemperature } from '../check';
import { FLOAT32_TINY } from '../float32';
import { straightThroughOp } from '../straightThroughOp';
import { fusedSimulation } from '../fusedSimulation';
import { modelParameter } from './parameter';

/** The probabilities are clamped to [MIN_PROBABILITY, 1] before their logarithm, as in the course. */
const MIN_PROBABILITY = 1e-8;

/** The rates of the SIR model: numbers, float32 scalar tensors, or 1-D tensors for a batch of epidemics. */
export interface SirParams {
  /** The contact rate beta >= 0, per unit of time. */
  beta: tf.Tensor | number;
  /** The recovery rate gamma >= 0, per unit of time. */
  gamma: tf.Tensor | number;
}

/** Options of {@link sirModel}. */
export interface SirOptions {
  /** The number of agents N >= 1. */
  nAgents: number;
  /** The number of steps T >= 1. */
  nTimesteps: number;
  /** The duration of a step, a finite number > 0. Default 1 (a day). */
  deltaT?: number;
  /** The probability that an agent is infected at the start, in [0, 1]. Default 0.01. */
  initialFractionInfected?: number;
  /** The Gumbel-Softmax temperature of every draw, > 0. Default 0.5. */
  tau?: number;
  /**
   * Exact 0/1 draws with straight-through gradients (true), or the relaxed
   * samples themselves, values in (0, 1), forward and backward (false): a
   * smooth model, for checking gradients. Default true.
   */
  hard?: boolean;
  /**
   * `'fused'`: the whole simulation as one operation in plain loops, with its own
   * gradient (`tf.customGrad`) that carries the derivatives of every agent's state
   * forward in time (fast). `'autodiff'`: tensor operations step by step,
   * differentiated by TensorFlow.js (the definition; a few dozen small operations
   * per step, counted by the SIR section of `npm run bench`). Both draw the same
   * noise in the same order and give the same counts and gradients on it.
   * Default `'fused'`.
   */
  engine?: 'fused' | 'autodiff';
}

/** The state after a simulation: per agent 0/1 indicators, with the daily counts. @internal */
export interface SirTrajectory {
  /** Daily new infections and recoveries as fractions of N: [B, 2, T]. */
  counts: tf.Tensor3D;
  /** The susceptible, infected and recovered indicators at the end, each [B, N]. */
  S: tf.Tensor2D;
  I: tf.Tensor2D;
  R: tf.Tensor2D;
}

/** Converts a rate to a float32 tensor of rank 0 or 1 and checks that every entry is finite and >= 0. */
function toRate(value: unknown, name: 'beta' | 'gamma'): tf.Tensor {
  return modelParameter(value, 'sirModel', name, 'a finite number >= 0', (v) => v >= 0 && Number.isFinite(v), 'any').tensor;
}

/** Checks the options and fills in the defaults. */
function resolveOptions(options: SirOptions) {
  const fn = 'sirModel';
  check(typeof options === 'object' && options !== null, fn, 'options', 'an object { nAgents, nTimesteps, ... }', options);
  const { nAgents, nTimesteps, deltaT = 1, initialFractionInfected = 0.01, tau = 0.5, hard = true, engine = 'fused' } = options;
  checkInteger(nAgents, fn, 'nAgents', 1);
  checkInteger(nTimesteps, fn, 'nTimesteps', 1);
  check(typeof deltaT === 'number' && Number.isFinite(deltaT) && deltaT > 0, fn, 'deltaT', 'a finite number > 0', deltaT);
  const f = initialFractionInfected;
  check(typeof f === 'number' && f >= 0 && f <= 1, fn, 'initialFractionInfected', 'in [0, 1]', f);
  checkTemperature(tau, fn);
  check(typeof hard === 'boolean', fn, 'hard', 'a boolean', hard);
  check(engine === 'fused' || engine === 'autodiff', fn, 'engine', "'fused' or 'autodiff'", engine);
  return { nAgents, nTimesteps, deltaT, initialFractionInfected: f, tau, hard, engine };
}

/**
 * Logistic noise for `m` two-class Gumbel-Softmax draws: `L = g_0 - g_1`, each
 * g a standard Gumbel draw `-log(-log u)` made from the library's uniforms in
 * the order `gumbelSoftmax` uses them on logits of shape [m, 2] (u_{2i} for
 * class 0 of row i, u_{2i+1} for class 1), so both consume the generator alike.
 */
function logisticNoise(shape: number[]): tf.Tensor {
  const m = shape.reduce((a, b) => a * b, 1);
  const u = uniformArray(2 * m, [...shape, 2]);
  const noise = new Float32Array(m);
  // g_0 - g_1 = log(-log u_1) - log(-log u_0) = log(log u_1 / log u_0): three logarithms instead of four.
  for (let i = 0; i < m; i++) noise[i] = Math.log(Math.log(u[2 * i + 1]) / Math.log(u[2 * i]));
  return tf.tensor(noise, shape, 'float32');
}

/**
 * Draws straight-through Gumbel-Softmax Bernoulli samples, one per entry of p,
 * in one fused operation.
 *
 * The same estimator as `gumbelSoftmax(log([p, 1 - p]), { tau, hard: true })[..., 0]`
 * after clamping p to [1e-8, 1], as the course draws every state change: with
 * `y = sigmoid((log p - log(1 - p) + g_0 - g_1) / tau)`, the forward value is
 * `1[y >= 1/2]`, a Bernoulli(p) draw, and the gradient is the soft sample's,
 * `d y / d p = y (1 - y) / (tau p (1 - p))`, times the clamp's (1 inside
 * [1e-8, 1], 0 outside). At p = 1 it is 0, not NaN. Fused, its backward pass is
 * one product, where autodiff through the logits and `gumbelSoftmax` would take
 * the gradients of a dozen operations, most of the model's cost; the tests
 * check it against `gumbelSoftmax` on the same noise, values and gradients.
 * `minProbability` is the clamp's lower end (the course clamps the state
 * changes at 1e-8, not the initial infections: there it is 0). With `hard`
 * false the value is y itself (the relaxed sample), with the same gradient.
 * @internal Exported for the tests.
 */
export function bernoulliStraightThrough(p: tf.Tensor, tau: number, minProbability = MIN_PROBABILITY, hard = true): tf.Tensor {
  const estimate = currentEstimate();
  if (estimate !== null && hard) return reportedDraw(estimate, p, tau, minProbability);
  return straightThroughOp(p, (probs) => {
    const clipped = tf.clipByValue(probs, minProbability, 1);
    const complement = tf.maximum(tf.sub(1, clipped), FLOAT32_TINY);
    const z = tf.div(tf.add(tf.log(tf.div(clipped, complement)), logisticNoise(probs.shape)), tau);
    const y = tf.sigmoid(z);
    // 1 where the clamp passes p unchanged (its gradient is 1 there, as torch.clip's at the ends too), else 0.
    const inside = tf.cast(tf.equal(clipped, probs), 'float32');
    const slope = tf.div(tf.mul(inside, tf.mul(y, tf.sub(1, y))), tf.mul(tau, tf.maximum(tf.mul(clipped, complement), FLOAT32_TINY)));
    return { value: hard ? tf.cast(tf.greaterEqual(z, 0), 'float32') : y, slope };
  });
}

/**
 * A hard draw inside `derivativeEstimate`: the outcome `1[logit p + L >= 0]` on the same
 * noise, reported as a Bernoulli draw of the clamped probability, with a zero derivative.
 */
function reportedDraw(estimate: EstimateContext, p: tf.Tensor, tau: number, minProbability: number): tf.Tensor {
  const clipped = tf.clipByValue(p, minProbability, 1);
  const complement = tf.maximum(tf.sub(1, clipped), FLOAT32_TINY);
  const z = tf.div(tf.add(tf.log(tf.div(clipped, complement)), logisticNoise(p.shape)), tau);
  const outcome = Float32Array.from(tf.greaterEqual(z, 0).dataSync());
  return tf.tensor(reportDraw(estimate, 'bernoulli', 'sirModel', clipped, outcome), p.shape, 'float32');
}

/**
 * Runs the model for B epidemics side by side as tensor operations, step by
 * step (the `'autodiff'` engine, the definition); the draws are made in the
 * order the doc comment of {@link sirModel} gives. Used inside a `tf.tidy`.
 * @internal Exported so that notebook 05 can show it (`showSource` finds exported definitions).
 */
export function simulateSir(beta: tf.Tensor, gamma: tf.Tensor, options: ReturnType<typeof resolveOptions>, withStates = false): SirTrajectory {
  const { nAgents: N, nTimesteps: T, deltaT, initialFractionInfected: f, tau, hard } = options;
  const B = Math.max(beta.size, gamma.size);
  const betaB = tf.broadcastTo(tf.reshape(beta, [-1]), [B]);
  const gammaB = tf.broadcastTo(tf.reshape(gamma, [-1]), [B]);
  // The initial infections: one straight-through draw per agent at probability f, not clamped.
  const infected = bernoulliStraightThrough(tf.fill([B, N], f), tau, 0, hard);
  // The state X = [S; I], [B, 2, N]; R = 1 - S - I is not needed by the dynamics.
  let X = tf.stack([tf.sub(1, infected), infected], 1);
  // Per step, the log-survival exponents are E = [-beta dt sum(I) / N, -gamma dt], [B, 2]:
  // E = (sums of [S, I]) @ SWAP * [-beta dt / N, 0] + [0, -gamma dt], with SWAP moving sum(I) first.
  const swap = tf.tensor2d([0, 0, 1, 0], [2, 2]);
  const scale = tf.stack([tf.mul(betaB, -deltaT / N), tf.zeros([B])], 1);
  const shift = tf.stack([tf.zeros([B]), tf.mul(gammaB, -deltaT)], 1);
  // The change of state per draw: S -= infections, I += infections - recoveries.
  const update = tf.broadcastTo(tf.tensor2d([-1, 0, 1, -1], [2, 2]), [B, 2, 2]);
  const ones = tf.ones([B, N, 1]);
  const sums: tf.Tensor[] = [];
  let R: tf.Tensor | null = withStates ? tf.zeros([B, N]) : null;
  for (let t = 0; t < T; t++) {
    const exponents = tf.add(tf.mul(tf.matMul(tf.sum(X, 2), swap), scale), shift);
    const q = tf.sub(1, tf.exp(exponents));
    // [B, 2, N]: row 0 the infection probabilities S_i q_inf, row 1 the recovery probabilities I_i q_rec.
    const D = bernoulliStraightThrough(tf.mul(X, tf.reshape(q, [B, 2, 1])), tau, MIN_PROBABILITY, hard);
    X = tf.add(X, tf.matMul(update, D));
    sums.push(tf.matMul(D, ones));
    if (R !== null) R = tf.add(R, tf.squeeze(tf.slice(D, [0, 1, 0], [B, 1, N]), [1]));
  }
  // T of [B, 2, 1] -> [B, 2, T], as fractions of N.
  const counts = tf.div(tf.concat(sums, 2), N) as tf.Tensor3D;
  const [S, I] = tf.unstack(X, 1) as tf.Tensor2D[];
  return { counts, S, I, R: (R ?? tf.sub(1, tf.add(S, I))) as tf.Tensor2D };
}

/** float32 rounding, to follow the autodiff engine's arithmetic step by step. */
const f32 = Math.fround;

/**
 * A bound on -log u for u >= 2^-24, the smallest of the library's uniforms
 * (-log 2^-24 = 16.6355...): the noise ratio `log u_1 / log u_0` is then at
 * most 16.64 / (-log u_0), which rules out a draw of a small probability from
 * u_0 alone.
 */
const MAX_MINUS_LOG_U = 16.64;
const MIN_UNIFORM = 2 ** -24;
/** The relative distance from the threshold beyond which {@link hardDraw} decides in float64. */
const DECISION_MARGIN = 1e-5;

/** The uniforms of one call of the model, in the order both engines draw them. */
interface SirDraws {
  /** [B, N, 2]: the initial infections. */
  initial: Float32Array;
  /** T of [B, 2, N, 2]: per step, the infections of each epidemic, then its recoveries. */
  steps: Float32Array[];
}

/** One probability as the autodiff engine's draw sees it: clamped, its logit, and the slope's denominator. */
interface Logit {
  /** log(p / (1 - p)) of the clamped p, in float32. */
  l: number;
  /** e^(-l) (1 + DECISION_MARGIN) and e^(-l) (1 - DECISION_MARGIN): see {@link hardDraw}. */
  above: number;
  below: number;
  /** Below this u_0 the draw is 0 whatever u_1: e^(-16.64 / below). */
  zeroBelow: number;
  /** Whether the clamp passes p unchanged (else the slope is 0). */
  inside: boolean;
  /** tau max(p (1 - p), tiny): the slope is y (1 - y) over this. */
  denominator: number;
}

/**
 * The clamp, logit and slope denominator of a float32 probability p, in float32 as `bernoulliStraightThrough`.
 * @internal Exported for the tests.
 */
export function logitOf(p: number, minProbability: number, tau: number): Logit {
  const clipped = p < minProbability ? minProbability : p > 1 ? 1 : p;
  const complement = Math.max(f32(1 - clipped), FLOAT32_TINY);
  const l = f32(Math.log(f32(clipped / complement)));
  const below = Math.exp(-l) * (1 - DECISION_MARGIN);
  return {
    l,
    above: Math.exp(-l) * (1 + DECISION_MARGIN),
    below,
    zeroBelow: Math.exp(-MAX_MINUS_LOG_U / below),
    inside: clipped === p,
    denominator: tau * Math.max(f32(clipped * complement), FLOAT32_TINY),
  };
}

/**
 * The logit z of a draw's soft sample, `(l + g_0 - g_1) / tau`, in the float32
 * operations of `bernoulliStraightThrough`, with the noise computed as
 * `logisticNoise` computes it: the same number as the autodiff engine's.
 * @internal Exported for the tests.
 */
export function softLogit(lg: Logit, u0: number, u1: number, tau: number): number {
  return f32(f32(lg.l + f32(Math.log(Math.log(u1) / Math.log(u0)))) / tau);
}

/**
 * The value `1[z >= 0]` of a hard draw, as {@link softLogit} decides it, with
 * fewer logarithms: `z >= 0` iff `r = log u_1 / log u_0 >= e^(-l)`, decided in
 * float64 when r is further than DECISION_MARGIN (relative) from e^(-l)
 * (float32 rounds log r by at most 1.2e-6, well inside log(1 + 1e-5)), and by
 * the float32 operations themselves within it. Since r <= 16.64 / (-log u_0),
 * a draw of a small probability (large e^(-l)) is 0 without a logarithm when
 * u_0 is below `zeroBelow` (and u_1 >= 2^-24, as the generator's always are):
 * for a clamped draw (p = 1e-8), unless u_0 is within 2e-7 of 1; for p = 0.01,
 * 84% of the time.
 * @internal Exported for the tests, which check it against {@link softLogit}.
 */
export function hardDraw(lg: Logit, u0: number, u1: number, tau: number): number {
  if (u0 < lg.zeroBelow && u1 >= MIN_UNIFORM) return 0;
  const r = Math.log(u1) / Math.log(u0);
  if (r > lg.above) return 1;
  if (r < lg.below) return 0;
  return softLogit(lg, u0, u1, tau) >= 0 ? 1 : 0;
}

/** The settings of one epidemic of a fused run, its rates as float32 numbers. */
interface SirSetup {
  beta: number;
  gamma: number;
  N: number;
  T: number;
  deltaT: number;
  f: number;
  tau: number;
  hard: boolean;
}

/** What a fused run of one epidemic writes: counts [2, T], and optionally J [2, T, 2] and the final states [N] each. */
interface SirOutputs {
  counts: Float32Array;
  J: Float64Array | null;
  states: { S: Float32Array; I: Float32Array; R: Float32Array } | null;
}

/**
 * Runs epidemic b of a batch on its uniforms in plain loops, in the float32
 * arithmetic of the autodiff engine ({@link simulateSir}), and with `tangents`
 * carries forward the derivatives of each agent's S_i and I_i with respect to
 * (beta, gamma), to give the Jacobian of the counts that the autodiff engine's
 * reverse pass gives.
 *
 * Forward mode: a draw's tangent is `slope dp`, `slope = y (1 - y) / (tau p (1 - p))`
 * (0 where the clamp binds), `dp = dS_i q + S_i dq`, and
 * `dq_inf = -e^E (dsum(I) a + sum(I) da)`, E = sum(I) a, a = -beta dt / N;
 * `dq_rec = -e^(-gamma dt) (-dt)` in gamma. Per agent and step: two draws, each a
 * comparison when clamped (the common case for one of the two) and otherwise
 * three logarithms for the noise, plus one exponential for y with tangents.
 */
function simulateOne(draws: SirDraws, b: number, setup: SirSetup, out: SirOutputs): void {
  const { beta, gamma, N, T, deltaT, f, tau, hard } = setup;
  const tangents = out.J !== null;
  const J = out.J;
  const minP = f32(MIN_PROBABILITY);
  // A draw's value; with tangents it writes its slope to slopes[j] (0 unless the clamp passes p).
  const slopes = new Float64Array(2);
  const draw = (lg: Logit, u0: number, u1: number, j: number): number => {
    slopes[j] = 0;
    const withSlope = tangents && lg.inside;
    if (hard && !withSlope) return hardDraw(lg, u0, u1, tau);
    const z = softLogit(lg, u0, u1, tau);
    const y = f32(1 / (1 + Math.exp(-z)));
    if (withSlope) slopes[j] = (y * f32(1 - y)) / lg.denominator;
    return hard ? (z >= 0 ? 1 : 0) : y;
  };
  const S = new Float32Array(N);
  const I = new Float32Array(N);
  const R = new Float32Array(N);
  // The initial infections: probability f, clamped to [0, 1] only; constant in (beta, gamma).
  const initial = logitOf(f32(f), 0, tau);
  const u = draws.initial;
  for (let i = 0; i < N; i++) {
    const k = 2 * (b * N + i);
    I[i] = draw(initial, u[k], u[k + 1], 0);
    S[i] = f32(1 - I[i]);
  }
  // d S_i / d(beta, gamma) at [2 i + j], and the same for I.
  const dS = new Float64Array(tangents ? 2 * N : 0);
  const dI = new Float64Array(tangents ? 2 * N : 0);
  let sumI = 0;
  for (let i = 0; i < N; i++) sumI += I[i];
  const dSumI = [0, 0];
  // a = -beta dt / N and -gamma dt, in float32 as the autodiff engine's scale and shift.
  const a = f32(beta * f32(-deltaT / N));
  const eRec = f32(Math.exp(f32(gamma * f32(-deltaT))));
  const qRec = f32(1 - eRec);
  const dqRec = -eRec * f32(-deltaT); // d q_rec / d gamma
  const recOne = logitOf(qRec, minP, tau);
  const clamped = logitOf(0, minP, tau);
  // The logits of the probabilities of agents whose indicator is neither 0 nor 1 (relaxed draws,
  // or an agent drawn at the clamp's 1e-8 twice), per step.
  const cache: Map<number, Logit>[] = [new Map(), new Map()];
  const classOf = (x: number, q: number, one: Logit, which: number): Logit => {
    if (x === 0) return clamped;
    if (x === 1) return one;
    const key = f32(x * q);
    let lg = cache[which].get(key);
    if (lg === undefined) cache[which].set(key, (lg = logitOf(key, minP, tau)));
    return lg;
  };
  for (let t = 0; t < T; t++) {
    const E = f32(f32(sumI) * a);
    const eInf = f32(Math.exp(E));
    const qInf = f32(1 - eInf);
    // d q_inf / d beta and / d gamma.
    const dqInf0 = -eInf * (dSumI[0] * a + f32(sumI) * f32(-deltaT / N));
    const dqInf1 = -eInf * (dSumI[1] * a);
    const infOne = logitOf(qInf, minP, tau);
    cache.forEach((c) => c.clear());
    const ut = draws.steps[t];
    const infBase = 2 * (2 * b) * N;
    const recBase = 2 * (2 * b + 1) * N;
    let nInf = 0;
    let nRec = 0;
    let jInf0 = 0;
    let jInf1 = 0;
    let jRec0 = 0;
    let jRec1 = 0;
    let nextSumI = 0;
    for (let i = 0; i < N; i++) {
      const s = S[i];
      const x = I[i];
      const inf = draw(classOf(s, qInf, infOne, 0), ut[infBase + 2 * i], ut[infBase + 2 * i + 1], 0);
      const rec = draw(classOf(x, qRec, recOne, 1), ut[recBase + 2 * i], ut[recBase + 2 * i + 1], 1);
      const infSlope = slopes[0];
      const recSlope = slopes[1];
      if (tangents && (infSlope !== 0 || recSlope !== 0)) {
        const k = 2 * i;
        const ti0 = infSlope * (dS[k] * qInf + s * dqInf0);
        const ti1 = infSlope * (dS[k + 1] * qInf + s * dqInf1);
        const tr0 = recSlope * (dI[k] * qRec);
        const tr1 = recSlope * (dI[k + 1] * qRec + x * dqRec);
        dS[k] -= ti0;
        dS[k + 1] -= ti1;
        dI[k] += ti0 - tr0;
        dI[k + 1] += ti1 - tr1;
        jInf0 += ti0;
        jInf1 += ti1;
        jRec0 += tr0;
        jRec1 += tr1;
      }
      S[i] = f32(s - inf);
      I[i] = f32(x + f32(inf - rec));
      R[i] = f32(R[i] + rec);
      nInf += inf;
      nRec += rec;
      nextSumI += I[i];
    }
    sumI = nextSumI;
    dSumI[0] += jInf0 - jRec0;
    dSumI[1] += jInf1 - jRec1;
    out.counts[t] = f32(f32(nInf) / N);
    out.counts[T + t] = f32(f32(nRec) / N);
    if (J) {
      J[2 * t] = jInf0 / N;
      J[2 * t + 1] = jInf1 / N;
      J[2 * (T + t)] = jRec0 / N;
      J[2 * (T + t) + 1] = jRec1 / N;
    }
  }
  if (out.states) {
    out.states.S.set(S);
    out.states.I.set(I);
    out.states.R.set(R);
  }
}

/**
 * Runs B epidemics as one operation ({@link fusedSimulation}): the counts [B, 2, T]
 * forward, from {@link simulateOne} on draws made in the autodiff engine's
 * order; backward, `dL/d(beta_b, gamma_b) = sum_{k,t} dL/dcounts_bkt J_bkt`,
 * with J carried along by the forward run when TensorFlow.js records a gradient,
 * else by a second run with tangents on the same draws (summed over b for a
 * scalar rate). The gradient is a product and a sum of tensors in dy, so it can
 * itself be differentiated with respect to dy, as forward mode (`jvp`) does.
 * Used inside a `tf.tidy`.
 * @internal
 */
function simulateSirFused(beta: tf.Tensor, gamma: tf.Tensor, options: ReturnType<typeof resolveOptions>, withStates = false): Partial<SirTrajectory> & { counts: tf.Tensor3D } {
  const { nAgents: N, nTimesteps: T, deltaT, initialFractionInfected: f, tau, hard } = options;
  const B = Math.max(beta.size, gamma.size);
  const betas = beta.dataSync();
  const gammas = gamma.dataSync();
  const setups: SirSetup[] = Array.from({ length: B }, (_, b) => ({
    beta: betas[beta.size === 1 ? 0 : b],
    gamma: gammas[gamma.size === 1 ? 0 : b],
    N,
    T,
    deltaT,
    f,
    tau: f32(tau),
    hard,
  }));
  const draws: SirDraws = { initial: uniformArray(2 * B * N, [B, N, 2]), steps: [] };
  for (let t = 0; t < T; t++) draws.steps.push(uniformArray(4 * B * N, [B, 2, N, 2]));
  const states = withStates ? { S: new Float32Array(B * N), I: new Float32Array(B * N), R: new Float32Array(B * N) } : null;
  // All epidemics, with the Jacobian [B, 2, T, 2] if asked.
  const simulateAll = (counts: Float32Array, withJacobian: boolean): Float32Array | null => {
    const J = withJacobian ? new Float32Array(B * 2 * T * 2) : null;
    for (let b = 0; b < B; b++) {
      const part = states && { S: states.S.subarray(b * N, (b + 1) * N), I: states.I.subarray(b * N, (b + 1) * N), R: states.R.subarray(b * N, (b + 1) * N) };
      const Jb = J && new Float64Array(2 * T * 2);
      simulateOne(draws, b, setups[b], { counts: counts.subarray(b * 2 * T, (b + 1) * 2 * T), J: Jb, states: part });
      if (J && Jb) J.set(Jb, b * 2 * T * 2);
    }
    return J;
  };
  const counts = fusedSimulation([beta, gamma], [B, 2, T], (withJacobian) => {
    const value = new Float32Array(B * 2 * T);
    return { value, jacobian: simulateAll(value, withJacobian) };
  }) as tf.Tensor3D;
  if (states === null) return { counts };
  return { counts, S: tf.tensor2d(states.S, [B, N]), I: tf.tensor2d(states.I, [B, N]), R: tf.tensor2d(states.R, [B, N]) };
}

/**
 * Runs epidemic b on its uniforms with hard draws and, per parameter (beta, gamma), carries
 * one alternative epidemic and a weight: the pruned stochastic derivative (Arya et al. 2022,
 * as StochasticAD prunes). With the draws held, a step's infection probability
 * `p = 1 - exp(-beta dt sum(I) / N)` moves with beta at `dp = exp(-beta dt sum(I) / N) dt sum(I) / N`,
 * so each susceptible agent not infected flips to infected at rate `dp / (1 - p)`; likewise each
 * infected agent not recovering flips at rate `dq / (1 - q)` in gamma, `dq = exp(-gamma dt) dt`.
 * At each step the new flips' total rate w_new is added to the weight w, and with probability
 * w_new / w the alternative is replaced by the primal state with one of the new flips (chosen
 * uniformly among the candidates, all of the same rate); the alternative then runs on the same
 * uniforms as the primal. `J[k, t, j] = w_j(t) (alt_j counts - primal counts)[k, t] / N` is an
 * unbiased estimate of `d E[counts[k, t]] / d theta_j` for every day t.
 */
function simulateOneEstimate(draws: SirDraws, prune: Float32Array, b: number, setup: SirSetup, counts: Float32Array, J: Float64Array): void {
  const { beta, gamma, N, T, deltaT, f, tau } = setup;
  const minP = f32(MIN_PROBABILITY);
  const clamped = logitOf(0, minP, tau);
  const initial = logitOf(f32(f), 0, tau);
  const S = new Float32Array(N);
  const I = new Float32Array(N);
  const u = draws.initial;
  for (let i = 0; i < N; i++) {
    const k = 2 * (b * N + i);
    I[i] = hardDraw(initial, u[k], u[k + 1], tau);
    S[i] = 1 - I[i];
  }
  const a = f32(beta * f32(-deltaT / N));
  const eRec = f32(Math.exp(f32(gamma * f32(-deltaT))));
  const qRec = f32(1 - eRec);
  const recOne = logitOf(qRec, minP, tau);
  // The rate of a recovery flip in gamma (0 where the clamp binds).
  const recRate = qRec >= minP && qRec < 1 ? (eRec * deltaT) / (1 - qRec) : 0;
  const alt = [0, 1].map(() => ({ S: new Float32Array(N), I: new Float32Array(N), w: 0, active: false }));
  const infDraw = new Uint8Array(N);
  const recDraw = new Uint8Array(N);
  const candidates = new Int32Array(N);
  /** One step of a state on step t's uniforms: updates S, I in place, returns [infections, recoveries] and fills the draws. */
  const step = (St: Float32Array, It: Float32Array, ut: Float32Array): [number, number, number] => {
    let sumI = 0;
    for (let i = 0; i < N; i++) sumI += It[i];
    const eInf = f32(Math.exp(f32(f32(sumI) * a)));
    const qInf = f32(1 - eInf);
    const infOne = logitOf(qInf, minP, tau);
    const infBase = 2 * (2 * b) * N;
    const recBase = 2 * (2 * b + 1) * N;
    let nInf = 0;
    let nRec = 0;
    for (let i = 0; i < N; i++) {
      const inf = hardDraw(St[i] === 1 ? infOne : clamped, ut[infBase + 2 * i], ut[infBase + 2 * i + 1], tau);
      const rec = hardDraw(It[i] === 1 ? recOne : clamped, ut[recBase + 2 * i], ut[recBase + 2 * i + 1], tau);
      infDraw[i] = inf;
      recDraw[i] = rec;
      St[i] = St[i] - inf;
      It[i] = It[i] + inf - rec;
      nInf += inf;
      nRec += rec;
    }
    return [nInf, nRec, sumI];
  };
  for (let t = 0; t < T; t++) {
    const ut = draws.steps[t];
    // The alternatives first (they do not need the primal's draws).
    const altCounts = alt.map((state) => (state.active ? step(state.S, state.I, ut) : null));
    const wasS = Float32Array.from(S);
    const wasI = Float32Array.from(I);
    const [nInf, nRec, sumI] = step(S, I, ut);
    counts[t] = f32(nInf / N);
    counts[T + t] = f32(nRec / N);
    const eInf = f32(Math.exp(f32(f32(sumI) * a)));
    const qInf = f32(1 - eInf);
    const infRate = qInf >= minP && qInf < 1 ? (eInf * deltaT * sumI) / N / (1 - qInf) : 0;
    for (let j = 0; j < 2; j++) {
      const state = alt[j];
      let alternative = altCounts[j];
      // The candidates of this step: susceptible agents not infected (beta), infected agents not recovering (gamma).
      let m = 0;
      for (let i = 0; i < N; i++) {
        if (j === 0 ? wasS[i] === 1 && infDraw[i] === 0 : wasI[i] === 1 && recDraw[i] === 0) candidates[m++] = i;
      }
      const wNew = m * (j === 0 ? infRate : recRate);
      if (wNew > 0) {
        state.w += wNew;
        const k = 4 * (b * T + t) + 2 * j;
        if (prune[k] * state.w < wNew) {
          const agent = candidates[Math.min(m - 1, Math.floor(prune[k + 1] * m))];
          state.S.set(S);
          state.I.set(I);
          if (j === 0) {
            state.S[agent] = 0;
            state.I[agent] = 1;
            alternative = [nInf + 1, nRec, 0];
          } else {
            state.I[agent] = 0;
            alternative = [nInf, nRec + 1, 0];
          }
          state.active = true;
        }
      }
      if (alternative !== null) {
        J[2 * t + j] = (state.w * (alternative[0] - nInf)) / N;
        J[2 * (T + t) + j] = (state.w * (alternative[1] - nRec)) / N;
      }
    }
  }
}

/** The results of pruned runs, by the first uniforms of the run (the same array on every replay of a tape). */
const estimateCache = new WeakMap<Float32Array, { key: string; counts: Float32Array; J: Float32Array }>();

/**
 * Runs B epidemics with hard draws inside `derivativeEstimate` (route of the fused engine): the
 * counts [B, 2, T] forward, and as their "gradient" the pruned unbiased estimate J of
 * {@link simulateOneEstimate}: `dL/d(beta_b, gamma_b) = sum_{k,t} dL/dcounts_bkt J_bkt`. Draws the
 * fused engine's uniforms, then [B, T, 2, 2] more for the pruning choices. A replay of the same
 * tape (as the estimator's forward-mode passes do) reuses the first run's result.
 * @internal
 */
function simulateSirEstimate(beta: tf.Tensor, gamma: tf.Tensor, options: ReturnType<typeof resolveOptions>): tf.Tensor3D {
  const { nAgents: N, nTimesteps: T, deltaT, initialFractionInfected: f, tau } = options;
  const B = Math.max(beta.size, gamma.size);
  const betas = beta.dataSync();
  const gammas = gamma.dataSync();
  const draws: SirDraws = { initial: uniformArray(2 * B * N, [B, N, 2]), steps: [] };
  for (let t = 0; t < T; t++) draws.steps.push(uniformArray(4 * B * N, [B, 2, N, 2]));
  const prune = uniformArray(4 * B * T, [B, T, 2, 2]);
  const key = JSON.stringify([Array.from(betas), Array.from(gammas), N, T, deltaT, f, tau, B]);
  let result = estimateCache.get(draws.initial);
  if (result === undefined || result.key !== key) {
    const counts = new Float32Array(B * 2 * T);
    const J = new Float32Array(B * 2 * T * 2);
    for (let b = 0; b < B; b++) {
      const setup: SirSetup = { beta: betas[beta.size === 1 ? 0 : b], gamma: gammas[gamma.size === 1 ? 0 : b], N, T, deltaT, f, tau: f32(tau), hard: true };
      const Jb = new Float64Array(2 * T * 2);
      simulateOneEstimate(draws, prune, b, setup, counts.subarray(b * 2 * T, (b + 1) * 2 * T), Jb);
      J.set(Jb, b * 2 * T * 2);
    }
    result = { key, counts, J };
    estimateCache.set(draws.initial, result);
  }
  const { counts, J } = result;
  return fusedSimulation([beta, gamma], [B, 2, T], () => ({ value: counts, jacobian: J })) as tf.Tensor3D;
}

/**
 * Simulates the agent-based SIR epidemic, differentiably in beta and gamma.
 *
 * Each agent i holds 0/1 indicators S_i, I_i, R_i. At the start
 * `I_i ~ Bernoulli(f)`, `S_i = 1 - I_i`, `R_i = 0`. At each step, with `I` the
 * indicators at the start of the step:
 * `p_i = clamp(S_i (1 - exp(-beta dt sum(I) / N)), 1e-8, 1)`,
 * `q_i = clamp(I_i (1 - exp(-gamma dt)), 1e-8, 1)`,
 * `inf_i ~ Bernoulli(p_i)`, `rec_i ~ Bernoulli(q_i)`, then
 * `S -= inf`, `I += inf - rec`, `R += rec`. An agent infected during a step
 * cannot recover in it (q uses the I of the start of the step). The outputs are
 * `sum(inf) / N` and `sum(rec) / N` per step.
 *
 * Every draw is a straight-through Gumbel-Softmax draw on the logits
 * `[log p, log(1 - p)]`: exact 0/1 values forward, the relaxation at
 * temperature tau backward. The autodiff engine computes it with {@link bernoulliStraightThrough},
 * which gives the values and gradients of `gumbelSoftmax(logits, { tau, hard: true })`
 * in one operation (the tests compare the two). Gradient: through the
 * probabilities, hence through the earlier draws that set S and I, as in the
 * course; nothing is detached. The clamp has zero gradient where it binds, so
 * an agent that is not susceptible passes no gradient through its infection
 * probability. Like the course's model, the clamp at 1e-8 lets an agent that is
 * not susceptible (or not infected) be drawn with probability at most 1e-8 per
 * step (rarer still in float32, whose Gumbel noise is bounded); a run at the
 * default size sees such a draw with probability below 1e-2.
 *
 * Draws, in order, the same for both engines (what `jacobian` records and replays): the Gumbel noise of the
 * initial infections, two uniforms per agent ([B, N, 2]); then per step two
 * uniforms per agent and draw ([B, 2, N, 2]), the infections of each epidemic
 * before its recoveries.
 *
 * Batched: with 1-D beta and/or gamma of B entries (a scalar is broadcast),
 * B independent epidemics run side by side and the result is [B, 2, T]; row b
 * depends on beta[b] and gamma[b] only, so `sampleJacobians(..., { batched: true })`
 * applies.
 *
 * Engines (`engine`): the default `'fused'` is one operation for the whole
 * simulation, in loops over agents and steps, whose gradient is
 * `dL/d(beta, gamma) = sum dL/dcounts J` with the Jacobian J of the counts
 * carried forward in time alongside the states: per agent the tangents of S_i
 * and I_i, and per draw the straight-through slope times the tangent of its
 * probability. It gives the same counts as `'autodiff'` (the same draws, decided
 * by the same float32 comparisons, though a backend's logarithm may round a
 * last bit unlike JavaScript's and so flip a draw whose logits tie to float32
 * precision; relaxed draws to float32 rounding) and its Jacobian to float32
 * rounding; see `npm run bench` (bench/RESULTS.md) for the
 * speed of both. Both also take `hard: false`.
 *
 * Inside `derivativeEstimate` (unbiased derivatives of the expected counts): with the
 * default route the fused engine runs the hard draws and, per parameter, one alternative
 * epidemic pruned as it runs (see `derivativeEstimate`), and gives as its derivative an
 * unbiased estimate of `d E[counts] / d(beta, gamma)` for every day, and so for any linear
 * function of the counts; with a forced route (`'prune'`, `'enumerate'`), or `engine:
 * 'autodiff'`, the step-by-step engine runs and reports each draw to the estimator.
 * `sirExpectedCounts` gives the exact expectation at small N.
 *
 * Mirrors the course's PyTorch `sir(beta, gamma, initial_fraction_infected,
 * n_agents, n_timesteps, delta_t, tau)`, which returns the two rows as a tuple.
 *
 * @param params `beta` and `gamma`, each >= 0: numbers or float32 scalar tensors
 *   (gradients flow to the tensors), or 1-D tensors for a batch.
 * @param options `nAgents` >= 1, `nTimesteps` >= 1; `deltaT` > 0 (default 1),
 *   `initialFractionInfected` in [0, 1] (default 0.01), `tau` > 0 (default 0.5),
 *   `hard` (default true; false relaxes every draw, forward too, so that the
 *   model is smooth in beta and gamma), `engine` (default 'fused').
 * @returns A float32 tensor of shape [2, T] (or [B, 2, T] for a batch): row 0 the
 *   new infections per step, row 1 the recoveries per step, as fractions of N;
 *   with hard draws each entry is a multiple of 1 / N.
 * @throws If a rate is negative, NaN, infinite or of rank > 1, two batched
 *   rates differ in length, or an option is out of range (non-integer sizes,
 *   a fraction outside [0, 1], deltaT or tau <= 0, an engine other than
 *   'fused' or 'autodiff').
 * @example
 * manualSeed(0);
 * const x = sirModel({ beta: 0.2, gamma: 0.05 }, { nAgents: 10000, nTimesteps: 60 }); // [2, 60]
 * // The Jacobian with respect to (beta, gamma), [2, 60, 2], in two forward-mode passes:
 * const rates = (p: tf.Tensor) => ({ beta: p.slice(0, 1).reshape([]), gamma: p.slice(1, 1).reshape([]) });
 * const J = sampleJacobians((p) => sirModel(rates(p), { nAgents: 1000, nTimesteps: 60 }), tf.tensor1d([0.2, 0.05]), 1);
 * // J: [1, 2, 60, 2]; J[0, 0, t, 0] is d(infections_t)/d(beta).
 * @see Kermack and McKendrick (1927), A contribution to the mathematical theory of
 *   epidemics, Proc. R. Soc. A 115; Chopra et al. (2023), Differentiable agent-based
 *   epidemiology, AAMAS '23.
 */
export function sirModel(params: SirParams, options: SirOptions): tf.Tensor {
  const fn = 'sirModel';
  check(typeof params === 'object' && params !== null, fn, 'params', 'an object { beta, gamma }', params);
  const resolved = resolveOptions(options);
  return tf.tidy(() => {
    const beta = toRate(params.beta, 'beta');
    const gamma = toRate(params.gamma, 'gamma');
    const batched = beta.rank === 1 || gamma.rank === 1;
    if (beta.rank === 1 && gamma.rank === 1) {
      check(beta.size === gamma.size, fn, 'params.gamma', `of the length of params.beta, ${beta.size}`, gamma);
    }
    check(beta.size >= 1 && gamma.size >= 1, fn, 'params', 'rates with at least one entry', params);
    const estimate = currentEstimate();
    let counts: tf.Tensor3D;
    if (estimate !== null && resolved.hard && resolved.engine === 'fused' && estimate.engines) counts = simulateSirEstimate(beta, gamma, resolved);
    else if (estimate !== null && resolved.hard) counts = simulateSir(beta, gamma, resolved).counts;
    else counts = (resolved.engine === 'fused' ? simulateSirFused : simulateSir)(beta, gamma, resolved).counts;
    return batched ? counts : tf.squeeze(counts, [0]);
  });
}

/**
 * Simulates the model and returns the final states too, for the tests.
 * @internal
 */
export function sirTrajectory(params: SirParams, options: SirOptions): SirTrajectory {
  const resolved = resolveOptions(options);
  const out = tf.tidy(() => {
    const simulate = resolved.engine === 'fused' ? simulateSirFused : simulateSir;
    const run = simulate(toRate(params.beta, 'beta'), toRate(params.gamma, 'gamma'), resolved, true) as SirTrajectory;
    return [run.counts, run.S, run.I, run.R];
  });
  return { counts: out[0] as tf.Tensor3D, S: out[1] as tf.Tensor2D, I: out[2] as tf.Tensor2D, R: out[3] as tf.Tensor2D };
}
