/**
 * The computational graph that TensorFlow.js's autodiff records.
 *
 * While `tf.grad` (and `tf.engine().gradients`) runs a function, the engine
 * appends one node per operation to a tape: the kernel's name, its input
 * tensors and its output tensors. The backward pass walks that tape in reverse.
 * The tape is internal to TensorFlow.js (`tf.engine().state.activeTape`, in
 * 4.x), so this module is the one place that reads it; its test fails if an
 * upgrade changes it.
 */
import * as tf from '@tensorflow/tfjs';
import { check } from './check';
import type { Graph, GraphEdge, GraphNode } from './graph';

/** The fields of a tape node that this module reads. */
interface TapeNode {
  id: number;
  kernelName: string;
  inputs: Record<string, tf.Tensor>;
  outputs: tf.Tensor[];
}

/** One operation of a recorded program: a kernel, the ids of the tensors it read, and of those it made. */
export interface RecordedOperation {
  /** The kernel's name, as TensorFlow.js registers it (`'Add'`, `'Multiply'`, `'Cos'`, ...). */
  kernelName: string;
  /** The ids of the input tensors, in the kernel's order of inputs. */
  inputs: number[];
  /** The ids of the output tensors. */
  outputs: number[];
}

/** A program as recorded on the tape, restricted to what connects the inputs to the outputs. */
export interface RecordedProgram {
  /** The ids of the input tensors, in order. */
  inputs: number[];
  /** The ids of the output tensors, in order. */
  outputs: number[];
  /** The operations on a path from an input to an output, in the order they ran. */
  operations: RecordedOperation[];
  /** The other tensors those operations read (constants): id, shape, and the value of a scalar. */
  constants: { id: number; shape: number[]; value: number | null }[];
}

/** A function of tensors returning one tensor or several. */
export type GraphFunction = (...inputs: tf.Tensor[]) => tf.Tensor | tf.Tensor[];

/** Reads TensorFlow.js's active tape, or throws if this version keeps it elsewhere. */
function activeTape(fn: string): TapeNode[] {
  const state = (tf.engine() as unknown as { state?: { activeTape?: unknown } }).state;
  const tape = state?.activeTape;
  check(
    Array.isArray(tape),
    fn,
    "TensorFlow.js's tape (tf.engine().state.activeTape)",
    `an array while gradients are recorded (TensorFlow.js ${tf.version.tfjs})`,
    tape,
  );
  for (const node of tape as Partial<TapeNode>[]) {
    const ok =
      typeof node?.kernelName === 'string' &&
      typeof node.inputs === 'object' &&
      node.inputs !== null &&
      Array.isArray(node.outputs) &&
      node.outputs.every((t) => t instanceof tf.Tensor);
    check(ok, fn, "TensorFlow.js's tape nodes", `{ kernelName, inputs, outputs } (TensorFlow.js ${tf.version.tfjs})`, node);
  }
  return tape as TapeNode[];
}

/**
 * Runs a top-level gradient computation, and if it throws, frees the copies
 * of tensors that its tape saved for the backward pass: TensorFlow.js 4.x
 * frees them only after a backward pass that succeeds.
 */
function withTapeFreedOnError<T>(run: () => T): T {
  try {
    return run();
  } catch (e) {
    type Saved = { saved?: tf.Tensor[] }[];
    const state = (tf.engine() as unknown as { state?: { gradientDepth: number; activeTape: Saved | null } }).state;
    if (state !== undefined && state.gradientDepth === 0 && Array.isArray(state.activeTape)) {
      state.activeTape.forEach((node) => node.saved?.forEach((t) => t.dispose()));
      state.activeTape = null;
    }
    throw e;
  }
}

/** Keeps the operations on some path from an input to an output (what the backward pass walks). */
function connecting(ops: RecordedOperation[], inputs: number[], outputs: number[]): RecordedOperation[] {
  const reached = new Set(inputs);
  const fromInputs = ops.map((op) => {
    const hit = op.inputs.some((id) => reached.has(id));
    if (hit) op.outputs.forEach((id) => reached.add(id));
    return hit;
  });
  const needed = new Set(outputs);
  const keep = new Array<boolean>(ops.length).fill(false);
  for (let i = ops.length - 1; i >= 0; i--) {
    if (fromInputs[i] && ops[i].outputs.some((id) => needed.has(id))) {
      keep[i] = true;
      ops[i].inputs.forEach((id) => needed.add(id));
    }
  }
  return ops.filter((_, i) => keep[i]);
}

