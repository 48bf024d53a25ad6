// End-to-end test: opens the course the way a student does, in a real browser,
// and checks that every figure can be hovered and zoomed.
//
//   node scripts/e2e-notebook.js [NOTEBOOK...] [--timeout S] [--keep] [--skip-setup] [--no-run] [--no-html]
//
// NOTEBOOK is a file name in notebooks/ or a path; without one, every notebook
// in notebooks/ (found when the test starts, in course order). Steps:
//   1. copy the notebooks' folder to a temporary place (so Jupyter's autosave
//      cannot touch a committed file); every other top-level entry of the
//      repository is linked in beside it, so `import ... from 'diffabm'` works;
//   2. start the server with `node scripts/start.js --classic --port 0
//      --no-browser --dir <copy>` -- what `npm start` runs, set-up included
//      (skipped with --skip-setup) -- in its own process group, and read the
//      URL it prints;
//   3. open that URL in headless Chromium (playwright-core, with the executable
//      and switches of lib/plot/chromium.ts) and check that the folder listing
//      shows every notebook;
//   4. for each notebook, in the same browser and server:
//      a. open it from the listing; before anything runs, its saved figure
//         outputs must all be drawn as Plotly plots (the diffabm-plotly
//         extension), and each must be interactive: hovering it shows a
//         tooltip, and dragging a box over it changes an axis range;
//      b. (unless --no-run) clear the outputs and run all cells from the Cell
//         menu; the kernel's replies are read from the kernel messages on the
//         notebook's websocket (Jupyter's messaging protocol): every code cell
//         must reply "ok", within --timeout S (default 1200). Then the number of
//         figures on the page must equal the number of figure outputs saved in
//         the notebook, and the first new figure must be interactive as well;
//      c. save screenshots to artifacts/e2e-<notebook>.png (the page) and
//         artifacts/e2e-<notebook>-hover.png (a figure with its tooltip), and
//         shut the notebook's kernel down through the REST API;
//   5. (unless --no-html) export the copy with `npm run html`'s script into the
//      temporary folder, open each page with the network cut off (every
//      request other than file:// is refused and counted), and check that it
//      draws every figure of its notebook, each interactive;
//   6. always: close the browser, shut the kernels down (REST API), then stop
//      the server's process group (SIGTERM, then SIGKILL).
// One line per notebook reports PASS or FAIL with its time; the last line is
// the overall verdict. Exit code 0 when everything passed, 1 otherwise.
'use strict';
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { ROOT, chromiumModule, notebooksIn, parseCommandLine, readNotebook, reportSetupErrors } = require('./common');

const USAGE = 'usage: node scripts/e2e-notebook.js [NOTEBOOK...] [--timeout S] [--keep] [--skip-setup] [--no-run] [--no-html]';
const PLOTLY_MIME = 'application/vnd.plotly.v1+json';
// Time for scripts/start.js to install what is missing and start Jupyter.
const START_TIMEOUT_S = 1200;

