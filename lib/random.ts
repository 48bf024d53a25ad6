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
 * Recordings and replays nest as a stack (the draw tape): a function being
 * recorded or replayed may itself record and replay, as `jacobian` of a
 * function that calls `jacobian` does. Each request carries its shape, and a
 * replay checks it.
 */
import * as tf from '@tensorflow/tfjs';
import { check, checkProbabilities, checkShape, toFloat } from './check';
import { currentEstimate, reportDraw } from './discreteDraws';

const TWO_TO_MINUS_23 = 1 / 8388608;

/**
 * A small, fast 32-bit generator (sfc32, Chris Doty-Humphrey's "small fast
 * chaotic" generator from PractRand) with a 128-bit state.
 */
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

  /** The four state words, to rewind to later with {@link Sfc32.restore}. */
  save(): [number, number, number, number] {
    return [this.a, this.b, this.c, this.d];
  }

  restore([a, b, c, d]: [number, number, number, number]): void {
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
  }
}

let seedValue = Math.floor(Math.random() * Number.MAX_SAFE_INTEGER);
let generator = new Sfc32(seedValue);

/**
 * A frame of the draw tape. The innermost frame answers each request for draws:
 * - `record` gets the numbers from the frame around it (or from the generator
 *   when it is the outermost) and keeps a copy, so a recording inside a
 *   recording also lands in its parent;
 * - `replay` hands back the numbers of an earlier recording, in order, and
 *   checks that each request has the recorded shape; nothing reaches the
 *   frames around it, so a recording inside a replay consumes the replay;
 * - `probe` notes the shape of each request and answers with placeholder
 *   numbers from a private generator, consuming nothing.
 */
type Frame =
  | { mode: 'record'; draws: Float32Array[] }
  | { mode: 'replay'; draws: Float32Array[]; next: number; fn: string }
  | { mode: 'probe'; shapes: number[][]; source: Sfc32 };
const tape: Frame[] = [];

/** The shape each recorded request asked for, kept beside its numbers. */
const shapes = new WeakMap<Float32Array, number[]>();

/** Attaches a request's shape to its numbers. @internal */
export function withShape(draw: Float32Array, shape: number[]): Float32Array {
  shapes.set(draw, shape);
  return draw;
}

/** The shape a recorded request asked for (`[size]` when it gave none). @internal */
export function drawShape(draw: Float32Array): number[] {
  return shapes.get(draw) ?? [draw.length];
}

const sameShape = (a: number[], b: number[]) => a.length === b.length && a.every((d, i) => d === b[i]);
const formatShape = (shape: number[]) => `[${shape.join(', ')}]`;

/** `n` fresh uniforms in (0, 1) from a generator. */
function generate(source: Sfc32, n: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    // 23 random bits, shifted by half a step: the largest value, 1 - 2^-24, and
    // the smallest, 2^-24, are exact in float32, so u is never rounded to 0 or 1.
    out[i] = ((source.next() >>> 9) + 0.5) * TWO_TO_MINUS_23;
  }
  return out;
}

/** Answers a request at tape frame `depth` (-1: the generator itself). */
function answer(n: number, shape: number[], depth: number): Float32Array {
  if (depth < 0) return withShape(generate(generator, n), shape);
  const frame = tape[depth];
  if (frame.mode === 'probe') {
    frame.shapes.push(shape);
    return withShape(generate(frame.source, n), shape);
  }
  if (frame.mode === 'record') {
    const out = answer(n, shape, depth - 1);
    frame.draws.push(out);
    return out;
  }
  const draws = frame.draws[frame.next];
  const recorded = draws === undefined ? undefined : drawShape(draws);
  if (draws === undefined || draws.length !== n || !sameShape(recorded as number[], shape)) {
    throw new Error(
      `${frame.fn}: f asked for different random draws when run again ` +
        `(request ${frame.next + 1} wants shape ${formatShape(shape)}, the first run drew ` +
        `${recorded === undefined ? 'no such request' : `shape ${formatShape(recorded)}`}); ` +
        'f must make the same random calls on every run',
    );
  }
  frame.next++;
  return draws;
}

/**
 * Draws `n` numbers uniformly from the open interval (0, 1), honouring the tape.
 *
 * @param n How many numbers.
 * @param shape The shape of the request, checked when a recording is replayed;
 *   default `[n]`.
 * @internal The building block of `rand`, `randn` and `sampleGumbel`.
 */
export function uniformArray(n: number, shape: number[] = [n]): Float32Array {
  return answer(n, shape, tape.length - 1);
}

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

