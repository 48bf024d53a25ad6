/**
 * Rama Cont's threshold model of volatility clustering, as a differentiable program.
 *
 * N agents trade one asset. At each step all of them see the same signal
 * eps_t ~ N(0, sigma^2); agent i buys if eps_t > nu_i, sells if eps_t < -nu_i, and
 * does nothing otherwise. The return is the net order flow over the market
 * depth, `r_t = sum_i phi_i / (N eta)`. Then each agent, with probability s,
 * resets its threshold to |r_t|. A large move raises the thresholds of the
 * agents that reset, so fewer trade next time, and calm periods lower them:
 * the absolute returns are autocorrelated (volatility clustering) while the
 * returns themselves are not.
 *
 * To differentiate, the order indicators `1[x > 0]` become sigmoids (or
 * straight-through steps), the resets are straight-through Gumbel-Softmax
 * Bernoulli draws, and the normal draws are reparameterised.
 *
 * Two engines compute the same simulation on the same draws. `'autodiff'` is
 * the model written as tensor operations, one time step after the other, and
 * differentiated by TensorFlow.js: the definition, in float32. `'fused'` (the
 * default) runs the whole simulation as one operation in plain loops, with its
 * own gradient that carries the derivatives of the thresholds forward in time
 * alongside the simulation (forward mode, five parameters). It computes in
 * float64 on the same float32 draws (only the reset threshold 1 - s and the
 * clamp of log s follow float32, so that both engines make the same draws), and
 * rounds its returns and gradients to float32 at the end. The tests check its
 * gradients against float64 finite differences of its own loops, and against
 * the `'autodiff'` engine to float32 accuracy (relative 1e-3).
 */
import * as tf from '@tensorflow/tfjs';
import { rand, randn, uniformArray } from '../random';
import { check, checkInteger, checkTemperature } from '../check';
import { FLOAT32_TINY } from '../float32';
import { fusedSimulation } from '../fusedSimulation';
import { modelParameter } from './parameter';
import { straightThroughOp } from '../straightThroughOp';
import { detach } from '../withoutGradient';

/**
 * The parameters of the Cont model; each a number or a float32 scalar tensor, or,
 * with `nSimulations` = B, a float32 vector [B] of one value per simulation.
 */
export interface ContParams {
  /** The standard deviation of the common signal, sigma > 0. */
  sigma: tf.Tensor | number;
  /** The market depth eta > 0: a net order of all N agents moves the price by 1 / eta. */
  eta: tf.Tensor | number;
  /** The probability s in [0, 1] that an agent resets its threshold at a step. */
  s: tf.Tensor | number;
  /** The mean gamma0 of the log initial thresholds, finite. */
  gamma0: tf.Tensor | number;
  /** The standard deviation gamma1 >= 0 of the log initial thresholds. */
  gamma1: tf.Tensor | number;
}

/** Options of {@link contModel}. */
export interface ContOptions {
  /** The number of agents N >= 1. */
  nAgents: number;
  /** The number of returns T >= 1. */
  nTimesteps: number;
  /**
   * The number B >= 1 of independent simulations to run in one call; with it the
   * result is [B, T], and row b holds the simulation that the b-th of B calls
   * without it would give after the same `manualSeed`. Default: one, result [T].
   */
  nSimulations?: number;
  /**
   * How orders are differentiated: `'straight-through'` (exact 0/1 indicators
   * forward, the sigmoid's gradient backward) or `'soft'` (sigmoids forward and
   * backward). Default `'straight-through'`.
   */
  orders?: 'straight-through' | 'soft';
  /** The steepness k > 0 of the sigmoid, per signal standard deviation: `1[eps > nu] ~ sigmoid(k (eps - nu) / sigma)`. Default 10. */
  k?: number;
  /** The Gumbel-Softmax temperature of the threshold resets, > 0. Default 0.1. */
  tau?: number;
  /**
   * Differentiate the feedback of returns into thresholds (`nu_i <- |r_t|`). Off
   * by default: through that loop the derivatives grow exponentially with T (each
   * return moves thresholds that move later returns), so gradients over a few
   * hundred steps are useless. Off, |r_t| enters the thresholds as a constant,
   * while every direct path stays: sigma and eta at each step, the initial
   * thresholds (gamma0, gamma1) until each agent resets, and s through the resets.
   * The price is a bias of the expected gradient, measured against the
   * full-feedback gradient on a short horizon where both are finite, by the
   * `Cont` section of `npm run bench` (bench/RESULTS.md) and in notebook 04
   * ("How biased is the cut gradient?"). Default false.
   */
  feedback?: boolean;
  /**
   * `'fused'`: one operation for the whole simulation, with its own gradient
   * (`tf.customGrad`; fast). `'autodiff'`: tensor operations step by step, differentiated
   * by TensorFlow.js (the definition, in float32; slow: over a dozen small operations per
   * step forward and several times as many backward, counted by `npm run bench`).
   * The fused engine computes in float64 and rounds to float32 at the end; on the
   * same draws both give the same orders, and returns and gradients equal to
   * float32 accuracy. Default `'fused'`.
   */
  engine?: 'fused' | 'autodiff';
}

