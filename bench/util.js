// What every benchmark section shares: timing, medians, the PyTorch side and
// the machine description. A section is a module in bench/sections/ that
// exports `run({ quick, rounds, say })`; `say(line)` prints a Markdown line
// and adds it to bench/RESULTS.md. Sections run in file-name order after the
// sweep (bench/run.js), and each also runs alone: `node bench/sections/NAME.js`.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');

const QUICK = process.env.BENCH_QUICK === '1';
const ROUNDS = Number(process.env.BENCH_ROUNDS || (QUICK ? 2 : 5));
const TORCH_THREADS = Number(process.env.BENCH_TORCH_THREADS || 1);
const PYTHON = process.env.BENCH_PYTHON || '/usr/bin/python3';

const ms = (ns) => Number(ns) / 1e6;
const now = () => process.hrtime.bigint();

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const fmt = (x, digits = 1) => (x >= 100 ? x.toFixed(0) : x.toFixed(digits));
const mb = (bytes) => (bytes / 2 ** 20).toFixed(1);

/** Times `run` `repeats` times after `warmup` untimed runs; returns milliseconds. */
function timeIt(run, repeats, warmup = 1) {
  for (let i = 0; i < warmup; i++) run();
  const out = [];
  for (let i = 0; i < repeats; i++) {
    const start = now();
    run();
    out.push(ms(now() - start));
  }
  return out;
}

/** Tells whether PYTHON imports torch (Debian's python3-torch). */
function torchAvailable() {
  return spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0;
}

/**
 * Runs a Python script of bench/ and parses the JSON object on its last line
 * of stdout. The script times itself in-process.
 */
function runPython(script, args = []) {
  const r = spawnSync(PYTHON, [script, ...args.map(String)], {
    cwd: __dirname,
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
    encoding: 'utf8',
    maxBuffer: 64 * 2 ** 20,
  });
  if (r.status !== 0) throw new Error(`${script} failed:\n${r.stderr}`);
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

/** The machine, for the head of RESULTS.md. */
function machine(torchVersion) {
  const cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
  const model = (cpuinfo.match(/^model name\s*:\s*(.*)$/m) || [])[1] || os.cpus()[0].model;
  return {
    cpu: model,
    cores: os.cpus().length,
    memoryGB: (os.totalmem() / 2 ** 30).toFixed(0),
    node: process.version,
    tfjs: require('@tensorflow/tfjs/package.json').version,
    tfjsWasm: require('@tensorflow/tfjs-backend-wasm/package.json').version,
    torch: torchVersion,
    date: new Date().toISOString(),
  };
}

/**
 * Runs one section module alone (`node bench/sections/NAME.js`), printing its
 * Markdown to stdout. Call it as `if (require.main === module) runAlone(run)`.
 */
function runAlone(run) {
  run({ quick: QUICK, rounds: ROUNDS, say: (s = '') => console.log(s) }).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}

module.exports = { QUICK, ROUNDS, TORCH_THREADS, PYTHON, ms, now, median, fmt, mb, timeIt, torchAvailable, runPython, machine, runAlone };
