/**
 * Calibration by gradient descent: a bounded loop with early stopping.
 *
 * The parameters of a simulator live in domains, a probability in (0, 1), a
 * scale in (0, inf). The optimiser works on unconstrained values and each
 * parameter is mapped to its domain (sigmoid, exp) before the loss sees it, so
 * every step of the optimiser gives a valid parameter.
 */
import * as tf from '@tensorflow/tfjs';
import { check, checkInteger } from '../check';

/**
 * The domain of a parameter and the map from the unconstrained value u to it:
 * `'real'` (x = u), `'positive'` (x = exp u), `'unit'` (x = sigmoid u, for
 * probabilities), or `[lo, hi]` (x = lo + (hi - lo) sigmoid u).
 */
export type Domain = 'real' | 'positive' | 'unit' | [number, number];

/** What {@link calibrate} reports after each epoch. */
export interface EpochInfo {
  /** The epoch, from 0. */
  epoch: number;
  /** The loss at `params`, before this epoch's step. */
  loss: number;
  /** The exponential moving average of the loss that early stopping watches. */
  smoothedLoss: number;
  /** The parameters at which `loss` was evaluated, in their domains. */
  params: Record<string, number>;
}

/** Options of {@link calibrate}. */
export interface CalibrateOptions {
  /** Starting values, by name, each inside its domain. */
  init: Record<string, number>;
  /** Domain of each parameter, by name; names left out are `'real'`. */
  domains?: Record<string, Domain>;
  /** The loss: a float32 scalar tensor computed from the parameters (scalar tensors, in their domains). */
  loss: (params: Record<string, tf.Scalar>) => tf.Scalar;
  /** A TensorFlow.js optimiser; its state belongs to this run and is disposed at the end. Default `tf.train.adam(0.05)`. */
  optimizer?: tf.Optimizer;
  /** The number of epochs (steps) at most, >= 1. Default 100. */
  maxEpochs?: number;
  /** Stop after this many epochs without an improvement of the smoothed loss. Default Infinity (never). */
  patience?: number;
  /** The smallest decrease of the smoothed loss that counts as an improvement, >= 0. Default 0. */
  tol?: number;
  /** The weight of the past in the moving average of the loss, in [0, 1). Default 0 (raw loss). */
  smoothing?: number;
  /** Called after each epoch; return `false` to stop. */
  onEpoch?: (info: EpochInfo) => void | boolean;
}

/** The result of {@link calibrate}. */
export interface CalibrationResult {
  /** The parameters after the last step. */
  params: Record<string, number>;
  /** The epoch with the lowest smoothed loss, its loss and its parameters. */
  best: { epoch: number; smoothedLoss: number; params: Record<string, number> };
  /** Per epoch: the loss, the smoothed loss, and each parameter at which the loss was evaluated. */
  history: { loss: number[]; smoothedLoss: number[]; params: Record<string, number[]> };
  /** The number of epochs run. */
  epochs: number;
  /** Why the loop ended. */
  stopReason: 'maxEpochs' | 'patience' | 'callback' | 'nonFiniteLoss';
}

const FN = 'calibrate';

/**
 * The mean of one parameter over the last `count` epochs of a fit, or its
 * final value when no epoch ran: the estimate that the variational fits report,
 * which averages out the noise of the last steps.
 * @internal
 */
export function averageOfLastEpochs(fit: CalibrationResult, name: string, count: number): number {
  const last = fit.history.params[name].slice(-count);
  return last.length === 0 ? fit.params[name] : last.reduce((a, b) => a + b, 0) / last.length;
}

/** Checks that a domain is one of the four kinds. */
function checkDomain(name: string, domain: unknown): asserts domain is Domain {
  const ok =
    domain === 'real' ||
    domain === 'positive' ||
    domain === 'unit' ||
    (Array.isArray(domain) &&
      domain.length === 2 &&
      domain.every((v) => typeof v === 'number' && Number.isFinite(v)) &&
      domain[0] < domain[1]);
  check(ok, FN, `domains.${name}`, "'real', 'positive', 'unit' or [lo, hi] with lo < hi", domain);
}

/**
 * Maps an unconstrained tensor to a domain: `x = g(u)` (identity, exp, sigmoid, scaled sigmoid).
 *
 * Gradient: `g'(u)`, by autodiff: 1, `exp u`, `x (1 - x)`, `(x - lo)(hi - x) / (hi - lo)`.
 * Mirrors `torch.distributions.transforms` (`ExpTransform`, `SigmoidTransform`).
 *
 * @param u Any float32 tensor.
 * @param domain The {@link Domain}.
 * @returns A tensor of u's shape with values in the domain.
 * @example
 * toDomain(tf.scalar(0), 'unit'); // 0.5
 */
export function toDomain(u: tf.Tensor, domain: Domain): tf.Tensor {
  if (domain === 'real') return u;
  if (domain === 'positive') return tf.exp(u);
  if (domain === 'unit') return tf.sigmoid(u);
  return tf.add(domain[0], tf.mul(domain[1] - domain[0], tf.sigmoid(u)));
}

