/**
 * Rich text output for notebooks.
 */
import { findKernel } from './kernel';

/**
 * Shows Markdown as rendered output in a tslab notebook, or prints the plain
 * text in any other process.
 *
 * In a kernel the output carries `text/markdown` and `text/plain`, so a reader
 * without Markdown rendering still sees the plain text.
 *
 * @param markdown The Markdown to render in a notebook.
 * @param plain The text to print elsewhere, and the notebook's plain fallback. Default: the Markdown itself.
 */
export function showMarkdown(markdown: string, plain: string = markdown): void {
  const kernel = findKernel();
  if (kernel?.writeDisplayData) {
    kernel.writeDisplayData({ data: { 'text/markdown': markdown, 'text/plain': plain }, metadata: {}, transient: {} });
  } else {
    console.log(plain);
  }
}
