/**
 * Unbiased derivatives of programs with discrete randomness (stochastic derivatives).
 *
 * For a program f whose randomness includes discrete draws with parameter-dependent
 * probabilities, the derivative of E[f(x)] has two parts (Arya, Schauer, Schäfer and
 * Rackauckas, "Automatic Differentiation of Programs with Discrete Randomness", NeurIPS
 * 2022, the method of StochasticAD.jl):
 *
 *   d E[f] / d x_j = E[ df/dx_j |draws held  +  sum over flips k of rate_kj (f_k - f) ],
 *
 * the ordinary derivative of f with every draw's outcome held (comparisons, masks and
 * indicators carry zero), plus, for each possible flip k of one draw to a neighbouring
 * outcome, the rate at which an infinitesimal change of x_j causes it times the change of
 * f when it happens, every other random number kept (f_k is f re-run on the same tape with
 * that draw forced). With the draw coupled to its uniform by the inverse CDF,
 * - Bernoulli(p): 0 -> 1 at rate max(p', 0) / (1 - p), 1 -> 0 at rate max(-p', 0) / p;
 * - Binomial(n, p): k -> k + 1 at rate max(p', 0) (n - k) / (1 - p), k -> k - 1 at max(-p', 0) k / p;
 * - Categorical(p): k -> k - 1 at rate max(F'_{k-1}, 0) / p_k, k -> k + 1 at max(-F'_k, 0) / p_k,
 *   F the cumulative probabilities (a hard `gumbelSoftmax` draw is read as a categorical draw
 *   of probabilities softmax(logits): the estimator needs only the outcome's law, and each
 *   draw's own uniforms are independent of the rest).
 */
import * as tf from '@tensorflow/tfjs';
import { drawShape, recordDraws, replayDraws, uniformArray, withShape } from './random';
import { jvp } from './jacobian';
import { check, checkInteger } from './check';
import { DrawRecord, EstimateContext, outsideEstimate, withinEstimate } from './discreteDraws';

/** How the flips of a sample are turned into an estimate. */
export type EstimateRoute = 'auto' | 'enumerate' | 'prune';

/** Options of {@link derivativeEstimate}. */
export interface DerivativeEstimateOptions {
  /**
   * `'enumerate'`: every possible flip, each re-run on the same tape (lowest variance; one
   * run per flip). `'prune'`: per parameter, one flip chosen with probability proportional
   * to its rate and weighted by the total rate (two runs per parameter, whatever the
   * number of draws). `'auto'`: enumerate when a sample has at most `maxEnumerate` flips,
   * else prune; step-by-step engines that prune as they run (`sirModel`'s fused engine)
   * do so. Default `'auto'`.
   */
  route?: EstimateRoute;
  /** The largest number of flips per sample that `'auto'` enumerates. Default 256. */
  maxEnumerate?: number;
}

/** Options of {@link sampleDerivativeEstimates}. */
export interface SampleDerivativeEstimatesOptions extends DerivativeEstimateOptions {
  /**
   * Whether f takes a batch: x of shape [B, ...x.shape] with independent rows, every draw
   * of shape [B, ...] (batch first), output [B, ...], as `randomWalk` with a 1-D theta or
   * `sirModel` with 1-D rates. Then all samples, and all flips, run as one batch. Default false.
   */
  batched?: boolean;
  /** Rows per batched run of the flipped programs, to bound memory. Default 4096. */
  chunkRows?: number;
}

/** A flipped program: sample row `src`, draw call `call`, element `element` forced to `outcome`, weighted per parameter. */
interface Flip {
  src: number;
  call: number;
  element: number;
  outcome: number;
  weights: Float64Array;
}

const newContext = (fn: string, engines: boolean, force = new Map<number, Map<number, number>>()): EstimateContext => ({
  fn,
  draws: [],
  force,
  probs: null,
  engines,
});