/** The random numbers of one simulation, in the order they are drawn. @internal */
export interface ContNoise {
  /** [N] standard normals of the log initial thresholds. */
  z: Float32Array;
  /** [T] standard normals of the signals. */
  xi: Float32Array;
  /** [T, N] uniforms of the resets: agent i resets after step t when u > 1 - s. */
  u: Float32Array;
}

/** The five parameters of one simulation as numbers, and the options that shape it. @internal */
export interface ContSetup {
  p: { sigma: number; eta: number; s: number; gamma0: number; gamma1: number };
  N: number;
  T: number;
  k: number;
  tau: number;
  soft: boolean;
  feedback: boolean;
}

/** How many steps of threshold resets the autodiff engine makes per chunk of tensors. */
const DRAW_CHUNK = 8;

/** The number of parameters that carry a gradient: sigma, eta, s, gamma0, gamma1. */
const P = 5;

/** Draws the noise of one simulation, in the order both engines draw it. */
function drawNoise(N: number, T: number): ContNoise {
  const take = (t: tf.Tensor) => {
    const v = t.dataSync() as Float32Array;
    t.dispose();
    return v;
  };
  const z = take(randn([N, 1]));
  const xi = take(randn([T]));
  // Consecutive draws of the generator: the autodiff engine's chunks of
  // DRAW_CHUNK steps get the same numbers as this one draw of T N.
  const u = uniformArray(T * N, [T, N]);
  return { z, xi, u };
}

/**
 * Runs one simulation in float64 loops (JavaScript numbers) on given float32
 * draws: the returns and the Jacobian are rounded to float32 only when they
 * leave as tensors. With `tangents`, also
 * returns the Jacobian `J[t * 5 + j] = d r_t / d theta_j` (theta = sigma, eta, s,
 * gamma0, gamma1), with the derivatives that the autodiff engine takes: the
 * sigmoid's for each order, the soft sample's for each reset, and the
 * feedback's only when `feedback` is set (sign(r) for |r|, 0 at r = 0).
 *
 * Forward mode: each agent carries d nu_i / d theta along with nu_i. Per agent
 * and step, the returns cost one comparison (straight-through orders); the
 * tangents about 30 multiply-adds and a few divisions, and no logarithm or
 * exponential when 1 / tau is a whole number (see {@link power}): the sigmoids of
 * the two margins y - c nu_i and -y - c nu_i come from e^(+-y), once per step, and
 * E_i = e^(-c nu_i), which only changes when agent i resets (to e^(-c |r_t|),
 * once per step for all of them).
 * @internal Exported for the tests, which check its Jacobian against float64
 * finite differences of its returns.
 */