function checkCall(f: unknown, inputs: unknown, fn: string): tf.Tensor[] {
  check(typeof f === 'function', fn, 'f', 'a function', f);
  check(Array.isArray(inputs) && inputs.length >= 1, fn, 'inputs', 'a non-empty array of float32 tensors', inputs);
  (inputs as unknown[]).forEach((x, i) =>
    check(x instanceof tf.Tensor && x.dtype === 'float32', fn, `inputs[${i}]`, 'a float32 tensor', x),
  );
  return inputs as tf.Tensor[];
}

/**
 * Runs a function under TensorFlow.js's gradient tape and returns the program
 * it recorded: the operations that connect the inputs to the outputs, in the
 * order they ran, and the constants they read.
 *
 * The function runs once, inside `tf.engine().gradients`, exactly as for
 * `tf.grad`; everything it allocates is freed. Operations whose result does
 * not reach an output, or that do not depend on an input, are left out (the
 * backward pass skips them too), and so are the copies the engine makes of
 * tensors it saves for the backward pass.
 *
 * PyTorch counterpart: walking `z.grad_fn` and its `next_functions`.
 *
 * @param f A function of the inputs returning one tensor or an array of tensors.
 * @param inputs The inputs, float32 tensors (at least one).
 * @returns The recorded program, tensors named by their ids.
 * @throws If f or an input is malformed, f does not return tensors, or this
 *   TensorFlow.js keeps its tape in a way this module does not know.
 * @example
 * const { operations } = recordProgram((x) => tf.mul(tf.sin(x), x), [tf.scalar(1)]);
 * operations.map((op) => op.kernelName); // ['Sin', 'Multiply']
 */
export function recordProgram(f: GraphFunction, inputs: tf.Tensor[]): RecordedProgram {
  const fn = 'recordProgram';
  const xs = checkCall(f, inputs, fn);
  let program: RecordedProgram | null = null;
  tf.tidy(() => {
    const engine = tf.engine();
    const { value, grads } = withTapeFreedOnError(() => engine.gradients(
      () => {
        const start = activeTape(fn).length;
        const result = f(...xs);
        const ys = Array.isArray(result) ? result : [result];
        check(
          ys.length >= 1 && ys.every((y) => y instanceof tf.Tensor),
          fn,
          'f(...inputs)',
          'a tensor or a non-empty array of tensors',
          result,
        );
        const tape = activeTape(fn).slice(start);
        const all = tape.map((node) => ({
          kernelName: node.kernelName,
          inputs: Object.values(node.inputs).map((t) => t.id),
          outputs: node.outputs.map((t) => t.id),
        }));
        const inputIds = xs.map((x) => x.id);
        const outputIds = ys.map((y) => y.id);
        const operations = connecting(all, inputIds, outputIds);
        const made = new Set([...inputIds, ...operations.flatMap((op) => op.outputs)]);
        const byId = new Map<number, tf.Tensor>();
        tape.forEach((node) => Object.values(node.inputs).forEach((t) => byId.set(t.id, t)));
        ys.forEach((y) => byId.set(y.id, y));
        const constantIds = [...operations.flatMap((op) => op.inputs), ...outputIds].filter(
          (id, i, ids) => !made.has(id) && ids.indexOf(id) === i,
        );
        // An op that saves a constant for its backward pass keeps a copy of it
        // (a tape node named after the op's scope, `pow__op`), and frees the
        // original: its value is read from the copy.
        const copies = new Map<number, tf.Tensor>();
        for (const node of tape) {
          const ins = Object.values(node.inputs);
          const copy = node.outputs[0];
          if (/__op$|^Identity$/.test(node.kernelName) && ins.length === 1 && node.outputs.length === 1 && !copy.isDisposed) {
            copies.set(ins[0].id, copy);
          }
        }
        const constants = constantIds.map((id) => {
          const t = byId.get(id) as tf.Tensor;
          const live = t.isDisposed ? copies.get(id) : t;
          return { id, shape: t.shape.slice(), value: t.size === 1 && live !== undefined ? Number(live.dataSync()[0]) : null };
        });
        program = { inputs: inputIds, outputs: outputIds, operations, constants };
        return tf.addN(ys.map((y) => tf.sum(tf.cast(y, 'float32'))));
      },
      xs,
      undefined,
      true,
    ));
    value.dispose();
    grads.forEach((g) => g?.dispose());
  });
  return program as unknown as RecordedProgram;
}

