import * as tf from '@tensorflow/tfjs';
import '../lib/tileGradient';
import { jvp } from '../lib/jacobian';
import { expectClose, values } from './util';

describe('the gradient of Tile', () => {
  it.each([
    [[3], [4]],
    [[2, 3], [3, 1]],
    [[1, 2], [5, 1]],
    [[2, 1, 3], [1, 4, 2]],
    [[1, 2, 1, 2, 1], [2, 1, 3, 1, 2]],
  ])('sums dy over the copies for x of shape %p tiled %p', (shape, reps) => {
    // d sum(w * tile(x)) / dx[i] = sum of w over the copies of x[i]: reference
    // by looping over the output's flat indices and mapping each back to x.
    const x = tf.randomUniform(shape as number[], 0, 1, 'float32', 1);
    const outShape = shape.map((s, i) => s * reps[i]);
    const w = tf.randomUniform(outShape, -1, 1, 'float32', 2);
    const grad = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.tile(v, reps as number[]), w)))(x);
    const ws = values(w);
    const expected = new Array(x.size).fill(0);
    const strides = (dims: number[]) => dims.map((_, i) => dims.slice(i + 1).reduce((a, b) => a * b, 1));
    const outStrides = strides(outShape);
    const inStrides = strides(shape);
    for (let k = 0; k < ws.length; k++) {
      let rest = k;
      let source = 0;
      outStrides.forEach((stride, axis) => {
        source += (Math.floor(rest / stride) % shape[axis]) * inStrides[axis];
        rest %= stride;
      });
      expected[source] += ws[k];
    }
    expectClose(values(grad), expected, 1e-5, 1e-6);
  });

  it('differentiates broadcastTo in a number of kernels that does not grow with the copies', async () => {
    // TensorFlow.js's own Tile gradient adds one slice per copy.
    const kernels = async (T: number) => {
      const logits = tf.tensor2d([[0.2, -0.4]]);
      const profile = await tf.profile(() => tf.grad((v: tf.Tensor) => tf.sum(tf.square(tf.broadcastTo(v, [T, 2]))))(logits));
      return profile.kernels.length;
    };
    expect(await kernels(1000)).toBe(await kernels(10));
  });

  it('is itself differentiable: forward mode through broadcastTo', () => {
    // f(a) = broadcastTo(a, [4, 2]) * c, so J v = v * c broadcast.
    const c = tf.tensor2d([[1, 2], [3, 4], [5, 6], [7, 8]]);
    const out = jvp((a) => tf.mul(tf.broadcastTo(a, [4, 2]), c), tf.tensor2d([[0.5, 1.5]]), tf.tensor2d([[1, -1]]));
    expect(values(out)).toEqual([1, -2, 3, -4, 5, -6, 7, -8]);
  });
});
