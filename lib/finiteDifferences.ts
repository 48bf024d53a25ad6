/**
 * Finite-difference estimates of derivatives, in float64 and in float32.
 *
 * A difference quotient has two errors that pull the step size eps in
 * opposite directions. Truncation (the Taylor terms the quotient drops) falls
 * with eps: `|f''| eps / 2` for the forward quotient, `|f'''| eps^2 / 6` for
 * the central one. Round-off (the two values of f are each rounded to the
 * working precision u, then subtracted and divided by eps) grows as
 * `u |f| / eps`. Their sum is smallest near `eps ~ sqrt(u)` for the forward
 * quotient and `eps ~ cbrt(u)` for the central one. Plain JavaScript numbers
 * are float64 (u = 2^-52); TensorFlow.js tensors are float32 (u = 2^-23), so
 * the same quotient needs a much larger step on tensors.
 */
import * as tf from '@tensorflow/tfjs';
import { check, toFloat } from './check';

/** The gap between 1 and the next float64, 2^-52 (`Number.EPSILON`). */
export const FLOAT64_EPSILON = Number.EPSILON;

/** The gap between 1 and the next float32, 2^-23 (`torch.finfo(torch.float32).eps`). */
export const FLOAT32_EPSILON = 2 ** -23;

/** A difference quotient: one-sided (`forward`) or symmetric (`central`). */
export type DifferenceScheme = 'forward' | 'central';

/** The precision a quotient is computed in: JavaScript numbers or TensorFlow.js tensors. */
export type DifferenceDtype = 'float64' | 'float32';

/** A real function of a real number, evaluated in float64. */
export type NumberFunction = (x: number) => number;

/** A function of a float32 tensor; elementwise for the derivative at every entry. */
export type TensorFunction = (x: tf.Tensor) => tf.Tensor;

/**
 * Returns the rule-of-thumb step of a scheme in a precision: `sqrt(u)` for the
 * forward quotient and `cbrt(u)` for the central one, u the machine epsilon.
 *
 * @param scheme `'forward'` or `'central'`.
 * @param dtype `'float64'` (default) or `'float32'`.
 * @returns About 1.5e-8 (forward, float64), 6.1e-6 (central, float64),
 *   3.5e-4 (forward, float32) or 4.9e-3 (central, float32).
 * @throws If scheme or dtype is not one of the names above.
 * @example
 * defaultStep('forward', 'float32'); // 0.000345...
 */
export function defaultStep(scheme: DifferenceScheme, dtype: DifferenceDtype = 'float64'): number {
  check(scheme === 'forward' || scheme === 'central', 'defaultStep', 'scheme', "'forward' or 'central'", scheme);
  check(dtype === 'float64' || dtype === 'float32', 'defaultStep', 'dtype', "'float64' or 'float32'", dtype);
  const u = dtype === 'float64' ? FLOAT64_EPSILON : FLOAT32_EPSILON;
  return scheme === 'forward' ? Math.sqrt(u) : Math.cbrt(u);
}

/** The checked step and the two versions of f (numbers, tensors) that a quotient evaluates. */
interface Prepared {
  step: number;
  f64: NumberFunction;
  f32: TensorFunction;
}

/** Checks f, x and eps, picks the default step, and wraps f so that a wrong return kind is named. */
function prepare(f: unknown, x: unknown, eps: unknown, scheme: DifferenceScheme, fn: string): Prepared {
  const ok =
    typeof x === 'number' ||
    x instanceof tf.Tensor ||
    ((Array.isArray(x) || x instanceof Float64Array || x instanceof Float32Array) &&
      Array.from(x as ArrayLike<unknown>).every((v) => typeof v === 'number'));
  check(ok, fn, 'x', 'a number, an array of numbers or a float32 tensor', x);
  check(typeof f === 'function', fn, 'f', 'a function', f);
  const step = eps ?? defaultStep(scheme, x instanceof tf.Tensor ? 'float32' : 'float64');
  check(typeof step === 'number' && Number.isFinite(step) && step > 0, fn, 'eps', 'a finite number > 0', step);
  const f64 = (v: number): number => {
    const y = (f as NumberFunction)(v);
    check(typeof y === 'number', fn, 'f(x)', 'a number for a number x', y);
    return y;
  };
  const f32 = (t: tf.Tensor): tf.Tensor => {
    const y = (f as TensorFunction)(t);
    check(y instanceof tf.Tensor, fn, 'f(x)', 'a tensor for a tensor x', y);
    return y;
  };
  return { step, f64, f32 };
}

/**
 * Applies a quotient to a number, to an array of numbers entry by entry, or to
 * a tensor (converted to float32, intermediates freed).
 */
