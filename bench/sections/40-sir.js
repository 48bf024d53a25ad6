// The agent-based SIR epidemic (notebook 05): one epoch of the fit and one
// Jacobian of the model through the library, against the course's PyTorch code
// as written (Python's built-in `sum` over the agents) and a vectorised PyTorch
// version (a tensor `sum`), both in bench/torch_sir.py, one thread.
//
// Sizes as in the notebook: 1,000 agents, 60 steps, beta = 0.2, gamma = 0.05,
// 1% infected at the start, tau = 0.5. An epoch is a simulation at
// (10^u_beta, 10^u_gamma) = (1, 1), the L2 loss against fixed observations,
// its gradient, clipping to norm 1 and an Adam step. The Jacobian is
// d(infections, recoveries)/d(beta, gamma), [2, 60, 2]: in PyTorch
// `torch.autograd.functional.jacobian(..., vectorize=True)`, here
// `sampleJacobians(f, x, 1)` (forward mode: two passes, one per parameter).
// Both engines of `sirModel` are timed: `'fused'` (the default: one operation
// in plain loops) and `'autodiff'` (tensor operations step by step).
//
// Rounds alternate: TypeScript timings, then the PyTorch script, so that load
// from other work falls on both. Also reports what sets each engine's cost:
// for the fused engine its floating-point work per agent and step (logarithms,
// exponentials, uniforms) against the time that work takes alone; for the
// autodiff engine the operations per step and the time per operation.
'use strict';
const { tf, sirModel, sampleJacobians, clipGradNorm, manualSeed, ready } = require('diffabm');
const { uniformArray } = require('diffabm/dist/random');
const { QUICK, ROUNDS, TORCH_THREADS, median, fmt, timeIt, torchAvailable, runPython, runAlone } = require('../util');

const N_AGENTS = 1000;
const N_TIMESTEPS = 60;
const OPTIONS = { nAgents: N_AGENTS, nTimesteps: N_TIMESTEPS };
const TRUTH = [0.2, 0.05];
const TS_REPEATS = QUICK ? 3 : 7;
const TS_WARMUP = 5;
const TORCH_REPEATS = QUICK ? 1 : 3;
const ENGINES = ['fused', 'autodiff'];

/** One epoch of the notebook's fit with the given engine, as a closure over fixed observations. */
function makeEpoch(engine) {
  const options = { ...OPTIONS, engine };
  manualSeed(0);
  const observed = sirModel({ beta: TRUTH[0], gamma: TRUTH[1] }, options);
  const u = [tf.variable(tf.scalar(0)), tf.variable(tf.scalar(0))];
  const optimizer = clipGradNorm(tf.train.adam(0.05), 1);
  const epoch = () => {
    const loss = optimizer.minimize(() => {
      const x = sirModel({ beta: tf.pow(10, u[0]), gamma: tf.pow(10, u[1]) }, options);
      return tf.sum(tf.square(tf.sub(x, observed)));
    }, true, u);
    loss.dataSync();
    loss.dispose();
    // Every timed epoch starts from the same point, as in bench/torch_sir.py.
    u.forEach((v) => v.assign(tf.scalar(0)));
  };
  return epoch;
}

/** The Jacobian [2, T, 2] of one run, forward mode. */
const splitParams = (p) => ({ beta: tf.reshape(tf.slice(p, [0], [1]), []), gamma: tf.reshape(tf.slice(p, [1], [1]), []) });
function jacobianOnce(engine) {
  const x = tf.tensor1d(TRUTH);
  const J = sampleJacobians((p) => sirModel(splitParams(p), { ...OPTIONS, engine }), x, 1, { batched: false, mode: 'forward' });
  J.dataSync();
  J.dispose();
  x.dispose();
}

/** Kernels per simulation step of the forward pass and of a whole epoch, from tf.profile. */
async function operationCounts(engine, epoch) {
  // tf.profile returns the same object on every call: read each count before the next profile.
  const forward = await tf.profile(() => tf.tidy(() => sirModel({ beta: 1, gamma: 1 }, { ...OPTIONS, engine })));
  const forwardKernels = forward.kernels.length;
  forward.result.dispose();
  const whole = await tf.profile(() => epoch());
  return { forward: forwardKernels / N_TIMESTEPS, epoch: whole.kernels.length / N_TIMESTEPS };
}

