/**
 * Tests of the Chromium location and launch switches. The precedence tests pass
 * an environment object, so nothing global changes; the launch test starts the
 * system Chromium (/usr/bin/chromium, or $DIFFABM_CHROMIUM / $CHROMIUM_PATH)
 * with the module's switches, as the renderer and the browser tests do.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Browser } from 'playwright-core';
import {
  CHROMIUM_ARGS,
  CHROMIUM_ENV_VARS,
  DEFAULT_CHROMIUM_PATH,
  chromiumInstalled,
  chromiumPath,
  launchFailure,
} from '../../lib/plot/chromium';
import { MISSING_CHROMIUM, withEnv } from './util';

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'diffabm-chromium-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('chromiumPath', () => {
  test('chromiumPath prefers DIFFABM_CHROMIUM, then CHROMIUM_PATH, then /usr/bin/chromium', () => {
    expect(chromiumPath({ DIFFABM_CHROMIUM: '/a/chromium', CHROMIUM_PATH: '/b/chromium' })).toBe('/a/chromium');
    expect(chromiumPath({ CHROMIUM_PATH: '/b/chromium' })).toBe('/b/chromium');
    expect(chromiumPath({})).toBe('/usr/bin/chromium');
    expect(DEFAULT_CHROMIUM_PATH).toBe('/usr/bin/chromium');
    expect(CHROMIUM_ENV_VARS).toEqual(['DIFFABM_CHROMIUM', 'CHROMIUM_PATH']);
  });

  test('chromiumPath treats an empty variable as unset', () => {
    expect(chromiumPath({ DIFFABM_CHROMIUM: '', CHROMIUM_PATH: '/b/chromium' })).toBe('/b/chromium');
    expect(chromiumPath({ DIFFABM_CHROMIUM: '', CHROMIUM_PATH: '' })).toBe(DEFAULT_CHROMIUM_PATH);
  });

  test('chromiumPath reads process.env when no environment is given', async () => {
    await withEnv({ DIFFABM_CHROMIUM: undefined, CHROMIUM_PATH: '/c/chromium' }, () =>
      expect(chromiumPath()).toBe('/c/chromium'),
    );
    await withEnv({ DIFFABM_CHROMIUM: '/d/chromium', CHROMIUM_PATH: '/c/chromium' }, () =>
      expect(chromiumPath()).toBe('/d/chromium'),
    );
  });
});

describe('chromiumInstalled', () => {
  test('chromiumInstalled is false for a missing file and for a directory', () => {
    expect(chromiumInstalled({ DIFFABM_CHROMIUM: MISSING_CHROMIUM })).toBe(false);
    expect(chromiumInstalled({ DIFFABM_CHROMIUM: tmp })).toBe(false);
  });

  test('chromiumInstalled is true for an executable file and false for one without execute permission', () => {
    const exe = path.join(tmp, 'chromium-exe');
    const plain = path.join(tmp, 'chromium-plain');
    fs.writeFileSync(exe, '#!/bin/sh\n', { mode: 0o755 });
    fs.writeFileSync(plain, '', { mode: 0o644 });
    expect(chromiumInstalled({ CHROMIUM_PATH: exe })).toBe(true);
    expect(chromiumInstalled({ CHROMIUM_PATH: plain })).toBe(false);
  });
});

describe('chromium module', () => {
  test('the module imports nothing but fs, so that scripts can load it without TensorFlow.js', () => {
    const source = fs.readFileSync(path.join(__dirname, '..', '..', 'lib', 'plot', 'chromium.ts'), 'utf8');
    const imports = [...source.matchAll(/(?:from\s+|require\()\s*['"]([^'"]+)['"]/g)].map((m) => m[1]);
    expect(imports).toEqual(['fs']);
  });
});

describe('CHROMIUM_ARGS', () => {
  test('CHROMIUM_ARGS is frozen and runs headless without a sandbox or GPU', () => {
    expect(Object.isFrozen(CHROMIUM_ARGS)).toBe(true);
    expect(CHROMIUM_ARGS).toEqual(expect.arrayContaining(['--headless', '--no-sandbox', '--disable-gpu']));
    expect(new Set(CHROMIUM_ARGS).size).toBe(CHROMIUM_ARGS.length);
    for (const arg of CHROMIUM_ARGS) expect(arg).toMatch(/^--[a-z-]+$/);
  });

  test('the system Chromium starts with CHROMIUM_ARGS and evaluates a script', async () => {
    expect(chromiumInstalled()).toBe(true);
    const { chromium } = require('playwright-core') as typeof import('playwright-core');
    let browser: Browser | undefined;
    try {
      browser = await chromium.launch({ executablePath: chromiumPath(), args: [...CHROMIUM_ARGS], headless: true });
      const page = await browser.newPage();
      await page.setContent('<!doctype html><p id="x">diffabm</p>');
      expect(await page.evaluate(() => document.getElementById('x')?.textContent)).toBe('diffabm');
      expect(await page.evaluate(() => 6 * 7)).toBe(42);
    } finally {
      await browser?.close();
    }
  });
});

describe('launchFailure', () => {
  test('launchFailure gives the exit code, or the signal, and the first line the browser printed on stderr', () => {
    const log = (end: string, err = '') =>
      'browserType.launch: Target page, context or browser has been closed\nBrowser logs:\n\n<launching> /x --headless\n' +
      `${err}<launched> pid=7\nCall log:\n\u001b[2m  - [pid=7] <${end}>\u001b[22m\n`;
    expect(launchFailure(log('process did exit: exitCode=1, signal=null'))).toBe('the process exited at once (exit code 1)');
    expect(launchFailure(log('process did exit: exitCode=null, signal=SIGSEGV'))).toBe('the process was killed by SIGSEGV');
    expect(launchFailure(log('process did exit: exitCode=127, signal=null', '[pid=7][err] /x: error while loading shared libraries: libnss3.so\n'))).toBe(
      'the process exited at once (exit code 127); it printed: /x: error while loading shared libraries: libnss3.so',
    );
  });

  test('launchFailure falls back to the first line of an unknown message', () => {
    expect(launchFailure('browserType.launch: Timeout 60000ms exceeded.\nCall log: ...')).toBe('Timeout 60000ms exceeded.');
  });

  test('a launch that fails for real is summarised in one line', async () => {
    const { chromium } = require('playwright-core') as typeof import('playwright-core');
    const error = await chromium.launch({ executablePath: '/bin/false', args: [...CHROMIUM_ARGS] }).catch((e: Error) => e);
    expect(launchFailure((error as Error).message)).toBe('the process exited at once (exit code 1)');
  });
});
