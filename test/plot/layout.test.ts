/**
 * Tests of the page layout: axes in the house style and the grid of panels.
 *
 * The grid's geometry is Plotly's: with n cells and gap g, each cell is
 * `step (1 - g)` wide with `step = 1 / (n - g)` (plotly.js 3.7; render.test.ts
 * checks it against the axis domains plotly.js computes). The expected pixel
 * gaps below are worked out from that formula by hand.
 */
import {
  AXIS,
  COLORBAR_ROOM,
  GRID_GAP_X,
  GRID_GAP_Y,
  LEGEND_CHAR_WIDTH,
  LEGEND_SYMBOL_WIDTH,
  axisLayout,
  colorbarBeside,
  gridGap,
  gridLayout,
  panelTitle,
} from '../../lib/plot/layout';

/** The space between two of n cells, in pixels, for Plotly's gap g over an area of `area` pixels. */
const spacing = (g: number, n: number, area: number) => (g / (n - g)) * area;

describe('gridGap', () => {
  test('gridGap gives the Plotly gap that leaves the asked number of pixels between cells', () => {
    for (const [pixels, n, area] of [[84, 2, 792], [84, 3, 1000], [88, 4, 1200], [10, 5, 300]]) {
      expect(spacing(gridGap(pixels, n, area), n, area)).toBeCloseTo(pixels, 9);
    }
  });

  test('one cell needs no gap, and a tiny area is capped at a gap of 0.8', () => {
    expect(gridGap(84, 1, 500)).toBe(0);
    expect(gridGap(84, 3, 20)).toBe(0.8);
  });
});

describe('gridLayout', () => {
  const none = { colorbars: [false, false, false, false], legendNames: [] };

  test('gridLayout asks Plotly for independent axes filled from the top, with the house gaps in pixels', () => {
    const grid = gridLayout(2, 2, none, 800, 500);
    expect(grid).toMatchObject({ rows: 2, columns: 2, pattern: 'independent', roworder: 'top to bottom' });
    expect(spacing(grid.xgap, 2, 800)).toBeCloseTo(GRID_GAP_X, 9);
    expect(spacing(grid.ygap, 2, 500)).toBeCloseTo(GRID_GAP_Y, 9);
  });

  test('a colour bar between two columns adds its room to the gap; one in the last column narrows the area', () => {
    const inside = gridLayout(1, 2, { colorbars: [true, false], legendNames: [] }, 800, 300);
    expect(spacing(inside.xgap, 2, 800)).toBeCloseTo(GRID_GAP_X + COLORBAR_ROOM, 9);
    const last = gridLayout(1, 2, { colorbars: [false, true], legendNames: [] }, 800, 300);
    expect(spacing(last.xgap, 2, 800 - COLORBAR_ROOM)).toBeCloseTo(GRID_GAP_X, 9);
  });

  test('a legend narrows the area by an estimate of its width, from its longest entry', () => {
    const grid = gridLayout(1, 2, { colorbars: [false, false], legendNames: ['a', 'longer name'] }, 800, 300);
    expect(spacing(grid.xgap, 2, 800 - LEGEND_SYMBOL_WIDTH - 11 * LEGEND_CHAR_WIDTH)).toBeCloseTo(GRID_GAP_X, 9);
  });
});

describe('colorbarBeside', () => {
  test('colorbarBeside puts the bar just right of its cell, centred on it and as tall', () => {
    const grid = gridLayout(2, 3, { colorbars: [false, true, false, false, false, false], legendNames: [] }, 900, 500);
    const step = { x: 1 / (3 - grid.xgap), y: 1 / (2 - grid.ygap) };
    const bar = colorbarBeside(grid, 4); // second row, second column
    const cellRight = step.x + step.x * (1 - grid.xgap);
    const cellTop = 1 - step.y;
    const tall = step.y * (1 - grid.ygap);
    expect(bar.x as number).toBeGreaterThan(cellRight);
    expect(bar.x as number).toBeLessThan(2 * step.x);
    expect(bar.y as number).toBeCloseTo(cellTop - tall / 2, 12);
    expect(bar.len as number).toBeCloseTo(tall, 12);
    expect(bar).toMatchObject({ xanchor: 'left', yanchor: 'middle' });
  });
});

describe('axisLayout', () => {
  it('labels ticks with powers of ten, never SI prefixes such as 100µ', () => {
    expect(axisLayout('p', undefined, 'log').exponentformat).toBe('power');
    expect(axisLayout('p', undefined, 'linear').exponentformat).toBe('power');
  });

  test('an axis has the house style: a frame, outside ticks, no grid', () => {
    expect(axisLayout(undefined, undefined, undefined)).toEqual({ ...AXIS });
    expect(AXIS).toMatchObject({ showline: true, mirror: true, ticks: 'outside', showgrid: false });
  });

  test('a title keeps a standoff from the tick labels; an empty title is left out', () => {
    expect(axisLayout('t', undefined, undefined).title).toMatchObject({ text: 't', standoff: expect.any(Number) });
    expect(axisLayout('', undefined, undefined).title).toBeUndefined();
  });

  test('on a log axis the range is given in log10 units', () => {
    expect(axisLayout(undefined, [0.01, 1000], 'log')).toMatchObject({ type: 'log', range: [-2, 3] });
    expect(axisLayout(undefined, [0.01, 1000], 'linear').range).toEqual([0.01, 1000]);
  });

  test('ticks become an array of positions and labels', () => {
    expect(axisLayout(undefined, undefined, undefined, { vals: [1, 2], text: ['a', 'b'] })).toMatchObject({
      tickmode: 'array',
      tickvals: [1, 2],
      ticktext: ['a', 'b'],
    });
  });
});

describe('panelTitle', () => {
  test("a panel title is centred on top of the panel's own axes", () => {
    expect(panelTitle('Loss', '3')).toMatchObject({ text: 'Loss', xref: 'x3 domain', yref: 'y3 domain', x: 0.5, y: 1, yanchor: 'bottom' });
    expect(panelTitle('First', '')).toMatchObject({ xref: 'x domain', yref: 'y domain' });
  });
});
