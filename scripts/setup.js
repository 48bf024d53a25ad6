// Installs what the tests and notebooks need, once: npm packages (with the
// build, through npm's `prepare`) when node_modules is missing or older than
// package-lock.json, otherwise just an incremental build.
'use strict';
const { execSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const lock = path.join(root, 'package-lock.json');
const stamp = path.join(root, 'node_modules', '.package-lock.json');

function mtime(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return -1;
  }
}

const run = (cmd) => execSync(cmd, { cwd: root, stdio: 'inherit' });
if (mtime(stamp) < mtime(lock)) {
  console.log('setup: installing npm packages (npm ci)');
  run('npm ci --no-audit --no-fund');
} else {
  run('npm run --silent build');
}
