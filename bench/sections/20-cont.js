// Cont's threshold model (notebook 04): one simulation of 1,000 agents over
// 300 steps with the gradient of a scalar loss (mean r_t^2) with respect to the
// four parameters the course calibrates (sigma, eta, s, gamma0), through the
// library's two engines, against a PyTorch version of BlackBIRDS' `RamaCont`
// (bench/torch_cont.py, one thread). Rounds alternate: TypeScript timings,
// then the PyTorch script, so that load from other work falls on both.
//
// Also: where the time goes (operations per step, nanoseconds per agent and
// step), and the bias that cutting the feedback nu <- |r_t| puts in the
// expected gradient, measured against the full-feedback gradient on a short
// horizon where both are finite (common random numbers, standard errors).
'use strict';
const { tf, contModel, manualSeed, ready } = require('diffabm');
const { QUICK, ROUNDS, TORCH_THREADS, median, fmt, timeIt, torchAvailable, runPython, runAlone } = require('../util');

const N_AGENTS = 1000;
const N_TIMESTEPS = 300;
const TRUTH = { sigma: 0.001, eta: 10, s: 0.05, gamma0: Math.log(0.001), gamma1: 0.5 };
const CALIBRATED = ['sigma', 'eta', 's', 'gamma0'];
const ALL = ['sigma', 'eta', 's', 'gamma0', 'gamma1'];
const TS_REPEATS = QUICK ? 3 : 7;
const TS_WARMUP = 3;
const TORCH_REPEATS = QUICK ? 1 : 3;

// The bias measurement: gradients of mean_t r_t^2 over a short horizon, with and
// without the feedback, on the same draws; BIAS_SAMPLES simulations per setting.
const BIAS_AGENTS = 1000;
const BIAS_STEPS = 20;
const BIAS_SAMPLES = QUICK ? 400 : 4000;
const BIAS_CHUNK = 250;

/** The simulation and the gradient of mean r^2 with respect to the calibrated parameters; B simulations at once. */
function simulationAndGradient(engine, nSimulations) {
  const grads = tf.grads((...theta) => {
    const params = { ...TRUTH, ...Object.fromEntries(CALIBRATED.map((name, j) => [name, theta[j]])) };
    const options = { nAgents: N_AGENTS, nTimesteps: N_TIMESTEPS, engine, ...(nSimulations ? { nSimulations } : {}) };
    return tf.mean(tf.square(contModel(params, options)));
  })(CALIBRATED.map((name) => tf.scalar(TRUTH[name])));
  grads.forEach((g) => g.dataSync());
  tf.dispose(grads);
}

/** Kernels launched per simulated step, forward and forward + backward, from tf.profile, per engine. */
async function kernelsPerStep() {
  const count = async (f) => {
    const profile = await tf.profile(() => tf.tidy(f));
    tf.dispose(profile.result);
    return profile.kernels.length / N_TIMESTEPS;
  };
  const out = {};
  for (const engine of ['fused', 'autodiff']) {
    const forward = await count(() => contModel(TRUTH, { nAgents: N_AGENTS, nTimesteps: N_TIMESTEPS, engine }));
    const both = await count(() =>
      tf.grads((...theta) => {
        const params = { ...TRUTH, ...Object.fromEntries(CALIBRATED.map((name, j) => [name, theta[j]])) };
        return tf.mean(tf.square(contModel(params, { nAgents: N_AGENTS, nTimesteps: N_TIMESTEPS, engine })));
      })(CALIBRATED.map((name) => tf.scalar(TRUTH[name]))),
    );
    out[engine] = { forward, both };
  }
  return out;
}

/**
 * Per-simulation gradients of mean_t r_t^2 with respect to all five parameters,
 * with the feedback cut or kept, for `n` simulations drawn after manualSeed(seed).
 * Parameters are vectors of one value per simulation, so one backward pass gives
 * every simulation's own gradient.
 */