function evaluate(
  x: number | readonly number[] | Float64Array | Float32Array | tf.Tensor,
  fn: string,
  onNumber: (v: number) => number,
  onTensor: (t: tf.Tensor) => tf.Tensor,
): number | number[] | tf.Tensor {
  if (x instanceof tf.Tensor) return tf.tidy(() => onTensor(toFloat(x, fn, 'x')));
  return typeof x === 'number' ? onNumber(x) : Array.from(x, onNumber);
}

/**
 * Estimates a derivative with the forward difference quotient.
 *
 * `f'(x) ≈ (f(x + eps) - f(x)) / eps`, with error `f''(x) eps / 2 + O(eps^2)`
 * from truncation plus about `u |f(x)| / eps` from round-off (u the machine
 * epsilon of the precision the quotient is computed in).
 *
 * With numbers (or an array of numbers, entry by entry) it runs in float64; with
 * a tensor, f must take and return tensors and everything, `x + eps` included,
 * runs in float32. For an elementwise f that is the derivative at every entry;
 * otherwise it is the directional derivative along (1, ..., 1).
 *
 * Gradient: the tensor result is an ordinary TensorFlow.js expression of x, so it
 * can itself be differentiated (it is a difference of two runs of f).
 *
 * There is no PyTorch function for this; it is the quotient that
 * `torch.autograd.gradcheck` compares autodiff against (in its central form).
 *
 * @param f A function of a number, or of a float32 tensor when x is a tensor.
 * @param x The point: a number, an array of numbers, or a float32 (or int32) tensor.
 * @param eps The step, a finite number > 0. Default {@link defaultStep}: sqrt(2^-52)
 *   for numbers, sqrt(2^-23) for tensors.
 * @returns A number, a number[] of the length of x, or a float32 tensor.
 * @throws If f is not a function, x is not a number, array or numeric tensor,
 *   eps is not a finite number > 0, or f returns the wrong kind of value.
 * @example
 * forwardDifference((x) => x ** 3, 2, 1e-2);                     // 12.0601, the truth is 12
 * forwardDifference((x) => tf.sin(x), tf.tensor([0, 1]), 1e-3);  // [1.000, 0.540] in float32
 */
export function forwardDifference(f: NumberFunction, x: number, eps?: number): number;
export function forwardDifference(f: NumberFunction, x: readonly number[] | Float64Array | Float32Array, eps?: number): number[];
export function forwardDifference(f: TensorFunction, x: tf.Tensor, eps?: number): tf.Tensor;
export function forwardDifference(
  f: NumberFunction | TensorFunction,
  x: number | readonly number[] | Float64Array | Float32Array | tf.Tensor,
  eps?: number,
): number | number[] | tf.Tensor {
  const { step: h, f64, f32 } = prepare(f, x, eps, 'forward', 'forwardDifference');
  return evaluate(
    x,
    'forwardDifference',
    (v) => (f64(v + h) - f64(v)) / h,
    (t) => tf.div(tf.sub(f32(tf.add(t, h)), f32(t)), h),
  );
}

/**
 * Estimates a derivative with the central difference quotient.
 *
 * `f'(x) ≈ (f(x + eps) - f(x - eps)) / (2 eps)`, with error
 * `f'''(x) eps^2 / 6 + O(eps^4)` from truncation plus about `u |f(x)| / eps`
 * from round-off: one order more accurate than {@link forwardDifference} for
 * one more evaluation of f per point.
 *
 * Numbers run in float64, tensors in float32, as for {@link forwardDifference}.
 * Mirrors the quotient of `torch.autograd.gradcheck` (which uses eps = 1e-6 in float64).
 *
 * @param f A function of a number, or of a float32 tensor when x is a tensor.
 * @param x The point: a number, an array of numbers, or a float32 (or int32) tensor.
 * @param eps The step, a finite number > 0. Default {@link defaultStep}: cbrt(2^-52)
 *   for numbers, cbrt(2^-23) for tensors.
 * @returns A number, a number[] of the length of x, or a float32 tensor.
 * @throws As {@link forwardDifference}.
 * @example
 * centralDifference((x) => x ** 3, 2, 1e-2); // 12.0001
 */
export function centralDifference(f: NumberFunction, x: number, eps?: number): number;
export function centralDifference(f: NumberFunction, x: readonly number[] | Float64Array | Float32Array, eps?: number): number[];
export function centralDifference(f: TensorFunction, x: tf.Tensor, eps?: number): tf.Tensor;
export function centralDifference(
  f: NumberFunction | TensorFunction,
  x: number | readonly number[] | Float64Array | Float32Array | tf.Tensor,
  eps?: number,
): number | number[] | tf.Tensor {
  const { step: h, f64, f32 } = prepare(f, x, eps, 'central', 'centralDifference');
  return evaluate(
    x,
    'centralDifference',
    (v) => (f64(v + h) - f64(v - h)) / (2 * h),
    (t) => tf.div(tf.sub(f32(tf.add(t, h)), f32(tf.sub(t, h))), 2 * h),
  );
}

