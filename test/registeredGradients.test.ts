import * as tf from '@tensorflow/tfjs';
import { REGISTERED_GRADIENTS, registerGradients } from '../lib/registeredGradients';
import { jvp } from '../lib/jacobian';
import { expectClose, values } from './util';

describe('registerGradients', () => {
  it('has put each of the library gradients in place of TensorFlow.js own by the time ready() returns', () => {
    // test/setup-backend.ts awaited ready(); nothing else registered them.
    for (const config of REGISTERED_GRADIENTS) expect(tf.getGradient(config.kernelName)).toBe(config);
  });

  it('can be called again without changing the registry', () => {
    registerGradients();
    for (const config of REGISTERED_GRADIENTS) expect(tf.getGradient(config.kernelName)).toBe(config);
  });
});

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

describe('the gradient of Unpack', () => {
  it('is differentiable for an axis of size 1: forward mode through stack and unstack of one tensor', () => {
    // f(a) = stack([a^2]) has J v = 2 a v; forward mode differentiates the
    // gradient of stack, an unstack into one piece.
    const a = tf.tensor1d([0.5, -1.5]);
    const out = jvp((v) => tf.stack([tf.square(v)]), a, tf.tensor1d([1, 2]));
    expect(out.shape).toEqual([1, 2]);
    expectClose(values(out), [1, -6], 1e-6);
  });

  it('matches the closed form for several pieces, one of them unused', () => {
    // f(v) = unstack(v * w)[0] + 3 unstack(v * w)[2], so df/dv = [w0, 0, 3 w2].
    const w = tf.tensor1d([2, 5, -1]);
    const g = tf.grad((v: tf.Tensor) => {
      const parts = tf.unstack(tf.mul(v, w));
      return tf.add(parts[0], tf.mul(parts[2], 3));
    })(tf.tensor1d([1, 1, 1]));
    expect(values(g)).toEqual([2, 0, -3]);
  });
});

describe('the gradient of Abs', () => {
  it('is sign(x): -1 below 0, 0 at 0 (PyTorch convention), 1 above', () => {
    // PyTorch: torch.autograd.grad(torch.tensor([-2., 0., 3.]).requires_grad_().abs().sum(), ...) = [-1, 0, 1].
    const grad = tf.grad((x: tf.Tensor) => tf.sum(tf.abs(x)))(tf.tensor1d([-2, -1e-30, 0, -0, 1e-30, 3]));
    expect(values(grad)).toEqual([-1, -1, 0, 0, 1, 1]);
  });

  it('scales dy: d sum(w |x|) / dx = w sign(x)', () => {
    const w = tf.tensor1d([0.5, -2, 3, 7]);
    const grad = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(w, tf.abs(x))))(tf.tensor1d([-1.5, 2, 0, 4]));
    expectClose(values(grad), [-0.5, -2, 0, 7], 0, 0);
  });

  it('propagates NaN in x', () => {
    const grad = tf.grad((x: tf.Tensor) => tf.sum(tf.abs(x)))(tf.tensor1d([NaN, 1]));
    expect(Number.isNaN(values(grad)[0])).toBe(true);
    expect(values(grad)[1]).toBe(1);
  });

  it('is itself differentiable: forward mode through abs', () => {
    // J v = sign(x) v elementwise.
    const out = jvp((x) => tf.abs(x), tf.tensor1d([-2, 0, 5]), tf.tensor1d([3, 4, -1]));
    expect(values(out)).toEqual([-3, 0, -1]);
  });
});
