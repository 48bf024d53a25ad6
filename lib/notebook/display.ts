/**
 * Shows figures, like matplotlib's `plt.show()`, wherever the code runs.
 *
 * - In a tslab notebook kernel: one output holding a MIME bundle, the Plotly
 *   JSON (interactive where the front end has Plotly's renderer), a PNG at
 *   twice the figure's size (everywhere else, e.g. GitHub and nbconvert) and a
 *   one-line text description.
 * - In a plain Node process with a display: nodeplotlib's interactive page.
 * - In a plain Node process without one (no `DISPLAY`, or `CI` set): files, an
 *   `.html` page and a `.png`, in `./figures` by default.
 *
 * When Chromium is missing, the PNG is left out with one line saying so, and
 * everything else is shown as usual.
 *
 * The bundle reaches the notebook through the kernel bridge of
 * `notebook/kernel.ts` ({@link findKernel}), which sends several MIME types in
 * one output.
 */
import * as fs from 'fs';
import * as path from 'path';
import { check } from '../check';
import { findKernel, type DisplayContent, type KernelBridge } from './kernel';
import { chromiumPath } from '../plot/chromium';
import { Figure, type FigureSpec } from '../plot/figure';
import { ChromiumNotFoundError, renderPng, toSpec } from '../plot/render';

/** The MIME type of Plotly figures in Jupyter (`{ data, layout }`). */
export const PLOTLY_MIME = 'application/vnd.plotly.v1+json';

/** Options for {@link show} and {@link mimeBundle}. */
export interface ShowOptions {
  /** The Chromium executable for the PNG (default: `$DIFFABM_CHROMIUM`, `$CHROMIUM_PATH`, `/usr/bin/chromium`). */
  executablePath?: string;
  /** Outside a kernel, without a display: where files go (default `$DIFFABM_FIGURES_DIR` or `./figures`). */
  dir?: string;
  /** Outside a kernel, without a display: the file name without extension (default `figure-1`, `figure-2`, ...). */
  name?: string;
  /**
   * The notebook connection. By default it is detected ({@link findKernel});
   * pass `null` to act as outside a kernel, or a bridge to send outputs elsewhere (tests).
   */
  kernel?: KernelBridge | null;
  /** Outside a kernel: opens nodeplotlib's page (true) or writes files (false). Default: whether a display is available. */
  interactive?: boolean;
}

/** Prints one line of status; a notebook shows it under the cell. */
function note(message: string): void {
  console.log(`diffabm.plot: ${message}`);
}

function toFigureSpec(fig: unknown, fn: string): { spec: FigureSpec; text: string } {
  const spec = toSpec(fig, fn);
  // A Figure (of this or another copy of the module) describes itself.
  const like = fig as { describe?: () => unknown } | null;
  if (typeof like?.describe === 'function') return { spec, text: String(like.describe()) };
  const n = spec.data.length;
  const size = `${spec.layout.width ?? 700}×${spec.layout.height ?? 450}`;
  return { spec: JSON.parse(JSON.stringify(spec)) as FigureSpec, text: `Figure: ${n} trace${n === 1 ? '' : 's'}, ${size}` };
}

/** Renders the PNG, or explains in one line why there is none. */
async function tryRender(spec: FigureSpec, executablePath: string, without: string): Promise<Buffer | null> {
  try {
    return await renderPng(spec, { executablePath });
  } catch (e) {
    if (e instanceof ChromiumNotFoundError) {
      note(`Chromium not found at ${e.executablePath}; ${without} (no PNG).`);
    } else {
      note(`the PNG could not be rendered (${(e as Error).message}); ${without}.`);
    }
    return null;
  }
}

function checkOptions(options: unknown, fn: string): ShowOptions {
  check(typeof options === 'object' && options !== null, fn, 'options', 'an object', options);
  const o = options as ShowOptions;
  if (o.executablePath !== undefined) {
    check(typeof o.executablePath === 'string' && o.executablePath !== '', fn, 'executablePath', 'a non-empty string', o.executablePath);
  }
  if (o.dir !== undefined) check(typeof o.dir === 'string' && o.dir !== '', fn, 'dir', 'a non-empty string', o.dir);
  if (o.name !== undefined) {
    check(typeof o.name === 'string' && /^[\w.-]+$/.test(o.name), fn, 'name', "a file name of letters, digits, '.', '_' and '-'", o.name);
  }
  if (o.interactive !== undefined) check(typeof o.interactive === 'boolean', fn, 'interactive', 'a boolean', o.interactive);
  return o;
}

/**
 * Builds the MIME bundle of a figure: Plotly JSON, a PNG at twice the figure's
 * size (base64), and a one-line `text/plain` description.
 *
 * @param fig A {@link Figure} or a Plotly spec `{ data, layout }`.
 * @param options executablePath (Chromium).
 * @returns `{ data, metadata }` for a Jupyter `display_data` message. Without Chromium,
 *   `data` has no `image/png` and one line says so; `metadata['image/png']` gives the
 *   display size (the figure's), so the 2× PNG is drawn sharp at 1×.
 * @throws If fig is not a figure.
 * @example
 * const { data } = await mimeBundle(plot([1, 2]));
 * Object.keys(data); // ['application/vnd.plotly.v1+json', 'image/png', 'text/plain']
 */
