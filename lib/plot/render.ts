/**
 * Renders figures to PNG with plotly.js in a headless Chromium.
 *
 * The browser is the system's Chromium, found and launched as `chromium.ts`
 * says, driven by `playwright-core`. It starts once per process, on the first
 * render (a cold start loads and compiles plotly.js, a few seconds), and then
 * renders each figure in a fraction of a second on the same page. The page loads plotly.js from the installed
 * `plotly.js-dist-min` package and every network request is refused.
 *
 * Outside a tslab kernel, the browser closes itself after a few idle seconds so
 * that a plain Node script can exit; inside a kernel it stays open until the
 * kernel exits. Call {@link closeBrowser} to close it at once (tests do, in
 * `afterAll`).
 */
import * as fs from 'fs';
import type { Browser, Page } from 'playwright-core';
import { check } from '../check';
import { inTslabKernel } from '../runtime';
import { CHROMIUM_ARGS, chromiumPath, launchFailure } from './chromium';
import { Figure, type FigureSpec } from './figure';
import { FONT_FAMILY } from './layout';

/** The scale of rendered PNGs: a 640×400 figure gives a 1280×800 image. */
export const DEFAULT_SCALE = 2;

/** How long an idle browser stays open outside a tslab kernel, in milliseconds. */
export const DEFAULT_IDLE_CLOSE_MS = 5000;

/** Options for {@link renderPng}. */
export interface RenderOptions {
  /** The Chromium executable (default: `chromiumPath()` of `chromium.ts`: `$DIFFABM_CHROMIUM`, `$CHROMIUM_PATH`, `/usr/bin/chromium`). */
  executablePath?: string;
  /** The device scale factor, a number in (0, 8] (default 2). */
  scale?: number;
  /**
   * Closes the browser after this many idle milliseconds (default 5000 outside a
   * tslab kernel, never inside one). `Infinity` keeps it open.
   */
  idleCloseMs?: number;
}

/** Thrown by {@link renderPng} when no Chromium executable exists at the path it was given. */
export class ChromiumNotFoundError extends Error {
  /**
   * @param executablePath The path that was tried.
   */
  constructor(readonly executablePath: string) {
    super(
      `renderPng: Chromium must be installed at ${executablePath}, but got no such file ` +
        '(set DIFFABM_CHROMIUM or CHROMIUM_PATH to its path)',
    );
    this.name = 'ChromiumNotFoundError';
  }
}

/** A browser with one page that has plotly.js loaded, and a queue of renders. */
interface Renderer {
  browser: Browser;
  page: Page;
  queue: Promise<unknown>;
  busy: number;
  idleTimer?: NodeJS.Timeout;
}

/** Renderers by executable path, created on first use; `renderer` is set once started. */
const renderers = new Map<string, { ready: Promise<Renderer>; renderer?: Renderer }>();

let plotlySource: string | undefined;

function readPlotly(): string {
  plotlySource ??= fs.readFileSync(require.resolve('plotly.js-dist-min'), 'utf8');
  return plotlySource;
}

async function launch(executablePath: string): Promise<Renderer> {
  // Loaded on first use, so that building figures never loads playwright.
  const { chromium } = require('playwright-core') as typeof import('playwright-core');
  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath, args: [...CHROMIUM_ARGS], headless: true, timeout: 60_000 });
  } catch (e) {
    throw new Error(
      `renderPng: Chromium at ${executablePath} must start, but ${launchFailure(String((e as Error).message ?? e))} ` +
        `(check that \`${executablePath} --headless --no-sandbox --version\` runs, or set DIFFABM_CHROMIUM to a working Chromium)`,
    );
  }
  try {
    const context = await browser.newContext({ viewport: { width: 800, height: 600 }, reducedMotion: 'reduce' });
    await context.route('**/*', (route) => route.abort());
    const page = await context.newPage();
    await page.setContent(
      `<!doctype html><html><head><meta charset="utf-8"><style>body{margin:0;font-family:${FONT_FAMILY}}</style></head><body></body></html>`,
    );
    await page.addScriptTag({ content: readPlotly() });
    return { browser, page, queue: Promise.resolve(), busy: 0 };
  } catch (e) {
    await browser.close().catch(() => undefined);
    throw e;
  }
}

function getRenderer(executablePath: string): Promise<Renderer> {
  const existing = renderers.get(executablePath);
  if (existing) return existing.ready;
  const entry: { ready: Promise<Renderer>; renderer?: Renderer } = {
    ready: launch(executablePath).then((renderer) => {
      entry.renderer = renderer;
      // A browser that crashed or was killed is forgotten too.
      renderer.browser.on('disconnected', () => {
        if (renderers.get(executablePath) === entry) renderers.delete(executablePath);
      });
      return renderer;
    }),
  };
  renderers.set(executablePath, entry);
  // A failed launch is forgotten, so that the next render tries again.
  entry.ready.catch(() => {
    if (renderers.get(executablePath) === entry) renderers.delete(executablePath);
  });
  return entry.ready;
}

