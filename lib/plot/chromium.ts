/**
 * Where the headless Chromium lives and how it is started: the one place that
 * decides it, for the figure renderer, the setup scripts and the browser tests.
 *
 * Precedence of the executable path, first match wins:
 *   1. `DIFFABM_CHROMIUM`, this project's own variable;
 *   2. `CHROMIUM_PATH`, the variable other tools already use;
 *   3. {@link DEFAULT_CHROMIUM_PATH}, where Debian's `chromium` package puts it.
 * An empty variable counts as unset.
 *
 * The module needs nothing but Node's `fs`, so that the scripts in `scripts/`
 * can load it from `dist/plot/chromium.js` without loading TensorFlow.js.
 */
import * as fs from 'fs';

/** Where Chromium is looked for when no environment variable names it (Debian's `chromium` package). */
export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

/** The environment variables that name the Chromium executable, in order of precedence. */
export const CHROMIUM_ENV_VARS: readonly string[] = Object.freeze(['DIFFABM_CHROMIUM', 'CHROMIUM_PATH']);

/**
 * The command-line switches Chromium is launched with. Playwright adds its own
 * (among them a fresh temporary `--user-data-dir`, removed on close).
 */
export const CHROMIUM_ARGS: readonly string[] = Object.freeze([
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]);

/**
 * Returns the Chromium executable to launch: `$DIFFABM_CHROMIUM`, else
 * `$CHROMIUM_PATH`, else `/usr/bin/chromium`.
 *
 * @param env The environment to read (default `process.env`).
 * @returns A path; whether a file exists there is not checked (see {@link chromiumInstalled}).
 * @example
 * chromiumPath(); // '/usr/bin/chromium' when neither variable is set
 * chromiumPath({ CHROMIUM_PATH: '/opt/chrome/chrome' }); // '/opt/chrome/chrome'
 */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  for (const name of CHROMIUM_ENV_VARS) {
    const value = env[name];
    if (value) return value;
  }
  return DEFAULT_CHROMIUM_PATH;
}

/**
 * Tells whether an executable file exists at the path {@link chromiumPath} returns.
 *
 * @param env The environment to read (default `process.env`).
 * @returns True if the file exists and may be executed by this process.
 * @example
 * if (!chromiumInstalled()) console.log(`no Chromium at ${chromiumPath()}`);
 */
export function chromiumInstalled(env: NodeJS.ProcessEnv = process.env): boolean {
  try {
    fs.accessSync(chromiumPath(env), fs.constants.X_OK);
    return fs.statSync(chromiumPath(env)).isFile();
  } catch {
    return false;
  }
}

/**
 * Summarises why Chromium did not start, from the error playwright-core's
 * `launch` throws (a long message with the command line and a call log): the
 * browser's first line on stderr and how its process ended, when the log says.
 *
 * @param message The launch error's message.
 * @returns One line, e.g. `the process exited at once (exit code 1)`.
 * @example
 * launchFailure('browserType.launch: ...\n  - [pid=7] <process did exit: exitCode=1, signal=null>');
 * // 'the process exited at once (exit code 1)'
 */
export function launchFailure(message: string): string {
  // eslint-disable-next-line no-control-regex
  const text = String(message).replace(/\x1b\[[0-9;]*m/g, '');
  const stderr = /\[err\] *(\S.*)/.exec(text)?.[1]?.trim();
  const exit = /process did exit: exitCode=(\w+), signal=(\w+)/.exec(text);
  let how = '';
  if (exit) how = exit[2] !== 'null' ? `the process was killed by ${exit[2]}` : `the process exited at once (exit code ${exit[1]})`;
  const first = text.split('\n')[0].replace(/^browserType\.launch: /, '').trim();
  return [how || first, stderr && `it printed: ${stderr}`].filter(Boolean).join('; ');
}
