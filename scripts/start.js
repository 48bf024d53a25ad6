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
//      jupyter-notebook, version 6); --classic asks for the latter;
//   4. once the server answers, print one line
//        [start] Jupyter <app> <version> is ready: http://127.0.0.1:<port>/<path>?token=<token>
//      and keep running until Ctrl-C (or SIGTERM), which stops Jupyter and its kernels.
//
// It never executes or rewrites a notebook (`npm run notebooks` does that).
// Options:
//   --port N       the port (default 8888, or a free one if 8888 is taken; 0: any free port)
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

const USAGE =
  'usage: node scripts/start.js [--port N] [--dir DIR] [--classic] [--browser | --no-browser] ' +
  '[--skip-setup] [-- JUPYTER_ARGS...]';
const DEFAULT_PORT = 8888;
const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 120000;

const say = (msg) => console.log(`[start] ${msg}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function parseArgs(argv) {
  const opts = {
    port: null,
    dir: path.join(ROOT, 'notebooks'),
    classic: false,
    browser: null,
    skipSetup: false,
    extra: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      opts.extra = argv.slice(i + 1);
      break;
    } else if (arg === '--port') {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < 0 || n > 65535) throw new SetupError(`--port needs a whole number in [0, 65535]\n${USAGE}`);
      opts.port = n;
    } else if (arg === '--dir') {
      const dir = argv[++i];
      if (!dir || !fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new SetupError(`--dir needs a folder, but got ${dir}`);
      opts.dir = path.resolve(dir);
    } else if (arg === '--classic') opts.classic = true;
    else if (arg === '--browser') opts.browser = true;
    else if (arg === '--no-browser') opts.browser = false;
    else if (arg === '--skip-setup') opts.skipSetup = true;
    else if (arg === '-h' || arg === '--help') {
      console.log(USAGE);
      process.exit(0);
    } else throw new SetupError(`unexpected argument ${arg}\n${USAGE}`);
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

async function choosePort(requested) {
  if (requested === 0) return anyFreePort();
  if (requested !== null) {
    if (!(await portFree(requested))) throw new SetupError(`port ${requested} is already in use; choose another with --port`);
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
  return { args, urlPath, label: app === 'lab' ? `JupyterLab ${version}` : `Notebook ${version}` };
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
  const found = prepare({ use: opts.classic ? 'classic' : 'any', skipInstall: opts.skipSetup });
  const port = await choosePort(opts.port);
  const token = process.env.JUPYTER_TOKEN || crypto.randomBytes(24).toString('hex');
  const { args, urlPath, label } = serverCommand(found, { ...opts, port });
  const rel = path.relative(process.cwd(), opts.dir);
  const relDir = rel.startsWith('..') ? opts.dir : rel || '.';
  say(`starting Jupyter ${label} (${found.python}) in ${relDir} on port ${port}`);

  // The token travels in the environment, not on the command line (where `ps` shows it).
  const child = spawn(found.python, args, {
    cwd: opts.dir,
    stdio: ['inherit', 'inherit', 'inherit'],
    env: pythonEnv({ JUPYTER_TOKEN: token }),
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
