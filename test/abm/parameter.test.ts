/**
 * Tests of `modelParameter`, the parameter parsing shared by the models: the
 * forms it accepts and the message of each refusal, whose template
 * (`fn: params.<name> must be <rule>, but got <value>`) is the library's.
 */
import * as tf from '@tensorflow/tfjs';
import { modelParameter } from '../../lib/abm/parameter';
import { values } from '../util';

const positive = (v: number) => v > 0 && Number.isFinite(v);
const RULE = 'a finite number > 0';

describe('modelParameter: accepted forms', () => {
  it('turns a number into a float32 scalar tensor and gives its value', () => {
    const { tensor, values: v } = modelParameter(2.5, 'model', 'beta', RULE, positive);
    expect(tensor.shape).toEqual([]);
    expect(tensor.dtype).toBe('float32');
    expect(Array.from(v)).toEqual([2.5]);
    tensor.dispose();
  });

  it('returns a float32 tensor itself, so that gradients reach it', () => {
    const x = tf.scalar(0.5);
    expect(modelParameter(x, 'model', 'beta', RULE, positive).tensor).toBe(x);
    const g = tf.grad((t: tf.Tensor) => tf.mul(modelParameter(t, 'model', 'beta', RULE, positive).tensor, 3))(x);
    expect(values(g)).toEqual([3]);
    tf.dispose([x, g]);
  });

  it('casts an int32 tensor to float32', () => {
    const x = tf.scalar(3, 'int32');
    const { tensor } = modelParameter(x, 'model', 'beta', RULE, positive);
    expect(tensor.dtype).toBe('float32');
    expect(values(tensor)).toEqual([3]);
    tf.dispose([x, tensor]);
  });

  it('takes a vector of nSimulations values when a length B is given, and a scalar still', () => {
    const x = tf.tensor1d([0.1, 0.2, 0.3]);
    const { tensor, values: v } = modelParameter(x, 'model', 'beta', RULE, positive, 3);
    expect(tensor).toBe(x);
    expect(Array.from(v)).toEqual(Array.from(new Float32Array([0.1, 0.2, 0.3])));
    const s = modelParameter(0.4, 'model', 'beta', RULE, positive, 3).tensor;
    expect(s.shape).toEqual([]);
    tf.dispose([x, s]);
  });

  it("takes a vector of any length with length 'any'", () => {
    for (const n of [1, 2, 7]) {
      const x = tf.ones([n]);
      expect(modelParameter(x, 'model', 'beta', RULE, positive, 'any').values).toHaveLength(n);
      x.dispose();
    }
  });

  it('accepts the values the rule allows, at its edge', () => {
    const { tensor } = modelParameter(0, 'model', 'gamma', 'a finite number >= 0', (v) => v >= 0, 'any');
    expect(values(tensor)).toEqual([0]);
    tensor.dispose();
  });
});

describe('modelParameter: errors', () => {
  it('names a missing parameter with the rule', () => {
    expect(() => modelParameter(undefined, 'sirModel', 'beta', RULE, positive)).toThrow(
      /^sirModel: params\.beta must be a finite number > 0, but got undefined$/,
    );
  });

  it('names a value that breaks the rule, NaN included', () => {
    expect(() => modelParameter(-1, 'contModel', 'lambda', RULE, positive)).toThrow(/^contModel: params\.lambda must be a finite number > 0, but got -1$/);
    expect(() => modelParameter(NaN, 'contModel', 'lambda', RULE, positive)).toThrow(/^contModel: params\.lambda must be a finite number > 0, but got NaN$/);
  });

  it('names the first entry of a vector that breaks the rule', () => {
    const x = tf.tensor1d([1, Infinity, -2]);
    expect(() => modelParameter(x, 'model', 'beta', RULE, positive, 'any')).toThrow(/^model: params\.beta must be a finite number > 0, but got Infinity$/);
    x.dispose();
  });

  it('refuses a vector where only a scalar is allowed', () => {
    const x = tf.tensor1d([1, 2]);
    expect(() => modelParameter(x, 'model', 'beta', RULE, positive)).toThrow(
      /^model: params\.beta must be a number or a scalar tensor, but got a float32 tensor of shape \[2\]$/,
    );
    x.dispose();
  });

  it('refuses a vector whose length is not nSimulations, and says how many', () => {
    const x = tf.tensor1d([1, 2]);
    expect(() => modelParameter(x, 'model', 'beta', RULE, positive, 3)).toThrow(
      /^model: params\.beta must be a number, a scalar tensor or a vector of nSimulations = 3 values, but got a float32 tensor of shape \[2\]$/,
    );
    x.dispose();
  });

  it("refuses a matrix even with length 'any'", () => {
    const x = tf.ones([2, 2]);
    expect(() => modelParameter(x, 'model', 'beta', RULE, positive, 'any')).toThrow(
      /^model: params\.beta must be a number, a scalar tensor or a 1-D tensor, but got a float32 tensor of shape \[2, 2\]$/,
    );
    x.dispose();
  });

  it('refuses a boolean tensor and a string', () => {
    const x = tf.scalar(true, 'bool');
    expect(() => modelParameter(x, 'model', 'beta', RULE, positive)).toThrow(/^model: params\.beta must be a float32 or int32 tensor, but got a bool tensor of shape \[\]$/);
    x.dispose();
    expect(() => modelParameter('0.5', 'model', 'beta', RULE, positive)).toThrow(
      /^model: params\.beta must be a tensor, a number or an array of numbers, but got "0\.5"$/,
    );
  });
});

describe('modelParameter: memory', () => {
  it('creates one tensor for a number and none for a float32 tensor', () => {
    const x = tf.scalar(1);
    const before = tf.memory().numTensors;
    modelParameter(x, 'model', 'beta', RULE, positive);
    expect(tf.memory().numTensors).toBe(before);
    const { tensor } = modelParameter(1, 'model', 'beta', RULE, positive);
    expect(tf.memory().numTensors).toBe(before + 1);
    tf.dispose([x, tensor]);
  });

  it('leaves no tensor behind when it refuses a number, a cast or a shape', () => {
    const ints = tf.tensor1d([1, -2], 'int32');
    const matrix = tf.ones([2, 2]);
    const before = tf.memory().numTensors;
    expect(() => modelParameter(-1, 'model', 'beta', RULE, positive)).toThrow();
    expect(() => modelParameter(ints, 'model', 'beta', RULE, positive, 'any')).toThrow();
    expect(() => modelParameter(matrix, 'model', 'beta', RULE, positive)).toThrow();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([ints, matrix]);
  });
});