/**
 * Returns `num` numbers spaced evenly on a log scale, `10^start` to `10^stop`.
 *
 * `10^(start + k (stop - start) / (num - 1))` for k = 0, ..., num - 1: the steps
 * of an eps sweep. Mirrors `torch.logspace(start, end, steps)` and `numpy.logspace`.
 *
 * @param start The first exponent, a finite number.
 * @param stop The last exponent, a finite number.
 * @param num How many numbers, an integer >= 2.
 * @returns A number[] of length num, from 10^start to 10^stop.
 * @throws If an exponent is not finite or num is not an integer >= 2.
 * @example
 * logspace(-2, 0, 3); // [0.01, 0.1, 1]
 */
export function logspace(start: number, stop: number, num: number): number[] {
  check(typeof start === 'number' && Number.isFinite(start), 'logspace', 'start', 'a finite number', start);
  check(typeof stop === 'number' && Number.isFinite(stop), 'logspace', 'stop', 'a finite number', stop);
  check(typeof num === 'number' && Number.isInteger(num) && num >= 2, 'logspace', 'num', 'an integer >= 2', num);
  return Array.from({ length: num }, (_, k) => 10 ** (start + (k * (stop - start)) / (num - 1)));
}

/** Options of {@link differenceErrors}. */
export interface DifferenceErrorOptions {
  /** `'forward'` (default) or `'central'`. */
  scheme?: DifferenceScheme;
}

/**
 * Measures the error of a difference quotient against the exact derivative,
 * step by step: the mean over the points of `|quotient(x, eps) - f'(x)|`.
 *
 * `err(eps) = (1 / m) sum_i |D_eps f(x_i) - f'(x_i)|`. Averaging over many points
 * smooths the round-off part, which is erratic from one point to the next. In
 * float32 the points are first rounded to float32 (`Math.fround`), and the
 * exact derivative is taken at the rounded points, so only the quotient's own
 * error is measured.
 *
 * @param f64 f on numbers (float64).
 * @param f32 f on tensors (float32), elementwise; pass null to skip float32.
 * @param derivative The exact derivative f', on numbers.
 * @param xs The points, at least one finite number.
 * @param epsilons The steps, finite numbers > 0.
 * @param options `scheme` (default `'forward'`).
 * @returns `{ float64, float32 }`: the mean absolute errors, one per step
 *   (`float32` is null when f32 is).
 * @throws If a function is missing, xs is empty or not finite, or a step is not a finite number > 0.
 * @example
 * const eps = logspace(-12, 0, 49);
 * const { float64, float32 } = differenceErrors(Math.sin, tf.sin, Math.cos, [0.5, 1], eps);
 */
export function differenceErrors(
  f64: NumberFunction,
  f32: TensorFunction | null,
  derivative: NumberFunction,
  xs: readonly number[],
  epsilons: readonly number[],
  options: DifferenceErrorOptions = {},
): { float64: number[]; float32: number[] | null } {
  const fn = 'differenceErrors';
  check(typeof f64 === 'function', fn, 'f64', 'a function', f64);
  check(f32 === null || typeof f32 === 'function', fn, 'f32', 'a function or null', f32);
  check(typeof derivative === 'function', fn, 'derivative', 'a function', derivative);
  check(
    Array.isArray(xs) && xs.length >= 1 && xs.every((v) => typeof v === 'number' && Number.isFinite(v)),
    fn,
    'xs',
    'a non-empty array of finite numbers',
    xs,
  );
  check(
    Array.isArray(epsilons) && epsilons.length >= 1 && epsilons.every((e) => typeof e === 'number' && Number.isFinite(e) && e > 0),
    fn,
    'epsilons',
    'a non-empty array of finite numbers > 0',
    epsilons,
  );
  const { scheme = 'forward' } = options;
  check(scheme === 'forward' || scheme === 'central', fn, 'scheme', "'forward' or 'central'", scheme);
  const quotient = scheme === 'forward' ? forwardDifference : centralDifference;
  const meanAbs = (estimate: ArrayLike<number>, exact: readonly number[]): number => {
    let total = 0;
    for (let i = 0; i < exact.length; i++) total += Math.abs(estimate[i] - exact[i]);
    return total / exact.length;
  };
  const exact64 = xs.map(derivative);
  const float64 = epsilons.map((eps) => meanAbs(quotient(f64, xs, eps), exact64));
  if (f32 === null) return { float64, float32: null };
  const rounded = xs.map(Math.fround);
  const exact32 = rounded.map(derivative);
  const float32 = tf.tidy(() => {
    const x = tf.tensor1d(rounded, 'float32');
    return epsilons.map((eps) => meanAbs((quotient as typeof forwardDifference)(f32, x, eps).dataSync(), exact32));
  });
  return { float64, float32 };
}