export function simulate(noise: ContNoise, setup: ContSetup, tangents: boolean): { r: Float64Array; J: Float64Array | null } {
  const { p, N, T, k, tau, soft, feedback } = setup;
  const c = k / p.sigma;
  const w = 1 / (N * p.eta);
  const threshold = Math.fround(1 - p.s); // reset when u > 1 - s (in float32, as the autodiff engine): probability s
  // The soft sample's logit (l0 - l1 + L) / tau, with l0 = log s and l1 = log(1 - s)
  // clamped at float32's smallest normal, as the autodiff engine does; and
  // d(l0 - l1)/ds, 0 where a clamp binds (as tf.maximum's gradient).
  const logit = Math.log(Math.max(p.s, FLOAT32_TINY)) - Math.log(Math.max(1 - p.s, FLOAT32_TINY));
  const dLogit = (p.s >= FLOAT32_TINY ? 1 / p.s : 0) + (1 - p.s >= FLOAT32_TINY ? 1 / (1 - p.s) : 0);
  const odds = Math.exp(logit);
  const inverseTau = 1 / tau;
  const nu = new Float64Array(N);
  for (let i = 0; i < N; i++) nu[i] = Math.exp(p.gamma0 + p.gamma1 * noise.z[i]);
  const E = new Float64Array(N); // e^(-c nu_i), kept only where sigmoids are needed
  const smooth = soft || tangents;
  if (smooth) for (let i = 0; i < N; i++) E[i] = Math.exp(-c * nu[i]);
  const r = new Float64Array(T);
  const J = tangents ? new Float64Array(T * P) : null;
  // d nu_i / d theta for theta = sigma, eta, s, gamma0, gamma1 (sigma and eta reach
  // nu only through the feedback, so theirs stay 0 without it).
  const size = tangents ? N : 0;
  const [dSigma, dEta, dS, dGamma0, dGamma1] = Array.from({ length: P }, () => new Float64Array(size));
  for (let i = 0; i < size; i++) {
    dGamma0[i] = nu[i];
    dGamma1[i] = nu[i] * noise.z[i];
  }
  const dflow = new Float64Array(P);
  const dA = new Float64Array(P);
  for (let t = 0; t < T; t++) {
    const y = k * noise.xi[t];
    const absY = Math.abs(y);
    const cacheable = smooth && absY < 700;
    const ep = cacheable ? Math.exp(y) : 0;
    const em = cacheable ? Math.exp(-y) : 0;
    let flow = 0;
    // Sums over agents of sigmoid'(a_i) - sigmoid'(b_i), times nu_i and times d nu_i / d theta.
    let fNu = 0;
    let f0 = 0;
    let f1 = 0;
    let f2 = 0;
    let f3 = 0;
    let f4 = 0;
    for (let i = 0; i < N; i++) {
      const cnu = c * nu[i];
      // Buy margin a = y - c nu, sell margin b = -y - c nu.
      if (!soft && cnu < absY) flow += y > 0 ? 1 : -1;
      if (smooth) {
        // e^(-|a|) and e^(-|b|) from e^(+-y) and E_i = e^(-c nu_i), where both are
        // far from overflow and underflow; directly otherwise (steep sigmoids, k large).
        const Ei = E[i];
        const cached = cacheable && Ei > 1e-300;
        const ea = cached ? (y >= cnu ? em / Ei : ep * Ei) : Math.exp(-Math.abs(y - cnu));
        const eb = cached ? (-y >= cnu ? ep / Ei : em * Ei) : Math.exp(-Math.abs(y + cnu));
        if (soft) flow += (y >= cnu ? 1 / (1 + ea) : ea / (1 + ea)) - (-y >= cnu ? 1 / (1 + eb) : eb / (1 + eb));
        if (tangents) {
          // sigmoid'(x) = e^(-|x|) / (1 + e^(-|x|))^2.
          const slope = ea / ((1 + ea) * (1 + ea)) - eb / ((1 + eb) * (1 + eb));
          fNu += slope * nu[i];
          f0 += slope * dSigma[i];
          f1 += slope * dEta[i];
          f2 += slope * dS[i];
          f3 += slope * dGamma0[i];
          f4 += slope * dGamma1[i];
        }
      }
    }
    const rt = flow * w;
    r[t] = rt;
    if (J) {
      // d a / d theta = d b / d theta = -c d nu - nu dc, with dc / dsigma = -c / sigma;
      // and r = flow w with dw / deta = -w / eta.
      dflow[0] = (fNu * c) / p.sigma - c * f0;
      dflow[1] = -c * f1;
      dflow[2] = -c * f2;
      dflow[3] = -c * f3;
      dflow[4] = -c * f4;
      for (let j = 0; j < P; j++) J[t * P + j] = dflow[j] * w;
      J[t * P + 1] -= rt / p.eta;
    }
    if (t === T - 1) break;
    // Resets: the agents that reset take |r_t|.
    const A = Math.abs(rt);
    const EA = smooth ? Math.exp(-c * A) : 0;
    const sign = rt > 0 ? 1 : rt < 0 ? -1 : 0;
    if (J) for (let j = 0; j < P; j++) dA[j] = feedback ? sign * J[t * P + j] : 0;
    const base = t * N;
    for (let i = 0; i < N; i++) {
      const ui = noise.u[base + i];
      const reset = ui > threshold;
      if (tangents) {
        // Straight-through: d m / d s is the soft sample's, y (1 - y) / tau d(l0 - l1)/ds,
        // y = sigmoid((l0 - l1 + L) / tau) with L = log(u / (1 - u)). With
        // Q = e^((l0 - l1 + L) / tau) = (odds u / (1 - u))^(1 / tau), y (1 - y) =
        // 1 / (Q + 2 + 1 / Q), which is 0, not NaN, when Q under- or overflows.
        const Q = power((odds * ui) / (1 - ui), inverseTau);
        const dm = (1 / (Q + 2 + 1 / Q) / tau) * dLogit;
        const jump = A - nu[i];
        if (reset) {
          dSigma[i] = dA[0];
          dEta[i] = dA[1];
          dS[i] = dA[2];
          dGamma0[i] = dA[3];
          dGamma1[i] = dA[4];
        }
        dS[i] += dm * jump;
      }
      if (reset) {
        nu[i] = A;
        if (smooth) E[i] = EA;
      }
    }
  }
  return { r, J };
}

