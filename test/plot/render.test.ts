/**
 * Tests of PNG rendering in headless Chromium. They use the system Chromium
 * (/usr/bin/chromium, or $DIFFABM_CHROMIUM / $CHROMIUM_PATH). One browser is
 * started for the file and closed in afterAll; the idle-close test runs last
 * because it closes that browser. The layout tests read back what plotly.js drew
 * (axis domains and the boxes of text on the page), in a browser of their own.
 */
import * as fs from 'fs';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from '../../lib/plot/chromium';
import { boxStats } from '../../lib/plot/bins';
import { Figure, figure, hist, plot, subplots } from '../../lib/plot/figure';
import { ChromiumNotFoundError, browserOpen, closeBrowser, renderPng } from '../../lib/plot/render';
import { expectClose } from '../util';
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
      /^renderPng: Chromium at \/bin\/false must start, but the process exited at once \(exit code 1\) \(check that `\/bin\/false --headless --no-sandbox --version` runs, or set DIFFABM_CHROMIUM to a working Chromium\)$/,
    );
    expect(browserOpen()).toBe(false);
  });

  test('the default executable is the one chromium.ts names, here through DIFFABM_CHROMIUM', async () => {
    const error = await withEnv({ DIFFABM_CHROMIUM: MISSING_CHROMIUM }, () => renderPng(plot([1])).catch((e: unknown) => e));
    expect(error).toBeInstanceOf(ChromiumNotFoundError);
    expect((error as ChromiumNotFoundError).executablePath).toBe(MISSING_CHROMIUM);
  });

  test('bad arguments are refused before any browser starts', async () => {
    await expect(renderPng(42 as never)).rejects.toThrow(/^renderPng: fig must be a Figure or \{ data, layout \}, but got 42$/);
    await expect(renderPng(plot([1]), { scale: 0 })).rejects.toThrow(/^renderPng: scale must be in \(0, 8\], but got 0$/);
  });
});

/** A rectangle on the page, in CSS pixels: [left, top, right, bottom], with what it shows. */
type Box = { what: string; panel: number; rect: [number, number, number, number] };

/**
 * Draws figures with plotly.js in a page of its own and reads back what Plotly
 * laid out: the axis domains, and the boxes of every title, tick label, plot area,
 * colour bar and legend. A browser of its own, so the renderer's is not involved.
 */