function perSimulationGradients(s, feedback, n, seed) {
  manualSeed(seed);
  const out = ALL.map(() => []);
  for (let done = 0; done < n; done += BIAS_CHUNK) {
    const B = Math.min(BIAS_CHUNK, n - done);
    const point = { ...TRUTH, s };
    const grads = tf.grads((...theta) => {
      const params = Object.fromEntries(ALL.map((name, j) => [name, theta[j]]));
      const r = contModel(params, { nAgents: BIAS_AGENTS, nTimesteps: BIAS_STEPS, nSimulations: B, feedback });
      return tf.sum(tf.mean(tf.square(r), 1));
    })(ALL.map((name) => tf.fill([B], point[name])));
    grads.forEach((g, j) => out[j].push(...g.dataSync()));
    tf.dispose(grads);
  }
  return out;
}

/**
 * The relative bias of the cut gradient, E[g_cut] / E[g_full] - 1, with its
 * standard error by the delta method on paired samples (common random numbers):
 * SE = sd(g_cut - R g_full) / (sqrt(n) |mean g_full|), R the ratio of means.
 */
function relativeBias(cut, full) {
  const n = cut.length;
  const mean = (v) => v.reduce((a, b) => a + b, 0) / v.length;
  const mc = mean(cut);
  const mf = mean(full);
  const R = mc / mf;
  const d = cut.map((c, i) => c - R * full[i]);
  const md = mean(d);
  const sd = Math.sqrt(d.reduce((a, v) => a + (v - md) ** 2, 0) / (n - 1));
  return { bias: R - 1, se: sd / (Math.sqrt(n) * Math.abs(mf)), meanFull: mf };
}

