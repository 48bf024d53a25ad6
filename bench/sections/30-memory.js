// Memory of long walks: one walk of T steps with its Jacobian, the whole walk
// under one tape (`sampleJacobians`, one forward-mode pass, as in section 4)
// against `walkJacobian`, which differentiates a chunk of steps at a time and
// carries the running sums forward. Peak tensor memory from tf.profile (minus
// the bytes already held), time as the median of rounds in which the two
// alternate, and a check that both give the same numbers on the same seed.
// Runs alone: `node bench/sections/30-memory.js` (BENCH_QUICK=1 for a short run).
'use strict';
const { tf, ready, manualSeed, randomWalk, sampleJacobians, walkJacobian } = require('diffabm');
const { median, fmt, mb, timeIt, runAlone } = require('../util');

const THETA = 0.4;
const TAU = 0.5;
const SEED = 30;

const whole = (T) => () => {
  const J = sampleJacobians((th) => randomWalk(th, T, TAU), THETA, 1);
  return { values: [J], free: () => J.dispose() };
};
const chunked = (T, chunk) => () => {
  const { path, jacobian } = walkJacobian(THETA, T, TAU, chunk === undefined ? {} : { chunk });
  return { values: [path, jacobian], free: () => tf.dispose([path, jacobian]) };
};

/** Peak tensor bytes above those held before, of one call (tf.profile reuses its result object). */
async function peakBytes(make) {
  const held = tf.memory().numBytes;
  const profile = await tf.profile(() => make().free());
  return profile.peakBytes - held;
}

/** One timed call, its results read back as JavaScript arrays (as a user would). */
function timed(make) {
  return timeIt(() => {
    const r = make();
    r.values.forEach((t) => t.dataSync());
    r.free();
  }, 1, 0)[0];
}

/** Largest |a - b| relative to the largest |a|, and whether the paths are equal, on one seed. */
function agreement(T) {
  return tf.tidy(() => {
    manualSeed(SEED);
    const J = sampleJacobians((th) => randomWalk(th, T, TAU), THETA, 1).reshape([T]);
    manualSeed(SEED);
    const path = randomWalk(THETA, T, TAU);
    manualSeed(SEED);
    const c = walkJacobian(THETA, T, TAU);
    const gap = tf.max(tf.abs(tf.sub(J, c.jacobian))).dataSync()[0] / tf.max(tf.abs(J)).dataSync()[0];
    const samePath = tf.all(tf.equal(path, c.path)).dataSync()[0] === 1;
    return { gap, samePath };
  });
}

async function run({ quick, rounds, say }) {
  const backend = await ready();
  const lengths = quick ? [1e3, 1e4, 1e5] : [1e3, 1e4, 1e5, 1e6];
  const rows = [];
  for (const T of lengths) {
    const repeats = Math.max(rounds, T <= 1e4 ? 15 : T <= 1e5 ? 5 : rounds);
    // Warm-up, then rounds in which the two alternate, so that load from other work falls on both.
    timed(whole(T));
    timed(chunked(T));
    const a = [];
    const b = [];
    for (let i = 0; i < repeats; i++) {
      a.push(timed(whole(T)));
      b.push(timed(chunked(T)));
    }
    rows.push({ T, wholeMs: median(a), chunkedMs: median(b), wholePeak: await peakBytes(whole(T)), chunkedPeak: await peakBytes(chunked(T)), ...agreement(T) });
    console.error(`memory: T = ${T} done`);
  }
  const T = lengths[lengths.length - 1];
  const chunks = quick ? [1024, 16384] : [1024, 4096, 16384, 65536];
  const sweep = [];
  for (const chunk of chunks) {
    timed(chunked(T, chunk));
    const times = [];
    for (let i = 0; i < rounds; i++) times.push(timed(chunked(T, chunk)));
    sweep.push({ chunk, ms: median(times), peak: await peakBytes(chunked(T, chunk)) });
  }

  say(`## Memory of long walks (${backend}): one walk of T steps with its Jacobian, theta ${THETA}, tau ${TAU}`);
  say();
  say('Whole: `sampleJacobians(th => randomWalk(th, T, tau), theta, 1)`, one forward-mode pass under one tape (section 4). ' +
    'Chunked: `walkJacobian(theta, T, tau)` with its default chunk: one reverse pass per chunk on per-step copies ' +
    "of theta's logits, with the running sums of positions and derivatives carried from chunk to chunk. " +
    'Peak = `tf.profile(...).peakBytes` minus the tensor bytes held before the call; it includes the results ' +
    `(the whole Jacobian, 4T bytes; the chunked path and Jacobian, 8T bytes). Time: median of rounds in which the two alternate, results read back.`);
  say();
  say('| T | whole ms | chunked ms | chunked / whole time | whole peak MiB | chunked peak MiB | whole bytes/step | chunked bytes/step | same path | max Jacobian gap (relative) |');
  say('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |');
  for (const r of rows) {
    say(`| ${r.T.toExponential(0)} | ${fmt(r.wholeMs)} | ${fmt(r.chunkedMs)} | ${(r.chunkedMs / r.wholeMs).toFixed(2)} | ` +
      `${mb(r.wholePeak)} | ${mb(r.chunkedPeak)} | ${fmt(r.wholePeak / r.T)} | ${fmt(r.chunkedPeak / r.T)} | ${r.samePath ? 'yes' : 'NO'} | ${r.gap.toExponential(1)} |`);
  }
  say();
  const last = rows[rows.length - 1];
  say(`At T = ${last.T.toExponential(0)} the chunked walk's peak tensor memory is ${(last.wholePeak / last.chunkedPeak).toFixed(1)} times smaller ` +
    `(${mb(last.chunkedPeak)} MiB against ${mb(last.wholePeak)} MiB), at ${(last.chunkedMs / last.wholeMs).toFixed(2)} times the time. ` +
    'The Jacobian gap is float32 rounding: the two take the per-step derivatives through different passes.');
  say();
  say(`Chunk size at T = ${T.toExponential(0)} (median of ${rounds} calls):`);
  say();
  say('| chunk | ms | peak MiB |');
  say('| ---: | ---: | ---: |');
  for (const s of sweep) say(`| ${s.chunk} | ${fmt(s.ms)} | ${mb(s.peak)} |`);
  say();
}

module.exports = { run };
if (require.main === module) runAlone(run);
