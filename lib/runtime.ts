/**
 * What the process runs in: a tslab kernel (a notebook) or a plain Node process.
 *
 * Core modules ask this, not `notebook/`, so that imports keep pointing down the layers.
 */

/**
 * Tells whether this process is a tslab kernel.
 *
 * @returns True once tslab's executor has set `globalThis.__tslab__`.
 * @example
 * inTslabKernel(); // false in a plain Node script
 */
export function inTslabKernel(): boolean {
  return (globalThis as { __tslab__?: unknown }).__tslab__ !== undefined;
}
