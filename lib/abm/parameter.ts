/**
 * The parameters of the models: a number, a float32 scalar tensor, or a vector
 * of one value per simulation, each value checked.
 */
import * as tf from '@tensorflow/tfjs';
import { check, toFloat } from '../check';

/**
 * Converts a model parameter to a float32 tensor and checks its shape and every value.
 *
 * @param value A number, a float32 scalar tensor, or a vector (see `length`).
 * @param fn The model's name, for the messages.
 * @param name The parameter's name (`params.<name>` in the messages).
 * @param rule The allowed values, in words (`'a finite number > 0'`).
 * @param valid Tells whether one value is allowed.
 * @param length `undefined`: a scalar only; a number B: a scalar or a vector of B
 *   values (`nSimulations`); `'any'`: a scalar or a vector of any length.
 * @returns The tensor (`value` itself when it is a float32 tensor, so gradients
 *   reach it) and its values.
 * @throws If the value is missing, has another shape, or a value breaks the rule.
 * @internal
 */
export function modelParameter(
  value: unknown,
  fn: string,
  name: string,
  rule: string,
  valid: (v: number) => boolean,
  length?: number | 'any',
): { tensor: tf.Tensor; values: Float32Array } {
  const arg = `params.${name}`;
  check(value !== undefined, fn, arg, rule, value);
  const tensor = toFloat(value as tf.Tensor | number, fn, arg);
  const shapeRule =
    length === undefined
      ? 'a number or a scalar tensor'
      : length === 'any'
        ? 'a number, a scalar tensor or a 1-D tensor'
        : `a number, a scalar tensor or a vector of nSimulations = ${length} values`;
  const vectorOk = length !== undefined && tensor.rank === 1 && (length === 'any' || tensor.shape[0] === length);
  try {
    check(tensor.rank === 0 || vectorOk, fn, arg, shapeRule, tensor);
    const values = tensor.dataSync() as Float32Array;
    for (let i = 0; i < values.length; i++) check(valid(values[i]), fn, arg, rule, values[i]);
    return { tensor, values };
  } catch (err) {
    // A tensor made here from a number or a cast is not the caller's: free it before refusing.
    if (tensor !== value) tensor.dispose();
    throw err;
  }
}
