// Shared set-up for the notebook tooling (notebooks.js, start.js, e2e-notebook.js).
//
// prepare() makes sure everything needed to execute or serve the course
// notebooks is present, installing what is missing, in this order:
//   1. npm packages and the library build, and Chromium (scripts/setup.js, the
//      same step as `npm test`); the build provides dist/plot/chromium.js, the
//      one place that says where Chromium is (DIFFABM_CHROMIUM, then
//      CHROMIUM_PATH, then /usr/bin/chromium).
//   2. Jupyter. As root on Debian, missing pieces come from apt (APT_PACKAGES
//      below: nbconvert, nbclient, jupyter_client, Notebook 6, ipykernel, and
//      chromium); elsewhere it prints the conda route (environment.yml) and stops.
//      What is needed depends on the use:
//        execute  nbformat, nbclient, jupyter_client, jupyter_core (notebooks.js)
//        export   nbformat, nbconvert (html.js; no kernel is registered)
//        any      a server to open in a browser: JupyterLab when the module
//                 `jupyterlab` imports (the conda environment), else Notebook (start.js)
//        classic  the classic Notebook 6 UI (the browser test drives it)
//   3. The project's tslab kernelspec, `diffabm-ts` (scripts/kernel.js).
//
// Module graph: common.js <- kernel.js <- nbenv.js (this file never is required
// by kernel.js or common.js).
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const {
  ROOT,
  SetupError,
  pythonEnv,
  pythonHas,
  findPython,
  isDebianRoot,
  aptInstall,
  chromiumModule,
  reportSetupErrors,
} = require('./common');
const { ensureKernel } = require('./kernel');

// Debian packages that provide everything the notebook tooling uses.
const APT_PACKAGES = [
  'jupyter-nbconvert',
  'python3-nbclient',
  'jupyter-client',
  'jupyter-notebook',
  'python3-ipykernel',
  'chromium',
];

// Python modules each use needs (see the header).
const BASE_MODULES = ['jupyter_client', 'jupyter_core'];
const EXEC_MODULES = ['nbformat', 'nbclient', ...BASE_MODULES];
const EXPORT_MODULES = ['nbformat', 'nbconvert'];

function log(msg) {
  console.log(`[nb-setup] ${msg}`);
}

function chromiumPath() {
  return chromiumModule().chromiumPath();
}

// The server a browser can open: { python, app: 'lab' | 'notebook', version }, or null.
function findServer({ classic = false } = {}) {
  if (!classic) {
    const python = findPython([...BASE_MODULES, 'jupyterlab']);
    if (python) return { python, app: 'lab', version: moduleVersion(python, 'jupyterlab') };
  }
  const python = findPython([...BASE_MODULES, 'notebook']);
  if (!python) return null;
  return { python, app: 'notebook', version: moduleVersion(python, 'notebook') };
}

function moduleVersion(python, module) {
  const r = spawnSync(python, ['-c', `import ${module}; print(${module}.__version__)`], {
    encoding: 'utf8',
    timeout: 60000,
    env: pythonEnv(),
  });
  return (r.stdout || '').trim() || '(unknown)';
}

// What to tell users we cannot install for (not root, or not Debian).
function manualAdvice({ python, chromium }) {
  const lines = ['Automatic installation only works as root on Debian (apt-get).'];
  if (python) {
    lines.push(
      `Missing: ${python}. Get Jupyter with conda:`,
      '    conda env create -f environment.yml',
      '    conda activate diffabm',
      '    npm ci && npm start',
      'or point DIFFABM_PYTHON at a Python that has Jupyter.',
    );
  }
  if (chromium) {
    lines.push(
      `Missing: Chromium at ${chromiumPath()} (it renders the static PNG of each figure).`,
      'Install it with your system package manager, or set DIFFABM_CHROMIUM (or CHROMIUM_PATH) to its executable.',
    );
  }
  return lines.join('\n');
}

// Checks Jupyter for `use` ('execute', 'any' or 'classic') and Chromium;
// installs them with apt when possible. Returns { python, app, version }
// (app and version only for the server uses).
function ensureSystem({ use = 'execute' } = {}) {
  const lookup = () => findForUse(use);
  const wantedText = use === 'execute' || use === 'export' ? `a Python with ${modulesFor(use).join(', ')}` :
    use === 'classic' ? 'a Python with Jupyter Notebook 6' : 'a Python with JupyterLab or Jupyter Notebook';
  const missing = () => ({
    python: lookup() ? null : wantedText,
    chromium: !chromiumModule().chromiumInstalled(),
  });
  const describe = (m) => [m.python, m.chromium && `Chromium (${chromiumPath()})`].filter(Boolean).join('; ');
  let lacking = missing();
  const { chromiumPath: where, DEFAULT_CHROMIUM_PATH } = chromiumModule();
  if (lacking.chromium && where() !== DEFAULT_CHROMIUM_PATH) {
    throw new SetupError(
      `DIFFABM_CHROMIUM or CHROMIUM_PATH names ${where()}, but no executable is there; ` +
        'point it at a Chromium executable, or unset it to use /usr/bin/chromium (installed by apt as root on Debian)',
    );
  }
  if (lacking.python || lacking.chromium) {
    if (!isDebianRoot()) throw new SetupError(manualAdvice(lacking));
    log(`installing system packages (missing: ${describe(lacking)})`);
    aptInstall(APT_PACKAGES, log);
    lacking = missing();
    if (lacking.python || lacking.chromium) {
      throw new SetupError(`still missing after apt-get: ${describe(lacking)}`);
    }
  }
  const found = lookup();
  if (use === 'classic' && !/^[456]\./.test(found.version)) {
    throw new SetupError(
      `${found.python} has Jupyter Notebook ${found.version}; the browser test needs ` +
        'the classic Notebook 6 (Debian package jupyter-notebook).',
    );
  }
  return found;
}

function modulesFor(use) {
  return use === 'export' ? EXPORT_MODULES : EXEC_MODULES;
}

// { python } for the headless uses, { python, app, version } for a server; or null.
function findForUse(use) {
  if (use === 'execute' || use === 'export') {
    const python = findPython(modulesFor(use));
    return python && { python };
  }
  return findServer({ classic: use === 'classic' });
}

// npm packages + build + Chromium (scripts/setup.js runs `npm ci` when needed).
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

// Full set-up. Options: use ('execute', 'export', 'any', 'classic'; see the header),
// skipInstall (install and build nothing; only find Python and check the
// kernelspec, for quick re-runs with --skip-setup). Returns
// { python, app, version, kernel, chromium }.
function prepare({ use = 'execute', skipInstall = false } = {}) {
  let found;
  if (skipInstall) {
    found = findForUse(use);
    if (!found) throw new SetupError('no Python with Jupyter found; run without --skip-setup');
  } else {
    ensureNpm();
    found = ensureSystem({ use });
  }
  const kernel = use === 'export' ? null : ensureKernel({ python: found.python });
  return { ...found, kernel, chromium: chromiumPath() };
}

module.exports = {
  ROOT,
  APT_PACKAGES,
  SetupError,
  chromiumPath,
  chromiumModule,
  pythonEnv,
  pythonHas,
  findPython,
  findServer,
  ensureSystem,
  prepare,
  reportSetupErrors,
};
