/**
 * Tests of `showGraph`. The notebook is simulated by passing a bridge
 * (`options.kernel`), as in test/notebook/image.test.ts; the SVG is read for
 * Graphviz's own markers (one `class="node"` group per node), and the PNG's
 * size is read from its bytes (test/plot/util.ts), not with the code under test.
 */
import { showGraph } from '../../lib/notebook/graph';
import type { DisplayContent, KernelBridge } from '../../lib/notebook/kernel';
import type { Graph } from '../../lib/graph';
import { closeBrowser } from '../../lib/plot/render';
import { MISSING_CHROMIUM, pngSize, smallGraph, withEnv } from '../plot/util';

afterAll(closeBrowser);

// A lone node more than the drawing tests' graph, so that its node and edge counts differ.
const small: Graph = { ...smallGraph, nodes: [...smallGraph.nodes, { id: 'c', label: '2', kind: 'constant' }] };

function bridge(sent: DisplayContent[]): KernelBridge {
  return { writeDisplayData: (c) => sent.push(c), display: null };
}

const nodeGroups = (svg: string): number => (svg.match(/<g id="[^"]*" class="node"/g) ?? []).length;

describe('showGraph', () => {
  it('shows one output with the SVG, a PNG at twice its display size and a description', async () => {
    const sent: DisplayContent[] = [];
    await showGraph(small, { kernel: bridge(sent) });
    expect(sent).toHaveLength(1);
    const { data, metadata } = sent[0];
    expect(Object.keys(data)).toEqual(['image/svg+xml', 'image/png', 'text/plain']);
    expect(nodeGroups(data['image/svg+xml'] as string)).toBe(4);
    expect(data['text/plain']).toBe('Graph: 4 nodes, 3 edges');
    const shown = (metadata as Record<string, { width: number; height: number }>)['image/png'];
    expect(pngSize(Buffer.from(data['image/png'] as string, 'base64'))).toEqual({ width: 2 * shown.width, height: 2 * shown.height });
  });

  it('shows the SVG alone with png: false, and takes the description given as alt', async () => {
    const sent: DisplayContent[] = [];
    await showGraph(small, { kernel: bridge(sent), png: false, alt: 'x squared' });
    expect(Object.keys(sent[0].data)).toEqual(['image/svg+xml', 'text/plain']);
    expect(sent[0].data['text/plain']).toBe('x squared');
  });

  it('draws DOT text, described as such', async () => {
    const sent: DisplayContent[] = [];
    await showGraph('digraph { a -> b; b -> c; a -> c }', { kernel: bridge(sent), png: false });
    expect(nodeGroups(sent[0].data['image/svg+xml'] as string)).toBe(3);
    expect(sent[0].data['text/plain']).toBe('Graph (DOT)');
  });

  it('shows the SVG alone, with one line saying why, when Chromium is missing', async () => {
    const sent: DisplayContent[] = [];
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      await withEnv({ DIFFABM_CHROMIUM: MISSING_CHROMIUM }, () => showGraph(small, { kernel: bridge(sent), alt: 'tiny' }));
      expect(log).toHaveBeenCalledTimes(1);
      expect(log).toHaveBeenCalledWith(expect.stringMatching(/^diffabm\.plot: the graph's PNG could not be rendered .*Chromium.*; showing the SVG only\.$/s));
    } finally {
      log.mockRestore();
    }
    expect(Object.keys(sent[0].data)).toEqual(['image/svg+xml', 'text/plain']);
    expect(sent[0].data['text/plain']).toBe('tiny');
  });

  it('prints the description outside a notebook', async () => {
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      await showGraph(small, { kernel: null, png: false });
      expect(log).toHaveBeenCalledWith('Graph: 4 nodes, 3 edges');
    } finally {
      log.mockRestore();
    }
  });

  it('names bad options and DOT that Graphviz cannot draw', async () => {
    await expect(showGraph(small, null as unknown as object)).rejects.toThrow(/^showGraph: options must be an object, but got null$/);
    await expect(showGraph(small, { png: 'yes' as unknown as boolean })).rejects.toThrow(/^showGraph: png must be a boolean, but got "yes"$/);
    await expect(showGraph('digraph { a -> }', { kernel: null, png: false })).rejects.toThrow(/^renderSvg: graph must be DOT that Graphviz can draw, but got: /);
  });
});
