// End-to-end test: opens the course the way a student does, and runs every
// notebook in a real browser.
//
//   node scripts/e2e-notebook.js [NOTEBOOK...] [--figures N] [--timeout S] [--keep] [--skip-setup]
//
// NOTEBOOK is a file name in notebooks/ or a path to a notebook; without one,
// every notebook in notebooks/ is run. Steps:
//   1. copy the notebooks' folder to a temporary place (so that Jupyter's
//      autosave cannot touch a committed file); every other top-level entry of
//      the repository is linked in beside it, so `import ... from 'diffabm'` and
//      relative paths work as in the checkout;
//   2. start the server with `node scripts/start.js --classic --port 0
//      --no-browser --dir <copy>` -- what `npm start` runs, including its set-up
//      (skipped with --skip-setup) -- and read the URL it prints;
//   3. open that URL in headless Chromium (playwright-core, the executable and
//      switches of lib/plot/chromium.ts) and check that the folder listing
//      shows every notebook of the folder;
//   4. for each notebook, one after the other, in the same browser and server:
//      open it from the listing's link, run all cells, wait until every code
//      cell has been executed and the kernel is idle, then check that no cell
//      failed, that there is no error output, and that the number of figures
//      shown as images (PNG, or the SVG that Notebook prefers when an output
//      carries both) equals the number of code-cell outputs with an
//      image/png in the committed notebook (or --figures N, for one notebook);
//      save a full-page screenshot to artifacts/e2e-<notebook>.png and shut the
//      notebook's kernel down;
//   5. always shut the browser, the kernels and the server down.
// --timeout S limits each notebook's run (default 1200). One line per notebook
// reports PASS or FAIL with its time; the last line printed is the overall
// verdict. Exit code 0 when every notebook passed, 1 otherwise.
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { ROOT, chromiumModule, reportSetupErrors } = require('./common');

const USAGE = 'usage: node scripts/e2e-notebook.js [NOTEBOOK...] [--figures N] [--timeout S] [--keep] [--skip-setup]';
// Time for scripts/start.js to install what is missing and start Jupyter.
const START_TIMEOUT_S = 1200;

