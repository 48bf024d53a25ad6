// The benchmark behind `npm run bench`: the course's tau sweep through the
// library against two PyTorch versions, the cost of long and wide walks, and
// the backend table. Prints the tables and writes bench/RESULTS.md.
//
// It uses the built package (`npm run build` first). Every comparison is a
// ratio of medians taken in this one run, the TypeScript and PyTorch sides
// alternating round by round, so that load from other work on the machine
// falls on both. PyTorch runs when `/usr/bin/python3 -c 'import torch'` works
// (Debian's python3-torch); each script times itself in-process after a warm-up.
//
// Environment: BENCH_ROUNDS (default 5), BENCH_TORCH_THREADS (default 1, see
// RESULTS.md for why), BENCH_PYTHON (default /usr/bin/python3), BENCH_QUICK=1
// for a short smoke run (written to RESULTS.quick.md, not RESULTS.md).
// Sections of their own (Cont, SIR, memory, ...) live in bench/sections/;
// BENCH_SECTIONS=none skips them (a run without them is written to
// RESULTS.sweep.md, so that it never replaces the full RESULTS.md).
// BENCH_SECTIONS=45-unbiased,40-sir (file names, without .js; a prefix such as
// 45 will do) runs only those sections, and replaces their blocks in
// RESULTS.md (each section's output sits between `<!-- section NAME -->`
// markers), keeping the rest of the file from the last full run; the block
// says that it was run alone, when, and at what load.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');

const lib = require('diffabm');
const { tf, sampleJacobians, jvp, randomWalk, jacobian, manualSeed, ready, availableBackends, straightThroughMoments } = lib;

/** Why tfjs-node did not load (null if it did): the package's own answer when it exports one. */
function nativeBackendError() {
  if (typeof lib.nativeBackendError === 'function') return lib.nativeBackendError();
  try {
    require('@tensorflow/tfjs-node');
    return null;
  } catch (e) {
    return e instanceof Error ? e.message.split('\n')[0] : String(e);
  }
}

const { QUICK, ROUNDS, TORCH_THREADS, PYTHON, ms, now, median, fmt, mb, timeIt, torchAvailable, runPython, machine } = require('./util');

const TS_REPEATS = QUICK ? 5 : 11;
// Sweeps run before the rounds, so that V8 has compiled the hot paths: the
// first sweeps of a process run several times slower than later ones.
const TS_WARMUP = 20;
const TORCH_REPEATS = 3;

const TAUS = [0.1, 0.5, 1.0];
const N_SAMPLES = 50;
const N_TIMESTEPS = 50;
const THETA = 0.4;

// ---------------------------------------------------------------- the sweep

/**
 * The notebook's sweep through the public API: n samples per tau, read back.
 * `options` are sampleJacobians's: `{ batched: true }`, or `{}` for the plain
 * call, which tries the batch and checks it against unbatched runs of the
 * first and last rows (a new closure per tau, so the check runs every time).
 */
function sweep(samples, options = { batched: true }) {
  for (const tau of TAUS) {
    const J = sampleJacobians((th) => randomWalk(th, N_TIMESTEPS, tau), THETA, N_SAMPLES, options);
    const data = J.dataSync();
    J.dispose();
    if (samples) samples[tau].push(data);
  }
}

const sweepPlain = (samples) => sweep(samples, {});

/** The same sweep one `jacobian` call per sample: the reference estimator. */
function sweepReference() {
  for (const tau of TAUS) {
    for (let k = 0; k < N_SAMPLES; k++) {
      const J = jacobian((th) => randomWalk(th, N_TIMESTEPS, tau), THETA);
      J.dataSync();
      J.dispose();
    }
  }
}

/** The sweep with `batched: false`: one forward-mode pass per sample. */
function sweepUnbatched() {
  for (const tau of TAUS) {
    const J = sampleJacobians((th) => randomWalk(th, N_TIMESTEPS, tau), THETA, N_SAMPLES, { batched: false });
    J.dataSync();
    J.dispose();
  }
}