const t0 = Date.now();
const elapsed = () => ((Date.now() - t0) / 1000).toFixed(1);
const say = (msg) => console.log(`[e2e ${elapsed().padStart(6)} s] ${msg}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

class E2EError extends Error {}

function parseArgs(argv) {
  const { values, positionals } = parseCommandLine(
    argv,
    {
      timeout: { type: 'string', default: '1200' },
      keep: { type: 'boolean', default: false },
      'skip-setup': { type: 'boolean', default: false },
      'no-run': { type: 'boolean', default: false },
      'no-html': { type: 'boolean', default: false },
    },
    USAGE,
    E2EError,
  );
  const timeout = Number(values.timeout);
  if (!Number.isInteger(timeout) || timeout <= 0) throw new E2EError(`--timeout must be a whole number of seconds > 0, but got ${values.timeout}`);
  const files = positionals.length ? positionals.map(resolveNotebook) : notebooksIn(path.join(ROOT, 'notebooks'));
  if (files.length === 0) throw new E2EError('no notebooks found in notebooks/');
  const folder = path.dirname(files[0]);
  if (files.some((f) => path.dirname(f) !== folder)) throw new E2EError('the notebooks must all be in one folder (one server serves them)');
  return { files, folder, timeout, keep: values.keep, skipSetup: values['skip-setup'], run: !values['no-run'], html: !values['no-html'] };
}

// A bare name means notebooks/<name>; anything that exists is taken as a path.
function resolveNotebook(name) {
  const asPath = path.resolve(name);
  const file = fs.existsSync(asPath) ? asPath : path.join(ROOT, 'notebooks', name);
  if (!file.endsWith('.ipynb')) throw new E2EError(`not a notebook: ${name}`);
  if (!fs.existsSync(file)) throw new E2EError(`notebook not found: ${file}`);
  return file;
}

// What the saved notebook holds: its non-empty code cells' sources, the number
// of figure outputs (Plotly JSON) and of other images (PNG or SVG drawings).
function savedOutputs(file) {
  const nb = readNotebook(file);
  const text = (s) => (Array.isArray(s) ? s.join('') : String(s || ''));
  let figures = 0;
  let images = 0;
  const code = [];
  for (const cell of nb.cells) {
    if (cell.cell_type !== 'code') continue;
    if (text(cell.source).trim() !== '') code.push(text(cell.source));
    for (const out of cell.outputs || []) {
      if (!out.data) continue;
      if (out.data[PLOTLY_MIME] !== undefined) figures++;
      else if (out.data['image/png'] !== undefined || out.data['image/svg+xml'] !== undefined) images++;
    }
  }
  return { figures, images, code };
}

// Builds the temporary workspace in <tmp>/repo and returns the folder to serve.
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

// `node scripts/start.js` in its own process group, with Jupyter's config and
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
    this.proc = spawn(process.execPath, args, { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env });
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

  // Kernels first (REST), then the process group of start.js and Jupyter:
  // SIGTERM (Jupyter then stops any kernel still running), then SIGKILL.
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
    for (const [sig, waitMs] of [['SIGTERM', 20000], ['SIGKILL', 5000]]) {
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

// Follows the kernel messages of a page's websockets (Jupyter's messaging
// protocol, JSON text frames): execute requests sent, their replies, and the
// errors and stderr text that belong to each request.
class KernelMessages {
  constructor(page) {
    this.requests = []; // { id, code }
    this.replies = new Map(); // msg_id -> status
    this.errors = new Map(); // msg_id -> 'Name: value'
    this.stderr = new Map(); // msg_id -> text
    this.closed = false;
    page.on('websocket', (ws) => {
      if (!/\/api\/kernels\//.test(ws.url())) return;
      ws.on('framesent', (f) => this.onFrame(f.payload, true));
      ws.on('framereceived', (f) => this.onFrame(f.payload, false));
      ws.on('close', () => {
        this.closed = true;
      });
    });
  }

  onFrame(payload, sent) {
    if (typeof payload !== 'string') return; // binary frames carry comm buffers only
    let msg;
    try {
      msg = JSON.parse(payload);
    } catch {
      return;
    }
    const type = msg.header && msg.header.msg_type;
    const parent = msg.parent_header && msg.parent_header.msg_id;
    if (sent && type === 'execute_request') this.requests.push({ id: msg.header.msg_id, code: msg.content.code });
    else if (!sent && type === 'execute_reply') this.replies.set(parent, msg.content.status);
    else if (!sent && type === 'error') this.errors.set(parent, `${msg.content.ename}: ${msg.content.evalue}`);
    else if (!sent && type === 'stream' && msg.content.name === 'stderr') {
      this.stderr.set(parent, (this.stderr.get(parent) || '') + msg.content.text);
    }
  }

  reset() {
    this.requests = [];
    this.replies.clear();
    this.errors.clear();
    this.stderr.clear();
  }

  answered() {
    return this.requests.filter((r) => this.replies.has(r.id)).length;
  }

  // The requests that did not reply "ok", with the reason.
  failures() {
    const strip = (s) => s.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
    return this.requests
      .filter((r) => this.replies.get(r.id) !== 'ok')
      .map((r) => {
        const status = this.replies.get(r.id) || 'no reply';
        const lines = strip(this.stderr.get(r.id) || '').split('\n').map((l) => l.trim()).filter(Boolean);
        const reason = status === 'aborted' ? 'not run (skipped after an earlier error)' :
          this.errors.has(r.id) ? strip(this.errors.get(r.id)) :
          lines.find((l) => /^(Uncaught )?([A-Za-z_$][\w$]*)?(Error|Exception)\b/.test(l)) ||
          lines.find((l) => /^\d+:\d+ - /.test(l)) || lines[lines.length - 1] || '(no message)';
        const first = (r.code.split('\n').find((l) => l.trim()) || '').trim().slice(0, 80);
        return `"${first}" ${status}: ${reason}`;
      });
  }
}

// Checks that one drawn Plotly figure is interactive, with the mouse as a user
// would: moving over its data shows a hover label, and dragging a box over the
// plot area changes an axis range (read from the figure's public `layout`).
// Returns null when it is, else what failed.
async function checkInteractive(page, plot, shotPath = null) {
  await plot.scrollIntoViewIfNeeded();
  // Where the data is drawn, in page coordinates: points of lines, then the
  // centres of markers, bars and boxes, then a grid over the plot area.
  const targets = await plot.evaluate((gd) => {
    const out = [];
    const toPage = (el, x, y) => {
      const m = el.getScreenCTM();
      const p = new DOMPoint(x, y).matrixTransform(m);
      return [p.x, p.y];
    };
    for (const line of Array.from(gd.querySelectorAll('.scatterlayer path.js-line')).slice(0, 3)) {
      const n = line.getTotalLength();
      for (const f of [0.5, 0.25, 0.75, 0.1, 0.9]) {
        const p = line.getPointAtLength(n * f);
        out.push(toPage(line, p.x, p.y));
      }
    }
    for (const el of Array.from(gd.querySelectorAll('.scatterlayer path.point, .barlayer path, .boxlayer path.box, .heatmaplayer image, .contourlayer path')).slice(0, 8)) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 || r.height > 0) out.push([r.x + r.width / 2, r.y + r.height / 2]);
    }
    const drag = gd.querySelector('.draglayer .nsewdrag');
    let area = null;
    if (drag) {
      const r = drag.getBoundingClientRect();
      area = [r.x, r.y, r.width, r.height];
      for (const fy of [0.5, 0.3, 0.7]) for (const fx of [0.2, 0.4, 0.6, 0.8]) out.push([r.x + fx * r.width, r.y + fy * r.height]);
    }
    return { points: out, area };
  });
  let hovered = false;
  for (const [x, y] of targets.points.slice(0, 40)) {
    await page.mouse.move(x, y);
    hovered = await plot
      .evaluate((gd) => new Promise((resolve) => setTimeout(() => resolve(gd.querySelectorAll('.hoverlayer .hovertext').length > 0), 60)))
      .catch(() => false);
    if (hovered) break;
  }
  if (hovered && shotPath) await plot.screenshot({ path: shotPath }).catch(() => {});
  if (!hovered) return 'no hover label appeared over its data';
  if (!targets.area) return 'it has no zoomable plot area';
  const ranges = () =>
    plot.evaluate((gd) => {
      const r = {};
      for (const [k, v] of Object.entries(gd.layout || {})) if (/^[xy]axis\d*$/.test(k) && v && v.range) r[k] = v.range.map(Number);
      return JSON.stringify(r);
    });
  const before = await ranges();
  const [x, y, w, h] = targets.area;
  await page.mouse.move(x + 0.3 * w, y + 0.3 * h);
  await page.mouse.down();
  await page.mouse.move(x + 0.5 * w, y + 0.55 * h, { steps: 8 });
  await page.mouse.move(x + 0.6 * w, y + 0.6 * h, { steps: 4 });
  await page.mouse.up();
  const end = Date.now() + 3000;
  let after = before;
  while (after === before && Date.now() < end) {
    await sleep(100);
    after = await ranges();
  }
  await page.mouse.dblclick(x + 0.5 * w, y + 0.5 * h).catch(() => {}); // back to the saved view
  if (after === before) return `dragging a box did not change its axis ranges (${before})`;
  return null;
}

// Checks every drawn figure on the page (or the first `limit`); returns problems.
async function checkFigures(page, label, { limit = Infinity, shot = null } = {}) {
  const plots = (await page.$$('.js-plotly-plot')).slice(0, limit);
  const problems = [];
  for (let i = 0; i < plots.length; i++) {
    const why = await checkInteractive(page, plots[i], i === 0 ? shot : null);
    if (why) problems.push(`${label}: figure ${i + 1} is not interactive: ${why}`);
  }
  return { checked: plots.length, problems };
}

// Waits until `count` Plotly figures are drawn (or the time is up); returns how many are.
async function waitForFigures(page, count, timeoutMs) {
  await page
    .waitForFunction((n) => document.querySelectorAll('.js-plotly-plot .main-svg').length >= n, count, { timeout: timeoutMs, polling: 250 })
    .catch(() => {});
  return page.evaluate(() => document.querySelectorAll('.js-plotly-plot').length);
}

// Notebook 6 scrolls inside #site; let the page grow so a full-page screenshot shows everything.
const FULL_HEIGHT_CSS = `
  html, body { height: auto !important; overflow: visible !important; }
  #site { height: auto !important; overflow: visible !important; display: block !important; }
  #header { position: static !important; }
`;

async function openListing(context, server, count) {
  const page = await context.newPage();
  try {
    await page.goto(server.url, { waitUntil: 'domcontentloaded', timeout: 60000 });
    await page
      .waitForFunction(
        (n) => document.querySelectorAll('#notebook_list .list_item a.item_link').length >= n,
        count,
        { timeout: 60000, polling: 250 },
      )
      .catch(async () => {
        throw new E2EError(`the page at the printed URL shows no complete folder listing (title "${await page.title().catch(() => '')}")`);
      });
    await sleep(500);
    return await page.$$eval('#notebook_list .list_item a.item_link', (links) =>
      links.map((a) => ({ name: (a.querySelector('.item_name') || a).textContent.trim(), href: a.href })).filter((l) => l.name.endsWith('.ipynb')),
    );
  } finally {
    await page.close().catch(() => {});
  }
}

// Clicks a Notebook 6 menu entry, as a user does: the menu, then the path of
// entries (a submenu opens on hover), the last one clicked.
async function menu(page, menuId, entries) {
  await page.click(`#${menuId}`, { timeout: 10000 });
  for (const entry of entries.slice(0, -1)) await page.hover(entry, { timeout: 10000 });
  await page.click(entries[entries.length - 1], { timeout: 10000 });
}