function checkArguments(f: unknown, x: unknown, options: unknown, fn: string): { route: EstimateRoute; maxEnumerate: number } {
  check(typeof f === 'function', fn, 'f', 'a function', typeof f);
  check(typeof x === 'number' || (x instanceof tf.Tensor && x.dtype === 'float32'), fn, 'x', 'a float32 tensor or a number', x);
  const values = typeof x === 'number' ? [x] : (x as tf.Tensor).dataSync();
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new Error(`${fn}: x must be finite numbers, but got ${values[i]}${values.length > 1 ? ` at flat index ${i}` : ''}`);
    }
  }
  check(typeof options === 'object' && options !== null, fn, 'options', 'an object', options);
  const { route = 'auto', maxEnumerate = 256 } = options as DerivativeEstimateOptions;
  check(route === 'auto' || route === 'enumerate' || route === 'prune', fn, 'route', "one of 'auto', 'enumerate', 'prune'", route);
  checkInteger(maxEnumerate, fn, 'maxEnumerate', 0);
  return { route, maxEnumerate };
}

/** The possible flips of element `el` of a draw with its probability derivatives `dp(m)` (m the class for a categorical). */
function flipsOf(draw: DrawRecord, el: number, dp: (m: number) => number, out: (outcome: number, rate: number) => void): void {
  const o = draw.outcome[el];
  if (draw.kind === 'bernoulli' || draw.kind === 'binomial') {
    const p = draw.probs[el];
    const d = dp(0);
    const n = draw.kind === 'binomial' ? (draw.totalCount as Float32Array)[el] : 1;
    if (o < n) out(o + 1, (Math.max(d, 0) * (n - o)) / (1 - p));
    if (o > 0) out(o - 1, (Math.max(-d, 0) * o) / p);
    return;
  }
  const K = draw.classes;
  const base = el * K;
  let dBelow = 0; // F'_{o-1}
  for (let m = 0; m < o; m++) dBelow += dp(m);
  const pk = draw.probs[base + o];
  if (o > 0) out(o - 1, Math.max(dBelow, 0) / pk);
  if (o < K - 1) out(o + 1, Math.max(-(dBelow + dp(o)), 0) / pk);
}

/**
 * The estimates of n samples, [n, M, d] flat, with the output shape: the work of both public functions.
 * Inside a `tf.tidy`.
 */
