// Executes the course notebooks headless (nbclient, through scripts/nbrun.py).
//
//   node scripts/notebooks.js run   [PATH...]   execute and write outputs in place
//   node scripts/notebooks.js check [PATH...]   execute into a temporary copy; fail on
//                                               errors, figures without a PNG, or
//                                               outputs that differ from the committed
//                                               ones (cells tagged "volatile" excepted)
// PATH is a notebook or a folder of notebooks (default: notebooks/).
//
// A code cell whose metadata has "tags": ["volatile"] (e.g. timings) must still
// run without error and give every figure its PNG, but its outputs are not
// compared with the committed ones. Each notebook's execution time is printed
// as it finishes and in a summary at the end. `check` first runs
// scripts/nbrun_test.py, the tests of these comparison rules.
//
// Each notebook runs in its own scripts/nbrun.py (nbclient); Ctrl-C or SIGTERM
// stops the running one (nbclient shuts its kernel down) and starts no other.
// Faults end in one message naming the cause and the fix, and change nothing:
// a notebook file that is not valid JSON stops the run before any set-up; in
// `run`, a notebook is written back only when it passed, to a temporary file
// renamed over it, so a kernel that dies in the middle leaves it as it was.
// Options:
//   --cell-timeout S   limit per cell (default 600)
//   --timeout S        limit for the whole run (default 3600)
//   --out-dir DIR      check: keep the executed copies in DIR
//   --skip-setup       do not install/build anything (the kernelspec is still checked)
//
// Before running it installs what is missing (see scripts/nbenv.js): npm packages
// + build, Jupyter and Chromium (apt, as root on Debian), the diffabm-ts kernel.
// It never starts a server; `npm start` (scripts/start.js) does.
'use strict';
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { ROOT, prepare, pythonEnv, reportSetupErrors } = require('./nbenv');
const { notebooksIn, parseCommandLine, readNotebook } = require('./common');

const USAGE = 'usage: node scripts/notebooks.js run|check [--cell-timeout S] [--timeout S] ' +
  '[--out-dir DIR] [--skip-setup] [NOTEBOOK.ipynb | DIR]...';

function fail(message) {
  console.error(`notebooks: ${message}`);
  process.exit(1);
}

function parseArgs(argv) {
  let parsed;
  try {
    parsed = parseCommandLine(
      argv,
      {
        'cell-timeout': { type: 'string', default: '600' },
        timeout: { type: 'string', default: '3600' },
        'out-dir': { type: 'string' },
        'skip-setup': { type: 'boolean', default: false },
      },
      USAGE,
    );
  } catch (err) {
    fail(err.message);
  }
  const { values, positionals } = parsed;
  const [mode, ...paths] = positionals;
  if (mode !== 'run' && mode !== 'check') fail(USAGE);
  const seconds = (flag) => {
    const n = Number(values[flag]);
    if (!Number.isFinite(n) || n <= 0) fail(`--${flag} must be a positive number of seconds, but got ${values[flag]}`);
    return n;
  };
  return {
    mode,
    paths,
    cellTimeout: seconds('cell-timeout'),
    timeout: seconds('timeout'),
    outDir: values['out-dir'] ?? null,
    skipSetup: values['skip-setup'],
  };
}

// Expands the arguments into a list of .ipynb files, in course order within a folder.
function collectNotebooks(paths) {
  const explicit = paths.length > 0;
  const found = [];
  for (const p of explicit ? paths : [path.join(ROOT, 'notebooks')]) {
    const abs = path.resolve(p);
    if (!fs.existsSync(abs)) fail(`no such file or folder: ${p}`);
    if (fs.statSync(abs).isDirectory()) {
      const inDir = notebooksIn(abs);
      if (inDir.length === 0 && explicit) fail(`no notebooks in ${p}`);
      found.push(...inDir);
    } else if (abs.endsWith('.ipynb')) {
      found.push(abs);
    } else {
      fail(`not a notebook: ${p}`);
    }
  }
  return [...new Set(found)];
}

// Set by Ctrl-C or SIGTERM: the running notebook is stopped (nbclient shuts its
// kernel down) and no further notebook starts.
let stopRequested = null;