/**
 * x^n for x >= 0: by repeated squaring when n is a whole number up to 1024 (the
 * default temperature 0.1 gives n = 10: four products, no logarithm), else Math.pow.
 */
function power(x: number, n: number): number {
  if (!(Number.isInteger(n) && n <= 1024)) return Math.pow(x, n);
  let result = 1;
  let base = x;
  for (let e = n; e > 0; e >>= 1) {
    if (e & 1) result *= base;
    base *= base;
  }
  return result;
}

/** The indicator 1[x > 0] forward, the derivative of sigmoid(x) backward. */
function straightThroughStep(x: tf.Tensor): tf.Tensor {
  return straightThroughOp(x, (v) => ({
    value: tf.cast(tf.greater(v, 0), 'float32'),
    slope: (u) => {
      const y = tf.sigmoid(u);
      return tf.mul(y, tf.sub(1, y));
    },
  }));
}

/**
 * Simulates Cont's model as tensor operations, one step after the other: the
 * definition, differentiated by TensorFlow.js, that the fused engine is checked
 * against (`contModel(..., { engine: 'autodiff' })` calls it). Draws its own noise,
 * in the order of {@link drawNoise}. Over a dozen small operations per step
 * forward and several times as many backward (counted by `npm run bench`,
 * bench/RESULTS.md).
 *
 * @param theta The parameters [sigma, eta, s, gamma0, gamma1], float32 scalars, checked by contModel.
 * @param setup Their values as numbers, and the sizes and options.
 * @returns The returns r_1..r_T, [T].
 */