const t0 = Date.now();
const elapsed = () => ((Date.now() - t0) / 1000).toFixed(1);
const say = (msg) => console.log(`[e2e ${elapsed().padStart(6)} s] ${msg}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

class E2EError extends Error {}

function parseArgs(argv) {
  const opts = { names: [], figures: null, timeout: 1200, keep: false, skipSetup: false };
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
    } else if (arg.startsWith('--')) throw new E2EError(`unexpected argument ${arg}\n${USAGE}`);
    else opts.names.push(arg);
  }
  opts.files = opts.names.length ? opts.names.map(resolveNotebook) : notebooksIn(path.join(ROOT, 'notebooks'));
  opts.folder = opts.files.length ? path.dirname(opts.files[0]) : path.join(ROOT, 'notebooks');
  if (opts.files.some((f) => path.dirname(f) !== opts.folder)) {
    throw new E2EError('the notebooks must all be in one folder (one server serves them)');
  }
  if (opts.figures !== null && opts.files.length !== 1) {
    throw new E2EError('--figures applies to one notebook; without it each notebook is checked against its committed outputs');
  }
  return opts;
}

// A bare name means notebooks/<name>; anything that exists is taken as a path.
function resolveNotebook(name) {
  const asPath = path.resolve(name);
  const file = fs.existsSync(asPath) ? asPath : path.join(ROOT, 'notebooks', name);
  if (!file.endsWith('.ipynb')) throw new E2EError(`not a notebook: ${name}`);
  if (!fs.existsSync(file)) throw new E2EError(`notebook not found: ${file}`);
  return file;
}

function notebooksIn(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ipynb') && !f.startsWith('.'))
    .sort()
    .map((f) => path.join(dir, f));
}

// The number of code-cell outputs with an image/png in the committed notebook:
// the figures a full run must show.
function committedFigures(file) {
  let nb;
  try {
    nb = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new E2EError(`${path.basename(file)} is not readable JSON: ${e.message}`);
  }
  let count = 0;
  for (const cell of nb.cells || []) {
    if (cell.cell_type !== 'code') continue;
    for (const out of cell.outputs || []) if (out.data && out.data['image/png'] !== undefined) count++;
  }
  return count;
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

function tail(file, lines = 30) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

// `node scripts/start.js`, in its own process group, with Jupyter's config and
// runtime files kept in the temporary folder.
class StartedServer {
  constructor({ dir, tmp, skipSetup }) {
    Object.assign(this, { dir, tmp, skipSetup });
    this.log = path.join(tmp, 'server.log');
    this.proc = null;
    this.exited = false;
  }

  // Resolves once start.js prints its URL; until then its lines are echoed.
  start(timeoutMs) {
    const args = [path.join(ROOT, 'scripts', 'start.js'), '--classic', '--port', '0', '--no-browser', '--dir', this.dir];
    if (this.skipSetup) args.push('--skip-setup');
    const env = {
      ...process.env,
      JUPYTER_CONFIG_DIR: path.join(this.tmp, 'jupyter-config'),
      JUPYTER_RUNTIME_DIR: path.join(this.tmp, 'jupyter-runtime'),
    };
    delete env.JUPYTER_TOKEN; // a fresh random token, as for a user
    this.proc = spawn(process.execPath, args, {
      cwd: ROOT,
      detached: true, // own process group, so it can be stopped as a whole
      stdio: ['ignore', 'pipe', 'pipe'],
      env,
    });
    const logStream = fs.createWriteStream(this.log);
    return new Promise((resolve, reject) => {
      let ready = false;
      let pending = '';
      const timer = setTimeout(() => {
        reject(new E2EError(`npm start printed no URL within ${timeoutMs / 1000} s:\n${tail(this.log)}`));
      }, timeoutMs);
      const onData = (chunk) => {
        logStream.write(chunk);
        if (ready) return;
        pending += chunk.toString();
        const lines = pending.split('\n');
        pending = lines.pop();
        for (const line of lines) {
          // Echo the set-up and start-up; Jupyter's request log goes to the file only.
          if (!/^\[[IWDC] /.test(line)) console.log(`  | ${line}`);
          const m = /\bis ready: (http:\/\/\S+)/.exec(line);
          if (m) {
            ready = true;
            clearTimeout(timer);
            const url = new URL(m[1]);
            this.url = m[1];
            this.base = url.origin;
            this.token = url.searchParams.get('token');
            resolve(this);
          }
        }
      };
      this.proc.stdout.on('data', onData);
      this.proc.stderr.on('data', onData);
      this.proc.on('exit', (code, signal) => {
        this.exited = true;
        logStream.end();
        if (!ready) {
          clearTimeout(timer);
          reject(new E2EError(`npm start exited (${code === null ? signal : `code ${code}`}) before printing a URL:\n${tail(this.log)}`));
        }
      });
    });
  }

  api(method, route) {
    return fetch(this.base + route, {
      method,
      headers: { Authorization: `token ${this.token}` },
      signal: AbortSignal.timeout(10000),
    });
  }

  // Shuts down the kernels of the sessions whose notebook is `name` (all when null).
  async shutdownKernels(name = null) {
    const res = await this.api('GET', '/api/sessions');
    for (const s of res.ok ? await res.json() : []) {
      if (name === null || path.basename(s.path || (s.notebook && s.notebook.path) || '') === name) {
        await this.api('DELETE', `/api/sessions/${s.id}`).catch(() => {});
      }
    }
  }

  // Shuts kernels down politely, then stops the process group (TERM, then KILL).
  async stop() {
    if (!this.proc || this.exited) return;
    if (this.base) {
      try {
        await this.shutdownKernels();
        const res = await this.api('GET', '/api/kernels');
        for (const kernel of res.ok ? await res.json() : []) {
          await this.api('DELETE', `/api/kernels/${kernel.id}`).catch(() => {});
        }
      } catch {
        // server unresponsive: the signals below still apply
      }
    }
    const group = -this.proc.pid;
    for (const [sig, waitMs] of [['SIGTERM', 15000], ['SIGKILL', 5000]]) {
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
function pageListing() {
  return Array.from(document.querySelectorAll('#notebook_list .list_item a.item_link'))
    .map((a) => ({ name: (a.querySelector('.item_name') || a).textContent.trim(), href: a.href }))
    .filter((item) => item.name.endsWith('.ipynb'));
}

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
      stderr.find((l) => /^(Uncaught )?([A-Za-z_$][\w$]*)?(Error|Exception)\b/.test(l)) ||
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
  // An output that carries an SVG beside its PNG (the Graphviz drawings) is
  // shown as the SVG, which Notebook ranks first.
  const images = Array.from(document.querySelectorAll('.output_png img'));
  const drawings = Array.from(document.querySelectorAll('.output_svg svg'));
  return {
    figures:
      images.filter((img) => img.complete && img.naturalWidth > 0).length +
      drawings.filter((svg) => svg.getBoundingClientRect().width > 0).length,
    pngOutputs: images.length + drawings.length,
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

// Opens the folder listing at the printed URL; returns the listed notebooks.
async function openListing(context, server, count) {
  const page = await context.newPage();
  try {
    await page.goto(server.url, { waitUntil: 'domcontentloaded', timeout: 60000 });
    // The listing fills in asynchronously.
    await page
      .waitForFunction(
        (n) => !!document.querySelector('#notebook_list') &&
          document.querySelectorAll('#notebook_list .list_item a.item_link').length >= n,
        count,
        { timeout: 60000, polling: 250 },
      )
      .catch(async () => {
        throw new E2EError(`the page at the printed URL shows no complete folder listing (at ${page.url().split('?')[0]}, ` +
          `title "${await page.title().catch(() => '')}")`);
      });
    await sleep(500); // let the rest of the list render
    return await page.evaluate(pageListing);
  } finally {
    await page.close().catch(() => {});
  }
}

// Runs one notebook in a new page; returns its results.
async function runNotebook(context, server, href, name, deadline) {
  const remaining = () => Math.max(1000, deadline - Date.now());
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  try {
    await page.goto(href, { waitUntil: 'domcontentloaded', timeout: Math.min(60000, remaining()) });
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
    say(`${name}: kernel ${kernelName} connected; running all cells`);

    const codeCells = await page.evaluate(pageStartRun);
    let lastReport = Date.now();
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
        say(`${name}: ${p.done}/${p.total} code cells done`);
        lastReport = Date.now();
      }
      await sleep(500);
    }

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
    await page.close().catch(() => {});
  }
}

// Checks one notebook's results; returns the list of problems.
function problemsOf(r, expected) {
  const problems = [];
  for (const f of r.failed) {
    problems.push(`cell ${f.index + 1} (index ${f.index}) "${f.firstLine}" ${f.status}: ${f.message || '(no message)'}`);
  }
  if (r.errorOutputs > 0) problems.push(`${r.errorOutputs} error output(s) on the page`);
  if (r.figures !== expected) {
    problems.push(`expected ${expected} figure(s), found ${r.figures} rendered image(s) (${r.pngOutputs} PNG or SVG outputs)`);
  }
  return problems;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const names = opts.files.map((f) => path.basename(f));
  const expected = new Map(opts.files.map((f) => [path.basename(f), opts.figures ?? committedFigures(f)]));

  const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'diffabm-e2e-')));
  const dir = makeWorkspace(tmp, opts.folder);
  const server = new StartedServer({ dir, tmp, skipSetup: opts.skipSetup });
  // Safety net: if anything hangs despite the timeouts, clean up and fail.
  const watchdogS = START_TIMEOUT_S + (names.length + 1) * (opts.timeout + 60);
  const watchdog = setTimeout(async () => {
    console.error(`e2e FAIL: watchdog fired after ${watchdogS} s`);
    await server.stop().catch(() => {});
    killStragglers(tmp);
    process.exit(1);
  }, watchdogS * 1000);
  watchdog.unref();

  const results = [];
  let browser = null;
  let verdict;
  try {
    say(`serving a copy of ${path.relative(ROOT, opts.folder) || opts.folder} from ${dir}`);
    say('starting the server with scripts/start.js (what `npm start` runs)');
    await server.start(START_TIMEOUT_S * 1000);
    say(`npm start printed ${server.base}/...; opening it in headless Chromium`);

    const { chromium } = require('playwright-core');
    const { chromiumPath, CHROMIUM_ARGS } = chromiumModule();
    // launch() uses a fresh temporary profile every time.
    browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: [...CHROMIUM_ARGS], timeout: 60000 });

    // One context: the token in the printed URL logs it in (a cookie) for every page.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const inFolder = notebooksIn(dir).map((f) => path.basename(f));
    const listing = await openListing(context, server, inFolder.length);
    const listed = new Set(listing.map((l) => l.name));
    const unlisted = inFolder.filter((n) => !listed.has(n));
    if (unlisted.length) throw new E2EError(`the folder listing does not show ${unlisted.join(', ')}`);
    say(`the listing shows ${listing.length} notebook(s): ${[...listed].join(', ')}`);

    for (const name of names) {
      const started = Date.now();
      const href = listing.find((l) => l.name === name).href;
      say(`${name}: opening it from the listing (expecting ${expected.get(name)} figure(s))`);
      let line;
      let ok = false;
      try {
        const r = await runNotebook(context, server, href, name, started + opts.timeout * 1000);
        const problems = problemsOf(r, expected.get(name));
        for (const msg of r.pageErrors) say(`${name}: page error (not fatal): ${msg}`);
        for (const p of problems) console.error(`  - ${name}: ${p}`);
        ok = problems.length === 0;
        line = `${r.cells} code cells, ${r.figures}/${expected.get(name)} figures, ${r.failed.length} failed cells; ` +
          `screenshot ${path.relative(ROOT, r.shot)}`;
      } catch (err) {
        if (!(err instanceof E2EError)) throw err;
        console.error(err.message);
        line = err.message.split('\n')[0];
      }
      await server.shutdownKernels(name).catch(() => {});
      const seconds = (Date.now() - started) / 1000;
      results.push({ name, ok, seconds });
      console.log(`e2e ${ok ? 'PASS' : 'FAIL'} ${name} in ${seconds.toFixed(1)} s: ${line}`);
    }

    const failed = results.filter((r) => !r.ok);
    if (results.length) {
      const width = Math.max(...results.map((r) => r.name.length));
      console.log('e2e time per notebook:');
      for (const r of results) console.log(`  ${r.name.padEnd(width)}  ${r.seconds.toFixed(1).padStart(7)} s  ${r.ok ? 'ok' : 'FAIL'}`);
    }
    const summary = `npm start served ${listing.length} notebook(s); ${results.length - failed.length} of ${results.length} ran in the browser ` +
      `without errors and with the expected number of figures (${elapsed()} s)`;
    if (failed.length === 0) verdict = `e2e PASS: ${summary}`;
    else {
      verdict = `e2e FAIL: ${failed.map((r) => r.name).join(', ')} failed; ${summary}`;
      process.exitCode = 1;
    }
  } catch (err) {
    if (!(err instanceof E2EError)) console.error(err && err.stack ? err.stack : err);
    else console.error(err.message);
    verdict = `e2e FAIL: ${err instanceof E2EError ? err.message.split('\n')[0] : 'unexpected error'} (${elapsed()} s)`;
    process.exitCode = 1;
  } finally {
    if (browser) await browser.close().catch(() => {});
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
