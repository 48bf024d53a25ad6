/**
 * Tests of the traces the figures are drawn with: Plotly attributes from the
 * style, with matplotlib's defaults.
 */
import { EXACT_COLOR, MEAN_COLOR, lineTrace, markerTrace } from '../../lib/plot/traces';

describe('lineTrace', () => {
  test('lineTrace draws a solid line 2 px wide with no legend entry by default', () => {
    expect(lineTrace([0, 1], [2, 3], {}, '#123456')).toEqual({
      type: 'scatter',
      mode: 'lines',
      x: [0, 1],
      y: [2, 3],
      line: { color: '#123456', width: 2, dash: 'solid' },
      opacity: 1,
      name: '',
      showlegend: false,
    });
  });

  test('lineTrace applies width, dash, alpha, label and markers', () => {
    const t = lineTrace([0], [1], { width: 3, dash: ':', alpha: 0.5, label: 'a', markers: true }, 'red') as Record<string, any>;
    expect(t).toMatchObject({ mode: 'lines+markers', opacity: 0.5, name: 'a', showlegend: true, line: { width: 3, dash: 'dot' } });
    expect(t.marker).toEqual({ color: 'red', size: 6 });
  });
});

describe('markerTrace', () => {
  test("markerTrace draws filled circles 6 px wide by default, matplotlib's scatter default", () => {
    const t = markerTrace([0], [1], {}, '#1f77b4') as Record<string, any>;
    expect(t).toMatchObject({ type: 'scatter', mode: 'markers', showlegend: false, opacity: 1 });
    expect(t.marker).toEqual({ color: '#1f77b4', size: 6, symbol: 'circle', line: { width: 0 } });
  });

  test('thin symbols get an outline in the marker colour, and open markers a separate fill', () => {
    expect((markerTrace([0], [1], { symbol: '+' }, 'k') as Record<string, any>).marker.line).toEqual({ color: 'k', width: 1.5 });
    const open = markerTrace([0], [1], {}, 'blue', { fill: 'rgba(0,0,0,0)', line: 'blue' }) as Record<string, any>;
    expect(open.marker).toMatchObject({ color: 'rgba(0,0,0,0)', line: { color: 'blue', width: 1.5 } });
  });

  test("box plot markers use matplotlib's colours: a green mean (C2), a red exact value (C3)", () => {
    expect([MEAN_COLOR, EXACT_COLOR]).toEqual(['#2ca02c', '#d62728']);
  });
});