export async function mimeBundle(fig: Figure | FigureSpec, options: ShowOptions = {}): Promise<DisplayContent> {
  const fn = 'mimeBundle';
  const { spec, text } = toFigureSpec(fig, fn);
  const { executablePath = chromiumPath() } = checkOptions(options, fn);
  const png = await tryRender(spec, executablePath, 'showing the interactive figure only');
  return bundleOf(spec, text, png);
}

function bundleOf(spec: FigureSpec, text: string, png: Buffer | null): DisplayContent {
  const data: Record<string, unknown> = { [PLOTLY_MIME]: spec };
  const metadata: Record<string, unknown> = {};
  if (png) {
    data['image/png'] = png.toString('base64');
    metadata['image/png'] = { width: spec.layout.width ?? 700, height: spec.layout.height ?? 450 };
  }
  data['text/plain'] = text;
  return { data, metadata };
}

let fileCounter = 0;

/** Tells whether an interactive page can be opened: a desktop, and not CI. */
function hasDisplay(): boolean {
  const ci = process.env.CI;
  if (ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false') return false;
  if (process.platform === 'darwin' || process.platform === 'win32') return true;
  return Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
}

/** A page that draws the figure with a copy of plotly.js next to it (no network needed). */
function htmlPage(spec: FigureSpec, title: string): string {
  const json = JSON.stringify(spec).replace(/</g, '\\u003c');
  const escaped = title.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html>
<head><meta charset="utf-8"><title>${escaped}</title><script src="plotly.min.js"></script></head>
<body>
<div id="figure"></div>
<script type="application/json" id="figure-json">${json}</script>
<script>
  const fig = JSON.parse(document.getElementById('figure-json').textContent);
  Plotly.newPlot('figure', fig.data, fig.layout);
</script>
</body>
</html>
`;
}

async function writeFiles(spec: FigureSpec, options: ShowOptions): Promise<void> {
  const dir = path.resolve(options.dir ?? (process.env.DIFFABM_FIGURES_DIR || 'figures'));
  const name = options.name ?? `figure-${++fileCounter}`;
  fs.mkdirSync(dir, { recursive: true });
  const plotly = path.join(dir, 'plotly.min.js');
  const source = require.resolve('plotly.js-dist-min');
  if (!fs.existsSync(plotly) || fs.statSync(plotly).size !== fs.statSync(source).size) fs.copyFileSync(source, plotly);
  const html = path.join(dir, `${name}.html`);
  fs.writeFileSync(html, htmlPage(spec, name));
  const shown = (file: string) => path.relative(process.cwd(), file) || file;
  const executablePath = options.executablePath ?? chromiumPath();
  const png = await tryRender(spec, executablePath, `wrote ${shown(html)} only`);
  if (!png) return;
  const pngFile = path.join(dir, `${name}.png`);
  fs.writeFileSync(pngFile, png);
  note(`wrote ${shown(html)} and ${shown(pngFile)}`);
}

/**
 * Shows a figure, like matplotlib's `plt.show()`, in a notebook, a window or files.
 *
 * In a tslab kernel it sends one output with three MIME types (Plotly JSON,
 * a PNG at 2× the figure's size, a text line). If tslab's internal hook is
 * missing it falls back on the public `display.png` (or `display.text`) with a
 * one-line note. Outside a kernel it opens nodeplotlib's interactive page when a
 * display exists, and otherwise writes `<name>.html` and `<name>.png` into
 * `./figures` and prints where. Without Chromium, one line says so and the rest
 * is shown; this never throws for a missing browser.
 *
 * The output goes to the cell that called `show`, even when the promise is not
 * awaited (the hook is read before the first await).
 *
 * @param fig A {@link Figure} or a Plotly spec `{ data, layout }`.
 * @param options executablePath, dir, name, kernel, interactive (see {@link ShowOptions}).
 * @returns A promise that resolves (to nothing, so a cell shows no extra value) once the figure is out.
 * @throws If fig is not a figure or an option is malformed; if the notebook refuses the output.
 * @example
 * await show(plot(randomWalk(0.5, 100)).title('A random walk'));
 */
export async function show(fig: Figure | FigureSpec, options: ShowOptions = {}): Promise<void> {
  const fn = 'show';
  const o = checkOptions(options, fn);
  const kernel = o.kernel === undefined ? findKernel() : o.kernel;
  const writeDisplayData = kernel?.writeDisplayData ?? null;
  const { spec, text } = toFigureSpec(fig, fn);
  const executablePath = o.executablePath ?? chromiumPath();

  if (kernel) {
    if (writeDisplayData) {
      const png = await tryRender(spec, executablePath, 'showing the interactive figure only');
      try {
        writeDisplayData(bundleOf(spec, text, png), false);
      } catch (e) {
        throw new Error(`show: the notebook must accept the figure's output, but got: ${(e as Error).message}`);
      }
      return;
    }
    const png = await tryRender(spec, executablePath, 'showing its description only');
    const display = kernel.display;
    note(`tslab's display hook was not found; showing ${png && display ? 'a static PNG' : 'a description'} (no interactive figure).`);
    try {
      if (display && png) display.png(png);
      else if (display) display.text(text);
      else console.log(text);
    } catch (e) {
      throw new Error(`show: tslab's display must accept the figure, but got: ${(e as Error).message}`);
    }
    return;
  }

  if (o.interactive ?? hasDisplay()) {
    const { plot } = require('nodeplotlib') as typeof import('nodeplotlib');
    plot(spec.data, spec.layout);
    return;
  }
  await writeFiles(spec, o);
}