// ---------------------------------------------------------------- PyTorch

/** Runs one of the sweep's PyTorch scripts; it times itself and prints JSON. */
function runTorch(script, threads, seed) {
  return runPython(script, ['--repeats', TORCH_REPEATS, '--threads', threads, '--seed', seed]);
}

// ---------------------------------------------------------------- statistics

/**
 * Pooled mean and variance of dx_t/dtheta over all samples, against
 * t E[g] and t Var[g] from quadrature (straightThroughMoments).
 */
function sweepStatistics(samples, steps) {
  const rows = [];
  for (const tau of TAUS) {
    const exact = straightThroughMoments(THETA, tau);
    for (const t of steps) {
      const xs = [];
      for (const J of samples[tau]) for (let k = 0; k < N_SAMPLES; k++) xs.push(J[k * N_TIMESTEPS + t]);
      const n = xs.length;
      const mean = xs.reduce((a, b) => a + b, 0) / n;
      const m2 = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
      const m4 = xs.reduce((a, b) => a + (b - mean) ** 4, 0) / n;
      const variance = (m2 * n) / (n - 1);
      const exactMean = t * exact.mean;
      const exactVar = t * exact.variance;
      rows.push({
        tau,
        t,
        n,
        mean,
        exactMean,
        zMean: (mean - exactMean) / Math.sqrt(exactVar / n),
        variance,
        exactVar,
        zVar: (variance - exactVar) / Math.sqrt(Math.max(m4 - m2 * m2, 1e-300) / n),
      });
    }
  }
  return rows;
}

// ---------------------------------------------------------------- sizes

/** Time and peak tensor memory of one call, on the current backend. */
async function measureCall(make, repeats, warmup = 1) {
  const times = timeIt(
    () => {
      const J = make();
      J.dataSync();
      J.dispose();
    },
    repeats,
    warmup,
  );
  const profile = await tf.profile(() => make());
  profile.result.dispose();
  return { ms: median(times), peakBytes: profile.peakBytes, maxRssMB: process.resourceUsage().maxRSS / 1024 };
}

const walkJacobian = (T) => () => sampleJacobians((th) => randomWalk(th, T, 0.5), THETA, 1);
const batchJacobians = (n, T) => () => sampleJacobians((th) => randomWalk(th, T, 0.5), THETA, n, { batched: true });

// ---------------------------------------------------------------- sections run alone

const sectionMarker = (file) => `<!-- section ${file} -->`;
const sectionEnd = (file) => `<!-- end of section ${file} -->`;

/**
 * Runs only the named sections and puts their output in place of their blocks in
 * RESULTS.md (appended when the file has none yet), the rest of the file unchanged.
 * A quick run writes RESULTS.quick.md instead, from scratch.
 */
async function runSectionsAlone(names, backend) {
  const dir = path.join(__dirname, 'sections');
  const all = fs.readdirSync(dir).filter((f) => f.endsWith('.js')).sort();
  const files = names.map((name) => {
    const file = all.find((f) => f === `${name}.js` || f.startsWith(name));
    if (!file) throw new Error(`BENCH_SECTIONS: no section ${name} in bench/sections (${all.join(', ')})`);
    return file;
  });
  const out = path.join(__dirname, QUICK ? 'RESULTS.quick.md' : 'RESULTS.md');
  let text = !QUICK && fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '';
  for (const file of files) {
    const lines = [sectionMarker(file)];
    const say = (s = '') => {
      console.log(s);
      lines.push(s);
    };
    await ready(backend);
    const load = os.loadavg()[0].toFixed(2);
    await require(path.join(dir, file)).run({ quick: QUICK, rounds: ROUNDS, say });
    say(`_This section was run alone (BENCH_SECTIONS=${file.replace(/\.js$/, '')}) on ${new Date().toISOString().slice(0, 16)} UTC, ` +
      `load average ${load} at its start on ${os.cpus().length} cores; the other sections are from the last full run._`);
    say();
    lines.push(sectionEnd(file));
    const block = lines.join('\n');
    const start = text.indexOf(sectionMarker(file));
    const end = text.indexOf(sectionEnd(file));
    text = start >= 0 && end > start ? text.slice(0, start) + block + text.slice(end + sectionEnd(file).length) : `${text.replace(/\n*$/, '\n\n')}${block}\n`;
  }
  fs.writeFileSync(out, text);
  console.error(`wrote ${path.relative(process.cwd(), out)}`);
}

