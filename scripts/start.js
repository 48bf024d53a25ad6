// `npm start`: opens the course notebooks in Jupyter, ready to run.
//
//   node scripts/start.js [--port N] [--dir DIR] [--classic] [--browser | --no-browser]
//                         [--skip-setup] [-- JUPYTER_ARGS...]
//
// Steps:
//   1. install what is missing, as `npm run notebooks` does (scripts/nbenv.js):
//      npm packages and the library build, Chromium, and Jupyter (by apt as
//      root on Debian; elsewhere it prints the conda route and stops);
//   2. register the `diffabm-ts` kernel (scripts/kernel.js);
//   3. start Jupyter on 127.0.0.1 with DIR (default notebooks/) open:
//      JupyterLab when the module `jupyterlab` imports (the conda environment of
//      environment.yml), otherwise the classic Jupyter Notebook (Debian's
//      jupyter-notebook, version 6); --classic asks for the latter. Notebook 6
//      reads the project's configuration in jupyter/config (on
//      JUPYTER_CONFIG_PATH): its extension diffabm-plotly draws every figure
//      with plotly.js from node_modules, zoomable and with hover values, the
//      saved outputs of a notebook just opened included; JupyterLab has its
//      own Plotly renderer (the `plotly` package of environment.yml);
//   4. once the server answers, print one line
//        [start] Jupyter <app> <version> is ready: http://127.0.0.1:<port>/<path>?token=<token>
//      and keep running until Ctrl-C (or SIGTERM), which stops Jupyter and its kernels.
//
// It never executes or rewrites a notebook (`npm run notebooks` does that).
// Options:
//   --port N       the port (default 8888, or a free one if 8888 is taken; 0: any free port);
//                  a port in use stops it at once with a message saying so
//   --dir DIR      the folder to open (default notebooks/)
//   --classic      the classic Notebook 6 UI even where JupyterLab is installed
//   --browser      open a web browser (default only when a display is available)
//   --no-browser   do not open one
//   --skip-setup   install and build nothing (the kernelspec is still checked)
// Arguments after `--` go to Jupyter unchanged. The access token is random for
// each start, unless JUPYTER_TOKEN is set.
'use strict';
const { spawn } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const net = require('net');
const path = require('path');
const { ROOT, SetupError, prepare, pythonEnv, reportSetupErrors } = require('./nbenv');
const { parseCommandLine } = require('./common');

// The project's Jupyter configuration for Notebook 6 (the diffabm-plotly
// extension and where plotly.js is served from); see jupyter/config.
const NOTEBOOK6_CONFIG = path.join(ROOT, 'jupyter', 'config');

const USAGE =
  'usage: node scripts/start.js [--port N] [--dir DIR] [--classic] [--browser | --no-browser] ' +
  '[--skip-setup] [-- JUPYTER_ARGS...]';
const DEFAULT_PORT = 8888;
const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 120000;

