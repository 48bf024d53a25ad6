// Faults in the notebook tooling end in one clear message that names the
// cause and the fix, and leave no file half-written. Run after Jupyter is
// installed (`npm run test:scripts`; `.ci/run` runs it after the notebook
// check): the kernel and server cases start a real kernel and Notebook 6.
//
// The fifth fault, a wasm binary that cannot load, is tested with the library,
// in test/backend.test.ts.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'notebooks');
let tmp;

before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'diffabm-faults-'));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

// Runs a script of scripts/ with node; returns { status, out } (stdout and stderr together).
function script(name, args, { env = {}, timeout = 300000 } = {}) {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', name), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout,
    env: { ...process.env, ...env },
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

function copyFixture(name, dir = fs.mkdtempSync(path.join(tmp, 'nb-'))) {
  const file = path.join(dir, name);
  fs.copyFileSync(path.join(FIXTURES, name), file);
  return file;
}

test('a kernel that dies in the middle leaves the notebook as it was, and says which cell and what to do', () => {
  const file = copyFixture('kernel-dies.ipynb');
  const before = fs.readFileSync(file);
  const { status, out } = script('notebooks.js', ['run', '--skip-setup', file]);
  assert.equal(status, 1, out);
  assert.match(out, /the kernel died while running cell 3 of 4 \(index 2\): "process\.exit\(3\);": its process ended without a reply/);
  assert.match(out, /Fix the cell, or run it in `npm start` to see what happens, then run this again/);
  assert.match(out, /\(the notebook file was left unchanged\)/);
  assert.deepEqual(fs.readFileSync(file), before);
  // Nothing half-written beside it.
  assert.deepEqual(fs.readdirSync(path.dirname(file)), ['kernel-dies.ipynb']);
});

test('check mode with a dying kernel writes the executed copy whole and never the original', () => {
  const file = copyFixture('kernel-dies.ipynb');
  const before = fs.readFileSync(file);
  const outDir = path.join(tmp, 'check-out');
  const { status, out } = script('notebooks.js', ['check', '--skip-setup', '--out-dir', outDir, file]);
  assert.equal(status, 1, out);
  assert.match(out, /the kernel died while running cell 3 of 4/);
  assert.deepEqual(fs.readFileSync(file), before);
  assert.deepEqual(fs.readdirSync(outDir), ['kernel-dies.ipynb']);
  const copy = JSON.parse(fs.readFileSync(path.join(outDir, 'kernel-dies.ipynb'), 'utf8'));
  assert.equal(copy.cells.length, 4);
});

test('a notebook that is not valid JSON stops each command at once, naming the file and the fix', () => {
  const dir = fs.mkdtempSync(path.join(tmp, 'bad-'));
  const file = path.join(dir, '01-broken.ipynb');
  const text = '{\n "cells": [\n<<<<<<< HEAD\n';
  fs.writeFileSync(file, text);
  const expected = new RegExp(
    `${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is not a valid notebook: .* It holds merge-conflict markers\\. ` +
      'Restore the committed version \\(git checkout -- .*01-broken\\.ipynb\\) or repair the JSON, then run again\\.',
  );
  const outDir = path.join(dir, 'html');
  for (const [name, args] of [
    ['notebooks.js', ['run', file]],
    ['notebooks.js', ['check', file]],
    ['html.js', ['--out-dir', outDir, file]],
    ['e2e-notebook.js', ['--skip-setup', file]],
  ]) {
    const started = Date.now();
    const { status, out } = script(name, args);
    assert.equal(status, 1, `${name}: ${out}`);
    assert.match(out, expected, name);
    // Before any set-up, kernel or server: a moment, not a kernel start.
    assert.ok(Date.now() - started < 15000, `${name} took ${Date.now() - started} ms`);
  }
  assert.equal(fs.readFileSync(file, 'utf8'), text);
  assert.equal(fs.existsSync(outDir), false);
  assert.deepEqual(fs.readdirSync(dir), ['01-broken.ipynb']);
});

test('npm start on a port in use stops before any set-up, and says how to pick another', async () => {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  try {
    const started = Date.now();
    const { status, out } = script('start.js', ['--port', String(port), '--no-browser']);
    assert.equal(status, 1, out);
    assert.match(
      out,
      new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use \\(another Jupyter, or another program, listens there\\); ` +
        'stop that program, or pick another port with `npm start -- --port N` \\(--port 0: any free port\\)'),
    );
    assert.doesNotMatch(out, /setup:|\[nb-setup\]|\[kernel\]/); // nothing was installed or registered
    assert.ok(Date.now() - started < 15000, `took ${Date.now() - started} ms`);
  } finally {
    server.close();
  }
});

test('npm start reports a port taken while Jupyter starts, rather than a bare exit code', async () => {
  // Jupyter itself finds the port taken: the test holds it from the moment
  // start.js says which port it chose, before Jupyter binds it.
  const child = spawn(process.execPath, [path.join(ROOT, 'scripts', 'start.js'), '--port', '0', '--no-browser', '--skip-setup', '--classic'], {
    cwd: ROOT,
    env: process.env,
  });
  let out = '';
  let holder = null;
  child.stdout.on('data', (d) => {
    out += d;
    const m = /on port (\d+)/.exec(out);
    if (m && !holder) {
      holder = net.createServer();
      holder.listen(Number(m[1]), '127.0.0.1');
    }
  });
  child.stderr.on('data', (d) => {
    out += d;
  });
  const code = await new Promise((resolve) => child.on('exit', resolve));
  assert.ok(holder && holder.listening, `the test could not hold the port first:\n${out}`);
  holder.close();
  assert.equal(code, 1, out);
  assert.doesNotMatch(out, /is ready/);
  assert.match(out, /is already in use .*pick another port with `npm start -- --port N`/);
});

test('a missing Chromium stops the browser test before it starts a server, naming the path and the fix', () => {
  const { status, out } = script('e2e-notebook.js', ['--skip-setup', '03-differentiable-abm.ipynb'], {
    env: { DIFFABM_CHROMIUM: '/nonexistent/diffabm-test/chromium' },
  });
  assert.equal(status, 1, out);
  assert.match(out, /^e2e FAIL: no Chromium executable at \/nonexistent\/diffabm-test\/chromium \(named by DIFFABM_CHROMIUM or CHROMIUM_PATH\)\. Install Debian's chromium package .*or set DIFFABM_CHROMIUM to the path of a Chromium executable\.$/m);
  assert.doesNotMatch(out, /starting Jupyter/);
});

test('a Chromium that fails to start ends the browser test with how it ended and what to do, and stops the server', () => {
  const { status, out } = script('e2e-notebook.js', ['--skip-setup', '--no-run', '--no-html', '03-differentiable-abm.ipynb'], {
    env: { DIFFABM_CHROMIUM: '/bin/false' },
  });
  assert.equal(status, 1, out);
  assert.match(
    out,
    /^e2e FAIL: Chromium at \/bin\/false did not start: the process exited at once \(exit code 1\)\. Check that `\/bin\/false --headless --no-sandbox --version` runs, reinstall it \(apt-get install --reinstall chromium\), or set DIFFABM_CHROMIUM to a working Chromium executable\./m,
  );
  const url = /is ready: (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
  assert.ok(url, out);
  // The server's process group was stopped: nothing answers on its port any more.
  const r = spawnSync(process.execPath, ['-e', `fetch(${JSON.stringify(`${url[1]}/api/status`)}).then(() => process.exit(0), () => process.exit(3))`]);
  assert.equal(r.status, 3);
});