async function runNotebook(context, server, href, name, saved, opts, deadline) {
  const remaining = () => Math.max(1000, deadline - Date.now());
  const page = await context.newPage();
  const messages = new KernelMessages(page);
  const problems = [];
  const base = path.join(ROOT, 'artifacts', `e2e-${name.replace(/\.ipynb$/, '')}`);
  fs.mkdirSync(path.dirname(base), { recursive: true });
  let freshChecked = 0;
  try {
    await page.goto(href, { waitUntil: 'domcontentloaded', timeout: Math.min(60000, remaining()) });
    // a. the saved outputs, before anything runs.
    const drawn = await waitForFigures(page, saved.figures, Math.min(60000, remaining()));
    if (drawn !== saved.figures) problems.push(`on opening, ${drawn} of ${saved.figures} saved figure(s) are drawn as interactive plots`);
    const opened = await checkFigures(page, 'saved output', { shot: `${base}-hover.png` });
    problems.push(...opened.problems);
    say(`${name}: on opening, ${drawn}/${saved.figures} saved figures drawn; ${opened.checked - opened.problems.length}/${opened.checked} hover and zoom`);
    if (!opts.run) return { problems, cells: 0, figures: drawn, freshChecked, shot: null };

    // b. run everything from the Cell menu, once the kernel is idle.
    await page
      .waitForSelector('#kernel_indicator_icon.kernel_idle_icon', { timeout: Math.min(180000, remaining()) })
      .catch(() => {
        throw new E2EError(`the notebook's kernel did not become idle (is the kernelspec in its metadata installed?)\n${tail(server.log)}`);
      });
    await menu(page, 'celllink', ['#all_outputs > a', '#clear_all_output > a']);
    await page.waitForFunction(() => document.querySelectorAll('.js-plotly-plot').length === 0, null, { timeout: 10000 });
    messages.reset();
    await menu(page, 'celllink', ['#run_all_cells > a']);
    say(`${name}: running ${saved.code.length} code cells from the Cell menu`);
    let lastReport = Date.now();
    let closedSince = null;
    for (;;) {
      const sentAll = messages.requests.length >= saved.code.length;
      if (sentAll && messages.answered() === messages.requests.length) break;
      closedSince = messages.closed ? closedSince || Date.now() : null;
      if (closedSince && Date.now() - closedSince > 15000) {
        throw new E2EError(`the kernel connection closed after ${messages.answered()}/${saved.code.length} cells\n${tail(server.log)}`);
      }
      if (Date.now() >= deadline) throw new E2EError(`time limit reached with ${messages.answered()}/${saved.code.length} cells done`);
      if (Date.now() - lastReport > 15000) {
        say(`${name}: ${messages.answered()}/${saved.code.length} code cells done`);
        lastReport = Date.now();
      }
      await sleep(250);
    }
    for (const f of messages.failures()) problems.push(`cell ${f}`);
    const sent = messages.requests.map((r) => r.code);
    if (sent.join('\u0000') !== saved.code.join('\u0000')) problems.push(`the browser sent ${sent.length} cells, not the notebook's ${saved.code.length} code cells in order`);

    const figures = await waitForFigures(page, saved.figures, Math.min(60000, remaining()));
    const images = await page.evaluate(
      () => Array.from(document.querySelectorAll('.output_png img, .output_svg svg')).filter((e) => e.getBoundingClientRect().width > 0).length,
    );
    if (figures !== saved.figures) problems.push(`after the run, ${figures} figure(s) are drawn; the saved notebook has ${saved.figures}`);
    if (images !== saved.images) problems.push(`after the run, ${images} other image(s) are shown; the saved notebook has ${saved.images}`);
    const fresh = await checkFigures(page, 'new output', { limit: 1 });
    freshChecked = fresh.checked;
    problems.push(...fresh.problems);
    if (saved.figures > 0 && fresh.checked === 0) problems.push('no new figure to check after the run');

    await page.addStyleTag({ content: FULL_HEIGHT_CSS });
    await page.screenshot({ path: `${base}.png`, fullPage: true, timeout: Math.min(60000, remaining()) });
    return { problems, cells: messages.requests.length, figures, freshChecked, shot: `${base}.png` };
  } finally {
    await page.close().catch(() => {});
  }
}

