// End-to-end test: runs a notebook in a real browser, the way a student would.
//
//   node scripts/e2e-notebook.js [NOTEBOOK] [--figures N] [--timeout S] [--keep] [--skip-setup]
//
// NOTEBOOK is a file name in notebooks/ (default 03-differentiable-abm.ipynb) or
// a path to a notebook elsewhere. Steps:
//   1. copy the notebook's folder to a temporary place (so Jupyter's autosave
//      cannot touch the committed file); the rest of the repository is linked
//      in beside it, so `import ... from 'diffabm'` and relative paths still work;
//   2. start Jupyter Notebook 6 on 127.0.0.1 (free port, random token);
//   3. open the notebook in headless Chromium (playwright-core), run all cells,
//      wait until every code cell has been executed and the kernel is idle;
//   4. check: no failed cells and no error outputs, exactly N figures rendered
//      as PNG images (default 5); save a full-page screenshot to
//      artifacts/e2e-<notebook>.png;
//   5. always shut the browser, kernels and server down.
// Exit code 0 on success, 1 on failure; the last line printed is the verdict.
'use strict';
const { spawn } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');
const { ROOT, prepare, pythonEnv, reportSetupErrors, chromiumPath } = require('./nbenv');

const USAGE = 'usage: node scripts/e2e-notebook.js [NOTEBOOK] [--figures N] [--timeout S] [--keep] [--skip-setup]';

const t0 = Date.now();
const elapsed = () => ((Date.now() - t0) / 1000).toFixed(1);
const say = (msg) => console.log(`[e2e ${elapsed().padStart(6)} s] ${msg}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

class E2EError extends Error {}

function parseArgs(argv) {
  const opts = { notebook: '03-differentiable-abm.ipynb', figures: 5, timeout: 600, keep: false, skipSetup: false };
  let named = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < 0) throw new E2EError(`${arg} needs a whole number\n${USAGE}`);
      return n;
    };
    if (arg === '--figures') opts.figures = value();
    else if (arg === '--timeout') opts.timeout = value();
    else if (arg === '--keep') opts.keep = true;
    else if (arg === '--skip-setup') opts.skipSetup = true;
    else if (arg === '-h' || arg === '--help') {
      console.log(USAGE);
      process.exit(0);
    } else if (arg.startsWith('--') || named) throw new E2EError(`unexpected argument ${arg}\n${USAGE}`);
    else {
      opts.notebook = arg;
      named = true;
    }
  }
  // A bare name means notebooks/<name>; anything that exists is taken as a path.
  const asPath = path.resolve(opts.notebook);
  opts.file = fs.existsSync(asPath) ? asPath : path.join(ROOT, 'notebooks', opts.notebook);
  if (!opts.file.endsWith('.ipynb')) throw new E2EError(`not a notebook: ${opts.notebook}`);
  if (!fs.existsSync(opts.file)) throw new E2EError(`notebook not found: ${opts.file}`);
  return opts;
}

// Builds the temporary workspace in <tmp>/repo and returns the folder to serve.
// Inside the repository: <tmp>/repo/<top folder> is a copy, every other
// top-level entry a symlink. Outside it: <tmp>/repo/work is a copy, plus a
// node_modules link.
function makeWorkspace(tmp, notebookDir) {
  tmp = path.join(tmp, 'repo');
  fs.mkdirSync(tmp);
  const skip = (src) => !['.ipynb_checkpoints', 'node_modules', '.git'].includes(path.basename(src));
  const rel = path.relative(ROOT, notebookDir);
  if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) {
    const top = rel.split(path.sep)[0];
    for (const entry of fs.readdirSync(ROOT)) {
      if (entry === top || entry === '.git') continue;
      fs.symlinkSync(path.join(ROOT, entry), path.join(tmp, entry));
    }
    fs.cpSync(path.join(ROOT, top), path.join(tmp, top), { recursive: true, filter: skip });
    return path.join(tmp, rel);
  }
  const work = path.join(tmp, 'work');
  fs.cpSync(notebookDir, work, { recursive: true, filter: skip });
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(tmp, 'node_modules'));
  return work;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function tail(file, lines = 30) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

// The Jupyter Notebook 6 server, in its own process group.
class NotebookServer {
  constructor({ python, dir, tmp }) {
    Object.assign(this, { python, dir, tmp });
    this.token = crypto.randomBytes(24).toString('hex');
    this.log = path.join(tmp, 'server.log');
    this.proc = null;
    this.exited = false;
  }

  async start(timeoutMs) {
    this.port = await freePort();
    this.base = `http://127.0.0.1:${this.port}`;
    const out = fs.openSync(this.log, 'a');
    const args = [
      '-m', 'notebook', '--no-browser', '--allow-root',
      '--ip', '127.0.0.1', '--port', String(this.port), '--port-retries', '0',
      `--NotebookApp.token=${this.token}`,
      '--notebook-dir', this.dir,
    ];
    this.proc = spawn(this.python, args, {
      cwd: this.dir,
      detached: true, // own process group, so it can be stopped as a whole
      stdio: ['ignore', out, out],
      // keep the user's Jupyter config and runtime files out of the test
      env: pythonEnv({
        JUPYTER_CONFIG_DIR: path.join(this.tmp, 'jupyter-config'),
        JUPYTER_RUNTIME_DIR: path.join(this.tmp, 'jupyter-runtime'),
      }),
    });
    fs.closeSync(out);
    this.proc.on('exit', () => {
      this.exited = true;
    });
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      if (this.exited) throw new E2EError(`the notebook server exited early:\n${tail(this.log)}`);
      try {
        const res = await this.api('GET', '/api/status');
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await sleep(250);
    }
    throw new E2EError(`the notebook server did not answer within ${timeoutMs / 1000} s:\n${tail(this.log)}`);
  }

  api(method, route) {
    return fetch(this.base + route, {
      method,
      headers: { Authorization: `token ${this.token}` },
      signal: AbortSignal.timeout(5000),
    });
  }

  url(file) {
    return `${this.base}/notebooks/${encodeURIComponent(file)}?token=${this.token}`;
  }

  // Shuts kernels down politely, then stops the process group (TERM, then KILL).
  async stop() {
    if (!this.proc || this.exited) return;
    try {
      const res = await this.api('GET', '/api/kernels');
      for (const kernel of res.ok ? await res.json() : []) {
        await this.api('DELETE', `/api/kernels/${kernel.id}`).catch(() => {});
      }
    } catch {
      // server unresponsive: the signals below still apply
    }
    const group = -this.proc.pid;
    for (const [sig, waitMs] of [['SIGTERM', 10000], ['SIGKILL', 5000]]) {
      try {
        process.kill(group, sig);
      } catch {
        return; // group already gone
      }
      const end = Date.now() + waitMs;
      while (!this.exited && Date.now() < end) await sleep(100);
      if (this.exited) return;
    }
  }
}

