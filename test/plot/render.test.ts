/**
 * Tests of PNG rendering in headless Chromium. They use the system Chromium
 * (/usr/bin/chromium, or $DIFFABM_CHROMIUM / $CHROMIUM_PATH). One browser is
 * started for the file and closed in afterAll; the idle-close test runs last
 * because it closes that browser.
 */
import { figure, hist, plot, subplots } from '../../lib/plot/figure';
import {
  ChromiumNotFoundError,
  DEFAULT_CHROMIUM_PATH,
  browserOpen,
  chromiumPath,
  closeBrowser,
  renderPng,
} from '../../lib/plot/render';
import { MISSING_CHROMIUM, pngSize, withEnv } from './util';

afterAll(closeBrowser);

const walks = [
  [0, 1, 2, 1, 2],
  [0, -1, 0, -1, -2],
  [0, 1, 0, 1, 0],
];
const walkFigure = figure({ title: 'Walks', xlabel: 't', ylabel: 'x_t' })
  .lines(walks)
  .mean(walks)
  .reference([0, 1, 2, 3, 4], (t) => 0.5 * t, { label: 'drift' })
  .legend();

describe('chromiumPath', () => {
  test('chromiumPath prefers DIFFABM_CHROMIUM, then CHROMIUM_PATH, then /usr/bin/chromium', async () => {
    await withEnv({ DIFFABM_CHROMIUM: '/a/chromium', CHROMIUM_PATH: '/b/chromium' }, () =>
      expect(chromiumPath()).toBe('/a/chromium'),
    );
    await withEnv({ DIFFABM_CHROMIUM: undefined, CHROMIUM_PATH: '/b/chromium' }, () =>
      expect(chromiumPath()).toBe('/b/chromium'),
    );
    await withEnv({ DIFFABM_CHROMIUM: undefined, CHROMIUM_PATH: undefined }, () =>
      expect(chromiumPath()).toBe(DEFAULT_CHROMIUM_PATH),
    );
    expect(DEFAULT_CHROMIUM_PATH).toBe('/usr/bin/chromium');
  });
});

describe('renderPng without a browser', () => {
  test('a missing executable gives ChromiumNotFoundError naming the path, without launching anything', async () => {
    const error = await renderPng(plot([1, 2]), { executablePath: MISSING_CHROMIUM }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChromiumNotFoundError);
    expect((error as ChromiumNotFoundError).executablePath).toBe(MISSING_CHROMIUM);
    expect((error as Error).message).toMatch(/^renderPng: Chromium must be installed at \/nonexistent\/diffabm-test\/chromium, but got no such file/);
    expect(browserOpen()).toBe(false);
  });

  test('an executable that is not a browser gives an error naming the path', async () => {
    await expect(renderPng(plot([1, 2]), { executablePath: '/bin/false', idleCloseMs: 0 })).rejects.toThrow(
      /^renderPng: Chromium at \/bin\/false must start, but got: /,
    );
    expect(browserOpen()).toBe(false);
  });

  test('bad arguments are refused before any browser starts', async () => {
    await expect(renderPng(42 as never)).rejects.toThrow(/^renderPng: fig must be a Figure or \{ data, layout \}, but got 42$/);
    await expect(renderPng(plot([1]), { scale: 0 })).rejects.toThrow(/^renderPng: scale must be in \(0, 8\], but got 0$/);
  });
});

describe('renderPng', () => {
  test('a 640×400 figure renders to a 1280×800 PNG (device scale 2)', async () => {
    const png = await renderPng(walkFigure);
    expect(pngSize(png)).toEqual({ width: 1280, height: 800 });
    expect(browserOpen()).toBe(true);
  });

  test('the size follows the figure and the scale option', async () => {
    expect(pngSize(await renderPng(plot([1, 2]).size(300, 200)))).toEqual({ width: 600, height: 400 });
    expect(pngSize(await renderPng(plot([1, 2]).size(300, 200), { scale: 1 }))).toEqual({ width: 300, height: 200 });
  });

  test('a plain Plotly spec without a size renders at Plotly default 700×450, doubled', async () => {
    const png = await renderPng({ data: [{ type: 'scatter', y: [1, 3, 2] }], layout: {} });
    expect(pngSize(png)).toEqual({ width: 1400, height: 900 });
  });

  test('the same figure gives the same bytes, and different figures different bytes', async () => {
    const [a, b, c] = await Promise.all([renderPng(walkFigure), renderPng(walkFigure), renderPng(walkFigure.title('Other'))]);
    expect(a.equals(b)).toBe(true);
    expect(a.equals(c)).toBe(false);
  });

  test('histograms and subplot grids render at their size', async () => {
    const grid = subplots(1, 2, [plot([1, 2, 3]).title('a'), hist([1, 2, 2, 3]).title('b')]);
    expect(pngSize(await renderPng(grid))).toEqual({ width: 2 * grid.width, height: 2 * grid.height });
  });

  test('a warm render is fast', async () => {
    await renderPng(plot([0]));
    const start = Date.now();
    await renderPng(plot([1, 2, 3]));
    // Measured at about 0.15–0.3 s on the development machine; the bound is loose.
    expect(Date.now() - start).toBeLessThan(5000);
  });

  test('an idle browser closes itself after idleCloseMs, and closeBrowser is safe to repeat', async () => {
    await renderPng(plot([1]), { idleCloseMs: 50 });
    expect(browserOpen()).toBe(true);
    const deadline = Date.now() + 5000;
    while (browserOpen() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(browserOpen()).toBe(false);
    await closeBrowser();
    await closeBrowser();
    expect(browserOpen()).toBe(false);
  });

});
