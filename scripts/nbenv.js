// Shared set-up for the notebook tooling (notebooks.js, e2e-notebook.js).
//
// prepare() makes sure everything needed to execute the course notebooks is
// present, installing what is missing:
//   1. Jupyter (nbclient/nbconvert, plus Notebook 6 for the browser test) and
//      Chromium (used by the figure layer and the browser test). On Debian as
//      root these come from apt; elsewhere we explain the conda route and stop.
//   2. npm packages and the library build (scripts/setup.js).
//   3. The project's tslab kernelspec, `diffabm-ts` (scripts/kernel.js).
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');

// Debian packages that provide everything the notebook tooling uses.
const APT_PACKAGES = [
  'jupyter-nbconvert',
  'python3-nbclient',
  'jupyter-client',
  'jupyter-notebook',
  'python3-ipykernel',
  'chromium',
];

// Python modules needed to execute notebooks headless / to serve them.
const EXEC_MODULES = ['nbformat', 'nbclient', 'jupyter_client', 'jupyter_core'];
const SERVER_MODULES = ['notebook'];

class SetupError extends Error {}

// Environment for Python child processes (quiets a debugger start-up warning
// some Python builds print on every start).
function pythonEnv(extra = {}) {
  return { ...process.env, PYDEVD_DISABLE_FILE_VALIDATION: '1', ...extra };
}

function log(msg) {
  console.log(`[nb-setup] ${msg}`);
}

function chromiumPath() {
  return process.env.CHROMIUM_PATH || '/usr/bin/chromium';
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

// The Python interpreter with Jupyter. Debian's /usr/bin/python3 comes first
// (the `python3` on PATH may be a pyenv build without Jupyter); an active
// conda environment is the fallback; DIFFABM_PYTHON overrides both.
function pythonCandidates() {
  const list = [];
  if (process.env.DIFFABM_PYTHON) list.push(process.env.DIFFABM_PYTHON);
  list.push('/usr/bin/python3');
  if (process.env.CONDA_PREFIX) list.push(path.join(process.env.CONDA_PREFIX, 'bin', 'python'));
  return list;
}

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

function aptListsEmpty() {
  try {
    return !fs.readdirSync('/var/lib/apt/lists').some((f) => f.includes('_Packages'));
  } catch {
    return true;
  }
}

function apt(args) {
  log(`apt-get ${args.join(' ')}`);
  const r = spawnSync('apt-get', args, {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return r.status === 0;
}

function aptInstall(packages) {
  if (aptListsEmpty()) apt(['update']);
  if (apt(['install', '-y', ...packages])) return;
  // Stale package lists are the usual cause: refresh and try once more.
  if (!apt(['update']) || !apt(['install', '-y', ...packages])) {
    throw new SetupError(`apt-get could not install: ${packages.join(' ')}`);
  }
}

// What to tell users we cannot install for (not root, or not Debian).
function manualAdvice({ python, chromium }) {
  const lines = ['Automatic installation only works as root on Debian (apt-get).'];
  if (python) {
    lines.push(
      `Missing: ${python}. Get Jupyter with conda:`,
      '    conda env create -f environment.yml',
      '    conda activate diffabm',
      '    npm ci && npm run notebooks',
      'or point DIFFABM_PYTHON at a Python that has Jupyter.',
    );
  }
  if (chromium) {
    lines.push(
      `Missing: Chromium at ${chromiumPath()} (it renders the static PNG of each figure).`,
      'Install it with your system package manager, or set CHROMIUM_PATH to its executable.',
    );
  }
  return lines.join('\n');
}

// Checks Jupyter (and Notebook 6 when `server`) plus Chromium; installs them
// with apt when possible. Returns the Python interpreter to use.
function ensureSystem({ server = false } = {}) {
  const modules = server ? [...EXEC_MODULES, ...SERVER_MODULES] : EXEC_MODULES;
  const missing = () => ({
    python: findPython(modules) ? null : `a Python with ${modules.join(', ')}`,
    chromium: !fs.existsSync(chromiumPath()),
  });
  const describe = (m) => [m.python, m.chromium && `Chromium (${chromiumPath()})`].filter(Boolean).join('; ');
  let lacking = missing();
  if (lacking.python || lacking.chromium) {
    if (!isDebianRoot()) throw new SetupError(manualAdvice(lacking));
    log(`installing system packages (missing: ${describe(lacking)})`);
    aptInstall(APT_PACKAGES);
    lacking = missing();
    if (lacking.python || lacking.chromium) {
      throw new SetupError(`still missing after apt-get: ${describe(lacking)}`);
    }
  }
  const python = findPython(modules);
  if (server) {
    // The browser test drives the classic (version 6) Notebook UI.
    const r = spawnSync(python, ['-c', 'import notebook; print(notebook.__version__)'], {
      encoding: 'utf8',
      env: pythonEnv(),
    });
    const version = (r.stdout || '').trim();
    if (!/^[456]\./.test(version)) {
      throw new SetupError(
        `${python} has Jupyter Notebook ${version || '(unknown)'}; the browser test needs ` +
          'the classic Notebook 6 (Debian package jupyter-notebook).',
      );
    }
  }
  return python;
}

// npm packages + build (scripts/setup.js runs `npm ci` when needed).
function ensureNpm() {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'setup.js')], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new SetupError('npm install or the library build failed (node scripts/setup.js); see the errors above');
  if (!fs.existsSync(path.join(ROOT, 'node_modules', 'tslab', 'bin', 'tslab'))) {
    throw new SetupError('node_modules/tslab is missing after set-up; run `npm ci`');
  }
}

// Full set-up. Options: server (needs Notebook 6), skipInstall (only resolve
// Python and the kernel; for quick re-runs with --skip-setup).
function prepare({ server = false, skipInstall = false } = {}) {
  let python;
  if (skipInstall) {
    python = findPython(server ? [...EXEC_MODULES, ...SERVER_MODULES] : EXEC_MODULES);
    if (!python) throw new SetupError('no Python with Jupyter found; run without --skip-setup');
  } else {
    python = ensureSystem({ server });
    ensureNpm();
  }
  const { ensureKernel } = require('./kernel');
  const kernel = ensureKernel({ python });
  return { python, kernel, chromium: chromiumPath() };
}

// Prints an error (set-up errors without a stack trace) and sets a failing exit code.
function reportSetupErrors(prefix, err) {
  if (err instanceof SetupError) {
    console.error(`${prefix}: set-up failed:\n${err.message}`);
  } else {
    console.error(`${prefix}: ${err && err.stack ? err.stack : err}`);
  }
  process.exitCode = 1;
}

module.exports = {
  ROOT,
  APT_PACKAGES,
  SetupError,
  chromiumPath,
  pythonEnv,
  findPython,
  ensureSystem,
  prepare,
  reportSetupErrors,
};