describe('what plotly.js draws from a figure', () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    const { chromium } = require('playwright-core') as typeof import('playwright-core');
    browser = await chromium.launch({ executablePath: chromiumPath(), args: [...CHROMIUM_ARGS], headless: true });
    page = await browser.newPage();
    await page.setContent('<!doctype html><html><body style="margin:0"><div id="g"></div></body></html>');
    await page.addScriptTag({ content: fs.readFileSync(require.resolve('plotly.js-dist-min'), 'utf8') });
  });

  afterAll(async () => {
    await browser?.close();
  });

  async function draw(fig: Figure): Promise<{ domains: { x: number[]; y: number[] }[]; boxes: Box[] }> {
    return page.evaluate(async ({ data, layout, n }) => {
      const gd = document.getElementById('g') as HTMLElement & { _fullLayout: Record<string, any> };
      await (window as any).Plotly.newPlot(gd, data, layout, { staticPlot: true });
      const fl = gd._fullLayout;
      const rect = (e: Element): [number, number, number, number] => {
        const r = e.getBoundingClientRect();
        return [r.left, r.top, r.right, r.bottom];
      };
      const union = (els: Element[]): [number, number, number, number] | null => {
        const rs = els.map(rect).filter(([l, t, r, b]) => r > l && b > t);
        if (rs.length === 0) return null;
        return [Math.min(...rs.map((r) => r[0])), Math.min(...rs.map((r) => r[1])), Math.max(...rs.map((r) => r[2])), Math.max(...rs.map((r) => r[3]))];
      };
      const boxes: { what: string; panel: number; rect: [number, number, number, number] }[] = [];
      const add = (what: string, panel: number, r: [number, number, number, number] | null) => {
        if (r) boxes.push({ what, panel, rect: r });
      };
      const domains = [];
      for (let i = 0; i < n; i++) {
        const k = i === 0 ? '' : String(i + 1);
        const xa = fl[`xaxis${k}`];
        const ya = fl[`yaxis${k}`];
        domains.push({ x: xa.domain, y: ya.domain });
        add('plot area', i, [xa._offset, ya._offset, xa._offset + xa._length, ya._offset + ya._length]);
        const sub = gd.querySelector(`.subplot.x${k}y${k}`)!;
        add('x tick labels', i, union(Array.from(sub.querySelectorAll(`.x${k}tick text`))));
        add('y tick labels', i, union(Array.from(sub.querySelectorAll(`.y${k}tick text`))));
        add('x title', i, union(Array.from(gd.querySelectorAll(`.g-x${k}title text`))));
        add('y title', i, union(Array.from(gd.querySelectorAll(`.g-y${k}title text`))));
      }
      gd.querySelectorAll('.annotation').forEach((e, i) => add(`panel title ${i}`, -1, rect(e)));
      gd.querySelectorAll('.colorbar').forEach((e, i) => add(`colour bar ${i}`, -1, rect(e)));
      add('figure title', -1, union(Array.from(gd.querySelectorAll('.g-gtitle text'))));
      add('legend', -1, union(Array.from(gd.querySelectorAll('.legend .bg'))));
      return { domains, boxes };
    }, { ...fig.toJSON(), n: fig.panelCount });
  }

  /** The pairs of boxes that overlap by more than a pixel each way. */
  function overlaps(boxes: Box[]): string[] {
    const out: string[] = [];
    boxes.forEach((a, i) =>
      boxes.slice(i + 1).forEach((b) => {
        const w = Math.min(a.rect[2], b.rect[2]) - Math.max(a.rect[0], b.rect[0]);
        const h = Math.min(a.rect[3], b.rect[3]) - Math.max(a.rect[1], b.rect[1]);
        if (w > 1 && h > 1) out.push(`${a.what} (panel ${a.panel}) overlaps ${b.what} (panel ${b.panel})`);
      }),
    );
    return out;
  }

  const panel = (i: number) =>
    plot([-1200, 3400, 2500], { label: `series ${i}` }).title(`Panel ${i}`).xlabel(`x label ${i}`).ylabel(`y label ${i}`);
  const grid = Array.from({ length: 51 }, (_, i) => i / 50);
  const density = figure({ title: 'Density', xlabel: 'a', ylabel: 'b' }).contour(
    grid,
    grid,
    grid.map((b) => grid.map((a) => Math.exp(-10 * ((a - 0.5) ** 2 + (b - 0.3) ** 2)))),
    { filled: true },
  );

  test('plotly.js places the grid cells where the figure computes them (the colour bars rely on it)', async () => {
    const fig = subplots(2, 3, [panel(1), panel(2), panel(3), panel(4), panel(5)], { width: 1100, height: 640 });
    const { grid: spec } = fig.toJSON().layout as { grid: { xgap: number; ygap: number } };
    const { domains } = await draw(fig);
    const stepX = 1 / (3 - spec.xgap);
    const stepY = 1 / (2 - spec.ygap);
    domains.forEach((d, i) => {
      const [row, col] = [Math.floor(i / 3), i % 3];
      expectClose(d.x, [col * stepX, col * stepX + stepX * (1 - spec.xgap)], 1e-9, 1e-9);
      expectClose(d.y, [1 - row * stepY - stepY * (1 - spec.ygap), 1 - row * stepY], 1e-9, 1e-9);
    });
  });

  test('plotly.js draws boxes from the given statistics, with whiskers at the fences, not at the extremes', async () => {
    const groups = [[1, 2, 2.5, 3, 3.5, 4, 30, -20], [5, 6, 7, 8]];
    const calc = await page.evaluate(async ({ data, layout }) => {
      const gd = document.getElementById('g') as HTMLElement & { calcdata: any[][] };
      await (window as any).Plotly.newPlot(gd, data, layout, { staticPlot: true });
      return gd.calcdata[0].map((c) => [c.q1, c.med, c.q3, c.lf, c.uf]);
    }, figure().boxplot(groups).toJSON() as any);
    const expected = groups.map((g) => boxStats(g)).map((b) => [b.q1, b.median, b.q3, b.lowerFence, b.upperFence]);
    expect(calc).toEqual(expected);
    // The first group's extremes, -20 and 30, lie beyond its whiskers.
    expect(calc[0][3]).toBeGreaterThan(-20);
    expect(calc[0][4]).toBeLessThan(30);
  });

  test('plotly.js fills a band split by NaN as two separate shapes', async () => {
    const fills = await page.evaluate(async ({ data, layout }) => {
      const gd = document.getElementById('g') as HTMLElement;
      await (window as any).Plotly.newPlot(gd, data, layout, { staticPlot: true });
      return Array.from(gd.querySelectorAll('.js-fill')).map((e) => (e.getAttribute('d') ?? '').split('Z').filter((d) => d.trim() !== '').length);
    }, figure().fillBetween([0, 1, 2, 3, 4], 0, [1, 1, NaN, 1, 1]).toJSON() as any);
    expect(fills.reduce((a, b) => a + b, 0)).toBe(2);
  });

  test.each([
    ['a 2×2 grid with a title and a legend', () => subplots(2, 2, [1, 2, 3, 4].map(panel), { title: 'Four panels', legend: true })],
    ['a 3×1 column at the default size', () => subplots(3, 1, [1, 2, 3].map(panel))],
    ['a 1×3 row with a colour bar in the first panel', () => subplots(1, 3, [density, panel(2), panel(3)])],
    ['a 2×3 grid with colour bars and a missing cell', () => subplots(2, 3, [density, density, panel(3), panel(4), density])],
    ['one panel with a colour bar and a legend', () => density.scatter([0.5], [0.3], { label: 'mode', symbol: '*' }).legend()],
  ])('nothing overlaps in %s: titles, axis titles, tick labels, plot areas, colour bars, legend', async (_, make) => {
    const fig = make();
    const { boxes } = await draw(fig);
    // Every panel draws its plot area, tick labels and axis titles, and every grid panel has its title.
    for (const what of ['plot area', 'x tick labels', 'y tick labels', 'x title', 'y title']) {
      expect(boxes.filter((b) => b.what === what)).toHaveLength(fig.panelCount);
    }
    if (fig.panelCount > 1) expect(boxes.filter((b) => b.what.startsWith('panel title'))).toHaveLength(fig.panelCount);
    expect(overlaps(boxes)).toEqual([]);
    for (const b of boxes) {
      expect(b.rect[0]).toBeGreaterThanOrEqual(0);
      expect(b.rect[1]).toBeGreaterThanOrEqual(0);
      expect(b.rect[2]).toBeLessThanOrEqual(fig.width);
      expect(b.rect[3]).toBeLessThanOrEqual(fig.height);
    }
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