export function contModelAutodiff(theta: tf.Tensor[], setup: ContSetup): tf.Tensor {
  const [sigma, eta, s, gamma0, gamma1] = theta;
  const { N, T, k, tau, soft, feedback } = setup;
  // In units of sigma / k, the indicator 1[eps > nu] is 1[k xi - (k / sigma) nu > 0]
  // and its surrogate sigmoid(k xi - (k / sigma) nu). Each agent has two margins,
  // y - (k / sigma) nu_i (buy) and -y - (k / sigma) nu_i (sell) with y = k xi, side
  // by side in one vector of 2N: entries 2i and 2i + 1 are agent i's.
  const scale = tf.div(k, sigma);
  const nu0 = tf.exp(tf.add(gamma0, tf.mul(gamma1, randn([N, 1]))));
  let nu = tf.reshape(tf.matMul(nu0, tf.ones([1, 2])), [2 * N]);
  const signs = new Float32Array(2 * N).map((_, i) => (i % 2 === 0 ? 1 : -1));
  // A buyer adds +1 / (N eta) to the return, a seller -1 / (N eta).
  const weights = tf.div(tf.tensor1d(signs), tf.mul(N, eta));
  // The logit l0 - l1 = log s - log(1 - s) of a reset, each log clamped so that
  // s = 0 or 1 gives a finite logit (-87) and a zero gradient, not NaN.
  const logit = tf.sub(tf.log(tf.maximum(s, FLOAT32_TINY)), tf.log(tf.maximum(tf.sub(1, s), FLOAT32_TINY)));
  const indicator = soft ? tf.sigmoid : (x: tf.Tensor) => straightThroughStep(x);
  const signals = randn([T]).dataSync();
  const uniforms: Float32Array[] = [];
  for (let t = 0; t < T; t += DRAW_CHUNK) {
    const steps = Math.min(DRAW_CHUNK, T - t);
    uniforms.push(uniformArray(steps * N, [steps, N]));
  }
  const margin = new Float32Array(2 * N);
  const returns: tf.Tensor[] = [];
  let keep: tf.Tensor[] = [];
  let take: tf.Tensor[] = [];
  for (let t = 0; t < T; t++) {
    const j = t % DRAW_CHUNK;
    if (j === 0) {
      // The resets of the next steps: keep = 1 - m, take = m, each twice (one per
      // margin). A two-class straight-through Gumbel-Softmax draw: forward, the
      // exact Bernoulli(s) draw m = 1[u > 1 - s]; backward, the gradient of the soft
      // sample sigmoid((l0 - l1 + L) / tau), where L = log(u / (1 - u)) ~ Logistic(0, 1)
      // is the difference of the two classes' Gumbel noises. A few steps per chunk,
      // not all T: on wasm, taking a row out of a tensor copies the whole tensor.
      const steps = Math.min(DRAW_CHUNK, T - t);
      const u = tf.tensor2d(uniforms[t / DRAW_CHUNK], [steps * N, 1]);
      const hard = tf.cast(tf.greater(u, Math.fround(1 - setup.p.s)), 'float32');
      const sample = tf.sigmoid(tf.div(tf.add(logit, tf.log(tf.div(u, tf.sub(1, u)))), tau));
      const m = tf.add(hard, tf.sub(sample, detach(sample)));
      const reset = tf.reshape(tf.matMul(m, tf.ones([1, 2])), [steps, 2 * N]);
      keep = tf.unstack(tf.sub(1, reset));
      take = tf.unstack(reset);
    }
    const y = k * signals[t];
    for (let i = 0; i < 2 * N; i += 2) {
      margin[i] = y;
      margin[i + 1] = -y;
    }
    const r = tf.sum(tf.mul(indicator(tf.sub(tf.tensor1d(margin), tf.mul(nu, scale))), weights));
    returns.push(r);
    // Agents that reset take |r_t|, the others keep their thresholds.
    if (t < T - 1) nu = tf.add(tf.mul(keep[j], nu), tf.mul(take[j], feedback ? tf.abs(r) : detach(tf.abs(r))));
  }
  return tf.stack(returns);
}

/** The five parameters of one simulation as float32 scalars. */
export interface ContScalars {
  sigma: tf.Scalar;
  eta: tf.Scalar;
  s: tf.Scalar;
  gamma0: tf.Scalar;
  gamma1: tf.Scalar;
}

