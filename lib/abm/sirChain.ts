/**
 * The exact expectation of the agent-based SIR model, through its count-level Markov chain.
 *
 * In `sirModel` every susceptible agent is infected at a step with the same probability
 * `p(I) = 1 - exp(-beta dt I / N)`, and every infected agent recovers with
 * `q = 1 - exp(-gamma dt)`, all draws independent given the state at the start of the
 * step. So the counts form a Markov chain: given (S, R) (and I = N - S - R), the new
 * infections are X ~ Binomial(S, p(I)) and the recoveries Y ~ Binomial(I, q), independent,
 * and (S, R) -> (S - X, R + Y). At the start I ~ Binomial(N, f), S = N - I, R = 0.
 * The distribution of (S, R), (N + 1)^2 numbers, is carried forward exactly as TF.js
 * operations, one matrix product per step:
 *
 *   P'[S', R'] = sum_{S, R} Bin(S - S'; S, p(N - S - R)) Bin(R' - R; N - S - R, q) P[S, R],
 *
 * and the expected daily counts are `E[X_t] = sum P_t[S, R] S p(I)` and
 * `E[Y_t] = sum P_t[S, R] I q`. Autodiff of this program gives the exact Jacobian of the
 * expected daily counts with respect to (beta, gamma): the reference for the estimators
 * of the model's derivative. Cost: O(N^4) per step (N = 50: 7 million multiply-adds).
 *
 * `sirModel` clamps each draw's probability at 1e-8 from below (as the course does), so an
 * agent that is not susceptible may be "infected" with probability 1e-8 per step; the
 * chain leaves that out (it changes an expected count by at most about 1e-8 N T).
 */
import * as tf from '@tensorflow/tfjs';
import { check, checkInteger, toFloat } from '../check';
import { logFactorial } from '../distributions/binomial';

/** Options of {@link sirExpectedCounts}. */
export interface SirChainOptions {
  /** The number of agents N, an integer in [1, 200]. */
  nAgents: number;
  /** The number of steps T >= 1. */
  nTimesteps: number;
  /** The duration of a step, > 0. Default 1. */
  deltaT?: number;
  /** The probability that an agent is infected at the start, in [0, 1]. Default 0.01. */
  initialFractionInfected?: number;
}

/** log C(n, k), 0 where k is outside [0, n]. */
const logChoose = (n: number, k: number) => (k < 0 || k > n || n < 0 ? 0 : logFactorial(n) - logFactorial(k) - logFactorial(n - k));

/**
 * Computes the exact expected daily new infections and recoveries of `sirModel`, as fractions of N.
 *
 * `E[X_t] / N` and `E[Y_t] / N` for t = 0..T-1, from the count-level Markov chain of the
 * module notes, differentiable in beta and gamma by autodiff: `jacobian` of it is the exact
 * Jacobian of the expected counts, [2, T, 2].
 *
 * No PyTorch counterpart; it is the exact reference for `sirModel(params, options)`'s mean
 * (same parameters, same draws' law).
 *
 * @param params `beta` >= 0 and `gamma` >= 0: numbers or float32 scalar tensors (gradients flow to them).
 * @param options `nAgents` in [1, 200], `nTimesteps` >= 1, `deltaT` > 0 (default 1),
 *   `initialFractionInfected` in [0, 1] (default 0.01).
 * @returns A float32 tensor [2, T]: row 0 the expected infections, row 1 the expected recoveries, per step, over N.
 * @throws If a rate is negative, NaN or not a scalar, or an option is out of range.
 * @example
 * const x = tf.tensor1d([0.2, 0.05]);
 * const J = jacobian((p) => sirExpectedCounts({ beta: p.slice(0, 1).reshape([]), gamma: p.slice(1, 1).reshape([]) },
 *   { nAgents: 50, nTimesteps: 60, initialFractionInfected: 0.05 }), x); // [2, 60, 2]
 */