/** Reads a Figure (from any copy of this module) or a `{ data, layout }` spec, checking its shape. @internal */
export function toSpec(fig: unknown, fn: string): FigureSpec {
  if (fig instanceof Figure) return fig.toJSON();
  // A Figure from another copy of this module (e.g. dist/ next to lib/) is not an instance.
  const like = fig as { toJSON?: () => unknown } | null;
  const spec = (typeof like?.toJSON === 'function' ? like.toJSON() : fig) as Partial<FigureSpec> | null;
  check(
    typeof spec === 'object' && spec !== null && Array.isArray(spec.data),
    fn,
    'fig',
    'a Figure or { data, layout }',
    fig,
  );
  return { data: spec.data as FigureSpec['data'], layout: spec.layout ?? {} };
}

/**
 * Renders a figure to a PNG image with plotly.js in headless Chromium.
 *
 * The image is `scale × layout.width` by `scale × layout.height` pixels (Plotly's
 * default 700×450 when the layout has no size): a 640×400 figure at the default
 * scale 2 gives 1280×800. The fonts are pinned (DejaVu Sans first) and nothing
 * is animated, so the same figure gives the same bytes on the same machine.
 * Renders are queued; the browser is started on the first call.
 *
 * @param fig A {@link Figure} or a Plotly spec `{ data, layout }`.
 * @param options executablePath (default `chromiumPath()`), scale (default 2), idleCloseMs.
 * @returns The PNG file's bytes.
 * @throws {@link ChromiumNotFoundError} if the executable does not exist; an Error naming
 *   the path if Chromium does not start, or quoting plotly.js if it cannot draw the figure.
 * @example
 * fs.writeFileSync('walk.png', await renderPng(plot([0, 1, 0, 1, 2])));
 */
export async function renderPng(fig: Figure | FigureSpec, options: RenderOptions = {}): Promise<Buffer> {
  const fn = 'renderPng';
  const spec = toSpec(fig, fn);
  check(typeof options === 'object' && options !== null, fn, 'options', 'an object', options);
  const { executablePath = chromiumPath(), scale = DEFAULT_SCALE } = options;
  const idleCloseMs = options.idleCloseMs ?? (inTslabKernel() ? Infinity : DEFAULT_IDLE_CLOSE_MS);
  check(typeof executablePath === 'string' && executablePath !== '', fn, 'executablePath', 'a non-empty string', executablePath);
  check(typeof scale === 'number' && scale > 0 && scale <= 8, fn, 'scale', 'in (0, 8]', scale);
  check(typeof idleCloseMs === 'number' && idleCloseMs >= 0, fn, 'idleCloseMs', 'a number >= 0', idleCloseMs);
  if (!fs.existsSync(executablePath)) throw new ChromiumNotFoundError(executablePath);

  const layout = { ...spec.layout } as Record<string, unknown>;
  const width = typeof layout.width === 'number' ? layout.width : 700;
  const height = typeof layout.height === 'number' ? layout.height : 450;
  layout.width = width;
  layout.height = height;
  layout.font = { family: FONT_FAMILY, ...(layout.font as object | undefined) };
  const job = { data: spec.data, layout, width, height, scale };

  const renderer = await getRenderer(executablePath);
  renderer.busy++;
  clearTimeout(renderer.idleTimer);
  const run = renderer.queue.then(() =>
    renderer.page.evaluate(async ({ data, layout, width, height, scale }) => {
      const Plotly = (window as unknown as { Plotly: { toImage(fig: unknown, opts: unknown): Promise<string> } }).Plotly;
      return Plotly.toImage(
        { data, layout, config: { staticPlot: true } },
        { format: 'png', width, height, scale },
      );
    }, job),
  );
  renderer.queue = run.catch(() => undefined);
  try {
    const url = await run;
    return Buffer.from(url.slice(url.indexOf(',') + 1), 'base64');
  } catch (e) {
    const message = String((e as Error).message ?? e).split('\n')[0];
    throw new Error(`renderPng: plotly.js must draw the figure, but got: ${message}`);
  } finally {
    renderer.busy--;
    if (renderer.busy === 0 && Number.isFinite(idleCloseMs)) {
      renderer.idleTimer = setTimeout(() => void closeRenderer(executablePath, renderer), idleCloseMs);
      renderer.idleTimer.unref();
    }
  }
}

async function closeRenderer(executablePath: string, renderer: Renderer): Promise<void> {
  if (renderer.busy > 0) return;
  if (renderers.get(executablePath)?.renderer === renderer) renderers.delete(executablePath);
  clearTimeout(renderer.idleTimer);
  await renderer.browser.close().catch(() => undefined);
}

/**
 * Closes every browser the renderer started. The next render starts a new one.
 * Safe to call when none is open, and more than once.
 *
 * @returns A promise that resolves once the browsers have exited.
 * @example
 * afterAll(closeBrowser);
 */
export async function closeBrowser(): Promise<void> {
  const pending = [...renderers.values()];
  renderers.clear();
  await Promise.all(
    pending.map(async (entry) => {
      const renderer = await entry.ready.catch(() => undefined);
      if (!renderer) return;
      clearTimeout(renderer.idleTimer);
      await renderer.browser.close().catch(() => undefined);
    }),
  );
}

/**
 * Tells whether a browser is open (or starting) for rendering.
 *
 * @returns True between the first render and {@link closeBrowser} or the idle timeout.
 * @example
 * await renderPng(plot([1, 2])); browserOpen(); // true
 */
export function browserOpen(): boolean {
  return renderers.size > 0;
}