/**
 * Simulates Cont's model one step after the other in plain tensor operations: the
 * readable reference of {@link contModel} with its default options (straight-through
 * orders, steepness k, temperature tau, the feedback not differentiated). On the same
 * draws it gives the same returns and the same gradient as both engines of `contModel`
 * (tested), which are faster: they pack the agents' two margins into one vector, draw
 * in chunks, or run the whole simulation as one operation.
 *
 * @param p The parameters, float32 scalars (sigma > 0, eta > 0, s in (0, 1), gamma1 >= 0).
 * @param nAgents The number of agents N.
 * @param nTimesteps The number of returns T.
 * @returns The returns r_1..r_T, [T].
 */
export function contModelReference(p: ContScalars, nAgents: number, nTimesteps: number, k = 10, tau = 0.1): tf.Tensor1D {
  return tf.tidy(() => {
    let nu = tf.exp(tf.add(p.gamma0, tf.mul(p.gamma1, randn([nAgents])))); // initial thresholds
    const xi = randn([nTimesteps]).dataSync(); // the news, eps_t = sigma xi_t
    const u = tf.unstack(rand([nTimesteps, nAgents])); // one uniform per agent and step, for the resets
    const logit = tf.sub(tf.log(p.s), tf.log(tf.sub(1, p.s)));
    const keepProbability = 1 - p.s.dataSync()[0]; // a number: the exact draw carries no gradient
    const returns: tf.Tensor[] = [];
    for (let t = 0; t < nTimesteps; t++) {
      // Buy if eps > nu, sell if -eps > nu: k (eps - nu) / sigma = k xi - (k / sigma) nu > 0.
      const buy = straightThroughStep(tf.sub(k * xi[t], tf.mul(tf.div(k, p.sigma), nu)));
      const sell = straightThroughStep(tf.sub(-k * xi[t], tf.mul(tf.div(k, p.sigma), nu)));
      const r = tf.div(tf.sum(tf.sub(buy, sell)), tf.mul(nAgents, p.eta));
      returns.push(r);
      // Reset with probability s: the exact draw forward, the soft sample's gradient backward.
      const soft = tf.sigmoid(tf.div(tf.add(logit, tf.log(tf.div(u[t], tf.sub(1, u[t])))), tau));
      const hard = tf.cast(tf.greater(u[t], keepProbability), 'float32');
      const reset = tf.add(hard, tf.sub(soft, detach(soft)));
      // Agents that reset take |r_t| as their threshold (not differentiated), the others keep theirs.
      nu = tf.add(tf.mul(reset, detach(tf.abs(r))), tf.mul(tf.sub(1, reset), nu));
    }
    return tf.stack(returns) as tf.Tensor1D;
  });
}

/**
 * B simulations as one operation ({@link fusedSimulation}): the returns [B, T]
 * forward from {@link simulate} on draws made once, and the gradient from the
 * Jacobian that {@link simulate} carries with tangents.
 */
function simulateFused(theta: tf.Tensor[], setups: ContSetup[]): tf.Tensor {
  const B = setups.length;
  const { N, T } = setups[0];
  const noises = setups.map(() => drawNoise(N, T));
  return fusedSimulation(theta, [B, T], (withJacobian) => {
    const value = new Float32Array(B * T);
    const jacobian = withJacobian ? new Float32Array(B * T * P) : null;
    noises.forEach((noise, b) => {
      const { r, J } = simulate(noise, setups[b], withJacobian);
      value.set(r, b * T);
      if (jacobian) jacobian.set(J as Float64Array, b * T * P);
    });
    return { value, jacobian };
  });
}

/** A parameter of contModel as a tensor and its B values (a scalar's repeated). */
function param(value: unknown, name: keyof ContParams, B: number, batched: boolean, ok: (v: number) => boolean, rule: string): { t: tf.Tensor; v: number[] } {
  const { tensor, values } = modelParameter(value, 'contModel', name, rule, ok, batched ? B : undefined);
  return { t: tensor, v: tensor.rank === 0 ? new Array(B).fill(values[0]) : Array.from(values) };
}