export function sirExpectedCounts(params: { beta: tf.Tensor | number; gamma: tf.Tensor | number }, options: SirChainOptions): tf.Tensor {
  const fn = 'sirExpectedCounts';
  check(typeof params === 'object' && params !== null, fn, 'params', 'an object { beta, gamma }', params);
  check(typeof options === 'object' && options !== null, fn, 'options', 'an object { nAgents, nTimesteps, ... }', options);
  const { nAgents: N, nTimesteps: T, deltaT = 1, initialFractionInfected: f = 0.01 } = options;
  checkInteger(N, fn, 'nAgents', 1);
  check(N <= 200, fn, 'nAgents', 'an integer in [1, 200] (the chain has (N + 1)^2 states)', N);
  checkInteger(T, fn, 'nTimesteps', 1);
  check(typeof deltaT === 'number' && Number.isFinite(deltaT) && deltaT > 0, fn, 'deltaT', 'a finite number > 0', deltaT);
  check(typeof f === 'number' && f >= 0 && f <= 1, fn, 'initialFractionInfected', 'in [0, 1]', f);
  return tf.tidy(() => {
    const rate = (v: unknown, name: string) => {
      const t = toFloat(v as tf.Tensor | number, fn, `params.${name}`);
      check(t.rank === 0, fn, `params.${name}`, 'a number or a scalar tensor', t);
      const x = t.dataSync()[0];
      check(x >= 0 && Number.isFinite(x), fn, `params.${name}`, 'a finite number >= 0', x);
      return t;
    };
    const beta = rate(params.beta, 'beta');
    const gamma = rate(params.gamma, 'gamma');
    const N1 = N + 1;
    // Constant tables over (S, R) and over (S', S, R) / (S, R, R').
    const I = new Float32Array(N1 * N1);
    const Sgrid = new Float32Array(N1 * N1);
    for (let s = 0; s < N1; s++) for (let r = 0; r < N1; r++) {
      I[s * N1 + r] = N - s - r;
      Sgrid[s * N1 + r] = s;
    }
    // Infections: x = S - S', [S', S, R].
    const xInf = new Float32Array(N1 * N1 * N1);
    const keepInf = new Float32Array(N1 * N1 * N1);
    const coefInf = new Float32Array(N1 * N1 * N1);
    const sPrime = new Float32Array(N1 * N1 * N1);
    // Recoveries: y = R' - R, [S, R, R'].
    const yRec = new Float32Array(N1 * N1 * N1);
    const keepRec = new Float32Array(N1 * N1 * N1);
    const coefRec = new Float32Array(N1 * N1 * N1);
    const iRec = new Float32Array(N1 * N1 * N1);
    for (let a = 0; a < N1; a++) for (let b = 0; b < N1; b++) for (let c = 0; c < N1; c++) {
      const k = (a * N1 + b) * N1 + c;
      // [S' = a, S = b, R = c]
      const x = b - a;
      const okInf = x >= 0 && b + c <= N;
      xInf[k] = okInf ? x : 0;
      sPrime[k] = okInf ? a : 0;
      keepInf[k] = okInf ? 1 : 0;
      coefInf[k] = okInf ? logChoose(b, x) : 0;
      // [S = a, R = b, R' = c]
      const i = N - a - b;
      const y = c - b;
      const okRec = i >= 0 && y >= 0 && y <= i;
      yRec[k] = okRec ? y : 0;
      iRec[k] = okRec ? i : 0;
      keepRec[k] = okRec ? 1 : 0;
      coefRec[k] = okRec ? logChoose(i, y) : 0;
    }
    const shape3 = [N1, N1, N1];
    const t3 = (v: Float32Array) => tf.tensor(v, shape3, 'float32');
    const [X3, S3, KI, CI, Y3, I3, KR, CR] = [xInf, sPrime, keepInf, coefInf, yRec, iRec, keepRec, coefRec].map(t3);
    const Igrid = tf.tensor2d(I, [N1, N1]);
    const Sg = tf.tensor2d(Sgrid, [N1, N1]);
    const validMask = new Float32Array(N1 * N1);
    const positiveMask = new Float32Array(N1 * N1);
    const betaValue = beta.dataSync()[0];
    for (let k = 0; k < N1 * N1; k++) {
      validMask[k] = I[k] >= 0 ? 1 : 0;
      positiveMask[k] = I[k] > 0 && betaValue > 0 ? 1 : 0;
    }
    const valid = tf.tensor2d(validMask, [N1, N1]);
    const positive = tf.tensor2d(positiveMask, [N1, N1]);
    // Per (S, R): a = beta dt I / N; log p and log(1 - p) = -a.
    const aInf = tf.mul(tf.mul(beta, deltaT / N), tf.relu(Igrid));
    const aSafe = tf.add(tf.mul(positive, aInf), tf.sub(1, positive));
    const logP = tf.mul(positive, tf.log(tf.neg(tf.expm1(tf.neg(aSafe)))));
    const pInf = tf.neg(tf.expm1(tf.neg(aInf)));
    // Recovery: log q and log(1 - q) = -gamma dt.
    const bRec = tf.mul(gamma, deltaT);
    const recPositive = bRec.dataSync()[0] > 0;
    const logQ = recPositive ? tf.log(tf.neg(tf.expm1(tf.neg(bRec)))) : tf.scalar(0);
    const q = tf.neg(tf.expm1(tf.neg(bRec)));
    // A[S', S, R] = Bin(S - S'; S, p(I)): zero where x > 0 and p = 0.
    const allowInf = tf.mul(KI, tf.maximum(tf.expandDims(positive, 0), tf.cast(tf.equal(X3, 0), 'float32')));
    const logA = tf.add(CI, tf.add(tf.mul(X3, tf.expandDims(logP, 0)), tf.mul(S3, tf.expandDims(tf.neg(aInf), 0))));
    const A = tf.reshape(tf.mul(allowInf, tf.exp(tf.mul(logA, allowInf))), [N1, N1 * N1]);
    // B[S, R, R'] = Bin(R' - R; I, q).
    const allowRec = recPositive ? KR : tf.mul(KR, tf.cast(tf.equal(Y3, 0), 'float32'));
    const logB = tf.add(CR, tf.add(tf.mul(Y3, logQ), tf.mul(tf.sub(I3, Y3), tf.neg(bRec))));
    const B = tf.mul(allowRec, tf.exp(tf.mul(logB, allowRec)));
    // Start: S = N - Binomial(N, f), R = 0.
    const start = new Float32Array(N1 * N1);
    for (let s = 0; s < N1; s++) {
      const k = N - s;
      start[s * N1] = f === 0 ? (k === 0 ? 1 : 0) : f === 1 ? (k === N ? 1 : 0) : Math.exp(logChoose(N, k) + k * Math.log(f) + (N - k) * Math.log1p(-f));
    }
    let P: tf.Tensor = tf.tensor2d(start, [N1, N1]);
    const infectionRate = tf.mul(valid, tf.mul(Sg, pInf));
    const recoveryRate = tf.mul(valid, tf.mul(tf.relu(Igrid), q));
    const infections: tf.Tensor[] = [];
    const recoveries: tf.Tensor[] = [];
    for (let t = 0; t < T; t++) {
      infections.push(tf.sum(tf.mul(P, infectionRate)));
      recoveries.push(tf.sum(tf.mul(P, recoveryRate)));
      if (t === T - 1) break;
      const U = tf.reshape(tf.mul(tf.expandDims(P, 2), B), [N1 * N1, N1]);
      P = tf.matMul(A, U);
    }
    return tf.div(tf.stack([tf.stack(infections), tf.stack(recoveries)]), N);
  });
}