// Exports the served copy with scripts/html.js and checks each page offline.
async function checkExport(browser, dir, tmp, files, skipSetup) {
  const out = path.join(tmp, 'html');
  const args = [path.join(ROOT, 'scripts', 'html.js'), '--out-dir', out, '--skip-setup', ...files.map((f) => path.join(dir, path.basename(f)))];
  void skipSetup; // the server's set-up has installed nbconvert already
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) return [{ name: 'html export', ok: false, line: `npm run html failed:\n${r.stdout}${r.stderr}` }];
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, offline: true });
  const refused = [];
  await context.route(/^(?!file:)/, (route) => {
    refused.push(route.request().url());
    return route.abort();
  });
  const results = [];
  try {
    for (const file of files) {
      const name = path.basename(file, '.ipynb');
      const saved = savedOutputs(file);
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      const started = Date.now();
      try {
        await page.goto(`file://${path.join(out, `${name}.html`)}`, { waitUntil: 'load', timeout: 60000 });
        const drawn = await waitForFigures(page, saved.figures, 60000);
        const problems = [];
        if (drawn !== saved.figures) problems.push(`${drawn} of ${saved.figures} figure(s) drawn`);
        const left = await page.$$eval('img.diffabm-fallback', (imgs) => imgs.length);
        if (left > 0) problems.push(`${left} figure(s) still show their PNG`);
        const checked = await checkFigures(page, `${name}.html`, { shot: path.join(ROOT, 'artifacts', `e2e-html-${name}-hover.png`) });
        problems.push(...checked.problems, ...errors.map((e) => `page error: ${e}`));
        results.push({
          name: `${name}.html`,
          ok: problems.length === 0,
          seconds: (Date.now() - started) / 1000,
          problems,
          line: `${drawn}/${saved.figures} figures drawn offline, ${checked.checked - checked.problems.length} hover and zoom`,
        });
      } finally {
        await page.close().catch(() => {});
      }
    }
    const index = await context.newPage();
    await index.goto(`file://${path.join(out, 'index.html')}`);
    const links = await index.$$eval('ol a', (as) => as.map((a) => a.getAttribute('href')));
    await index.close();
    const wanted = files.map((f) => `${path.basename(f, '.ipynb')}.html`);
    results.push({
      name: 'index.html',
      ok: JSON.stringify(links) === JSON.stringify(wanted),
      seconds: 0,
      problems: [`links ${JSON.stringify(links)}, expected ${JSON.stringify(wanted)}`],
      line: `${links.length} chapter link(s) in course order`,
    });
  } finally {
    await context.close().catch(() => {});
  }
  if (refused.length) say(`the export pages asked for ${refused.length} network resource(s), all refused: ${[...new Set(refused)].slice(0, 3).join(', ')}`);
  return results;
}