/**
 * Simulates the returns of Cont's threshold model, differentiably in its parameters.
 *
 * `nu_i(0) = exp(gamma0 + gamma1 z_i)`, z_i ~ N(0, 1); for t = 1..T:
 * `eps_t = sigma xi_t`, xi_t ~ N(0, 1);
 * `phi_i = 1[eps_t > nu_i] - 1[eps_t < -nu_i]`;
 * `r_t = sum_i phi_i / (N eta)`;
 * `nu_i <- m_i |r_t| + (1 - m_i) nu_i`, m_i ~ Bernoulli(s).
 *
 * Gradient: the normal draws are reparameterised (exact in sigma, gamma0, gamma1).
 * Each indicator `1[x > 0]` of the comparison `eps > nu` is differentiated as
 * `sigmoid(k (eps - nu) / sigma)`: straight-through by default (exact 0/1 orders
 * forward), or also forward with `orders: 'soft'`. Each reset m_i is a
 * straight-through Gumbel-Softmax draw on the logits [log s, log(1 - s)] at
 * temperature tau, drawn in its two-class form (the binary Concrete): forward the
 * exact Bernoulli(s) draw `1[u > 1 - s]`, backward the gradient of
 * `sigmoid((log s - log(1 - s) + L) / tau)` with `L = log(u / (1 - u))`, the
 * logistic difference of the two classes' Gumbel noises (one uniform u per agent
 * and step instead of two). By default
 * the feedback `nu <- |r_t|` is not differentiated (see `feedback`): gradients
 * follow sigma and eta at each step, the initial thresholds until each agent
 * resets, and s through the resets, but not the effect of a return on later
 * thresholds. The straight-through parts and the cut feedback bias the gradient;
 * the cut is what keeps it finite over hundreds of steps. Its bias, against the
 * full-feedback gradient on 20 steps, depends on the parameter and on s, and is
 * not small: it is measured, with standard errors, by the `Cont` section of
 * `npm run bench` (bench/RESULTS.md) and in notebook 04. With the feedback differentiated, `|r|` takes PyTorch's
 * derivative, sign(r), which is 0 at r = 0 (a return is exactly 0 whenever no agent
 * trades); the library registers that gradient for `tf.abs` (lib/registeredGradients.ts),
 * since TensorFlow.js's own gives -1 there. Agents are vectorised; the default
 * `'fused'` engine runs the whole simulation as one operation (see `engine`).
 *
 * Follows the `RamaCont` model of BlackBIRDS (Quera-Bofarull, Dyer et al.), which
 * draws one common signal per step as here (since BlackBIRDS commit 1e90b96; one
 * signal per agent before it). The differences: the sigmoid's steepness here is
 * per signal standard deviation, `sigmoid(k (eps - nu) / sigma)`, where BlackBIRDS
 * uses an absolute `sigmoid(k (eps - nu))`; BlackBIRDS keeps `|r_t|` in the graph
 * (this model's `feedback: true`), here it is cut by default; and s is a parameter
 * with a gradient here, a constant of the model there (as is tau = 0.1).
 *
 * @param params `sigma` > 0, `eta` > 0, `s` in [0, 1], `gamma0` finite, `gamma1` >= 0
 *   (numbers or float32 scalar tensors; gradients flow to the tensors). With
 *   `nSimulations` = B, each may also be a vector [B], one value per simulation:
 *   its gradient is then per simulation, [B] (a scalar's sums over the batch).
 * @param options `nAgents` >= 1, `nTimesteps` >= 1; `nSimulations` (default one,
 *   unbatched), `orders` (default 'straight-through'), `k` (default 10), `tau`
 *   (default 0.1), `feedback` (default false), `engine` (default 'fused').
 * @returns The returns r_1..r_T, float32 of shape [T], or [B, T] with `nSimulations`;
 *   each in [-1/eta, 1/eta]; with straight-through orders, each r_t N eta is an integer.
 * @throws If a parameter is outside its range, not a scalar, or NaN, or an option is invalid.
 * @example
 * manualSeed(0);
 * const r = contModel({ sigma: 0.001, eta: 10, s: 0.05, gamma0: Math.log(0.001), gamma1: 0.5 },
 *   { nAgents: 1000, nTimesteps: 300 }); // [300]; autocorrelation(tf.abs(r)) decays slowly
 * const [a, b] = tf.unstack(contModel(params, { nAgents: 200, nTimesteps: 200, nSimulations: 2 })); // two independent runs
 * @see Cont (2005), Volatility clustering in financial markets: empirical facts and agent-based models,
 *   in Long Memory in Economics, Springer. Dyer et al. (2023), Gradient-assisted calibration for
 *   financial agent-based models, ICAIF '23.
 */