/** Median time of one elementwise multiply of a [2, N] tensor: the cost of a small operation. */
function timePerOperation() {
  const a = tf.ones([2, N_AGENTS]);
  const reps = 200;
  const times = timeIt(() => {
    let x = a;
    for (let i = 0; i < reps; i++) {
      const y = tf.mul(x, 1.0001);
      if (x !== a) x.dispose();
      x = y;
    }
    x.dataSync();
    x.dispose();
  }, 5);
  a.dispose();
  return (median(times) / reps) * 1e3;
}

/**
 * The time alone (ns) of the fused engine's floating-point primitives: one
 * Math.log, one Math.exp, each on uniforms (as the draws take them), and one
 * uniform from the library's generator. Medians of 5 loops.
 */
function timePrimitives() {
  const n = 1 << 18;
  manualSeed(1);
  const u = uniformArray(n);
  let sink = 0;
  const perCall = (run) => (median(timeIt(run, 5)) / n) * 1e6;
  const log = perCall(() => {
    for (let i = 0; i < n; i++) sink += Math.log(u[i]);
  });
  const exp = perCall(() => {
    for (let i = 0; i < n; i++) sink += Math.exp(-u[i]);
  });
  const uniform = perCall(() => {
    sink += uniformArray(n)[0];
  });
  if (!Number.isFinite(sink)) throw new Error('unreachable');
  return { log, exp, uniform };
}

/**
 * Counts the logarithms and exponentials that `run` computes, and returns them with its value:
 * Math.log and Math.exp are wrapped with counters for the one call (not timed), so that the
 * engine itself carries no counters. Per-step constants (a few per step) are included.
 */
function countMathCalls(run) {
  const { log, exp } = Math;
  const counts = { logs: 0, exps: 0 };
  Math.log = (x) => (counts.logs++, log(x));
  Math.exp = (x) => (counts.exps++, exp(x));
  try {
    return { value: run(), ...counts };
  } finally {
    Math.log = log;
    Math.exp = exp;
  }
}