/** Options of {@link computationGraph}. */
export interface ComputationGraphOptions {
  /** The outputs' names (default `z` for one output, `z1`, `z2`, ... for several). */
  outputNames?: string[];
  /** Adds each input's value (scalars) or shape to its label (default true). */
  showValues?: boolean;
}

/** Formats a number for a label: up to four significant digits. */
function short(v: number): string {
  return String(Number(v.toPrecision(4)));
}

/**
 * Records the computational graph of a TensorFlow.js program, ready to draw
 * with `showGraph`: inputs (blue), operations (grey, named by kernel),
 * constants (white) and outputs (green), with edges along the data flow.
 *
 * The graph is a property of the program, not of the function it computes:
 * `x * x` and `tf.square(x)` give different graphs. Each operation appears
 * once however many times its result is used, which is why the graph (a DAG)
 * stays as small as the program while the written-out expression can swell.
 *
 * PyTorch counterpart: `torchviz.make_dot(z, params={'x': x, 'y': y})`, which
 * draws the backward graph PyTorch records (`PowBackward0`, ...) where this
 * draws the forward operations TensorFlow.js records for its backward pass.
 *
 * @param f A function of the inputs, in the order of their names.
 * @param inputs The named inputs, float32 tensors: `{ x: tf.scalar(2), y: tf.scalar(1.5) }`.
 * @param options outputNames, showValues (default true).
 * @returns A {@link Graph} drawn bottom to top: inputs and constants below, outputs on top.
 * @throws As {@link recordProgram}; if the number of output names differs from the number of outputs.
 * @example
 * const graph = computationGraph((x, y) => tf.add(tf.square(x), tf.mul(4, y)), { x: tf.scalar(2), y: tf.scalar(1.5) });
 * await showGraph(graph);
 */
export function computationGraph(
  f: GraphFunction,
  inputs: Record<string, tf.Tensor>,
  options: ComputationGraphOptions = {},
): Graph {
  const fn = 'computationGraph';
  check(typeof inputs === 'object' && inputs !== null && !Array.isArray(inputs), fn, 'inputs', 'an object of named tensors', inputs);
  check(typeof options === 'object' && options !== null, fn, 'options', 'an object', options);
  const names = Object.keys(inputs);
  const xs = Object.values(inputs);
  const { showValues = true } = options;
  check(typeof showValues === 'boolean', fn, 'showValues', 'a boolean', showValues);
  const program = recordProgram(f, xs);
  const nOut = program.outputs.length;
  const outputNames = options.outputNames ?? (nOut === 1 ? ['z'] : program.outputs.map((_, i) => `z${i + 1}`));
  check(
    Array.isArray(outputNames) && outputNames.length === nOut && outputNames.every((s) => typeof s === 'string'),
    fn,
    'outputNames',
    `${nOut} string${nOut === 1 ? '' : 's'}, one per output`,
    outputNames,
  );

  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const producer = new Map<number, string>();
  const describe = (t: tf.Tensor): string => {
    if (!showValues) return '';
    return t.size === 1 ? ` = ${short(t.dataSync()[0])}` : `\n[${t.shape.join(', ')}]`;
  };
  xs.forEach((x, i) => {
    const id = `input${i}`;
    nodes.push({ id, label: `${names[i]}${describe(x)}`, kind: 'input' });
    if (!producer.has(x.id)) producer.set(x.id, id);
  });
  for (const c of program.constants) {
    const id = `constant${c.id}`;
    nodes.push({ id, label: c.value !== null ? short(c.value) : `constant [${c.shape.join(', ')}]`, kind: 'constant' });
    producer.set(c.id, id);
  }
  program.operations.forEach((op, k) => {
    const id = `op${k}`;
    nodes.push({ id, label: op.kernelName.replace(/__op$/, ''), kind: 'operation' });
    op.inputs.forEach((t) => {
      const from = producer.get(t);
      if (from !== undefined) edges.push({ from, to: id });
    });
    op.outputs.forEach((t) => producer.set(t, id));
  });
  program.outputs.forEach((t, i) => {
    const id = `output${i}`;
    nodes.push({ id, label: outputNames[i], kind: 'output' });
    const from = producer.get(t);
    if (from !== undefined) edges.push({ from, to: id });
  });
  return { nodes, edges, direction: 'BT' };
}