export function contModel(params: ContParams, options: ContOptions & { nSimulations: number }): tf.Tensor2D;
export function contModel(params: ContParams, options: ContOptions): tf.Tensor1D;
export function contModel(params: ContParams, options: ContOptions): tf.Tensor {
  const fn = 'contModel';
  check(typeof params === 'object' && params !== null, fn, 'params', 'an object { sigma, eta, s, gamma0, gamma1 }', params);
  check(typeof options === 'object' && options !== null, fn, 'options', 'an object { nAgents, nTimesteps, ... }', options);
  const { nAgents, nTimesteps, nSimulations, orders = 'straight-through', k = 10, tau = 0.1, feedback = false, engine = 'fused' } = options;
  checkInteger(nAgents, fn, 'nAgents', 1);
  checkInteger(nTimesteps, fn, 'nTimesteps', 1);
  if (nSimulations !== undefined) checkInteger(nSimulations, fn, 'nSimulations', 1);
  check(orders === 'straight-through' || orders === 'soft', fn, 'orders', "'straight-through' or 'soft'", orders);
  check(typeof k === 'number' && Number.isFinite(k) && k > 0, fn, 'k', 'a finite number > 0', k);
  checkTemperature(tau, fn);
  check(typeof feedback === 'boolean', fn, 'feedback', 'a boolean', feedback);
  check(engine === 'fused' || engine === 'autodiff', fn, 'engine', "'fused' or 'autodiff'", engine);
  const B = nSimulations ?? 1;
  return tf.tidy(() => {
    const batched = nSimulations !== undefined;
    const sigma = param(params.sigma, 'sigma', B, batched, (v) => v > 0 && Number.isFinite(v), 'a finite number > 0');
    const eta = param(params.eta, 'eta', B, batched, (v) => v > 0 && Number.isFinite(v), 'a finite number > 0');
    const s = param(params.s, 's', B, batched, (v) => v >= 0 && v <= 1, 'in [0, 1]');
    const gamma0 = param(params.gamma0, 'gamma0', B, batched, Number.isFinite, 'a finite number');
    const gamma1 = param(params.gamma1, 'gamma1', B, batched, (v) => v >= 0 && Number.isFinite(v), 'a finite number >= 0');
    const theta = [sigma.t, eta.t, s.t, gamma0.t, gamma1.t];
    const setups: ContSetup[] = Array.from({ length: B }, (_, b) => ({
      p: { sigma: sigma.v[b], eta: eta.v[b], s: s.v[b], gamma0: gamma0.v[b], gamma1: gamma1.v[b] },
      N: nAgents,
      T: nTimesteps,
      k,
      tau,
      soft: orders === 'soft',
      feedback,
    }));
    // The autodiff engine runs the simulations one after the other, each on its parameters.
    const pick = (t: tf.Tensor, b: number) => (t.rank === 0 ? t : tf.reshape(tf.slice(t, [b], [1]), []));
    const out =
      engine === 'fused'
        ? simulateFused(theta, setups)
        : tf.stack(setups.map((setup, b) => contModelAutodiff(theta.map((t) => pick(t, b)), setup)));
    return nSimulations === undefined ? tf.reshape(out, [nTimesteps]) : out;
  });
}
