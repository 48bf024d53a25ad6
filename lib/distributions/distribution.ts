/**
 * What every distribution of the library shares, after `torch.distributions.Distribution`.
 *
 * A distribution holds its parameters as they were given (numbers, or float32
 * tensors kept by reference so that gradients reach them) and owns no tensors:
 * every method builds its result inside `tf.tidy` and returns a new tensor that
 * the caller owns. Parameters broadcast against each other as in PyTorch, and
 * their common shape is the distribution's `batchShape`. Draws come from the
 * library's seeded generator, so `manualSeed` fixes them and `jacobian` and
 * `sampleJacobians` replay them.
 */
import * as tf from '@tensorflow/tfjs';
import { check, checkShape, formatValue } from '../check';

/** A parameter of a distribution: a number or a float32 tensor. */
export type Parameter = number | tf.Tensor;

/**
 * Checks a parameter: a number, or a float32 tensor; `valid` says which values
 * are allowed (read from the tensor: parameters control the program and are small).
 * @internal
 */
export function checkParameter(value: unknown, fn: string, arg: string, rule: string, valid: (v: number) => boolean): Parameter {
  if (typeof value === 'number') {
    check(valid(value), fn, arg, rule, value);
    return value;
  }
  check(value instanceof tf.Tensor && value.dtype === 'float32', fn, arg, 'a number or a float32 tensor', value);
  const values = value.dataSync();
  for (let i = 0; i < values.length; i++) {
    if (!valid(values[i])) {
      const where = value.size === 1 ? '' : ` at flat index ${i}`;
      throw new Error(`${fn}: ${arg} must be ${rule}, but got ${values[i]}${where}`);
    }
  }
  return value;
}

/** The shape of a parameter: [] for a number. @internal */
export function shapeOf(p: Parameter): number[] {
  return typeof p === 'number' ? [] : p.shape.slice();
}

/** The parameter as a tensor: the given tensor itself, or a new scalar (call inside `tf.tidy`). @internal */
export function asTensor(p: Parameter): tf.Tensor {
  return typeof p === 'number' ? tf.scalar(p) : p;
}

/**
 * Broadcasts two shapes with NumPy's (and PyTorch's) rule: align on the right;
 * each pair of sizes must be equal or contain a 1.
 * @internal
 * @throws `fn: arg must be a shape that broadcasts with <other>'s [...], but got ...`.
 */
export function broadcastShapes(a: number[], b: number[], fn: string, argA: string, argB: string): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (!(da === db || da === 1 || db === 1)) {
      throw new Error(`${fn}: ${argB} must have a shape that broadcasts with ${argA}'s [${a.join(', ')}], but got [${b.join(', ')}]`);
    }
    out.push(da === 1 ? db : da);
  }
  return out;
}

/**
 * Checks a sample shape and prepends it to the batch shape.
 * @internal
 */
export function sampleShape(shape: unknown, batchShape: number[], fn: string): number[] {
  checkShape(shape, fn);
  return [...shape, ...batchShape];
}

/**
 * A probability distribution with parameters that broadcast to `batchShape`,
 * mirroring `torch.distributions.Distribution` for scalar events.
 */
export abstract class Distribution {
  /** The common shape of the parameters; a sample of `shape` has shape `[...shape, ...batchShape]`. */
  abstract readonly batchShape: number[];
  /** Whether `rsample` gives reparameterised draws (PyTorch's `has_rsample`). */
  abstract readonly hasRsample: boolean;

  /**
   * Draws a sample that does not carry the parameters' gradients (PyTorch's `sample`).
   * @param shape The sample shape, prepended to `batchShape`. Default `[]`.
   */
  abstract sample(shape?: number[]): tf.Tensor;

  /**
   * Draws a reparameterised sample, differentiable in the parameters (PyTorch's `rsample`).
   * @param shape The sample shape, prepended to `batchShape`. Default `[]`.
   * @throws If the distribution has no reparameterised sampler (`hasRsample` is false).
   */
  abstract rsample(shape?: number[]): tf.Tensor;

  /** The log-density (or log-probability) of `value`, broadcast with `batchShape`; differentiable in the parameters. */
  abstract logProb(value: tf.Tensor | number): tf.Tensor;

  /** The mean, a new tensor of `batchShape`. */
  abstract get mean(): tf.Tensor;

  /** The variance, a new tensor of `batchShape`. */
  abstract get variance(): tf.Tensor;

  /** A short description, e.g. `Normal(loc: 0, scale: a float32 tensor of shape [3])`. */
  protected describeWith(name: string, params: Record<string, Parameter>): string {
    const parts = Object.entries(params).map(([k, v]) => `${k}: ${formatValue(v)}`);
    return `${name}(${parts.join(', ')})`;
  }
}