// Kernels run in their own session, outside the server's process group. As a
// last resort, kill (by pid) any process still working inside our temp folder.
function killStragglers(tmp) {
  if (process.platform !== 'linux') return;
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cwd = fs.readlinkSync(`/proc/${pid}/cwd`);
      if (cwd === tmp || cwd.startsWith(tmp + path.sep)) {
        process.kill(Number(pid), 'SIGKILL');
        say(`killed leftover process ${pid} (${cwd})`);
      }
    } catch {
      // gone, or not ours to inspect
    }
  }
}

// In-page helpers (run by page.evaluate in the Notebook 6 UI).
function pageStartRun() {
  const nb = window.Jupyter.notebook;
  window.__e2e = { replies: {} };
  nb.clear_all_output();
  const cells = nb.get_cells();
  cells.forEach((cell, index) => {
    if (cell.cell_type !== 'code') return;
    // Record each execute_reply status (tslab reports errors on stderr, so an
    // error output alone would not reveal a failed cell).
    const original = cell._handle_execute_reply;
    cell._handle_execute_reply = function (msg) {
      window.__e2e.replies[index] = msg.content.status;
      return original.apply(this, arguments);
    };
  });
  nb.execute_all_cells();
  return cells.filter((c) => c.cell_type === 'code' && c.get_text().trim() !== '').map((c) => cells.indexOf(c));
}

