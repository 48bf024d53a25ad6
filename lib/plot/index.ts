/**
 * The figure layer of the notebooks: matplotlib-like builders over Plotly's
 * JSON (`figure`), `show` for tslab kernels, windows and files (`display`),
 * and PNG rendering in headless Chromium (`render`).
 */
export { Figure, figure, plot, hist, subplots } from './figure';
export { resolveColor, COLOR_CYCLE, FONT_FAMILY, DEFAULT_WIDTH, DEFAULT_HEIGHT } from './figure';
export type { FigureSpec, FigureOptions, SubplotsOptions, LineStyle, HistStyle, DashStyle, Series, SeriesList } from './figure';
export { show, mimeBundle, findKernel, PLOTLY_MIME } from './display';
export type { ShowOptions, KernelBridge, WriteDisplayData, PublicDisplay, DisplayContent } from './display';
export { renderPng, closeBrowser, browserOpen, chromiumPath, ChromiumNotFoundError } from './render';
export { CHROMIUM_ARGS, DEFAULT_CHROMIUM_PATH, DEFAULT_SCALE, DEFAULT_IDLE_CLOSE_MS } from './render';
export type { RenderOptions } from './render';