// Runs nbrun.py on one notebook; resolves to its exit code. The Python side
// enforces the time limits and shuts its kernel down; killing it here is only
// a safety net.
function runNbrun(python, args, hardLimitMs) {
  return new Promise((resolve) => {
    const child = spawn(python, [path.join(__dirname, 'nbrun.py'), ...args], {
      cwd: process.cwd(),
      stdio: 'inherit',
      env: pythonEnv(),
    });
    // Ctrl-C reaches the Python helper too (same process group); SIGTERM is passed on.
    const ignore = () => {
      stopRequested = stopRequested || 'SIGINT';
    };
    const term = () => {
      stopRequested = 'SIGTERM';
      child.kill('SIGTERM');
    };
    process.on('SIGINT', ignore);
    process.on('SIGTERM', term);
    let killTimer = null;
    const limitTimer = setTimeout(() => {
      console.error('notebooks: the overall time limit was exceeded; stopping the run');
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), 30000);
    }, hardLimitMs);
    child.on('error', (err) => {
      console.error(`notebooks: could not start ${python}: ${err.message}`);
    });
    child.on('close', (code, signal) => {
      clearTimeout(limitTimer);
      clearTimeout(killTimer);
      process.removeListener('SIGINT', ignore);
      process.removeListener('SIGTERM', term);
      resolve(code === null ? `signal ${signal}` : code);
    });
  });
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const notebooks = collectNotebooks(opts.paths);
  // A damaged notebook file stops everything before any set-up or kernel.
  for (const file of notebooks) readNotebook(file);
  const started = Date.now();
  const { python, kernel } = prepare({ skipInstall: opts.skipSetup });
  if (notebooks.length === 0) {
    console.log('notebooks: set-up done; no notebooks found in notebooks/, nothing to run');
    return 0;
  }
  const deadline = Date.now() / 1000 + opts.timeout;
  const args = [
    '--mode', opts.mode,
    '--kernel', kernel.name,
    '--cell-timeout', String(Math.round(opts.cellTimeout)),
    '--deadline', String(deadline),
  ];

  // check: executed copies go to a temporary folder, kept only on failure.
  let outDir = null;
  let tempOut = false;
  if (opts.mode === 'check') {
    outDir = opts.outDir ? path.resolve(opts.outDir) : fs.mkdtempSync(path.join(os.tmpdir(), 'diffabm-nbcheck-'));
    tempOut = !opts.outDir;
    args.push('--out-dir', outDir);
    // The comparison rules themselves (volatile cells, error detection) are tested first.
    const self = spawnSync(python, ['-B', path.join(__dirname, 'nbrun_test.py')], { encoding: 'utf8', env: pythonEnv() });
    if (self.status !== 0) {
      console.error(`${self.stdout}${self.stderr}`);
      console.error('notebooks: the tests of scripts/nbrun.py failed (python3 scripts/nbrun_test.py)');
      return 1;
    }
  }
  console.log(`notebooks: ${opts.mode} ${notebooks.length} notebook(s) with kernel ${kernel.name} (${python})`);
  const timings = [];
  for (const file of notebooks) {
    if (stopRequested) break;
    const t = Date.now();
    const code = await runNbrun(python, [...args, file], (deadline - Date.now() / 1000 + 120) * 1000);
    timings.push({ label: path.relative(process.cwd(), file), ok: code === 0, seconds: (Date.now() - t) / 1000 });
  }
  printTimings(timings);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const failed = timings.filter((t) => !t.ok).length;
  if (stopRequested) {
    console.error(`notebooks: stopped by ${stopRequested} after ${timings.length - 1} notebook(s); no notebook file was changed by the one that was running`);
    return 130;
  }
  if (failed === 0) {
    if (tempOut) fs.rmSync(outDir, { recursive: true, force: true });
    else if (outDir) console.log(`notebooks: executed copies are in ${outDir}`);
    console.log(`notebooks: ${opts.mode} passed, ${timings.length} notebook(s) (${seconds} s)`);
    return 0;
  }
  if (outDir) console.error(`notebooks: executed copies (for inspection) are in ${outDir}`);
  console.error(`notebooks: ${opts.mode} FAILED for ${failed} of ${timings.length} notebook(s) (${seconds} s)`);
  return 1;
}

// The execution time of each notebook (kernel start included), and the total.
function printTimings(timings) {
  if (timings.length === 0) return;
  const width = Math.max(...timings.map((t) => t.label.length), 5);
  console.log('execution time per notebook:');
  for (const t of timings) console.log(`  ${t.label.padEnd(width)}  ${t.seconds.toFixed(1).padStart(7)} s  ${t.ok ? 'ok' : 'FAIL'}`);
  const total = timings.reduce((sum, t) => sum + t.seconds, 0);
  console.log(`  ${'total'.padEnd(width)}  ${total.toFixed(1).padStart(7)} s`);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => reportSetupErrors('notebooks', err),
);