// ---------------------------------------------------------------- main

async function main() {
  const lines = [];
  const say = (s = '') => {
    console.log(s);
    lines.push(s);
  };
  const loadStart = os.loadavg();
  const backend = await ready();
  const only = process.env.BENCH_SECTIONS && !['none', 'all'].includes(process.env.BENCH_SECTIONS) ? process.env.BENCH_SECTIONS.split(',') : null;
  if (only) {
    await runSectionsAlone(only, backend);
    return;
  }
  const wasmSimd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const wasmThreads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  const torch = torchAvailable();

  // -- 1. The sweep, alternating with PyTorch.
  const ts = [];
  const tsPlain = [];
  const seedLoop = [];
  const vectorized = [];
  const vectorizedAllCores = [];
  const samples = Object.fromEntries(TAUS.map((tau) => [tau, []]));
  let torchInfo = null;
  let torchStats = null;
  for (let i = 0; i < TS_WARMUP; i++) {
    sweep(null);
    sweepPlain(null);
  }
  for (let round = 0; round < ROUNDS; round++) {
    manualSeed(round);
    ts.push(median(timeIt(() => sweep(samples), TS_REPEATS)));
    tsPlain.push(median(timeIt(() => sweepPlain(null), TS_REPEATS)));
    if (torch) {
      const a = runTorch('torch_seed_loop.py', TORCH_THREADS, round);
      const b = runTorch('torch_vectorized.py', TORCH_THREADS, round);
      const c = runTorch('torch_vectorized.py', os.cpus().length, round);
      seedLoop.push(median(a.seconds) * 1e3);
      vectorized.push(median(b.seconds) * 1e3);
      vectorizedAllCores.push(median(c.seconds) * 1e3);
      torchInfo = a;
      torchStats = { seedLoop: a.stats, vectorized: b.stats };
    }
    console.error(`round ${round + 1}/${ROUNDS} done`);
  }
  const mc = machine(torchInfo ? torchInfo.torch : null);
  const loadEnd = os.loadavg();

  say('# diffabm benchmark');
  say();
  say(`Machine: ${mc.cpu}, ${mc.cores} cores, ${mc.memoryGB} GiB; Node ${mc.node}; @tensorflow/tfjs ${mc.tfjs} ` +
    `(wasm backend ${mc.tfjsWasm}, SIMD ${wasmSimd}, threads ${wasmThreads}); ` +
    (torch ? `PyTorch ${mc.torch} (Debian python3-torch, Python ${torchInfo.python})` : 'PyTorch not found') + `; ${mc.date}.`);
  say(`Load average (1 min) ${loadStart[0].toFixed(2)} at the start and ${loadEnd[0].toFixed(2)} at the end of the sweep rounds: ` +
    'the machine is shared, so only ratios within this run mean much.');
  say();
  say(`## 1. The tau sweep (taus ${TAUS.join(', ')} x ${N_SAMPLES} Jacobian samples x ${N_TIMESTEPS} steps, theta ${THETA})`);
  say();
  say(`After ${TS_WARMUP} untimed TypeScript sweeps of each kind (V8 compiles the hot paths), ${ROUNDS} rounds; ` +
    `each round times each TypeScript sweep ${TS_REPEATS} times after one more warm-up (median) and then runs each PyTorch script, ` +
    `which warms up and times ${TORCH_REPEATS} sweeps in-process (median). The table gives the median over rounds. ` +
    'The plain call, `sampleJacobians(f, theta, n)`, runs f as a batch and checks its first and last rows against unbatched runs on their draws; ' +
    '`{ batched: true }` skips the check.');
  say();
  say('| version | median ms | per round (ms) | batched TS / this | plain TS / this |');
  say('| --- | ---: | --- | ---: | ---: |');
  const tsMedian = median(ts);
  const plainMedian = median(tsPlain);
  const row = (name, xs) =>
    say(`| ${name} | ${fmt(median(xs))} | ${xs.map((x) => fmt(x)).join(', ')} | ` +
      (name.startsWith('diffabm') ? ' | |' : `${(tsMedian / median(xs)).toFixed(3)} | ${(plainMedian / median(xs)).toFixed(3)} |`));
  row(`diffabm sampleJacobians(f, theta, n, { batched: true }) (${backend})`, ts);
  row(`diffabm sampleJacobians(f, theta, n), plain (${backend})`, tsPlain);
  if (torch) {
    row(`PyTorch seed loop (Python loop + hstack, jacobian vectorize=True), ${TORCH_THREADS} thread`, seedLoop);
    row(`PyTorch vectorized walk (one gumbel_softmax + cumsum, jacobian vectorize=True), ${TORCH_THREADS} thread`, vectorized);
    row(`PyTorch vectorized walk, ${os.cpus().length} threads (not used for the ratio)`, vectorizedAllCores);
  }
  say();
  if (torch) {
    const r1 = tsMedian / median(vectorized);
    const r2 = tsMedian / median(seedLoop);
    const r3 = plainMedian / median(vectorized);
    const r4 = plainMedian / median(seedLoop);
    say(`Ratio TS / vectorized PyTorch: batched **${r1.toFixed(3)}**, plain call **${r3.toFixed(3)}** ` +
      `(goal <= 0.2: ${r1 <= 0.2 ? 'met' : 'NOT met'} batched, ${r3 <= 0.2 ? 'met' : 'NOT met'} plain); ` +
      `TS / seed loop: batched **${r2.toFixed(4)}**, plain **${r4.toFixed(4)}** (goal <= 0.02: ${r2 <= 0.02 ? 'met' : 'NOT met'} batched, ${r4 <= 0.02 ? 'met' : 'NOT met'} plain).`);
    say();
    const all = vectorizedAllCores;
    say(`PyTorch threads: the ratios use torch.set_num_threads(${TORCH_THREADS}), PyTorch's fastest setting here. With ` +
      `${os.cpus().length} threads, one per core (the last row), the same script took ${fmt(Math.min(...all))} to ${fmt(Math.max(...all))} ms ` +
      'from round to round: its worker threads wait on each other when the other core is busy, and this machine is shared. ' +
      'TensorFlow.js runs on one thread too (wasm without threads, or plain JavaScript).');
  } else {
    say(`PyTorch was not found (\`${PYTHON} -c "import torch"\` failed): only the TypeScript side ran. ` +
      'On Debian, `apt-get install -y python3-torch` provides it.');
  }
  say();

  // -- 2. Statistics of the sweep.
  const stats = sweepStatistics(samples, [10, 25, N_TIMESTEPS - 1]);
  say(`## 2. Statistics (all ${stats[0].n} TypeScript samples per tau from the timed sweeps, against quadrature)`);
  say();
  say('Exact: E[dx_t/dtheta] = t E[g], Var = t Var[g], with E[g], Var[g] from `straightThroughMoments` (quadrature). ' +
    'z is the error in standard errors (the variance SE from the sample fourth moment).');
  say();
  say('| tau | t | mean | exact | z | variance | exact | z |');
  say('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of stats) {
    say(`| ${r.tau} | ${r.t} | ${r.mean.toFixed(3)} | ${r.exactMean.toFixed(3)} | ${r.zMean.toFixed(2)} | ` +
      `${r.variance.toFixed(2)} | ${r.exactVar.toFixed(2)} | ${r.zVar.toFixed(2)} |`);
  }
  if (torchStats) {
    say();
    say(`PyTorch at t = ${N_TIMESTEPS - 1} (one sweep, ${N_SAMPLES} samples per tau; SE of the mean in brackets):`);
    say();
    say('| tau | exact mean | seed loop mean | vectorized mean | exact variance | seed loop variance | vectorized variance |');
    say('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const tau of TAUS) {
      const e = straightThroughMoments(THETA, tau);
      const t = N_TIMESTEPS - 1;
      const se = Math.sqrt((t * e.variance) / N_SAMPLES);
      // Python writes the keys as str(tau): '1.0', not '1'.
      const pick = (stats) => stats[Object.keys(stats).find((k) => Number(k) === tau)];
      const s1 = pick(torchStats.seedLoop);
      const s2 = pick(torchStats.vectorized);
      say(`| ${tau} | ${(t * e.mean).toFixed(2)} (${se.toFixed(2)}) | ${s1.mean[t].toFixed(2)} | ${s2.mean[t].toFixed(2)} | ` +
        `${(t * e.variance).toFixed(1)} | ${s1.var[t].toFixed(1)} | ${s2.var[t].toFixed(1)} |`);
    }
  }
  say();

  // -- 3. Approaches, measured once on each backend.
  say('## 3. Approaches to the sweep (one process, per backend)');
  say();
  const backends = availableBackends();
  const approaches = [];
  let sameDraws = 0;
  for (const name of backends) {
    await ready(name);
    for (let i = 0; i < TS_WARMUP; i++) sweep(null);
    // The estimator check: on one seed, sampleJacobians gives the samples of n jacobian calls.
    const f50 = (th) => randomWalk(th, N_TIMESTEPS, 0.5);
    const gap = tf.tidy(() => {
      manualSeed(9);
      const slow = tf.stack(Array.from({ length: 5 }, () => jacobian(f50, THETA, { strategy: 'reverse-mode' })));
      const scale = tf.max(tf.abs(slow)).dataSync()[0];
      return Math.max(...[{ batched: true }, {}].map((options) => {
        manualSeed(9);
        const fast = sampleJacobians(f50, THETA, 5, options);
        return tf.max(tf.abs(tf.sub(slow, fast))).dataSync()[0] / scale;
      }));
    });
    sameDraws = Math.max(sameDraws, gap);
    manualSeed(1);
    const reference = QUICK ? NaN : median(timeIt(sweepReference, 1));
    const unbatched = median(timeIt(sweepUnbatched, QUICK ? 2 : 5, 2));
    const batched = median(timeIt(() => sweep(null), TS_REPEATS));
    const plain = median(timeIt(() => sweepPlain(null), TS_REPEATS));
    // One reverse pass (a gradient) against one forward-mode pass (jvp) on the batched walk.
    const x = tf.fill([N_SAMPLES], THETA);
    const f = (th) => randomWalk(th, N_TIMESTEPS, 0.5);
    const grad = tf.grad((th) => tf.sum(f(th)));
    const reverse = median(timeIt(() => tf.tidy(() => grad(x).dataSync()), 30));
    const forward = median(timeIt(() => tf.tidy(() => jvp(f, x, tf.onesLike(x)).dataSync()), 30));
    x.dispose();
    approaches.push({ name, reference, unbatched, batched, plain, passRatio: forward / reverse });
  }
  say('| backend | loop of jacobian (reverse mode, 1 pass per output) ms | sampleJacobians batched: false, 1 forward pass per sample ms | ' +
    'sampleJacobians batched: true, 1 pass per tau ms | sampleJacobians plain (batch + check of 2 rows) ms | forward pass / reverse pass |');
  say('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const a of approaches) {
    say(`| ${a.name} | ${Number.isNaN(a.reference) ? 'skipped' : fmt(a.reference)} | ${fmt(a.unbatched)} | ${fmt(a.batched)} | ${fmt(a.plain)} | ${a.passRatio.toFixed(2)} |`);
  }
  say();
  say(`Same estimator: on one seed, 5 samples from the batched and from the plain call differ from 5 reverse-mode \`jacobian\` calls by at most ${sameDraws.toExponential(1)} ` +
    '(relative to the largest entry; float32 rounding between forward and reverse mode).');
  say();

  // -- 4. Growth in the number of steps, and 5. a wide batch, per backend.
  const lengths = QUICK ? [1e2, 1e4, 1e5] : [1e2, 1e3, 1e4, 1e5, 1e6];
  const growth = {};
  const wide = {};
  const WIDE = 10_000;
  for (const name of backends) {
    await ready(name);
    for (let i = 0; i < TS_WARMUP; i++) sweep(null);
    manualSeed(2);
    growth[name] = [];
    for (const T of lengths) {
      const r = await measureCall(walkJacobian(T), T >= 1e6 ? 2 : T >= 1e5 ? 3 : 15, T >= 1e5 ? 1 : 10);
      growth[name].push({ T, ...r });
    }
    wide[name] = await measureCall(batchJacobians(WIDE, N_TIMESTEPS), 3);
    const thetas = tf.linspace(0.05, 0.95, WIDE);
    const ones = tf.onesLike(thetas);
    wide[name].spread = await measureCall(() => jvp((th) => randomWalk(th, N_TIMESTEPS, 0.5), thetas, ones), 3);
    tf.dispose([thetas, ones]);
  }
  say('## 4. One walk of T steps with its Jacobian (`sampleJacobians(th => randomWalk(th, T, 0.5), 0.4, 1)`: one forward-mode pass)');
  say();
  say('| T | ' + backends.map((b) => `${b} ms | ${b} ns/step | ${b} peak tensor MiB`).join(' | ') + ' |');
  say('| ---: | ' + backends.map(() => '---: | ---: | ---:').join(' | ') + ' |');
  lengths.forEach((T, i) => {
    say(`| ${T.toExponential(0)} | ` +
      backends.map((b) => {
        const r = growth[b][i];
        return `${fmt(r.ms)} | ${fmt((r.ms * 1e6) / T)} | ${mb(r.peakBytes)}`;
      }).join(' | ') + ' |');
  });
  say();
  for (const b of backends) {
    const g = growth[b];
    const last = g[g.length - 1];
    say(`${b}: peak tensor memory ${(last.peakBytes / last.T).toFixed(0)} bytes per step at T = ${last.T.toExponential(0)} ` +
      `(tf.profile peakBytes); process peak RSS so far ${fmt(last.maxRssMB)} MiB.`);
  }
  say();
  say(`## 5. A batch of ${WIDE} independent walks of ${N_TIMESTEPS} steps with their Jacobians (one call, vector theta inside)`);
  say();
  say(`\`sampleJacobians(f, 0.4, ${WIDE}, { batched: true })\` (all at theta 0.4), and \`jvp(f, thetas, ones)\` with ${WIDE} ` +
    'thetas spread over [0.05, 0.95] (each walk differentiated with respect to its own theta), both one forward-mode pass.');
  say();
  say('| backend | call | ms | peak tensor MiB | result MiB |');
  say('| --- | --- | ---: | ---: | ---: |');
  for (const b of backends) {
    say(`| ${b} | sampleJacobians | ${fmt(wide[b].ms)} | ${mb(wide[b].peakBytes)} | ${mb(WIDE * N_TIMESTEPS * 4)} |`);
    say(`| ${b} | jvp, spread thetas | ${fmt(wide[b].spread.ms)} | ${mb(wide[b].spread.peakBytes)} | ${mb(WIDE * N_TIMESTEPS * 4)} |`);
  }
  say();

  // -- 6. Backend table.
  say('## 6. Backends');
  say();
  const err = nativeBackendError();
  say(`Registered: ${backends.join(', ')}. tfjs-node (\`tensorflow\` backend): ${err === null ? 'loaded' : `not available here (${err}); ` +
    'its install script downloads the TensorFlow C library from outside the npm registry, which this machine cannot reach'}.`);
  say();
  const cases = [
    ['sweep (3 x 50 x 50, batched)', (b) => approaches.find((a) => a.name === b).batched],
    ['sweep, plain call (batch + check)', (b) => approaches.find((a) => a.name === b).plain],
    ['sweep, not batched (150 passes on 49 x 2 tensors)', (b) => approaches.find((a) => a.name === b).unbatched],
    ...lengths.map((T, i) => [`one walk, T = ${T.toExponential(0)}`, (b) => growth[b][i].ms]),
    [`${WIDE} walks x ${N_TIMESTEPS} steps`, (b) => wide[b].ms],
  ];
  const wins = {};
  say('| case | ' + backends.map((b) => `${b} ms`).join(' | ') + ' | faster |');
  say('| --- | ' + backends.map(() => '---:').join(' | ') + ' | --- |');
  for (const [label, get] of cases) {
    const v = backends.map(get);
    const best = backends[v.indexOf(Math.min(...v))];
    const other = Math.max(...v) / Math.min(...v);
    say(`| ${label} | ${v.map((x) => fmt(x)).join(' | ')} | ${best} (${other.toFixed(1)}x) |`);
    wins[best] = (wins[best] || 0) + 1;
  }
  say();
  say(`Faster backend per case: ${Object.entries(wins).map(([b, k]) => `${b} ${k} of ${cases.length}`).join(', ')}. ` +
    `\`ready()\` picks ${backends[0]} first when tfjs-node is absent.`);
  say();

  // -- 7. Memory over many sweeps.
  await ready(backend);
  const SWEEPS = QUICK ? 100 : 1000;
  const marks = [];
  const t0 = now();
  for (let i = 1; i <= SWEEPS; i++) {
    sweep(null);
    if (i === 1 || i === 10 || i === 100 || i === SWEEPS) marks.push({ i, ...tf.memory() });
  }
  const perSweep = ms(now() - t0) / SWEEPS;
  say(`## 7. tf.memory() over ${SWEEPS} sweeps (${backend})`);
  say();
  say('| after sweep | numTensors | numBytes |');
  say('| ---: | ---: | ---: |');
  for (const m of marks) say(`| ${m.i} | ${m.numTensors} | ${m.numBytes} |`);
  say();
  const flat = marks.every((m) => m.numTensors === marks[0].numTensors && m.numBytes === marks[0].numBytes);
  say(`${flat ? 'Flat' : 'NOT flat'}; ${fmt(perSweep, 2)} ms per sweep on average over the ${SWEEPS}.`);

  // The sections of bench/sections/, in file-name order, unless BENCH_SECTIONS=none.
  const withSections = process.env.BENCH_SECTIONS !== 'none';
  const dir = path.join(__dirname, 'sections');
  const files = withSections && fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.js')).sort() : [];
  for (const file of files) {
    await ready(backend);
    say(sectionMarker(file));
    await require(path.join(dir, file)).run({ quick: QUICK, rounds: ROUNDS, say });
    say(sectionEnd(file));
  }

  // A quick smoke run, or one without the sections, never replaces the committed results.
  const out = path.join(__dirname, QUICK ? 'RESULTS.quick.md' : withSections ? 'RESULTS.md' : 'RESULTS.sweep.md');
  fs.writeFileSync(out, lines.join('\n') + '\n');
  console.error(`wrote ${path.relative(process.cwd(), out)}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
