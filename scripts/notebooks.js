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
// as it finishes and in a summary at the end (see scripts/nbrun.py). `check`
// first runs scripts/nbrun_test.py, the tests of these comparison rules.
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

const USAGE = 'usage: node scripts/notebooks.js run|check [--cell-timeout S] [--timeout S] ' +
  '[--out-dir DIR] [--skip-setup] [NOTEBOOK.ipynb | DIR]...';

function fail(message) {
  console.error(`notebooks: ${message}`);
  process.exit(1);
}

function parseArgs(argv) {
  const opts = { mode: argv[0], paths: [], cellTimeout: 600, timeout: 3600, outDir: null, skipSetup: false };
  if (opts.mode !== 'run' && opts.mode !== 'check') fail(USAGE);
  const number = (flag, value) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) fail(`${flag} needs a positive number of seconds`);
    return n;
  };
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--cell-timeout') opts.cellTimeout = number(arg, argv[++i]);
    else if (arg === '--timeout') opts.timeout = number(arg, argv[++i]);
    else if (arg === '--out-dir') opts.outDir = argv[++i] || fail('--out-dir needs a folder');
    else if (arg === '--skip-setup') opts.skipSetup = true;
    else if (arg === '-h' || arg === '--help') {
      console.log(USAGE);
      process.exit(0);
    } else if (arg.startsWith('--')) fail(`unknown option ${arg}\n${USAGE}`);
    else opts.paths.push(arg);
  }
  return opts;
}

// Expands the arguments into a sorted list of .ipynb files.
function collectNotebooks(paths) {
  const explicit = paths.length > 0;
  const found = [];
  for (const p of explicit ? paths : [path.join(ROOT, 'notebooks')]) {
    const abs = path.resolve(p);
    if (!fs.existsSync(abs)) fail(`no such file or folder: ${p}`);
    if (fs.statSync(abs).isDirectory()) {
      const inDir = fs
        .readdirSync(abs)
        .filter((f) => f.endsWith('.ipynb') && !f.startsWith('.'))
        .sort()
        .map((f) => path.join(abs, f));
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

// Runs nbrun.py; resolves to its exit code. The Python side enforces the time
// limits and shuts its kernels down; killing it here is only a safety net.
function runNbrun(python, args, hardLimitMs) {
  return new Promise((resolve) => {
    const child = spawn(python, [path.join(__dirname, 'nbrun.py'), ...args], {
      cwd: process.cwd(),
      stdio: 'inherit',
      env: pythonEnv(),
    });
    // Ctrl-C reaches the Python helper too; let it clean up and report.
    const ignore = () => {};
    process.on('SIGINT', ignore);
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
      resolve(code === null ? `signal ${signal}` : code);
    });
  });
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const notebooks = collectNotebooks(opts.paths);
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
  }

  if (opts.mode === 'check') {
    // The comparison rules themselves (volatile cells, error detection) are tested first.
    const self = spawnSync(python, ['-B', path.join(__dirname, 'nbrun_test.py')], { encoding: 'utf8', env: pythonEnv() });
    if (self.status !== 0) {
      console.error(`${self.stdout}${self.stderr}`);
      console.error('notebooks: the tests of scripts/nbrun.py failed (python3 scripts/nbrun_test.py)');
      return 1;
    }
  }
  console.log(`notebooks: ${opts.mode} ${notebooks.length} notebook(s) with kernel ${kernel.name} (${python})`);
  const code = await runNbrun(python, [...args, ...notebooks], (opts.timeout + 120) * 1000);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);

  if (code === 0) {
    if (tempOut) fs.rmSync(outDir, { recursive: true, force: true });
    else if (outDir) console.log(`notebooks: executed copies are in ${outDir}`);
    console.log(`notebooks: ${opts.mode} passed (${seconds} s)`);
    return 0;
  }
  if (outDir) console.error(`notebooks: executed copies (for inspection) are in ${outDir}`);
  console.error(`notebooks: ${opts.mode} FAILED (${seconds} s, exit ${code})`);
  return 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => reportSetupErrors('notebooks', err),
);