/**
 * Maps a value inside a domain to the unconstrained scale: `u = g^-1(x)` (log, logit), the inverse of {@link toDomain}.
 *
 * @param x A number strictly inside the domain (the ends map to -Infinity or Infinity).
 * @param domain The {@link Domain}.
 * @returns The unconstrained number.
 * @example
 * fromDomain(0.5, 'unit'); // 0
 */
export function fromDomain(x: number, domain: Domain): number {
  if (domain === 'real') return x;
  if (domain === 'positive') return Math.log(x);
  const p = domain === 'unit' ? x : (x - domain[0]) / (domain[1] - domain[0]);
  return Math.log(p) - Math.log1p(-p);
}

/** True when x lies strictly inside the domain (where the inverse map is finite). */
function inside(x: number, domain: Domain): boolean {
  if (!Number.isFinite(x)) return false;
  if (domain === 'real') return true;
  if (domain === 'positive') return x > 0;
  if (domain === 'unit') return x > 0 && x < 1;
  return x > domain[0] && x < domain[1];
}

/** Describes a domain for an error message. */
function domainRule(domain: Domain): string {
  if (domain === 'real') return 'a finite number';
  if (domain === 'positive') return 'a finite number > 0';
  if (domain === 'unit') return 'in (0, 1)';
  return `in (${domain[0]}, ${domain[1]})`;
}

/** Checks the options and fills in the defaults. */
function resolve(options: CalibrateOptions) {
  check(typeof options === 'object' && options !== null, FN, 'options', 'an object', options);
  const { init, loss, maxEpochs = 100, patience = Infinity, tol = 0, smoothing = 0, onEpoch } = options;
  check(typeof init === 'object' && init !== null && Object.keys(init).length > 0, FN, 'init', 'an object with at least one parameter', init);
  check(typeof loss === 'function', FN, 'loss', 'a function', typeof loss);
  checkInteger(maxEpochs, FN, 'maxEpochs', 1);
  check(patience === Infinity || (Number.isInteger(patience) && patience >= 1), FN, 'patience', 'an integer >= 1 or Infinity', patience);
  check(typeof tol === 'number' && Number.isFinite(tol) && tol >= 0, FN, 'tol', 'a finite number >= 0', tol);
  check(typeof smoothing === 'number' && smoothing >= 0 && smoothing < 1, FN, 'smoothing', 'in [0, 1)', smoothing);
  check(onEpoch === undefined || typeof onEpoch === 'function', FN, 'onEpoch', 'a function', typeof onEpoch);
  const domains: Record<string, Domain> = {};
  for (const name of Object.keys(options.domains ?? {})) {
    check(name in init, FN, `domains.${name}`, 'the domain of a parameter in init', options.domains?.[name]);
  }
  for (const name of Object.keys(init)) {
    const domain = options.domains?.[name] ?? 'real';
    checkDomain(name, domain);
    check(inside(init[name], domain), FN, `init.${name}`, domainRule(domain), init[name]);
    domains[name] = domain;
  }
  if (options.optimizer !== undefined) {
    check(options.optimizer instanceof tf.Optimizer, FN, 'optimizer', 'a tf.Optimizer (e.g. tf.train.adam(0.05))', options.optimizer);
  }
  return { init, domains, loss, maxEpochs, patience, tol, smoothing, onEpoch };
}

/** The loop, one epoch per `yield`; returns the result when it ends. */
function* epochs(options: CalibrateOptions): Generator<EpochInfo, CalibrationResult, boolean> {
  const { init, domains, loss, maxEpochs, patience, tol, smoothing } = resolve(options);
  const names = Object.keys(init);
  const optimizer = options.optimizer ?? tf.train.adam(0.05);
  const variables = names.map((name) => tf.tidy(() => tf.variable(tf.scalar(fromDomain(init[name], domains[name])), true)));
  const current = (): Record<string, number> => {
    const out: Record<string, number> = {};
    names.forEach((name, i) => {
      out[name] = tf.tidy(() => toDomain(variables[i], domains[name]).dataSync()[0]);
    });
    return out;
  };
  const history = { loss: [] as number[], smoothedLoss: [] as number[], params: {} as Record<string, number[]> };
  names.forEach((name) => (history.params[name] = []));
  let best = { epoch: -1, smoothedLoss: Infinity, params: { ...init } };
  let stopReason: CalibrationResult['stopReason'] = 'maxEpochs';
  let smoothed = NaN;
  let waited = 0;
  try {
    for (let epoch = 0; epoch < maxEpochs; epoch++) {
      const params = current();
      const cost = optimizer.minimize(
        () => {
          const inDomain: Record<string, tf.Scalar> = {};
          names.forEach((name, i) => (inDomain[name] = toDomain(variables[i], domains[name]) as tf.Scalar));
          const value = loss(inDomain);
          check(value instanceof tf.Tensor && value.rank === 0 && value.dtype === 'float32', FN, 'loss(params)', 'a float32 scalar tensor', value);
          return value;
        },
        true,
        variables,
      );
      const value = cost === null ? NaN : cost.dataSync()[0];
      cost?.dispose();
      if (!Number.isFinite(value)) {
        stopReason = 'nonFiniteLoss';
        break;
      }
      smoothed = epoch === 0 ? value : smoothing * smoothed + (1 - smoothing) * value;
      history.loss.push(value);
      history.smoothedLoss.push(smoothed);
      names.forEach((name) => history.params[name].push(params[name]));
      if (smoothed < best.smoothedLoss - tol || epoch === 0) {
        best = { epoch, smoothedLoss: smoothed, params };
        waited = 0;
      } else {
        waited++;
      }
      const proceed = yield { epoch, loss: value, smoothedLoss: smoothed, params };
      if (proceed === false) {
        stopReason = 'callback';
        break;
      }
      if (waited >= patience) {
        stopReason = 'patience';
        break;
      }
    }
    return { params: current(), best, history, epochs: history.loss.length, stopReason };
  } finally {
    variables.forEach((v) => v.dispose());
    optimizer.dispose();
  }
}

