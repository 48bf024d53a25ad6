// The scripts read their arguments with node:util.parseArgs: an unknown option
// or a bad value is refused with the usage line, before anything is installed.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');

function script(name, args) {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', name), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

test('an unknown option is refused with the usage line', () => {
  for (const [name, usage] of [
    ['start.js', /usage: node scripts\/start\.js/],
    ['notebooks.js', /usage: node scripts\/notebooks\.js/],
    ['e2e-notebook.js', /usage: node scripts\/e2e-notebook\.js/],
    ['html.js', /usage: node scripts\/html\.js/],
  ]) {
    const { status, out } = script(name, name === 'notebooks.js' ? ['run', '--bogus'] : ['--bogus']);
    assert.equal(status, 1, `${name}: ${out}`);
    assert.match(out, /Unknown option '--bogus'/, name);
    assert.match(out, usage, name);
  }
});

test('bad values name the option and the allowed range', () => {
  assert.match(script('start.js', ['--port', '70000']).out, /--port must be a whole number in \[0, 65535\], but got 70000/);
  assert.match(script('start.js', ['--dir', '/nonexistent/diffabm']).out, /--dir must be a folder, but got \/nonexistent\/diffabm/);
  assert.match(script('notebooks.js', ['run', '--cell-timeout=0']).out, /--cell-timeout must be a positive number of seconds, but got 0/);
  assert.match(script('e2e-notebook.js', ['--timeout', 'soon']).out, /--timeout must be a whole number of seconds > 0, but got soon/);
  assert.match(script('notebooks.js', ['walk']).out, /usage: node scripts\/notebooks\.js run\|check/);
});

test('--help prints the usage line and exits 0', () => {
  for (const name of ['start.js', 'e2e-notebook.js', 'html.js']) {
    const { status, out } = script(name, ['--help']);
    assert.equal(status, 0, name);
    assert.match(out, /^usage: /, name);
  }
});