function pageProgress(codeCells) {
  const nb = window.Jupyter.notebook;
  const replies = window.__e2e.replies;
  const running = nb.get_cells().some((c) => c.cell_type === 'code' && c.input_prompt_number === '*');
  const idle = !!document.querySelector('#kernel_indicator_icon.kernel_idle_icon');
  const done = codeCells.filter((i) => i in replies).length;
  return { done, total: codeCells.length, running, idle, dead: nb.kernel ? !nb.kernel.is_connected() : true };
}

function pageResults() {
  const nb = window.Jupyter.notebook;
  const replies = window.__e2e.replies;
  const failed = [];
  nb.get_cells().forEach((cell, index) => {
    if (cell.cell_type !== 'code') return;
    const status = replies[index];
    const errorOutput = cell.element[0].querySelector('.output_error');
    if (status === 'ok' && !errorOutput) return;
    if (status === undefined && cell.get_text().trim() === '') return;
    const stderr = Array.from(cell.element[0].querySelectorAll('.output_stderr, .output_error'))
      .map((e) => e.innerText)
      .join('\n')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    const aborted = /^abort/.test(status || '');
    const message = aborted ? 'not run (skipped after an earlier error)' :
      stderr.find((l) => /^(Uncaught )?[A-Za-z_$][\w$]*(Error|Exception)\b/.test(l)) ||
      stderr.find((l) => /^\d+:\d+ - /.test(l)) ||
      stderr[stderr.length - 1] ||
      '';
    failed.push({
      index,
      status: status || 'not run',
      firstLine: (cell.get_text().split('\n').find((l) => l.trim()) || '').trim().slice(0, 80),
      message,
    });
  });
  const images = Array.from(document.querySelectorAll('.output_png img'));
  return {
    figures: images.filter((img) => img.complete && img.naturalWidth > 0).length,
    pngOutputs: images.length,
    errorOutputs: document.querySelectorAll('.output_error').length,
    failed,
  };
}

// Notebook 6 scrolls inside #site, so a full-page screenshot would only show
// the viewport; let the page grow to its full height first.
const FULL_HEIGHT_CSS = `
  html, body { height: auto !important; overflow: visible !important; }
  #site { height: auto !important; overflow: visible !important; display: block !important; }
  #header { position: static !important; }
`;

