/**
 * Images in notebook outputs: an SVG drawing, its PNG, or both in one output.
 */
import { check } from '../check';
import { findKernel, type KernelBridge } from './kernel';

/** An image to show: at least one of `svg` and `png`. */
export interface Image {
  /** An SVG document. */
  svg?: string;
  /** PNG bytes. */
  png?: Uint8Array;
  /** The text shown where images are not, and printed outside a notebook. */
  alt: string;
  /** The display width in CSS pixels (a PNG drawn at twice this is sharp). */
  width?: number;
  /** The display height in CSS pixels. */
  height?: number;
}

/** Options of {@link showImage}. */
export interface ShowImageOptions {
  /**
   * The notebook connection. By default it is detected; pass `null` to act as
   * outside a notebook, or a bridge to send the output elsewhere (tests).
   */
  kernel?: KernelBridge | null;
}

/**
 * Builds the MIME bundle of an image: `image/svg+xml`, `image/png` (base64) and
 * `text/plain`, with the PNG's display size in the metadata.
 *
 * @param image `{ svg, png, alt, width, height }`, at least one of svg and png.
 * @returns `{ data, metadata }` for a Jupyter `display_data` message.
 * @throws If neither svg nor png is given, svg is not an SVG document, png is
 *   not PNG bytes, alt is not a string, or a size is not a positive number.
 * @example
 * imageBundle({ svg: '<svg width="10pt" height="10pt"></svg>', alt: 'a dot' }).data; // { 'image/svg+xml': ..., 'text/plain': 'a dot' }
 */
export function imageBundle(image: Image): { data: Record<string, unknown>; metadata: Record<string, unknown> } {
  const fn = 'showImage';
  check(typeof image === 'object' && image !== null, fn, 'image', 'an object { svg, png, alt }', image);
  const { svg, png, alt, width, height } = image;
  check(svg !== undefined || png !== undefined, fn, 'image', 'an object with an svg or a png', image);
  if (svg !== undefined) check(typeof svg === 'string' && svg.includes('<svg'), fn, 'image.svg', 'an SVG document', svg);
  if (png !== undefined) {
    const magic = [0x89, 0x50, 0x4e, 0x47];
    check(png instanceof Uint8Array && magic.every((b, i) => png[i] === b), fn, 'image.png', 'the bytes of a PNG file', png);
  }
  check(typeof alt === 'string', fn, 'image.alt', 'a string', alt);
  for (const [name, value] of [['width', width], ['height', height]] as const) {
    if (value !== undefined) check(typeof value === 'number' && Number.isFinite(value) && value > 0, fn, `image.${name}`, 'a number > 0', value);
  }
  const data: Record<string, unknown> = {};
  const metadata: Record<string, unknown> = {};
  if (svg !== undefined) data['image/svg+xml'] = svg;
  if (png !== undefined) {
    data['image/png'] = Buffer.from(png).toString('base64');
    if (width !== undefined && height !== undefined) metadata['image/png'] = { width, height };
  }
  data['text/plain'] = alt;
  return { data, metadata };
}

/**
 * Shows an image as a notebook output, or prints its text elsewhere.
 *
 * In a tslab kernel one output carries the SVG, the PNG and the text, and the
 * front end picks what it can draw (Jupyter prefers the SVG; GitHub and
 * nbconvert use the PNG). If tslab's display hook is missing it falls back on
 * tslab's public `display.png`, then on the text. Outside a kernel it prints the
 * text.
 *
 * Python counterpart: `IPython.display.display(IPython.display.SVG(svg))`.
 *
 * @param image `{ svg, png, alt, width, height }` (see {@link Image}).
 * @param options kernel (see {@link ShowImageOptions}).
 * @throws As {@link imageBundle}; if the notebook refuses the output.
 * @example
 * showImage({ svg: await renderSvg('digraph { x -> y }'), alt: 'x -> y' });
 */
export function showImage(image: Image, options: ShowImageOptions = {}): void {
  check(typeof options === 'object' && options !== null, 'showImage', 'options', 'an object', options);
  const bundle = imageBundle(image);
  const kernel = options.kernel === undefined ? findKernel() : options.kernel;
  if (kernel?.writeDisplayData) {
    try {
      kernel.writeDisplayData({ ...bundle, transient: {} }, false);
    } catch (e) {
      throw new Error(`showImage: the notebook must accept the image's output, but got: ${(e as Error).message}`);
    }
    return;
  }
  if (kernel?.display && image.png) kernel.display.png(image.png);
  else if (kernel?.display) kernel.display.text(image.alt);
  else console.log(image.alt);
}
