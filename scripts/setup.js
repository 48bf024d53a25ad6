// Installs what the tests need, once. `npm test` runs it first (the `pretest`
// script), and so do `npm start`, `npm run notebooks` and the notebook checks.
//
//   1. npm packages: `npm ci` when node_modules is missing or older than
//      package-lock.json. It installs the dependencies of package.json at the
//      versions pinned in package-lock.json, and nothing else: TensorFlow.js
//      (@tensorflow/tfjs with its cpu backend, and
//      @tensorflow/tfjs-backend-wasm), tslab (the Jupyter kernel), plotly.js and
//      playwright-core (the driver only: it downloads no browser), mathjs,
//      @viz-js/viz, nodeplotlib, and the tools (TypeScript, Jest, ts-jest); the
//      optional @tensorflow/tfjs-node is tried and skipped where its native
//      library cannot be fetched. npm's `prepare` then builds the library into
//      dist/ and links node_modules/diffabm to it. When node_modules is up to
//      date, only the (incremental) build runs.
//   2. Chromium, which renders the figures' static PNGs: where
//      dist/plot/chromium.js says (DIFFABM_CHROMIUM, then CHROMIUM_PATH, then
//      /usr/bin/chromium). If nothing is there and this runs as root on Debian,
//      `apt-get install chromium` installs Debian's chromium package and its
//      dependencies (running `apt-get update` first when the package lists are
//      missing or stale); elsewhere, or when one of the variables names a
//      missing file, it prints a hint and carries on (the PNG tests will then
//      fail with a message naming the path).
'use strict';
const { execSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { ROOT, SetupError, isDebianRoot, aptInstall, chromiumModule, reportSetupErrors } = require('./common');

const lock = path.join(ROOT, 'package-lock.json');
const stamp = path.join(ROOT, 'node_modules', '.package-lock.json');

function mtime(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return -1;
  }
}

const run = (cmd) => execSync(cmd, { cwd: ROOT, stdio: 'inherit' });
const log = (msg) => console.log(`setup: ${msg}`);

function ensureChromium() {
  const { chromiumPath, chromiumInstalled, DEFAULT_CHROMIUM_PATH } = chromiumModule();
  if (chromiumInstalled()) return;
  if (chromiumPath() !== DEFAULT_CHROMIUM_PATH) {
    // An explicit path that is wrong: installing the package would not help.
    log(`DIFFABM_CHROMIUM or CHROMIUM_PATH names ${chromiumPath()}, but no executable is there; figure PNG tests will fail.`);
    return;
  }
  if (!isDebianRoot()) {
    log(`no Chromium at ${chromiumPath()}; figure PNG tests will fail. Install Chromium or set DIFFABM_CHROMIUM (or CHROMIUM_PATH).`);
    return;
  }
  log(`no Chromium at ${chromiumPath()}; installing Debian's chromium package`);
  aptInstall(['chromium'], log);
  if (!chromiumInstalled()) {
    throw new SetupError(`apt-get installed chromium, but there is still no executable at ${chromiumPath()}`);
  }
}

function main() {
  if (mtime(stamp) < mtime(lock)) {
    log('installing npm packages (npm ci)');
    run('npm ci --no-audit --no-fund');
  } else {
    log('npm packages are up to date; building the library (npm run build)');
    run('npm run --silent build');
  }
  ensureChromium();
}

try {
  main();
} catch (err) {
  // A failed command has already printed its own errors.
  if (err && typeof err.status === 'number') {
    console.error(`setup: ${String(err.message).split('\n')[0]} (exit ${err.status})`);
    process.exitCode = 1;
  } else {
    reportSetupErrors('setup', err);
  }
}