/** Checks a shape and returns its number of entries. */
function sizeOf(shape: number[], fn: string): number {
  checkShape(shape, fn);
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
  const estimate = currentEstimate();
  if (estimate !== null) {
    throw new Error(
      `${estimate.fn}: f drew uniforms with rand(), whose use the estimator cannot see (a comparison u < p has no flip rule); ` +
        'draw discrete values with bernoulli, Bernoulli, Binomial, Categorical or gumbelSoftmax with hard: true',
    );
  }
  return uniformTensor(shape, 'rand');
}

/** A tensor of uniforms from the tape, for the library's own samplers (allowed inside an estimate). @internal */
export function uniformTensor(shape: number[], fn = 'rand'): tf.Tensor {
  return tf.tensor(uniformArray(sizeOf(shape, fn), shape), shape, 'float32');
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
  const u = uniformArray(2 * size, [...shape, 2]);
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
 * Inside `derivativeEstimate` it is one of the draws whose flips the estimator
 * adds (0 -> 1 at rate max(p', 0) / (1 - p), 1 -> 0 at rate max(-p', 0) / p).
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
    const estimate = currentEstimate();
    if (estimate === null) return sampleBernoulli(p);
    const u = uniformArray(p.size, p.shape);
    const pv = p.dataSync();
    const outcome = new Float32Array(p.size);
    for (let i = 0; i < p.size; i++) outcome[i] = u[i] < pv[i] ? 1 : 0;
    return tf.tensor(reportDraw(estimate, 'bernoulli', 'bernoulli', p, outcome), p.shape, 'float32');
  });
}

/** The 0/1 draw `1[u < p]`, with a zero gradient (autodiff has none for `<`). */
const sampleBernoulli = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const p = args[0] as tf.Tensor;
  return {
    value: tf.cast(tf.less(uniformTensor(p.shape), p), 'float32'),
    gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
  };
});

/** Runs `run` with `frame` as the innermost frame of the tape. */
function within<T>(frame: Frame, run: () => T): T {
  tape.push(frame);
  try {
    return run();
  } finally {
    tape.pop();
  }
}

/**
 * Runs `run` while recording every draw it makes.
 *
 * Nests: inside another recording, the draws land in both; inside a replay,
 * they are taken from the replay (and recorded here too).
 * @internal Used by `jacobian` to give every row the same noise.
 */
export function recordDraws<T>(run: () => T): { value: T; draws: Float32Array[] } {
  const frame: Frame = { mode: 'record', draws: [] };
  const value = within(frame, run);
  return { value, draws: frame.draws };
}

/**
 * Runs `run` with the draws of an earlier `recordDraws` in place of new ones.
 * `fn` names the public function in error messages.
 * @internal
 * @throws If `run` asks for more or fewer draws than were recorded, or a
 *   request of another shape.
 */
export function replayDraws<T>(draws: Float32Array[], run: () => T, fn = 'jacobian'): T {
  const frame: Frame = { mode: 'replay', draws, next: 0, fn };
  const value = within(frame, run);
  if (frame.next !== draws.length) {
    throw new Error(
      `${fn}: f made ${frame.next} random draws when run again, but ${draws.length} ` +
        'the first time; f must make the same random calls on every run',
    );
  }
  return value;
}

/**
 * Runs `run` on placeholder draws and returns the shapes of the requests it
 * made, without consuming any draw from the generator or the tape.
 * @internal Used by `sampleJacobians` to learn how a batched f draws.
 */
export function probeDraws<T>(run: () => T): { value: T; shapes: number[][] } {
  const frame: Frame = { mode: 'probe', shapes: [], source: new Sfc32(0) };
  const value = within(frame, run);
  return { value, shapes: frame.shapes };
}

/** The number of frames on the draw tape (0 outside any recording or replay). @internal */
export function tapeDepth(): number {
  return tape.length;
}

/** Where the generator and every frame of the tape stand, for {@link rewindDraws}. */
export interface DrawState {
  generator: [number, number, number, number];
  frames: { frame: Frame; at: number }[];
}

/** Notes where the generator and the tape stand. @internal */
export function saveDraws(): DrawState {
  return {
    generator: generator.save(),
    frames: tape.map((frame) => ({
      frame,
      at: frame.mode === 'record' ? frame.draws.length : frame.mode === 'replay' ? frame.next : frame.shapes.length,
    })),
  };
}

/**
 * Undoes every draw made since `saveDraws`: the generator gets its state back,
 * recordings drop what they recorded since, replays step back.
 * @internal Used when a computation is abandoned and redone another way.
 */
export function rewindDraws(state: DrawState): void {
  generator.restore(state.generator);
  for (const { frame, at } of state.frames) {
    if (frame.mode === 'record') frame.draws.length = at;
    else if (frame.mode === 'replay') frame.next = at;
    else frame.shapes.length = at;
  }
}
