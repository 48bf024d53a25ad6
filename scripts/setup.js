// Installs what the tests need, once:
//   - npm packages (with the build, through npm's `prepare`) when node_modules
//     is missing or older than package-lock.json, otherwise an incremental build;
//   - Chromium, which renders the figures' static PNGs, from Debian's packages
//     when running as root on Debian and it is missing (elsewhere: a hint).
'use strict';
const { execSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const lock = path.join(root, 'package-lock.json');
const stamp = path.join(root, 'node_modules', '.package-lock.json');
const chromium = process.env.CHROMIUM_PATH || process.env.DIFFABM_CHROMIUM || '/usr/bin/chromium';

function mtime(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return -1;
  }
}

const run = (cmd) => execSync(cmd, { cwd: root, stdio: 'inherit' });

function ensureChromium() {
  if (fs.existsSync(chromium)) return;
  const debianRoot = fs.existsSync('/etc/debian_version') && process.getuid && process.getuid() === 0;
  if (!debianRoot) {
    console.log(`setup: no Chromium at ${chromium}; figure PNG tests will fail. Install Chromium or set CHROMIUM_PATH.`);
    return;
  }
  console.log('setup: installing Chromium (apt-get)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    execSync('apt-get install -y -qq chromium', { stdio: 'inherit', env });
  } catch {
    execSync('apt-get update -qq', { stdio: 'inherit', env });
    execSync('apt-get install -y -qq chromium', { stdio: 'inherit', env });
  }
}

if (mtime(stamp) < mtime(lock)) {
  console.log('setup: installing npm packages (npm ci)');
  run('npm ci --no-audit --no-fund');
} else {
  run('npm run --silent build');
}
ensureChromium();
