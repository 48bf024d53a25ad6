/**
 * Seeded random draws.
 *
 * All of the library's randomness comes from one generator, so that
 * `manualSeed(s)` makes every walk, every Gumbel sample and every Jacobian
 * reproducible, the way `torch.manual_seed` does for PyTorch. The numbers are
 * made in JavaScript (the sfc32 generator) and then copied into a tensor, so a
 * seed gives the same draws on every TensorFlow.js backend.
 *
 * The generator can also record the draws of a computation and replay them,
 * which `jacobian` uses to run a function several times on the same noise.
 */
import * as tf from '@tensorflow/tfjs';
import { check, checkProbabilities, toFloat } from './check';

const TWO_TO_MINUS_23 = 1 / 8388608;

/** A small, fast 32-bit generator (sfc32) with a 128-bit state. */
class Sfc32 {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;

  constructor(seed: number) {
    // Spread the seed's 53 bits over the state with splitmix32 steps.
    let s = (seed % 4294967296) >>> 0;
    const hi = Math.floor(seed / 4294967296) >>> 0;
    const mix = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s ^ hi;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = 1;
    for (let i = 0; i < 12; i++) this.next();
  }

  next(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }
}

let seedValue = Math.floor(Math.random() * Number.MAX_SAFE_INTEGER);
let generator = new Sfc32(seedValue);

/** What the generator does with each request for draws. */
type Tape = { mode: 'record'; draws: Float32Array[] } | { mode: 'replay'; draws: Float32Array[]; next: number; fn: string };
let tape: Tape | null = null;

/**
 * Seeds the library's random number generator.
 *
 * After `manualSeed(s)`, the same sequence of calls gives the same numbers on
 * every backend. Mirrors `torch.manual_seed`.
 *
 * @param seed An integer in [0, 2^53 - 1].
 * @throws If `seed` is not a non-negative safe integer.
 * @example
 * manualSeed(0); const a = randomWalk(0.3, 10);
 * manualSeed(0); const b = randomWalk(0.3, 10); // same values as a
 */
export function manualSeed(seed: number): void {
  check(
    typeof seed === 'number' && Number.isSafeInteger(seed) && seed >= 0,
    'manualSeed',
    'seed',
    'an integer in [0, 2^53 - 1]',
    seed,
  );
  seedValue = seed;
  generator = new Sfc32(seed);
}

/**
 * Returns the seed the generator was last seeded with (a random one at start).
 * Mirrors `torch.initial_seed`.
 */
export function initialSeed(): number {
  return seedValue;
}

/** Draws `n` numbers uniformly from the open interval (0, 1), honouring the tape. */
export function uniformArray(n: number): Float32Array {
  if (tape !== null && tape.mode === 'replay') {
    const draws = tape.draws[tape.next];
    if (draws === undefined || draws.length !== n) {
      throw new Error(
        `${tape.fn}: f asked for different random draws when run again ` +
          `(request ${tape.next + 1} wants ${n} numbers, the first run had ` +
          `${draws === undefined ? 'no such request' : draws.length}); f must make the same random calls on every run`,
      );
    }
    tape.next++;
    return draws;
  }
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    // 23 random bits, shifted by half a step: the largest value, 1 - 2^-24, and
    // the smallest, 2^-24, are exact in float32, so u is never rounded to 0 or 1.
    out[i] = ((generator.next() >>> 9) + 0.5) * TWO_TO_MINUS_23;
  }
  if (tape !== null) tape.draws.push(out);
  return out;
}

/** Checks a shape and returns its number of entries. */
function sizeOf(shape: number[], fn: string): number {
  check(
    Array.isArray(shape) && shape.every((d) => Number.isInteger(d) && d >= 0),
    fn,
    'shape',
    'an array of non-negative integers',
    shape,
  );
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Draws a tensor of independent Uniform(0, 1) numbers.
 *
 * Values lie in the open interval (0, 1), so `log(u)` and `log(1 - u)` are
 * finite. Mirrors `torch.rand`.
 *
 * @param shape The shape of the result.
 * @returns A float32 tensor of `shape`.
 */
export function rand(shape: number[]): tf.Tensor {
  return tf.tensor(uniformArray(sizeOf(shape, 'rand')), shape, 'float32');
}

/**
 * Draws a tensor of independent standard normal numbers (Box-Muller).
 *
 * `z = sqrt(-2 log u1) cos(2 pi u2)` with u1, u2 ~ U(0, 1) from the seeded
 * generator. Mirrors `torch.randn`. For a reparameterised N(mu, sigma^2) draw,
 * use `mu + sigma * randn(shape)`: it is differentiable in mu and sigma.
 *
 * @param shape The shape of the result.
 * @returns A float32 tensor of `shape`; every value is finite.
 */
export function randn(shape: number[]): tf.Tensor {
  const size = sizeOf(shape, 'randn');
  const u = uniformArray(2 * size);
  const z = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    z[i] = Math.sqrt(-2 * Math.log(u[2 * i])) * Math.cos(2 * Math.PI * u[2 * i + 1]);
  }
  return tf.tensor(z, shape, 'float32');
}

/**
 * Draws 0/1 samples, each 1 with probability `probs`: `1[u < p]`, u ~ U(0, 1).
 *
 * The draw is not differentiable: its gradient with respect to `probs` is zero.
 * Mirrors `torch.bernoulli`.
 *
 * @param probs Probabilities in [0, 1], any shape.
 * @returns A float32 tensor of 0s and 1s with the shape of `probs`.
 * @throws If a probability is outside [0, 1] or NaN.
 */
export function bernoulli(probs: tf.Tensor | tf.TensorLike): tf.Tensor {
  return tf.tidy(() => {
    const p = toFloat(probs, 'bernoulli', 'probs');
    checkProbabilities(p, 'bernoulli', 'probs');
    return sampleBernoulli(p);
  });
}

/** The 0/1 draw `1[u < p]`, with a zero gradient (autodiff has none for `<`). */
const sampleBernoulli = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const p = args[0] as tf.Tensor;
  return {
    value: tf.cast(tf.less(rand(p.shape), p), 'float32'),
    gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
  };
});

/**
 * Runs `run` while recording every draw it makes.
 * @internal Used by `jacobian` to give every row the same noise.
 */
export function recordDraws<T>(run: () => T): { value: T; draws: Float32Array[] } {
  const saved = tape;
  const recording: Tape = { mode: 'record', draws: [] };
  tape = recording;
  try {
    return { value: run(), draws: recording.draws };
  } finally {
    tape = saved;
  }
}

/**
 * Runs `run` with the draws of an earlier `recordDraws` in place of new ones.
 * `fn` names the public function in error messages.
 * @internal
 * @throws If `run` asks for more draws, or draws of another size, than were recorded.
 */
export function replayDraws<T>(draws: Float32Array[], run: () => T, fn = 'jacobian'): T {
  const saved = tape;
  const replay: Tape = { mode: 'replay', draws, next: 0, fn };
  tape = replay;
  try {
    const value = run();
    if (replay.next !== draws.length) {
      throw new Error(
        `${fn}: f made ${replay.next} random draws when run again, but ${draws.length} ` +
          'the first time; f must make the same random calls on every run',
      );
    }
    return value;
  } finally {
    tape = saved;
  }
}
