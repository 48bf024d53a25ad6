/**
 * Tests of `show` and `mimeBundle`: the notebook bundle, the fallback on tslab's
 * public API, the behaviour without Chromium, and the paths outside a kernel.
 *
 * The kernel is simulated two ways: by passing a bridge (`options.kernel`), and
 * by planting what tslab leaves in a kernel process, `globalThis.__tslab__` and
 * a module `.../tslab/dist/jupyter.js` in Node's module cache whose
 * `lastWriteDisplayData` receives the outputs. nodeplotlib is mocked: its real
 * `plot` starts a web server.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { findKernel, type DisplayContent, type KernelBridge } from '../../lib/notebook/kernel';
import { PLOTLY_MIME, mimeBundle, show } from '../../lib/notebook/display';
import { figure, plot } from '../../lib/plot/figure';
import { closeBrowser } from '../../lib/plot/render';
import { MISSING_CHROMIUM, plantKernel, pngSize, removeKernel, withEnv } from '../plot/util';

jest.mock('nodeplotlib', () => ({ plot: jest.fn() }));
// eslint-disable-next-line @typescript-eslint/no-var-requires
const nodeplotlib = require('nodeplotlib') as { plot: jest.Mock };

const walkFigure = figure({ title: 'Walks', xlabel: 't' })
  .lines([
    [0, 1, 2],
    [0, -1, 0],
  ])
  .mean([
    [0, 1, 2],
    [0, -1, 0],
  ])
  .legend();

let log: jest.SpyInstance;
let tmp: string;

beforeEach(() => {
  log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'diffabm-plot-'));
  nodeplotlib.plot.mockClear();
});

afterEach(() => {
  log.mockRestore();
  removeKernel();
  fs.rmSync(tmp, { recursive: true, force: true });
});

afterAll(closeBrowser);

function loggedLines(): string[] {
  return log.mock.calls.map((args) => args.join(' '));
}

describe('show in a tslab kernel', () => {
  test('show sends one output with Plotly JSON, a 2× PNG and a text line', async () => {
    const hook = jest.fn();
    await show(walkFigure, { kernel: { writeDisplayData: hook, display: null } });
    expect(hook).toHaveBeenCalledTimes(1);
    const [content, update] = hook.mock.calls[0] as [DisplayContent, boolean];
    expect(update).toBe(false);
    expect(Object.keys(content.data).sort()).toEqual([PLOTLY_MIME, 'image/png', 'text/plain'].sort());
    expect(content.data[PLOTLY_MIME]).toEqual(walkFigure.toJSON());
    expect(content.data['text/plain']).toBe('Figure "Walks": 3 traces, 640×400');
    const png = Buffer.from(content.data['image/png'] as string, 'base64');
    expect(pngSize(png)).toEqual({ width: 2 * 640, height: 2 * 400 });
    expect(content.metadata['image/png']).toEqual({ width: 640, height: 400 });
    expect(loggedLines()).toEqual([]);
  });

  test('show finds tslab internal hook in the module cache when the process is a kernel', async () => {
    const hook = jest.fn();
    plantKernel(hook);
    const kernel = findKernel();
    expect(kernel?.writeDisplayData).toBe(hook);
    await show(plot([1, 2, 3]).size(320, 200));
    expect(hook).toHaveBeenCalledTimes(1);
    const content = hook.mock.calls[0][0] as DisplayContent;
    expect(pngSize(Buffer.from(content.data['image/png'] as string, 'base64'))).toEqual({ width: 640, height: 400 });
    expect(nodeplotlib.plot).not.toHaveBeenCalled();
  });

  test('the output goes to the cell that called show, even if another cell starts before it is ready', async () => {
    const first = jest.fn();
    const second = jest.fn();
    const { jupyter } = plantKernel(first);
    const pending = show(plot([1, 2]));
    jupyter.lastWriteDisplayData = second; // tslab does this when the next cell starts
    await pending;
    expect(first).toHaveBeenCalledTimes(1);
    expect(second).not.toHaveBeenCalled();
  });

  test('without the internal hook, show falls back on the public display.png with one note', async () => {
    const display = { png: jest.fn(), text: jest.fn() };
    await show(plot([1, 2]), { kernel: { writeDisplayData: null, display } });
    expect(display.png).toHaveBeenCalledTimes(1);
    expect(pngSize(display.png.mock.calls[0][0])).toEqual({ width: 1280, height: 800 });
    expect(display.text).not.toHaveBeenCalled();
    expect(loggedLines()).toEqual([
      "diffabm.plot: tslab's display hook was not found; showing a static PNG (no interactive figure).",
    ]);
  });

  test('a kernel process without the hook (tslab changed) uses the public display of the kernel tslab', async () => {
    const display = { png: jest.fn(), text: jest.fn() };
    (globalThis as Record<string, unknown>).__tslab__ = { require: (id: string) => (id === 'tslab' ? { display } : null) };
    const kernel = findKernel();
    expect(kernel).toEqual({ writeDisplayData: null, display });
    await show(plot([1, 2]));
    expect(display.png).toHaveBeenCalledTimes(1);
  });

  test('without the hook and without Chromium, show gives the public display the text line', async () => {
    const display = { png: jest.fn(), text: jest.fn() };
    await show(plot([1, 2]), { kernel: { writeDisplayData: null, display }, executablePath: MISSING_CHROMIUM });
    expect(display.png).not.toHaveBeenCalled();
    expect(display.text).toHaveBeenCalledWith('Figure: 1 trace, 640×400');
  });

  test('without Chromium, show prints one line and still sends the Plotly JSON and text', async () => {
    const hook = jest.fn();
    await expect(
      show(walkFigure, { kernel: { writeDisplayData: hook, display: null }, executablePath: MISSING_CHROMIUM }),
    ).resolves.toBeUndefined();
    expect(loggedLines()).toEqual([
      `diffabm.plot: Chromium not found at ${MISSING_CHROMIUM}; showing the interactive figure only (no PNG).`,
    ]);
    const content = hook.mock.calls[0][0] as DisplayContent;
    expect(Object.keys(content.data).sort()).toEqual([PLOTLY_MIME, 'text/plain'].sort());
    expect(content.data[PLOTLY_MIME]).toEqual(walkFigure.toJSON());
    expect(content.metadata).toEqual({});
  });

  test('the Chromium path comes from DIFFABM_CHROMIUM when no option is given', async () => {
    const hook = jest.fn();
    await withEnv({ DIFFABM_CHROMIUM: MISSING_CHROMIUM }, () => show(plot([1]), { kernel: { writeDisplayData: hook, display: null } }));
    expect(loggedLines()).toHaveLength(1);
    expect(loggedLines()[0]).toContain(`Chromium not found at ${MISSING_CHROMIUM}`);
    expect(hook.mock.calls[0][0].data['image/png']).toBeUndefined();
  });

  test('a notebook that refuses the output gives a readable error', async () => {
    const kernel: KernelBridge = {
      writeDisplayData: () => {
        throw new Error('socket closed');
      },
      display: null,
    };
    await expect(show(plot([1]), { kernel, executablePath: MISSING_CHROMIUM })).rejects.toThrow(
      /^show: the notebook must accept the figure's output, but got: socket closed$/,
    );
  });
});

describe('figures from another copy of the module', () => {
  test('show accepts an object with toJSON and describe, like a Figure loaded from dist/', async () => {
    const hook = jest.fn();
    const other = { toJSON: () => plot([1, 2]).toJSON(), describe: () => 'Figure: 1 trace, 640×400' };
    await show(other as never, { kernel: { writeDisplayData: hook, display: null }, executablePath: MISSING_CHROMIUM });
    expect(hook.mock.calls[0][0].data[PLOTLY_MIME]).toEqual(plot([1, 2]).toJSON());
    expect(hook.mock.calls[0][0].data['text/plain']).toBe('Figure: 1 trace, 640×400');
  });
});

describe('mimeBundle', () => {
  test('mimeBundle accepts a plain Plotly spec and describes it', async () => {
    const spec = { data: [{ type: 'scatter' as const, y: [1, 2] }], layout: { width: 300, height: 200 } };
    const bundle = await mimeBundle(spec);
    expect(bundle.data[PLOTLY_MIME]).toEqual(spec);
    expect(bundle.data['text/plain']).toBe('Figure: 1 trace, 300×200');
    expect(pngSize(Buffer.from(bundle.data['image/png'] as string, 'base64'))).toEqual({ width: 600, height: 400 });
  });
});

describe('show outside a kernel', () => {
  test('without a display, show writes an html page and a 2× PNG and prints where', async () => {
    await withEnv({ CI: 'true' }, () => show(walkFigure, { dir: tmp, name: 'walks' }));
    const html = fs.readFileSync(path.join(tmp, 'walks.html'), 'utf8');
    expect(html).toContain('<script src="plotly.min.js"></script>');
    const json = /<script type="application\/json" id="figure-json">(.*)<\/script>/.exec(html)?.[1];
    expect(JSON.parse(json!)).toEqual(walkFigure.toJSON());
    expect(fs.statSync(path.join(tmp, 'plotly.min.js')).size).toBe(fs.statSync(require.resolve('plotly.js-dist-min')).size);
    expect(pngSize(fs.readFileSync(path.join(tmp, 'walks.png')))).toEqual({ width: 1280, height: 800 });
    expect(loggedLines()).toHaveLength(1);
    expect(loggedLines()[0]).toMatch(/^diffabm\.plot: wrote .*walks\.html and .*walks\.png$/);
    expect(nodeplotlib.plot).not.toHaveBeenCalled();
  });

  test('without a display or Chromium, show writes the html page only and says so in one line', async () => {
    await show(plot([1, 2]), { dir: tmp, name: 'line', interactive: false, executablePath: MISSING_CHROMIUM });
    expect(fs.existsSync(path.join(tmp, 'line.html'))).toBe(true);
    expect(fs.existsSync(path.join(tmp, 'line.png'))).toBe(false);
    expect(loggedLines()).toHaveLength(1);
    expect(loggedLines()[0]).toMatch(/^diffabm\.plot: Chromium not found at .*; wrote .*line\.html only \(no PNG\)\.$/);
  });

  test('file names count up and the directory defaults to DIFFABM_FIGURES_DIR', async () => {
    await withEnv({ DIFFABM_FIGURES_DIR: tmp, CI: '1' }, async () => {
      await show(plot([1]), { executablePath: MISSING_CHROMIUM });
      await show(plot([2]), { executablePath: MISSING_CHROMIUM });
    });
    const pages = fs.readdirSync(tmp).filter((f) => f.endsWith('.html'));
    expect(pages).toHaveLength(2);
    expect(pages.every((f) => /^figure-\d+\.html$/.test(f))).toBe(true);
  });

  test('with a display, show opens nodeplotlib interactive page', async () => {
    await withEnv({ CI: undefined, DISPLAY: ':0' }, () => show(walkFigure, { dir: tmp }));
    const { data, layout } = walkFigure.toJSON();
    expect(nodeplotlib.plot).toHaveBeenCalledWith(data, layout);
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  test('CI=true wins over DISPLAY', async () => {
    await withEnv({ CI: 'true', DISPLAY: ':0' }, () => show(plot([1]), { dir: tmp, name: 'ci', executablePath: MISSING_CHROMIUM }));
    expect(nodeplotlib.plot).not.toHaveBeenCalled();
    expect(fs.existsSync(path.join(tmp, 'ci.html'))).toBe(true);
  });
});

describe('show arguments', () => {
  test('show refuses a non-figure and a bad file name with readable messages', async () => {
    await expect(show(42 as never)).rejects.toThrow(/^show: fig must be a Figure or \{ data, layout \}, but got 42$/);
    await expect(show(plot([1]), { name: '../x' })).rejects.toThrow(
      /^show: name must be a file name of letters, digits, '\.', '_' and '-', but got "\.\.\/x"$/,
    );
  });
});
