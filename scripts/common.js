// Small helpers shared by every script in scripts/. This module requires no
// other script, so the scripts form a tree:
//
//   common.js  <-  kernel.js  <-  nbenv.js  <-  notebooks.js, start.js, e2e-notebook.js
//   common.js  <-  setup.js (run as a child process by nbenv.js, and by `npm test`)
//
// It holds: the repository root, the set-up error type, the environment for
// Python children, the search for a Python that has Jupyter, apt-get as root on
// Debian (with `apt-get update` when the package lists are missing or stale),
// the Chromium location, read from the built library (dist/plot/chromium.js),
// and the course's notebooks: where they are, and reading one.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const util = require('util');

const ROOT = path.resolve(__dirname, '..');

/** An error whose message is advice for the user; printed without a stack trace. */
class SetupError extends Error {}

// Environment for Python child processes: no __pycache__ folders beside the
// helpers, and no debugger start-up warning (some Python builds print one).
function pythonEnv(extra = {}) {
  return { ...process.env, PYDEVD_DISABLE_FILE_VALIDATION: '1', PYTHONDONTWRITEBYTECODE: '1', ...extra };
}

// Reads a script's command line with node:util.parseArgs. `options` is
// parseArgs's option table (a `help` flag, -h, is added). An unknown option or
// a missing value throws `new Failure(message + usage)`; --help prints the usage
// and exits. Returns { values, positionals }.
function parseCommandLine(argv, options, usage, Failure = SetupError) {
  let parsed;
  try {
    parsed = util.parseArgs({
      args: argv,
      allowPositionals: true,
      options: { ...options, help: { type: 'boolean', short: 'h', default: false } },
    });
  } catch (err) {
    throw new Failure(`${err.message}\n${usage}`);
  }
  if (parsed.values.help) {
    console.log(usage);
    process.exit(0);
  }
  return parsed;
}

// True when `python` exists and can import every module in `modules`.
function pythonHas(python, modules) {
  if (python.includes('/') && !fs.existsSync(python)) return false;
  const r = spawnSync(python, ['-c', `import ${modules.join(', ')}`], {
    stdio: 'ignore',
    timeout: 60000,
    env: pythonEnv(),
  });
  return r.status === 0;
}

// The Python interpreters that may have Jupyter, in order: DIFFABM_PYTHON, an
// active conda environment, then Debian's /usr/bin/python3 (the `python3` on
// PATH may be a pyenv build without Jupyter).
function pythonCandidates() {
  const list = [];
  if (process.env.DIFFABM_PYTHON) list.push(process.env.DIFFABM_PYTHON);
  if (process.env.CONDA_PREFIX) list.push(path.join(process.env.CONDA_PREFIX, 'bin', 'python'));
  list.push('/usr/bin/python3');
  return [...new Set(list)];
}

// The first candidate that can import every module in `modules`, or null.
function findPython(modules) {
  return pythonCandidates().find((py) => pythonHas(py, modules)) || null;
}

function isDebianRoot() {
  return (
    process.platform === 'linux' &&
    typeof process.getuid === 'function' &&
    process.getuid() === 0 &&
    fs.existsSync('/etc/debian_version')
  );
}

// apt's package lists are missing (a fresh container) or older than a day.
function aptListsStale(maxAgeMs = 24 * 3600 * 1000) {
  try {
    const lists = fs.readdirSync('/var/lib/apt/lists').filter((f) => f.endsWith('_Packages') || f.includes('_Packages.'));
    if (lists.length === 0) return true;
    const newest = Math.max(...lists.map((f) => fs.statSync(path.join('/var/lib/apt/lists', f)).mtimeMs));
    return Date.now() - newest > maxAgeMs;
  } catch {
    return true;
  }
}

function apt(args, log) {
  log(`apt-get ${args.join(' ')}`);
  const r = spawnSync('apt-get', args, {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return r.status === 0;
}

// Installs Debian packages: `apt-get update` first when the lists are missing or
// stale, and once more (then a retry) if the install fails.
function aptInstall(packages, log = console.log) {
  if (!isDebianRoot()) throw new SetupError(`installing ${packages.join(' ')} needs root on Debian (apt-get)`);
  let updated = false;
  if (aptListsStale()) updated = apt(['update', '-qq'], log);
  if (apt(['install', '-y', '-qq', ...packages], log)) return;
  if (updated || !apt(['update', '-qq'], log) || !apt(['install', '-y', '-qq', ...packages], log)) {
    throw new SetupError(`apt-get could not install: ${packages.join(' ')}`);
  }
}

// The built library's Chromium module (lib/plot/chromium.ts): chromiumPath(),
// chromiumInstalled(), CHROMIUM_ARGS. It exists once `npm ci` or `npm run build`
// has run; the scripts that need it build the library first.
function chromiumModule() {
  const file = path.join(ROOT, 'dist', 'plot', 'chromium.js');
  if (!fs.existsSync(file)) {
    throw new SetupError(`${path.relative(ROOT, file)} is missing: build the library first (npm ci, or npm run build)`);
  }
  return require(file);
}

// The notebooks of a folder, in course order (their names start with the
// chapter number), without hidden files and checkpoints.
function notebooksIn(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ipynb') && !f.startsWith('.'))
    .sort()
    .map((f) => path.join(dir, f));
}

// Reads a notebook file as JSON. A file that is not valid JSON (a merge
// conflict, an interrupted save) gives a SetupError naming the file, the place
// of the first error, and the fix.
function readNotebook(file) {
  const rel = path.relative(process.cwd(), file);
  const shown = rel.startsWith('..') ? file : rel;
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new SetupError(`${shown} cannot be read: ${err.message}`);
  }
  try {
    const nb = JSON.parse(text);
    if (!nb || typeof nb !== 'object' || !Array.isArray(nb.cells)) throw new Error('it has no list of "cells"');
    return nb;
  } catch (err) {
    const conflict = /^(<<<<<<<|>>>>>>>)/m.test(text) ? ' It holds merge-conflict markers.' : '';
    throw new SetupError(
      `${shown} is not a valid notebook: ${err.message.replace(/\s+/g, " ")}.${conflict} ` +
        `Restore the committed version (git checkout -- ${shown}) or repair the JSON, then run again.`,
    );
  }
}

// Prints an error (set-up errors without a stack trace) and sets a failing exit code.
function reportSetupErrors(prefix, err) {
  if (err instanceof SetupError) {
    console.error(`${prefix}: ${err.message}`);
  } else {
    console.error(`${prefix}: ${err && err.stack ? err.stack : err}`);
  }
  process.exitCode = 1;
}

module.exports = {
  ROOT,
  SetupError,
  pythonEnv,
  parseCommandLine,
  pythonHas,
  findPython,
  isDebianRoot,
  aptListsStale,
  aptInstall,
  chromiumModule,
  notebooksIn,
  readNotebook,
  reportSetupErrors,
};