/**
 * Fits parameters by gradient descent on a loss, with early stopping.
 *
 * Each parameter x is the image of an unconstrained variable u, `x = g(u)` with g
 * given by its {@link Domain} (identity, exp, sigmoid, scaled sigmoid); each epoch
 * takes one optimiser step on u with the gradient of `loss(g(u))`. The loop ends
 * after `maxEpochs`, or when the smoothed loss `L_e = smoothing L_{e-1} + (1 - smoothing) loss_e`
 * has not fallen below its best minus `tol` for `patience` epochs, or when the loss
 * is not finite, or when `onEpoch` returns false.
 *
 * Gradient: whatever autodiff gives through `loss`; a stochastic loss gives
 * stochastic gradient descent. The transforms only rescale the gradient
 * (`dL/du = g'(u) dL/dx`), and keep x inside its domain.
 *
 * Mirrors the usual PyTorch loop: `opt = torch.optim.Adam([u], lr)`, then per
 * epoch `loss = f(transform(u)); opt.zero_grad(); loss.backward(); opt.step()`.
 *
 * @param options `init`, `loss` (required); `domains`, `optimizer` (default
 *   Adam, learning rate 0.05), `maxEpochs` (default 100), `patience` (default
 *   Infinity), `tol` (default 0), `smoothing` (default 0), `onEpoch`.
 * @returns The final parameters, the best epoch, the history (loss and
 *   parameters per epoch, each parameter at the point where its loss was
 *   evaluated), the number of epochs and why the loop stopped.
 * @throws If an option is invalid, a start value is outside its domain, or the
 *   loss does not return a float32 scalar tensor.
 * @example
 * const fit = calibrate({
 *   init: { theta: 0.5 }, domains: { theta: 'unit' },
 *   loss: ({ theta }) => tf.square(tf.sub(theta, 0.3)),
 *   optimizer: tf.train.adam(0.1), maxEpochs: 200,
 * }); // fit.params.theta close to 0.3
 */
export function calibrate(options: CalibrateOptions): CalibrationResult {
  const loop = epochs(options);
  try {
    let step = loop.next(true);
    while (step.done !== true) {
      const keepGoing = options.onEpoch?.(step.value as EpochInfo);
      step = loop.next(keepGoing !== false);
    }
    return step.value as CalibrationResult;
  } finally {
    // Runs the loop's clean-up (variables, optimiser) if onEpoch threw.
    loop.return(undefined as never);
  }
}

/**
 * Runs {@link calibrate} and lets the event loop run between epochs.
 *
 * The same loop and result; `onEpoch` may return a promise, which is awaited.
 * In a notebook, use it to update a display in place while the fit runs.
 *
 * @param options As for {@link calibrate}; `onEpoch` may be async.
 * @returns A promise of the {@link CalibrationResult}.
 * @throws As {@link calibrate} (the promise rejects).
 * @example
 * const fit = await calibrateAsync({ ...options, onEpoch: ({ epoch, loss }) => display.text(`${epoch}: ${loss}`) });
 */
export async function calibrateAsync(
  options: Omit<CalibrateOptions, 'onEpoch'> & { onEpoch?: (info: EpochInfo) => void | boolean | Promise<void | boolean> },
): Promise<CalibrationResult> {
  const loop = epochs(options as CalibrateOptions);
  try {
    let step = loop.next(true);
    while (step.done !== true) {
      const keepGoing = await options.onEpoch?.(step.value as EpochInfo);
      await new Promise((resolveTick) => setImmediate(resolveTick));
      step = loop.next(keepGoing !== false);
    }
    return step.value as CalibrationResult;
  } finally {
    loop.return(undefined as never);
  }
}