function estimate(f: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor, n: number, batched: boolean, route: EstimateRoute, maxEnumerate: number, chunkRows: number, fn: string): tf.Tensor {
  const d = x.size;
  const xB = batched ? tf.tile(tf.expandDims(x, 0), [n, ...x.shape.map(() => 1)]) : x;
  const engines = route === 'auto';
  // 1. The primal run, recording its uniforms and its discrete draws.
  const primal = newContext(fn, engines);
  const { value: y0, draws } = recordDraws(() => withinEstimate(primal, () => f(xB)));
  check(y0 instanceof tf.Tensor && y0.dtype === 'float32', fn, 'f(x)', 'a float32 tensor', y0);
  if (batched) {
    check(y0.rank >= 1 && y0.shape[0] === n, fn, 'f(x)', `a tensor whose first axis is the batch (${n}), with batched: true`, y0);
    for (const u of draws) {
      const s = drawShape(u);
      check(s[0] === n, fn, 'f', `a function whose every random draw has the batch (${n}) first, with batched: true`, `a draw of shape [${s}]`);
    }
  }
  const outShape = batched ? y0.shape.slice(1) : y0.shape;
  const M = outShape.reduce((a, b) => a * b, 1);
  const rows = batched ? n : 1;
  const calls = primal.draws;
  // 2. Per parameter, forward mode on the same tape: the output's derivative with the draws held,
  //    beside every draw's probability derivatives.
  const derivatives: Float32Array[] = [];
  for (let j = 0; j < d; j++) {
    const ej = new Float32Array(d);
    ej[j] = 1;
    const vj = tf.tensor(ej, x.shape, 'float32');
    const v = batched ? tf.tile(tf.expandDims(vj, 0), [n, ...x.shape.map(() => 1)]) : vj;
    const kept: tf.Tensor[] = [];
    const h = (xb: tf.Tensor) => {
      const context = newContext(fn, engines);
      context.probs = [];
      const y = withinEstimate(context, () => f(xb));
      checkSameDraws(calls, context.draws, fn);
      kept.push(...context.probs);
      return tf.concat([tf.reshape(y, [rows, -1]), ...context.probs.map((p) => tf.reshape(p, [rows, -1]))], 1);
    };
    try {
      derivatives.push(replayDraws(draws, () => jvp(h, xB, v), fn).dataSync() as Float32Array);
    } finally {
      kept.forEach((t) => t.dispose());
    }
  }
  const width = derivatives.length > 0 ? derivatives[0].length / rows : 0;
  const est = new Float64Array(n * M * d);
  for (let j = 0; j < d; j++) {
    for (let i = 0; i < rows; i++) for (let m = 0; m < M; m++) est[(i * M + m) * d + j] = derivatives[j][i * width + m];
  }
  // 3. The flips of each sample and their rates per parameter.
  const offsets: number[] = [];
  let offset = M;
  for (const c of calls) {
    offsets.push(offset);
    offset += c.probs.length / rows;
  }
  const candidates: Flip[][] = Array.from({ length: rows }, () => []);
  calls.forEach((call, c) => {
    const elements = call.outcome.length / rows;
    for (let i = 0; i < rows; i++) {
      for (let e = 0; e < elements; e++) {
        const el = i * elements + e;
        const flips = new Map<number, Float64Array>();
        for (let j = 0; j < d; j++) {
          const row = derivatives[j];
          const at = i * width + offsets[c] + e * call.classes;
          flipsOf(call, el, (m) => row[at + m], (outcome, rate) => {
            if (!(rate >= 0 && Number.isFinite(rate))) {
              throw new Error(
                `${fn}: a ${call.kind} draw of ${call.fn} has no finite flip rate (got ${rate} at element ${el}); ` +
                  'the estimator can differentiate draws whose probabilities are finite and differentiable in x',
              );
            }
            if (rate === 0) return;
            let w = flips.get(outcome);
            if (!w) flips.set(outcome, (w = new Float64Array(d)));
            w[j] += rate;
          });
        }
        flips.forEach((weights, outcome) => candidates[i].push({ src: i, call: c, element: el, outcome, weights }));
      }
    }
  });
  // 4. Enumerate every flip, or keep one per parameter.
  const most = candidates.reduce((a, list) => Math.max(a, list.length), 0);
  const enumerate = route === 'enumerate' || (route === 'auto' && most <= maxEnumerate);
  const chosen: Flip[] = [];
  if (enumerate) candidates.forEach((list) => chosen.push(...list));
  else {
    const u = outsideEstimate(() => uniformArray(rows * d, [rows, d]));
    candidates.forEach((list, i) => {
      for (let j = 0; j < d; j++) {
        let total = 0;
        for (const flip of list) total += flip.weights[j];
        if (total === 0) continue;
        let target = u[i * d + j] * total;
        let pick = list[list.length - 1];
        for (const flip of list) {
          if (flip.weights[j] === 0) continue;
          if (target < flip.weights[j]) {
            pick = flip;
            break;
          }
          target -= flip.weights[j];
        }
        const weights = new Float64Array(d);
        weights[j] = total;
        chosen.push({ ...pick, weights });
      }
    });
  }
  // 5. Run the flipped programs and add rate * (f_flipped - f).
  const base = y0.dataSync();
  const add = (flip: Flip, values: ArrayLike<number>, at: number) => {
    for (let m = 0; m < M; m++) {
      const diff = values[at + m] - base[flip.src * M + m];
      if (diff === 0) continue;
      for (let j = 0; j < d; j++) if (flip.weights[j] !== 0) est[(flip.src * M + m) * d + j] += flip.weights[j] * diff;
    }
  };
  const runFlipped = (flips: Flip[], rowDraws: Float32Array[], xF: tf.Tensor, rowOf: (r: number, flip: Flip) => number) => {
    const force = new Map<number, Map<number, number>>();
    flips.forEach((flip, r) => {
      if (!force.has(flip.call)) force.set(flip.call, new Map());
      (force.get(flip.call) as Map<number, number>).set(rowOf(r, flip), flip.outcome);
    });
    const context = newContext(fn, engines, force);
    const y = tf.tidy(() => replayDraws(rowDraws, () => withinEstimate(context, () => f(xF)), fn));
    check(context.draws.length === calls.length, fn, 'f', 'a function that makes the same discrete draws on every run', `${context.draws.length} draws instead of ${calls.length}`);
    const values = y.dataSync();
    y.dispose();
    return values;
  };
  if (batched) {
    for (let start = 0; start < chosen.length; start += chunkRows) {
      const chunk = chosen.slice(start, start + chunkRows);
      const R = chunk.length;
      const rowDraws = draws.map((u) => {
        const shape = drawShape(u);
        const size = u.length / n;
        const out = new Float32Array(R * size);
        chunk.forEach((flip, r) => out.set(u.subarray(flip.src * size, (flip.src + 1) * size), r * size));
        return withShape(out, [R, ...shape.slice(1)]);
      });
      const xF = tf.tidy(() => tf.gather(xB, tf.tensor1d(chunk.map((flip) => flip.src), 'int32')));
      const values = runFlipped(chunk, rowDraws, xF, (r, flip) => {
        const elements = calls[flip.call].outcome.length / n;
        return r * elements + (flip.element - flip.src * elements);
      });
      xF.dispose();
      chunk.forEach((flip, r) => add(flip, values, r * M));
    }
  } else {
    for (const flip of chosen) add(flip, runFlipped([flip], draws, x, (_, fl) => fl.element), 0);
  }
  return tf.tensor(Float32Array.from(est), [n, ...outShape, ...x.shape], 'float32');
}

