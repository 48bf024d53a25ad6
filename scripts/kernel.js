// Registers the project's TypeScript kernel with Jupyter as `diffabm-ts`.
//
// The kernelspec starts this repository's own tslab (node_modules/tslab) with
// absolute paths, so no global `tslab` is needed. It is a user-level spec
// (<jupyter data dir>/kernels/diffabm-ts/kernel.json, usually
// ~/.local/share/jupyter/kernels), rewritten whenever it differs from what this
// checkout needs -- e.g. after the repository moved or node changed -- and left
// alone otherwise, so running this again is harmless.
//
//   node scripts/kernel.js           install or refresh, then list kernels
//   node scripts/kernel.js --remove  remove the kernelspec
//
// It needs a Python with jupyter_client (see scripts/common.js for where it is
// looked for) and does not install one: `npm start` and `npm run notebooks`
// install Jupyter first and then call ensureKernel() from here. This module
// requires only scripts/common.js (scripts/nbenv.js requires it, never the
// other way round).
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { ROOT, SetupError, findPython, pythonEnv, reportSetupErrors } = require('./common');

const KERNEL_NAME = 'diffabm-ts';
const DISPLAY_NAME = 'TypeScript (diffabm, tslab)';
const TSLAB_BIN = path.join(ROOT, 'node_modules', 'tslab', 'bin', 'tslab');

// The kernel.json this checkout wants. `tslab kernel --config-path <file>` is
// the subcommand Jupyter runs (see node_modules/tslab/dist/main.js).
function kernelSpec() {
  return {
    argv: [process.execPath, TSLAB_BIN, 'kernel', '--config-path', '{connection_file}'],
    display_name: DISPLAY_NAME,
    language: 'typescript',
    interrupt_mode: 'signal',
    metadata: { diffabm_root: ROOT },
  };
}

// Asks Jupyter (through `python`) for the user data dir and where the spec
// named KERNEL_NAME currently resolves (null if none).
function jupyterPaths(python) {
  const code = [
    'import json',
    'from jupyter_core.paths import jupyter_data_dir',
    'from jupyter_client.kernelspec import KernelSpecManager',
    'specs = KernelSpecManager().find_kernel_specs()',
    `print(json.dumps({"data_dir": jupyter_data_dir(), "found": specs.get(${JSON.stringify(KERNEL_NAME)})}))`,
  ].join('\n');
  const r = spawnSync(python, ['-c', code], { encoding: 'utf8', timeout: 60000, env: pythonEnv() });
  if (r.status !== 0) {
    throw new SetupError(`could not query Jupyter paths with ${python}:\n${r.stderr || r.error}`);
  }
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

function writeAtomic(file, text) {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

// Installs or refreshes the kernelspec. Returns { name, dir, changed }.
function ensureKernel({ python = findPython(['jupyter_client']), quiet = false } = {}) {
  if (!python) throw new SetupError('no Python with jupyter_client found (see environment.yml)');
  if (!fs.existsSync(TSLAB_BIN)) {
    throw new SetupError(`${TSLAB_BIN} is missing; run \`npm ci\` first`);
  }
  const { data_dir: dataDir, found } = jupyterPaths(python);
  const dir = path.join(dataDir, 'kernels', KERNEL_NAME);
  const file = path.join(dir, 'kernel.json');
  const wanted = JSON.stringify(kernelSpec(), null, 2) + '\n';
  let current = null;
  try {
    current = fs.readFileSync(file, 'utf8');
  } catch {
    // not installed yet
  }
  const changed = current !== wanted;
  if (changed) {
    fs.mkdirSync(dir, { recursive: true });
    writeAtomic(file, wanted);
    if (!quiet) console.log(`[kernel] ${current ? 'refreshed' : 'installed'} ${KERNEL_NAME} in ${dir}`);
  }
  // Another spec with the same name could take precedence (e.g. JUPYTER_PATH).
  const resolved = changed ? jupyterPaths(python).found : found;
  if (resolved && path.resolve(resolved) !== path.resolve(dir)) {
    console.warn(`[kernel] warning: Jupyter resolves ${KERNEL_NAME} to ${resolved}, not ${dir}`);
  }
  return { name: KERNEL_NAME, dir, changed };
}

function removeKernel(python) {
  const { data_dir: dataDir } = jupyterPaths(python);
  const dir = path.join(dataDir, 'kernels', KERNEL_NAME);
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(`[kernel] removed ${dir}`);
}

function main() {
  const python = findPython(['jupyter_client', 'jupyter_core']);
  if (!python) {
    throw new SetupError(
      'no Python with jupyter_client and jupyter_core found; install Jupyter with `npm start` ' +
        '(as root on Debian), or activate the conda environment (environment.yml), or set DIFFABM_PYTHON',
    );
  }
  if (process.argv.includes('--remove')) {
    removeKernel(python);
    return;
  }
  const { dir, changed } = ensureKernel({ python });
  if (!changed) console.log(`[kernel] ${KERNEL_NAME} is up to date in ${dir}`);
  spawnSync(python, ['-m', 'jupyter', 'kernelspec', 'list'], { stdio: 'inherit', env: pythonEnv() });
}

if (require.main === module) {
  try {
    main();
  } catch (err) {
    reportSetupErrors('kernel', err);
  }
}

module.exports = { KERNEL_NAME, kernelSpec, ensureKernel };