async function run({ say }) {
  const backend = await ready();
  const torch = torchAvailable();
  const epochs = Object.fromEntries(ENGINES.map((engine) => [engine, makeEpoch(engine)]));
  for (const engine of ENGINES) {
    for (let i = 0; i < TS_WARMUP; i++) epochs[engine]();
    jacobianOnce(engine);
  }
  const ts = Object.fromEntries(ENGINES.map((engine) => [engine, { epoch: [], jacobian: [] }]));
  const py = { 'epoch-course': [], 'epoch-vectorized': [], 'jacobian-course': [], 'jacobian-vectorized': [] };
  let torchInfo = null;
  for (let round = 0; round < ROUNDS; round++) {
    for (const engine of ENGINES) {
      ts[engine].epoch.push(median(timeIt(epochs[engine], TS_REPEATS)));
      ts[engine].jacobian.push(median(timeIt(() => jacobianOnce(engine), Math.max(2, TS_REPEATS >> 1))));
    }
    if (torch) {
      torchInfo = runPython('torch_sir.py', ['--repeats', TORCH_REPEATS, '--threads', TORCH_THREADS, '--seed', round]);
      for (const key of Object.keys(py)) py[key].push(median(torchInfo.seconds[key]) * 1e3);
    }
    console.error(`sir round ${round + 1}/${ROUNDS} done`);
  }
  const ops = await operationCounts('autodiff', epochs.autodiff);
  const fusedOps = await operationCounts('fused', epochs.fused);
  const perOp = timePerOperation();
  // One epoch's simulated agent-steps (one epidemic), and the logarithms and exponentials it takes.
  const work = { agentSteps: N_AGENTS * N_TIMESTEPS, ...countMathCalls(() => epochs.fused()) };
  const prim = timePrimitives();

  say(`## SIR epidemic (${N_AGENTS} agents x ${N_TIMESTEPS} steps, notebook 05)`);
  say();
  say(`${ROUNDS} rounds, alternating; TypeScript on \`${backend}\` (median of ${TS_REPEATS} epochs after ${TS_WARMUP} untimed), ` +
    `PyTorch ${torchInfo ? torchInfo.torch : '(not found)'} with ${TORCH_THREADS} thread (median of ${TORCH_REPEATS} after one warm-up). ` +
    'An epoch: simulation, L2 loss, gradient, norm clipping, Adam step. The Jacobian: d(infections, recoveries)/d(beta, gamma), ' +
    'forward mode here (`sampleJacobians`, two passes), `jacobian(vectorize=True)` in PyTorch. ' +
    "`sirModel`'s engines: `fused` (the default) and `autodiff` (the definition, tensor operations step by step).");
  say();
  say('| workload | engine | diffabm (ms) | PyTorch, course code (ms) | PyTorch, vectorised (ms) | TS / course | TS / vectorised |');
  say('| --- | --- | ---: | ---: | ---: | ---: | ---: |');
  const ratios = {};
  for (const workload of ['epoch', 'jacobian']) {
    for (const engine of ENGINES) {
      const t = median(ts[engine][workload]);
      if (torch) {
        const course = median(py[`${workload}-course`]);
        const vec = median(py[`${workload}-vectorized`]);
        ratios[`${workload}-${engine}`] = { course: t / course, vec: t / vec };
        say(`| ${workload} | ${engine} | ${fmt(t)} | ${fmt(course)} | ${fmt(vec)} | ${(t / course).toFixed(4)} | ${(t / vec).toFixed(3)} |`);
      } else {
        say(`| ${workload} | ${engine} | ${fmt(t)} | | | | |`);
      }
    }
  }
  say();
  say(`Per round, diffabm epoch (ms), fused: ${ts.fused.epoch.map((x) => fmt(x)).join(', ')}; ` +
    `autodiff: ${ts.autodiff.epoch.map((x) => fmt(x)).join(', ')}` +
    (torch ? `; PyTorch vectorised epoch: ${py['epoch-vectorized'].map((x) => fmt(x)).join(', ')}.` : '.'));
  if (torch) {
    const { course, vec } = ratios['epoch-fused'];
    say();
    say(`Epoch, fused engine: TS / vectorised PyTorch = **${vec.toFixed(3)}** (goal <= 0.5: ${vec <= 0.5 ? 'met' : 'NOT met'}); ` +
      `TS / course code = **${course.toFixed(4)}** (goal <= 0.05: ${course <= 0.05 ? 'met' : 'NOT met'}).`);
  }
  say();
  // The fused engine's work: per agent-step of an epoch (one run, the Jacobian carried along).
  const perStep = (x) => x / work.agentSteps;
  const uniformsPerStep = 4; // two draws per agent and step, two uniforms per draw (plus 2 per agent at the start)
  const floor = perStep(work.logs) * prim.log + perStep(work.exps) * prim.exp + uniformsPerStep * prim.uniform;
  const actual = (median(ts.fused.epoch) * 1e6) / work.agentSteps;
  say(`What sets the fused engine's cost: an epoch simulates ${work.agentSteps} agent-steps once, carrying the Jacobian along; ` +
    `per agent-step it takes ${perStep(work.logs).toFixed(2)} logarithms and ${perStep(work.exps).toFixed(2)} exponentials ` +
    '(a draw of a small probability is mostly decided from one uniform, with none) and draws ' +
    `${uniformsPerStep} uniforms, plus, for an agent whose draw has a slope, about 30 additions, multiplications and divisions (the slope, the tangents of S_i and I_i, the Jacobian's sums). ` +
    `Alone, a logarithm takes ${prim.log.toFixed(1)} ns, an exponential ${prim.exp.toFixed(1)} ns and a uniform ${prim.uniform.toFixed(1)} ns here, ` +
    `${floor.toFixed(0)} ns per agent-step in all; the epoch takes ${actual.toFixed(0)} ns per agent-step ` +
    `(${(actual / floor).toFixed(1)} times that floor; the rest is the loop itself, garbage collection and the epoch's ` +
    `${fusedOps.epoch.toFixed(2)} TensorFlow.js kernels per step: loss, gradient, optimiser).`);
  say();
  say(`What sets the autodiff engine's cost: ${ops.forward.toFixed(1)} TensorFlow.js kernels per simulated step forward, ` +
    `${ops.epoch.toFixed(1)} per step for a whole epoch (forward, backward, optimiser); ` +
    `a small kernel (a product of [2, ${N_AGENTS}], median over 5 chains of 200) takes ${perOp.toFixed(1)} µs here.` +
    (torchInfo ? ` PyTorch (vectorised) runs ${torchInfo.counts.opsPerStep.toFixed(1)} top-level operations (ATen calls and backward nodes) per step of an epoch, ` +
      `at ${torchInfo.counts.usPerOp.toFixed(1)} µs for the same small product: fewer kernels per step here, each dearer.` : ''));
  say();
}

module.exports = { run };
if (require.main === module) runAlone(run);
