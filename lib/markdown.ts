/**
 * Rich text output for notebooks.
 */

/** tslab's public display API, when this process is a tslab kernel. */
function tslabDisplay(): { markdown(s: string): void } | null {
  if (process.env.JPY_PARENT_PID === undefined) return null;
  try {
    // Present when a notebook runs this, through the kernel's own tslab.
    return require('tslab').display;
  } catch {
    return null;
  }
}

/**
 * Shows Markdown as rendered output in a tslab notebook, or prints the plain
 * text in any other process.
 *
 * @param markdown The Markdown to render in a notebook.
 * @param plain The text to print elsewhere. Default: the Markdown itself.
 */
export function showMarkdown(markdown: string, plain: string = markdown): void {
  const display = tslabDisplay();
  if (display !== null) display.markdown(markdown);
  else console.log(plain);
}
