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
 */
import * as tf from '@tensorflow/tfjs';
import { gumbelSoftmax } from '../gumbel';
import { randn } from '../random';
import { check, checkInteger, checkTemperature, toFloat } from '../check';

const FLOAT32_TINY = 1.1754943508222875e-38;

/** The parameters of the Cont model; each a number or a float32 scalar tensor. */
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
   * Default false.
   */
  feedback?: boolean;
}

/** How many steps of threshold resets are drawn per call of gumbelSoftmax. */
const DRAW_CHUNK = 8;

/** The rows of a matrix as vectors (a single row is reshaped: unstack's gradient needs two or more). */
function rows(m: tf.Tensor): tf.Tensor[] {
  return m.shape[0] === 1 ? [tf.reshape(m, [m.shape[1] as number])] : tf.unstack(m);
}

/** The identity forward, a zero gradient backward (PyTorch's `detach`). */
const stopGradient = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const x = args[0] as tf.Tensor;
  return { value: tf.clone(x), gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy) };
});

/** The indicator 1[x > 0] forward, the derivative of sigmoid(x) backward. */
const straightThroughStep = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, save] = args as [tf.Tensor, tf.GradSaveFunc];
  save([x]);
  return {
    value: tf.cast(tf.greater(x, 0), 'float32'),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const y = tf.sigmoid(saved[0]);
      return tf.mul(dy, tf.mul(y, tf.sub(1, y)));
    },
  };
});