async function run({ say }) {
  const backend = await ready();
  const torch = torchAvailable();
  for (let i = 0; i < TS_WARMUP; i++) simulationAndGradient('fused');
  simulationAndGradient('autodiff');
  simulationAndGradient('fused', 2);
  const ts = { fused: [], autodiff: [], batch2: [], forward: [] };
  const py = [];
  let torchInfo = null;
  for (let round = 0; round < ROUNDS; round++) {
    ts.fused.push(median(timeIt(() => simulationAndGradient('fused'), TS_REPEATS, 0)));
    ts.batch2.push(median(timeIt(() => simulationAndGradient('fused', 2), TS_REPEATS, 0)) / 2);
    ts.autodiff.push(median(timeIt(() => simulationAndGradient('autodiff'), QUICK ? 1 : 3, 0)));
    ts.forward.push(median(timeIt(() => tf.tidy(() => contModel(TRUTH, { nAgents: N_AGENTS, nTimesteps: N_TIMESTEPS }).dataSync()), TS_REPEATS, 0)));
    if (torch) {
      torchInfo = runPython('torch_cont.py', ['--repeats', TORCH_REPEATS, '--threads', TORCH_THREADS, '--seed', round]);
      py.push(median(torchInfo.seconds) * 1e3);
    }
    console.error(`cont round ${round + 1}/${ROUNDS} done`);
  }
  const kernels = await kernelsPerStep();

  say(`## Cont's threshold model (${N_AGENTS} agents x ${N_TIMESTEPS} steps, notebook 04)`);
  say();
  say(`${ROUNDS} rounds, alternating; TypeScript on \`${backend}\` (median of ${TS_REPEATS} calls per round, the autodiff engine of ${QUICK ? 1 : 3}), ` +
    `PyTorch ${torchInfo ? torchInfo.torch : '(not found)'} with ${TORCH_THREADS} thread (bench/torch_cont.py, median of ${TORCH_REPEATS} after one warm-up). ` +
    'Workload: one simulation and the gradient of mean_t r_t^2 with respect to sigma, eta, s and gamma0 (feedback cut, straight-through orders and resets).');
  say();
  say('| workload | ms | / PyTorch |');
  say('| --- | ---: | ---: |');
  const pyMs = torch ? median(py) : NaN;
  const rows = [
    ['diffabm, fused engine (default)', median(ts.fused)],
    ['diffabm, fused engine, batch of 2 (per simulation)', median(ts.batch2)],
    ['diffabm, autodiff engine (tensor operations step by step)', median(ts.autodiff)],
    ['PyTorch, RamaCont as published, 1 thread', pyMs],
  ];
  for (const [name, t] of rows) say(`| ${name} | ${fmt(t)} | ${torch ? (t / pyMs).toFixed(3) : ''} |`);
  say();
  say(`Per round (ms), fused: ${ts.fused.map((x) => fmt(x)).join(', ')}` + (torch ? `; PyTorch: ${py.map((x) => fmt(x)).join(', ')}.` : '.'));
  if (torch) {
    const ratio = median(ts.fused) / pyMs;
    say();
    say(`Simulation + gradient: TS / PyTorch = **${ratio.toFixed(3)}** (goal <= 0.3: ${ratio <= 0.3 ? 'met' : 'NOT met'}).`);
  }
  say();
  const agentSteps = N_AGENTS * N_TIMESTEPS;
  const fwdNs = (median(ts.forward) * 1e6) / agentSteps;
  const bothNs = (median(ts.fused) * 1e6) / agentSteps;
  say(`Where the time goes. The autodiff engine launches ${kernels.autodiff.forward.toFixed(1)} TensorFlow.js kernels per step forward and ` +
    `${kernels.autodiff.both.toFixed(1)} per step for the simulation and its gradient; the fused engine ${Math.round(kernels.fused.forward * N_TIMESTEPS)} ` +
    `per call forward and ${Math.round(kernels.fused.both * N_TIMESTEPS)} per call with the gradient, whatever the number of steps. ` +
    `The fused engine is one pass of plain float64 loops over agents and steps (lib/abm/cont.ts, simulate); when a gradient is recorded ` +
    `that pass also carries the tangents of the five parameters (no logarithm or exponential per agent at tau = 0.1), and it draws ` +
    `one uniform random number per agent and step. Measured: ` +
    `${fwdNs.toFixed(1)} ns per agent and step forward, random numbers included (${fmt(median(ts.forward))} ms per call), and ` +
    `${bothNs.toFixed(1)} ns per agent and step for the simulation and its gradient (${fmt(median(ts.fused))} ms): ` +
    `scalar JavaScript loops, with no per-operation dispatch left.`);
  say();
  // The bias of the cut feedback.
  say(`### The bias of the cut feedback (${BIAS_AGENTS} agents, ${BIAS_STEPS} steps)`);
  say();
  say(`Relative bias of the default gradient (feedback cut) against the gradient with the feedback differentiated, ` +
    `E[g_cut] / E[g_full] - 1, for the loss mean_t r_t^2 at sigma = 0.001, eta = 10, gamma0 = log 0.001, gamma1 = 0.5: ` +
    `${BIAS_SAMPLES} simulations per setting, both gradients on the same draws, +- one standard error (delta method on the paired samples). ` +
    'Over hundreds of steps the full-feedback gradient explodes; over 20 steps both are finite.');
  say();
  say(`| s | ${ALL.join(' | ')} |`);
  say(`| ---: | ${ALL.map(() => '---:').join(' | ')} |`);
  for (const s of [0.05, 0.1]) {
    const cut = perSimulationGradients(s, false, BIAS_SAMPLES, 2024);
    const full = perSimulationGradients(s, true, BIAS_SAMPLES, 2024);
    const cells = ALL.map((_, j) => {
      const { bias, se } = relativeBias(cut[j], full[j]);
      return `${(100 * bias).toFixed(0)}% +- ${(100 * se).toFixed(0)}`;
    });
    say(`| ${s} | ${cells.join(' | ')} |`);
  }
  say();
}

module.exports = { run };
if (require.main === module) runAlone(run);
