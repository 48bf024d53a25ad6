/**
 * The notebook is simulated by passing a bridge (`options.kernel`), as in
 * test/plot/display.test.ts.
 */
import { imageBundle, showImage } from '../../lib/notebook/image';
import type { DisplayContent } from '../../lib/notebook/kernel';

const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="20pt" height="10pt"></svg>';
// The 8-byte PNG signature followed by a few bytes: enough for the signature check.
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

describe('imageBundle', () => {
  it('carries the SVG, the PNG in base64 and the text, with the PNG display size', () => {
    const { data, metadata } = imageBundle({ svg: SVG, png: PNG, alt: 'a graph', width: 30, height: 20 });
    expect(Object.keys(data)).toEqual(['image/svg+xml', 'image/png', 'text/plain']);
    expect(data['image/svg+xml']).toBe(SVG);
    expect(Buffer.from(data['image/png'] as string, 'base64').equals(Buffer.from(PNG))).toBe(true);
    expect(data['text/plain']).toBe('a graph');
    expect(metadata).toEqual({ 'image/png': { width: 30, height: 20 } });
  });

  it('works with the SVG alone', () => {
    expect(Object.keys(imageBundle({ svg: SVG, alt: 'x' }).data)).toEqual(['image/svg+xml', 'text/plain']);
  });

  it('refuses an image without pictures, a non-SVG, bytes that are not a PNG and bad sizes', () => {
    expect(() => imageBundle({ alt: 'nothing' })).toThrow(/^showImage: image must be an object with an svg or a png/);
    expect(() => imageBundle({ svg: '<div/>', alt: '' })).toThrow(/^showImage: image\.svg must be an SVG document, but got "<div\/>"/);
    expect(() => imageBundle({ png: new Uint8Array([1, 2, 3, 4]), alt: '' })).toThrow(/^showImage: image\.png must be the bytes of a PNG file/);
    expect(() => imageBundle({ svg: SVG, alt: 3 as unknown as string })).toThrow(/image\.alt must be a string, but got 3/);
    expect(() => imageBundle({ svg: SVG, alt: '', width: -1 })).toThrow(/image\.width must be a number > 0, but got -1/);
  });
});

describe('showImage', () => {
  it('sends one display_data output through the kernel hook', () => {
    const sent: DisplayContent[] = [];
    showImage({ svg: SVG, png: PNG, alt: 'a graph' }, { kernel: { writeDisplayData: (c) => sent.push(c), display: null } });
    expect(sent).toHaveLength(1);
    expect(Object.keys(sent[0].data)).toEqual(['image/svg+xml', 'image/png', 'text/plain']);
  });

  it("falls back on tslab's public display.png, then on its text", () => {
    const png = jest.fn();
    const text = jest.fn();
    showImage({ svg: SVG, png: PNG, alt: 'a graph' }, { kernel: { writeDisplayData: null, display: { png, text } } });
    expect(png).toHaveBeenCalledWith(PNG);
    showImage({ svg: SVG, alt: 'only svg' }, { kernel: { writeDisplayData: null, display: { png, text } } });
    expect(text).toHaveBeenCalledWith('only svg');
  });

  it('prints the text outside a notebook', () => {
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      showImage({ svg: SVG, alt: 'printed' }, { kernel: null });
      expect(log).toHaveBeenCalledWith('printed');
    } finally {
      log.mockRestore();
    }
  });

  it('names itself when the notebook refuses the output', () => {
    const kernel = { writeDisplayData: () => { throw new Error('closed'); }, display: null };
    expect(() => showImage({ svg: SVG, alt: '' }, { kernel })).toThrow(/^showImage: the notebook must accept the image's output, but got: closed/);
  });
});
