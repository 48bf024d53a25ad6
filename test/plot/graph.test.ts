/**
 * Tests of graph drawing. The DOT text is compared with text written by hand
 * from Graphviz's language reference; the SVG is read for Graphviz's own
 * markers (one `class="node"` group per node, one `class="edge"` per edge);
 * the PNG's size is read from its bytes (test/plot/util.ts).
 */
import { closeBrowser } from '../../lib/plot/render';
import { renderSvg, svgSize, svgToPng, toDot } from '../../lib/plot/graph';
import { pngSize, smallGraph as small } from './util';

afterAll(closeBrowser);


const count = (svg: string, cls: string): number => (svg.match(new RegExp(`<g id="[^"]*" class="${cls}"`, 'g')) ?? []).length;

describe('toDot', () => {
  it('writes nodes by number with their kind style, then the edges in order', () => {
    expect(toDot(small)).toBe(
      [
        'digraph {',
        '  rankdir=BT;',
        '  bgcolor="white";',
        '  node [fontname="DejaVu Sans", fontsize=12, height=0.3];',
        '  edge [fontname="DejaVu Sans", fontsize=10, arrowsize=0.7];',
        '  n0 [label="x", shape=box, style="filled,rounded", fillcolor="lightblue"];',
        '  n1 [label="x*x", shape=box, style=filled, fillcolor="lightgrey"];',
        '  n2 [label="z", shape=box, style="filled,rounded", fillcolor="darkolivegreen1"];',
        '  n0 -> n1;',
        '  n0 -> n1;',
        '  n1 -> n2 [label="value"];',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('escapes quotes, backslashes and line breaks in labels, and draws plain nodes as ellipses', () => {
    const dot = toDot({ nodes: [{ id: 'a b', label: 'say "hi"\\\nbye' }], edges: [], direction: 'LR' });
    expect(dot).toContain('rankdir=LR;');
    expect(dot).toContain('n0 [label="say \\"hi\\"\\\\\\nbye", shape=ellipse];');
  });

  it('refuses repeated ids, edges to unknown nodes, unknown kinds and directions', () => {
    const node = { id: 'a', label: 'a' };
    expect(() => toDot({ nodes: [node, node], edges: [] })).toThrow(/^toDot: graph\.nodes\[1\]\.id must be unique, but got "a"/);
    expect(() => toDot({ nodes: [node], edges: [{ from: 'a', to: 'b' }] })).toThrow(/^toDot: graph\.edges\[0\]\.to must be the id of a node, but got "b"/);
    expect(() => toDot({ nodes: [{ id: 'a', label: 'a', kind: 'leaf' as never }], edges: [] })).toThrow(/graph\.nodes\[0\]\.kind must be one of input, operation, output, constant, value/);
    expect(() => toDot({ nodes: [node], edges: [], direction: 'up' as never })).toThrow(/graph\.direction must be/);
    expect(() => toDot({ nodes: [], edges: [] })).toThrow(/^toDot: graph\.nodes must be a non-empty array/);
  });
});

describe('renderSvg', () => {
  it('draws every node and edge with Graphviz in WebAssembly', async () => {
    const svg = await renderSvg(small);
    expect(svg.startsWith('<?xml')).toBe(true);
    expect(count(svg, 'node')).toBe(3);
    expect(count(svg, 'edge')).toBe(3);
    expect(svg).toContain('>x*x</text>');
    expect(svg).toContain('fill="lightblue"');
  });

  it('gives the same SVG for the same graph', async () => {
    expect(await renderSvg(small)).toBe(await renderSvg(toDot(small)));
  });

  it("quotes Graphviz's error for DOT it cannot read", async () => {
    await expect(renderSvg('digraph { a -> }')).rejects.toThrow(/^renderSvg: graph must be DOT that Graphviz can draw, but got: .*syntax error/);
  });
});

describe('svgSize', () => {
  it('converts points to pixels (4/3) and reads pixels as they are', () => {
    expect(svgSize('<svg width="62pt" height="116pt" viewBox="0 0 62 116">')).toEqual({ width: 83, height: 155 });
    expect(svgSize('<svg width="40px" height="30">')).toEqual({ width: 40, height: 30 });
    expect(() => svgSize('<svg viewBox="0 0 1 1">')).toThrow(/^svgSize: svg must be an SVG document whose root has a width in pt or px/);
  });
});

describe('svgToPng', () => {
  it('rasterises the SVG at twice its size', async () => {
    const svg = await renderSvg(small);
    const { width, height } = svgSize(svg);
    expect(pngSize(await svgToPng(svg))).toEqual({ width: 2 * width, height: 2 * height });
  });
});