/** Converts a parameter to a float32 scalar and checks its range by value. */
function scalarParam(value: unknown, name: keyof ContParams, ok: (v: number) => boolean, rule: string): tf.Tensor {
  check(value !== undefined, 'contModel', `params.${name}`, rule, value);
  const t = toFloat(value as tf.Tensor | number, 'contModel', `params.${name}`);
  check(t.rank === 0, 'contModel', `params.${name}`, 'a number or a scalar tensor', t);
  const v = t.dataSync()[0];
  check(ok(v), 'contModel', `params.${name}`, rule, v);
  return t;
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
 * temperature tau, so its forward value is an exact Bernoulli(s) draw. By default
 * the feedback `nu <- |r_t|` is not differentiated (see `feedback`): gradients
 * follow sigma and eta at each step, the initial thresholds until each agent
 * resets, and s through the resets, but not the effect of a return on later
 * thresholds. The straight-through parts and the cut feedback bias the gradient;
 * the cut is what keeps it finite over hundreds of steps. `|r|` has gradient 0 at
 * r = 0. Time is a loop of T steps; agents are vectorised (no per-agent loop).
 *
 * Mirrors the PyTorch `RamaCont` model of BlackBIRDS (Quera-Bofarull, Dyer et al.),
 * which draws a signal per agent; here the signal is common, as in Cont (2005).
 *
 * @param params `sigma` > 0, `eta` > 0, `s` in [0, 1], `gamma0` finite, `gamma1` >= 0
 *   (numbers or float32 scalar tensors; gradients flow to the tensors).
 * @param options `nAgents` >= 1, `nTimesteps` >= 1; `orders` (default
 *   'straight-through'), `k` (default 10), `tau` (default 0.1), `feedback` (default false).
 * @returns The returns r_1..r_T, float32 of shape [T], each in [-1/eta, 1/eta]; with
 *   straight-through orders, each r_t N eta is an integer.
 * @throws If a parameter is outside its range, not a scalar, or NaN, or an option is invalid.
 * @example
 * manualSeed(0);
 * const r = contModel({ sigma: 0.001, eta: 10, s: 0.05, gamma0: Math.log(0.001), gamma1: 0.5 },
 *   { nAgents: 1000, nTimesteps: 300 }); // [300]; autocorrelation(tf.abs(r)) decays slowly
 * @see Cont (2005), Volatility clustering in financial markets: empirical facts and agent-based models,
 *   in Long Memory in Economics, Springer. Dyer et al. (2023), Gradient-assisted calibration for
 *   financial agent-based models, ICAIF '23.
 */
export function contModel(params: ContParams, options: ContOptions): tf.Tensor1D {
  const fn = 'contModel';
  check(typeof params === 'object' && params !== null, fn, 'params', 'an object { sigma, eta, s, gamma0, gamma1 }', params);
  check(typeof options === 'object' && options !== null, fn, 'options', 'an object { nAgents, nTimesteps, ... }', options);
  const { nAgents, nTimesteps, orders = 'straight-through', k = 10, tau = 0.1, feedback = false } = options;
  checkInteger(nAgents, fn, 'nAgents', 1);
  checkInteger(nTimesteps, fn, 'nTimesteps', 1);
  check(orders === 'straight-through' || orders === 'soft', fn, 'orders', "'straight-through' or 'soft'", orders);
  check(typeof k === 'number' && Number.isFinite(k) && k > 0, fn, 'k', 'a finite number > 0', k);
  checkTemperature(tau, fn);
  check(typeof feedback === 'boolean', fn, 'feedback', 'a boolean', feedback);
  const N = nAgents;
  const T = nTimesteps;
  return tf.tidy(() => {
    const sigma = scalarParam(params.sigma, 'sigma', (v) => v > 0 && Number.isFinite(v), 'a finite number > 0');
    const eta = scalarParam(params.eta, 'eta', (v) => v > 0 && Number.isFinite(v), 'a finite number > 0');
    const s = scalarParam(params.s, 's', (v) => v >= 0 && v <= 1, 'in [0, 1]');
    const gamma0 = scalarParam(params.gamma0, 'gamma0', Number.isFinite, 'a finite number');
    const gamma1 = scalarParam(params.gamma1, 'gamma1', (v) => v >= 0 && Number.isFinite(v), 'a finite number >= 0');

    // In units of sigma / k, the indicator 1[eps > nu] is 1[k xi - (k / sigma) nu > 0]
    // and its surrogate sigmoid(k xi - (k / sigma) nu). Each agent has two margins,
    // y - (k / sigma) nu_i (buy) and -y - (k / sigma) nu_i (sell) with y = k xi, side
    // by side in one vector of 2N: entries 2i and 2i + 1 are agent i's. Every
    // operation in the loop is between tensors of one shape or with a scalar,
    // which keeps the cpu backend on its fast path.
    const scale = tf.div(k, sigma);
    const nu0 = tf.exp(tf.add(gamma0, tf.mul(gamma1, randn([N, 1]))));
    let nu = tf.reshape(tf.matMul(nu0, tf.ones([1, 2])), [2 * N]);
    const signs = new Float32Array(2 * N).map((_, i) => (i % 2 === 0 ? 1 : -1));
    // A buyer adds +1 / (N eta) to the return, a seller -1 / (N eta).
    const weights = tf.div(tf.tensor1d(signs), tf.mul(N, eta));
    // The logits [log s, log(1 - s)] of a reset, clamped so that s = 0 or 1 gives
    // a finite logit (-87) and a zero gradient, not NaN.
    const logits = tf.reshape(tf.stack([tf.log(tf.maximum(s, FLOAT32_TINY)), tf.log(tf.maximum(tf.sub(1, s), FLOAT32_TINY))]), [1, 2]);
    // Maps a one-hot draw [reset, stay] to [reset, reset]: one value per margin.
    const resetTwice = tf.tensor2d([1, 1, 0, 0], [2, 2]);
    const indicator = orders === 'soft' ? tf.sigmoid : (x: tf.Tensor) => straightThroughStep(x);
    const signals = randn([T]).dataSync();
    const margin = new Float32Array(2 * N);
    const returns: tf.Tensor[] = [];
    let keep: tf.Tensor[] = [];
    let take: tf.Tensor[] = [];
    for (let t = 0; t < T; t++) {
      const j = t % DRAW_CHUNK;
      if (j === 0) {
        // The resets of the next steps in one call: keep = 1 - m, take = m. A few
        // steps per call, not all T: on wasm, taking a row out of a tensor copies
        // the whole tensor, so the rows come from small chunks.
        const steps = Math.min(DRAW_CHUNK, T - t);
        const perAgent = tf.matMul(tf.ones([steps * N, 1]), logits);
        const draws = gumbelSoftmax(perAgent, { tau, hard: true });
        const reset = tf.reshape(tf.matMul(draws, resetTwice), [steps, 2 * N]);
        keep = rows(tf.sub(1, reset));
        take = rows(reset);
      }
      const y = k * signals[t];
      for (let i = 0; i < 2 * N; i += 2) {
        margin[i] = y;
        margin[i + 1] = -y;
      }
      const r = tf.sum(tf.mul(indicator(tf.sub(tf.tensor1d(margin), tf.mul(nu, scale))), weights));
      returns.push(r);
      // Agents that reset take |r_t|, the others keep their thresholds.
      if (t < T - 1) nu = tf.add(tf.mul(keep[j], nu), tf.mul(take[j], feedback ? tf.abs(r) : stopGradient(tf.abs(r))));
    }
    return tf.stack(returns) as tf.Tensor1D;
  });
}