/** Throws if a run of f made discrete draws other than the primal run's. */
function checkSameDraws(first: DrawRecord[], again: DrawRecord[], fn: string): void {
  const same =
    first.length === again.length &&
    first.every((a, c) => {
      const b = again[c];
      return a.kind === b.kind && a.outcome.length === b.outcome.length && a.outcome.every((o, i) => o === b.outcome[i]);
    });
  if (!same) {
    throw new Error(
      `${fn}: f made different discrete draws when run again on the same random numbers; ` +
        'f must draw through the library (bernoulli, gumbelSoftmax, the distributions) in the same order on every run',
    );
  }
}

/**
 * Computes one unbiased sample of the Jacobian of x -> E[f(x)], for f with discrete random draws.
 *
 * `J[i..., j...]` estimates `d E[f(x)[i...]] / d x[j...]` without bias: the derivative
 * of f with every draw held (continuous part, by autodiff; comparisons, masks and
 * `tf.where` carry zero), plus, summed over the flips a change of x can cause, the flip's
 * rate times the change of f when that draw is flipped and every other random number kept
 * (Arya et al. 2022; the module notes give the rates). f is the same code that `jacobian`
 * differentiates with straight-through gradients: inside this function the library's
 * discrete draws (`bernoulli`, `Bernoulli`, `Binomial`, `Categorical`, hard `gumbelSoftmax`,
 * and so `randomWalk`) return their exact outcomes with a zero derivative and report their
 * probabilities, and f is re-run with single draws flipped.
 *
 * Routes (`route`), and where each is unbiased:
 * - `'enumerate'` runs f once per possible flip. Unbiased for every output, with the
 *   variance of one flip per draw: for the walk, `Var[d x_t / d theta] = 4 t theta / (1 - theta)`.
 * - `'prune'` keeps, per parameter, one flip drawn in proportion to its rate, weighted by
 *   the total rate. Unbiased for every output, but the one flip is shared by all outputs, so
 *   an output that few draws reach (early steps) gets a large variance; best for a scalar f.
 * - `'auto'` (default) enumerates up to `maxEnumerate` flips per sample, else prunes.
 *   Under it `sirModel`'s fused engine prunes as it runs, as StochasticAD does: it
 *   carries the primal epidemic and, per parameter, one alternative epidemic and a weight,
 *   replacing the alternative by a new flip with probability (new rate) / (total rate), so
 *   day t's estimate carries the flips up to day t only. That is unbiased for each daily
 *   count of `sirModel` and for any linear function of them (sums, scalings), not for a
 *   nonlinear f of several days' counts (such as a squared error): force `'prune'` or
 *   `'enumerate'` for those, and the model then runs its step-by-step engine with each
 *   draw reported here.
 * (TF.js has no gradient for `tf.greater` and the other comparisons: write an indicator
 * as `tf.step(x)`, or use a comparison as the condition of `tf.where`.)
 * Every route is unbiased for E[f] only where f is a function of the library's draws and x:
 * draws made elsewhere (`Math.random`), or uniforms from `rand()` compared by hand, have no
 * flip rule (`rand()` inside an estimate is an error). Continuous draws (`randn`,
 * `Normal.rsample`, soft `gumbelSoftmax`) are held and differentiated pathwise.
 *
 * Mirrors `StochasticAD.derivative_estimate(f, x)` of StochasticAD.jl; no PyTorch counterpart
 * (torch.distributions' `rsample` covers continuous draws only).
 *
 * @param f A function of one float32 tensor that returns a float32 tensor, drawing through the library.
 * @param x The point, a float32 tensor (or a number), every entry finite.
 * @param options `route` (default 'auto') and `maxEnumerate` (default 256).
 * @returns A float32 tensor of shape `[...f(x).shape, ...x.shape]`, like `jacobian(f, x)`.
 * @throws If f is not a function, x is not a finite float32 tensor or number, an option is
 *   out of range, f makes different draws when run again, f calls `rand()`, or a draw has
 *   no finite flip rate.
 * @example
 * manualSeed(0);
 * const J = derivativeEstimate((th) => randomWalk(th, 50), tf.scalar(0.3)); // [50]; E[J[t]] = 2t
 * @see https://arxiv.org/abs/2210.08572
 */