const say = (msg) => console.log(`[start] ${msg}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const OPTIONS = {
  port: { type: 'string' },
  dir: { type: 'string' },
  classic: { type: 'boolean', default: false },
  browser: { type: 'boolean' },
  'no-browser': { type: 'boolean' },
  'skip-setup': { type: 'boolean', default: false },
};

function parseArgs(argv) {
  const { values, positionals } = parseCommandLine(argv, OPTIONS, USAGE);
  // Arguments after `--` arrive as positionals; before it, none is allowed.
  const dash = argv.indexOf('--');
  const extra = dash >= 0 ? argv.slice(dash + 1) : [];
  if (positionals.length !== extra.length) throw new SetupError(`unexpected argument ${positionals[0]}\n${USAGE}`);
  const opts = {
    port: null,
    dir: path.join(ROOT, 'notebooks'),
    classic: values.classic,
    browser: values['no-browser'] ? false : values.browser ?? null,
    skipSetup: values['skip-setup'],
    extra,
  };
  if (values.port !== undefined) {
    const n = Number(values.port);
    if (values.port === '' || !Number.isInteger(n) || n < 0 || n > 65535) {
      throw new SetupError(`--port must be a whole number in [0, 65535], but got ${values.port}\n${USAGE}`);
    }
    opts.port = n;
  }
  if (values.dir !== undefined) {
    const dir = values.dir;
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new SetupError(`--dir must be a folder, but got ${dir}`);
    opts.dir = path.resolve(dir);
  }
  // A browser opens only where one can be shown (a headless machine would
  // start a text browser in the terminal, or a Chromium that cannot draw).
  if (opts.browser === null) {
    opts.browser = process.platform === 'darwin' || process.platform === 'win32' ||
      !!(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
  }
  return opts;
}

// Resolves to true when nothing listens on HOST:port.
function portFree(port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen(port, HOST, () => srv.close(() => resolve(true)));
  });
}

// A port the system says is free now.
function anyFreePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, HOST, () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function portInUse(port) {
  return new SetupError(
    `port ${port} on ${HOST} is already in use (another Jupyter, or another program, listens there); ` +
      'stop that program, or pick another port with `npm start -- --port N` (--port 0: any free port)',
  );
}

async function choosePort(requested) {
  if (requested === 0) return anyFreePort();
  if (requested !== null) {
    if (!(await portFree(requested))) throw portInUse(requested);
    return requested;
  }
  return (await portFree(DEFAULT_PORT)) ? DEFAULT_PORT : anyFreePort();
}

// The command line for the chosen server. Notebook 6 is configured through
// NotebookApp; JupyterLab (and Notebook 7) run on jupyter_server's ServerApp.
function serverCommand({ app, version }, { port, dir, browser, extra }) {
  const legacy = app === 'notebook' && /^[456]\./.test(version);
  const cls = legacy ? 'NotebookApp' : 'ServerApp';
  const args = [
    '-m', app === 'lab' ? 'jupyterlab' : 'notebook',
    `--${cls}.ip=${HOST}`,
    `--${cls}.port=${port}`,
    `--${cls}.port_retries=0`,
    `--${cls}.open_browser=${browser ? 'True' : 'False'}`,
    legacy ? `--NotebookApp.notebook_dir=${dir}` : `--ServerApp.root_dir=${dir}`,
  ];
  // Jupyter refuses to run as root unless told that this is intended.
  if (typeof process.getuid === 'function' && process.getuid() === 0) args.push(`--${cls}.allow_root=True`);
  args.push(...extra);
  const urlPath = app === 'lab' ? 'lab' : 'tree';
  // Notebook 6 reads the project's configuration first (its figure renderer);
  // JupyterLab keeps its own Plotly renderer and configuration.
  const env = {};
  if (legacy) {
    env.JUPYTER_CONFIG_PATH = [NOTEBOOK6_CONFIG, process.env.JUPYTER_CONFIG_PATH].filter(Boolean).join(path.delimiter);
  }
  return { args, env, urlPath, label: app === 'lab' ? `JupyterLab ${version}` : `Notebook ${version}` };
}

async function waitReady(base, token, gone, timeoutMs) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (gone()) return false;
    try {
      const res = await fetch(`${base}/api/status`, {
        headers: { Authorization: `token ${token}` },
        signal: AbortSignal.timeout(5000),
      });
      if (res.ok) return true;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  return false;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  // The port first: a port in use is found in a moment, before any set-up.
  let port = await choosePort(opts.port);
  const found = prepare({ use: opts.classic ? 'classic' : 'any', skipInstall: opts.skipSetup });
  if (!(await portFree(port))) {
    if (opts.port !== null && opts.port !== 0) throw portInUse(port); // taken during set-up
    port = await choosePort(opts.port);
  }
  const token = process.env.JUPYTER_TOKEN || crypto.randomBytes(24).toString('hex');
  const { args, env, urlPath, label } = serverCommand(found, { ...opts, port });
  const rel = path.relative(process.cwd(), opts.dir);
  const relDir = rel.startsWith('..') ? opts.dir : rel || '.';
  say(`starting Jupyter ${label} (${found.python}) in ${relDir} on port ${port}`);

  // The token travels in the environment, not on the command line (where `ps` shows it).
  const child = spawn(found.python, args, {
    cwd: opts.dir,
    stdio: ['inherit', 'inherit', 'inherit'],
    env: pythonEnv({ ...env, JUPYTER_TOKEN: token }),
  });
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
    child.on('error', (err) => {
      console.error(`[start] could not start ${found.python}: ${err.message}`);
      resolve({ code: 1, signal: null });
    });
  });
  let gone = false;
  exited.then(() => {
    gone = true;
  });

  // Ctrl-C in a terminal reaches Jupyter too (same process group); it then asks
  // for confirmation or stops. SIGTERM (e.g. from a test) is passed on.
  process.on('SIGINT', () => {});
  for (const sig of ['SIGTERM', 'SIGHUP']) {
    process.on(sig, () => {
      if (child.exitCode === null) child.kill(sig === 'SIGHUP' ? 'SIGTERM' : sig);
    });
  }

  const base = `http://${HOST}:${port}`;
  if (await waitReady(base, token, () => gone, READY_TIMEOUT_MS)) {
    say(`Jupyter ${label} is ready: ${base}/${urlPath}?token=${token}`);
    say('open that address in a browser; pick the kernel "TypeScript (diffabm, tslab)"; Ctrl-C stops the server');
  } else if (!gone) {
    console.error(`[start] Jupyter did not answer on ${base} within ${READY_TIMEOUT_MS / 1000} s; stopping it`);
    child.kill('SIGTERM');
  }
  const { code, signal } = await exited;
  if (code !== 0 && signal !== 'SIGTERM') {
    console.error(`[start] Jupyter exited with ${code === null ? `signal ${signal}` : `code ${code}`}`);
    // Another program may have taken the port between the check and the start.
    if (!(await portFree(port))) throw portInUse(port);
    return 1;
  }
  say('Jupyter stopped');
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => reportSetupErrors('start', err),
);