async function runInBrowser(server, opts, deadline) {
  const { chromium } = require('playwright-core');
  const remaining = () => Math.max(1000, deadline - Date.now());
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    // The figure layer's switches (built by set-up); launch() uses a fresh temporary profile every time.
    args: [...require(path.join(ROOT, 'dist', 'plot', 'render')).CHROMIUM_ARGS],
    timeout: 60000,
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const pageErrors = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));

    const name = path.basename(opts.file);
    say(`opening ${name}`);
    await page.goto(server.url(name), { waitUntil: 'domcontentloaded', timeout: Math.min(60000, remaining()) });
    await page
      .waitForFunction(
        () => {
          const nb = window.Jupyter && window.Jupyter.notebook;
          return !!(nb && nb._fully_loaded && nb.kernel && nb.kernel.is_connected());
        },
        null,
        { timeout: Math.min(180000, remaining()), polling: 250 },
      )
      .catch(() => {
        throw new E2EError(
          'the notebook did not load or its kernel did not connect (is the kernelspec in the ' +
            `notebook metadata installed?)\n${tail(server.log)}`,
        );
      });
    const kernelName = await page.evaluate(() => window.Jupyter.notebook.kernel.name);
    say(`kernel ${kernelName} connected; running all cells`);

    const codeCells = await page.evaluate(pageStartRun);
    let lastReport = 0;
    let disconnectedSince = null;
    for (;;) {
      const p = await page.evaluate(pageProgress, codeCells);
      if (p.done === p.total && !p.running && p.idle) break;
      // A short websocket reconnect is fine; a kernel gone for 15 s is not.
      disconnectedSince = p.dead ? disconnectedSince || Date.now() : null;
      if (disconnectedSince && Date.now() - disconnectedSince > 15000) {
        throw new E2EError(`the kernel disconnected after ${p.done}/${p.total} cells\n${tail(server.log)}`);
      }
      if (Date.now() >= deadline) throw new E2EError(`time limit reached with ${p.done}/${p.total} cells done`);
      if (Date.now() - lastReport > 15000) {
        say(`${p.done}/${p.total} code cells done`);
        lastReport = Date.now();
      }
      await sleep(500);
    }
    say(`all ${codeCells.length} code cells executed`);

    // Let the PNG figures finish decoding.
    await page
      .waitForFunction(
        () => Array.from(document.querySelectorAll('.output_png img')).every((img) => img.complete),
        null,
        { timeout: Math.min(30000, remaining()) },
      )
      .catch(() => {});
    const results = await page.evaluate(pageResults);

    fs.mkdirSync(path.join(ROOT, 'artifacts'), { recursive: true });
    const shot = path.join(ROOT, 'artifacts', `e2e-${name.replace(/\.ipynb$/, '')}.png`);
    await page.addStyleTag({ content: FULL_HEIGHT_CSS });
    await page.screenshot({ path: shot, fullPage: true, timeout: Math.min(60000, remaining()) });
    return { ...results, cells: codeCells.length, shot, pageErrors };
  } finally {
    await browser.close().catch(() => {});
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const { python } = prepare({ server: true, skipInstall: opts.skipSetup });
  const deadline = Date.now() + opts.timeout * 1000;
  const name = path.basename(opts.file);

  const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'diffabm-e2e-')));
  const dir = makeWorkspace(tmp, path.dirname(opts.file));
  const server = new NotebookServer({ python, dir, tmp });
  // Safety net: if anything hangs despite the timeouts, clean up and fail.
  const watchdog = setTimeout(async () => {
    console.error(`e2e FAIL ${name}: watchdog fired after ${opts.timeout + 60} s`);
    await server.stop().catch(() => {});
    killStragglers(tmp);
    process.exit(1);
  }, (opts.timeout + 60) * 1000);
  watchdog.unref();

  let verdict;
  try {
    say(`serving a copy of ${path.dirname(opts.file)} from ${dir}`);
    await server.start(Math.min(60000, deadline - Date.now()));
    say(`notebook server up at ${server.base}`);
    const r = await runInBrowser(server, opts, deadline);

    const problems = [];
    for (const f of r.failed) {
      problems.push(`cell ${f.index + 1} (index ${f.index}) "${f.firstLine}" ${f.status}: ${f.message || '(no message)'}`);
    }
    if (r.errorOutputs > 0) problems.push(`${r.errorOutputs} error output(s) on the page`);
    if (r.figures !== opts.figures) {
      problems.push(`expected ${opts.figures} figure(s), found ${r.figures} rendered PNG image(s) (${r.pngOutputs} PNG outputs)`);
    }
    for (const msg of r.pageErrors) say(`page error (not fatal): ${msg}`);
    const summary = `${r.cells} code cells, ${r.figures}/${opts.figures} figures, ` +
      `${r.failed.length} failed cells, ${elapsed()} s; screenshot ${path.relative(ROOT, r.shot)}`;
    if (problems.length === 0) {
      verdict = `e2e PASS ${name}: ${summary}`;
    } else {
      for (const p of problems) console.error(`  - ${p}`);
      verdict = `e2e FAIL ${name}: ${summary}`;
      process.exitCode = 1;
    }
  } catch (err) {
    if (!(err instanceof E2EError)) console.error(err && err.stack ? err.stack : err);
    else console.error(err.message);
    verdict = `e2e FAIL ${name}: ${err instanceof E2EError ? err.message.split('\n')[0] : 'unexpected error'} (${elapsed()} s)`;
    process.exitCode = 1;
  } finally {
    await server.stop().catch(() => {});
    killStragglers(tmp);
    if (opts.keep) say(`kept the workspace ${tmp}`);
    else fs.rmSync(tmp, { recursive: true, force: true });
    clearTimeout(watchdog);
  }
  console.log(verdict);
}

main().catch((err) => {
  if (err instanceof E2EError) {
    if (err.message.includes('\n')) console.error(err.message);
    console.log(`e2e FAIL: ${err.message.split('\n')[0]}`);
    process.exitCode = 1;
  } else {
    reportSetupErrors('e2e', err);
  }
});