export function derivativeEstimate(f: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor | number, options: DerivativeEstimateOptions = {}): tf.Tensor {
  const fn = 'derivativeEstimate';
  const { route, maxEnumerate } = checkArguments(f, x, options, fn);
  return tf.tidy(() => {
    const $x = typeof x === 'number' ? tf.scalar(x) : x;
    return tf.squeeze(estimate(f, $x, 1, false, route, maxEnumerate, 1, fn), [0]);
  });
}

/**
 * Draws n independent unbiased samples of the Jacobian of x -> E[f(x)], stacked first.
 *
 * Each is a {@link derivativeEstimate}. With `batched: true` f runs on a batch of n copies
 * of x (rows independent, every draw batch-first), and the flipped programs of all samples
 * run as batches of at most `chunkRows` rows: memory grows linearly with n.
 *
 * Mirrors repeated `StochasticAD.derivative_estimate` calls.
 *
 * @param f As for {@link derivativeEstimate}; with `batched`, a function of [B, ...x.shape].
 * @param x The point, a float32 tensor or a number, finite.
 * @param n The number of samples, an integer >= 1.
 * @param options As for {@link derivativeEstimate}, plus `batched` (default false) and `chunkRows` (default 4096).
 * @returns A float32 tensor of shape `[n, ...f(x).shape, ...x.shape]`.
 * @throws As {@link derivativeEstimate}; if n is not a positive integer; with `batched`, if
 *   f's output or a draw does not have the batch first.
 * @example
 * manualSeed(0);
 * const J = sampleDerivativeEstimates((th) => randomWalk(th, 50), 0.3, 1000, { batched: true }); // [1000, 50]
 */
export function sampleDerivativeEstimates(
  f: (x: tf.Tensor) => tf.Tensor,
  x: tf.Tensor | number,
  n: number,
  options: SampleDerivativeEstimatesOptions = {},
): tf.Tensor {
  const fn = 'sampleDerivativeEstimates';
  const { route, maxEnumerate } = checkArguments(f, x, options, fn);
  checkInteger(n, fn, 'n', 1);
  const { batched = false, chunkRows = 4096 } = options;
  check(typeof batched === 'boolean', fn, 'batched', 'a boolean', batched);
  checkInteger(chunkRows, fn, 'chunkRows', 1);
  return tf.tidy(() => {
    const $x = typeof x === 'number' ? tf.scalar(x) : x;
    if (batched) return estimate(f, $x, n, true, route, maxEnumerate, chunkRows, fn);
    const samples: tf.Tensor[] = [];
    for (let i = 0; i < n; i++) samples.push(estimate(f, $x, 1, false, route, maxEnumerate, 1, fn));
    return tf.concat(samples, 0);
  });
}