// A Chromium that set-up cannot provide stops the test before the server starts.
function checkChromiumFirst(skipSetup) {
  const { chromiumPath, chromiumInstalled, DEFAULT_CHROMIUM_PATH } = chromiumModule();
  if (chromiumInstalled()) return;
  const named = chromiumPath() !== DEFAULT_CHROMIUM_PATH;
  if (!named && !skipSetup) return; // npm start's set-up installs it (as root on Debian)
  throw new E2EError(
    `no Chromium executable at ${chromiumPath()}${named ? ' (named by DIFFABM_CHROMIUM or CHROMIUM_PATH)' : ''}. ` +
      'Install Debian\'s chromium package (apt-get install chromium; `npm test` does it when run as root), ' +
      'or set DIFFABM_CHROMIUM to the path of a Chromium executable.',
  );
}

function report(r) {
  if (!r.ok) for (const p of r.problems) console.error(`  - ${r.name}: ${p}`);
  console.log(`e2e ${r.ok ? 'PASS' : 'FAIL'} ${r.name} in ${r.seconds.toFixed(1)} s: ${r.line}`);
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  checkChromiumFirst(opts.skipSetup);
  const saved = new Map(opts.files.map((f) => [path.basename(f), savedOutputs(f)]));
  const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'diffabm-e2e-')));
  const dir = makeWorkspace(tmp, opts.folder);
  const server = new StartedServer({ dir, tmp, skipSetup: opts.skipSetup });
  const watchdogS = START_TIMEOUT_S + (opts.files.length + 1) * (opts.timeout + 120);
  const watchdog = setTimeout(async () => {
    console.error(`e2e FAIL: watchdog fired after ${watchdogS} s`);
    await server.stop().catch(() => {});
    process.exit(1);
  }, watchdogS * 1000);
  watchdog.unref();

  const results = [];
  let browser = null;
  let verdict;
  try {
    say(`serving a copy of ${path.relative(ROOT, opts.folder) || opts.folder} from ${dir}`);
    await server.start(START_TIMEOUT_S * 1000);
    say(`npm start printed ${server.base}/...; opening it in headless Chromium`);

    const { chromium } = require('playwright-core');
    const { chromiumPath, CHROMIUM_ARGS, launchFailure } = chromiumModule();
    try {
      browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: [...CHROMIUM_ARGS], timeout: 60000 });
    } catch (err) {
      throw new E2EError(
        `Chromium at ${chromiumPath()} did not start: ${launchFailure(err.message)}. ` +
          `Check that \`${chromiumPath()} --headless --no-sandbox --version\` runs, reinstall it (apt-get install --reinstall chromium), ` +
          'or set DIFFABM_CHROMIUM to a working Chromium executable.',
      );
    }
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const inFolder = notebooksIn(dir).map((f) => path.basename(f));
    const listing = await openListing(context, server, inFolder.length);
    const listed = new Set(listing.map((l) => l.name));
    const unlisted = inFolder.filter((n) => !listed.has(n));
    if (unlisted.length) throw new E2EError(`the folder listing does not show ${unlisted.join(', ')}`);
    say(`the listing shows ${listing.length} notebook(s): ${[...listed].join(', ')}`);

    for (const file of opts.files) {
      const name = path.basename(file);
      const s = saved.get(name);
      const started = Date.now();
      say(`${name}: opening it from the listing (${s.figures} saved figure(s), ${s.images} other image(s))`);
      let r;
      try {
        r = await runNotebook(context, server, listing.find((l) => l.name === name).href, name, s, opts, started + opts.timeout * 1000);
      } catch (err) {
        if (!(err instanceof E2EError)) throw err;
        r = { problems: [err.message], cells: 0, figures: 0, freshChecked: 0, shot: null };
      }
      await server.shutdownKernels(name).catch(() => {});
      const line = opts.run
        ? `${r.cells} cells ran, ${r.figures}/${s.figures} figures drawn, saved and new figures interactive` +
          (r.shot ? `; screenshot ${path.relative(ROOT, r.shot)}` : '')
        : `${r.figures}/${s.figures} saved figures drawn and interactive`;
      results.push({ name, ok: r.problems.length === 0, seconds: (Date.now() - started) / 1000, problems: r.problems, line: r.problems.length ? r.problems[0].split('\n')[0] : line });
      report(results[results.length - 1]);
    }
    await context.close().catch(() => {});

    if (opts.html) {
      say('exporting the notebooks with `npm run html`\'s script and opening the pages with the network cut off');
      for (const r of await checkExport(browser, dir, tmp, opts.files, opts.skipSetup)) {
        results.push(r);
        report(r);
      }
    }

    const failed = results.filter((r) => !r.ok);
    const width = Math.max(...results.map((r) => r.name.length));
    console.log('e2e time per check:');
    for (const r of results) console.log(`  ${r.name.padEnd(width)}  ${r.seconds.toFixed(1).padStart(7)} s  ${r.ok ? 'ok' : 'FAIL'}`);
    const summary = `${results.length - failed.length} of ${results.length} checks passed (${elapsed()} s)`;
    verdict = failed.length === 0 ? `e2e PASS: ${summary}` : `e2e FAIL: ${failed.map((r) => r.name).join(', ')}; ${summary}`;
    if (failed.length) process.exitCode = 1;
  } catch (err) {
    if (!(err instanceof E2EError)) console.error(err && err.stack ? err.stack : err);
    else console.error(err.message);
    verdict = `e2e FAIL: ${err instanceof E2EError ? err.message.split('\n')[0] : 'unexpected error'} (${elapsed()} s)`;
    process.exitCode = 1;
  } finally {
    if (browser) await browser.close().catch(() => {});
    await server.stop().catch(() => {});
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
    console.log(`e2e FAIL: ${String(err && err.message).split('\n')[0]}`);
  }
});
