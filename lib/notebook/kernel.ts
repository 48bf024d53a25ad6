/**
 * The tslab kernel this process may run in, and how outputs reach its notebook.
 *
 * tslab's executor sets `globalThis.__tslab__` before running any cell, with a
 * `require` that loads modules the way the notebook does, so the kernel's own
 * copy of tslab (the one connected to the notebook) comes first.
 *
 * tslab's public `display.raw(type, data)` sends a `display_data` message with
 * one MIME type. It does so through `lastWriteDisplayData`, a function exported
 * by tslab's `dist/jupyter.js`, which the kernel replaces at the start of every
 * cell execution and which takes the whole message content,
 * `{ data, metadata, transient }`. {@link findKernel} looks that function up in
 * Node's module cache at call time (it is internal, so its absence is expected
 * and handled), so that one output can carry several MIME types at once.
 */

/** The content of a Jupyter `display_data` message. */
export interface DisplayContent {
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  transient?: Record<string, unknown>;
}

/** tslab's internal sender of `display_data` messages (`jupyter.lastWriteDisplayData`); `update` replaces an output by display id. */
export type WriteDisplayData = (content: DisplayContent, update?: boolean) => void;

/** The part of tslab's public `display` object that is used when the internal sender is missing. */
export interface PublicDisplay {
  png(b: Uint8Array): void;
  text(s: string): void;
}

/** How outputs reach a notebook: the internal hook, the public API, or both. */
export interface KernelBridge {
  /** Sends one output with any number of MIME types; `null` when tslab no longer has it. */
  writeDisplayData: WriteDisplayData | null;
  /** tslab's public `display`, used when the hook is missing; `null` when unavailable (or, from {@link findKernel}, not needed). */
  display: PublicDisplay | null;
}

import { inTslabKernel } from '../runtime';

export { inTslabKernel };

type TslabGlobal = { require?: (id: string) => unknown };

/** The module of tslab that exports the display hook, wherever tslab is installed. */
const TSLAB_JUPYTER = /[\\/]tslab[\\/]dist[\\/]jupyter\.js$/;

/**
 * Picks something from the tslab module, trying the kernel's own copy first
 * and then `require('tslab')`; null when neither loads or has it.
 *
 * @param pick Returns the wanted export of the module, or undefined if it lacks it.
 * @returns What `pick` returned for the first copy that has it, or null.
 * @example
 * fromTslab((tslab) => tslab.display); // the public display, or null outside a kernel without tslab
 */
export function fromTslab<T>(pick: (tslab: Record<string, unknown>) => T | undefined): T | null {
  const kernel = (globalThis as { __tslab__?: TslabGlobal }).__tslab__;
  for (const load of [() => kernel?.require?.('tslab'), () => require('tslab')]) {
    try {
      const mod = load() as Record<string, unknown> | undefined;
      const found = mod ? pick(mod) : undefined;
      if (found !== undefined) return found;
    } catch {
      // Not installed here, or not loadable: try the next place.
    }
  }
  return null;
}

/**
 * Finds tslab's internal `lastWriteDisplayData` in Node's module cache.
 *
 * @returns The current cell's sender, or null when tslab is not loaded, has not
 *   run a cell yet, or no longer exports the hook under that name.
 */
function findWriteDisplayData(): WriteDisplayData | null {
  const cache = (require('module') as { _cache?: Record<string, NodeModule | undefined> })._cache ?? require.cache;
  for (const [file, mod] of Object.entries(cache)) {
    if (!TSLAB_JUPYTER.test(file)) continue;
    const hook = (mod?.exports as { lastWriteDisplayData?: unknown } | undefined)?.lastWriteDisplayData;
    if (typeof hook === 'function') return hook as WriteDisplayData;
  }
  return null;
}

/** Loads tslab's public `display`, preferring the kernel's own copy of tslab. */
function findPublicDisplay(): PublicDisplay | null {
  return fromTslab((tslab) => {
    const display = tslab.display as PublicDisplay | undefined;
    return display && typeof display.png === 'function' && typeof display.text === 'function' ? display : undefined;
  });
}

/**
 * Detects the tslab kernel this process runs in, if any.
 *
 * The process is a kernel when tslab's executor has set `globalThis.__tslab__`,
 * or when tslab's internal display hook is set. The hook is read now: call this
 * at the start of the cell whose output it should write to.
 *
 * @returns The bridge to the notebook (the hook, or tslab's public display when the
 *   hook is missing), or null outside a kernel.
 * @example
 * findKernel() === null; // in a plain Node script
 */
export function findKernel(): KernelBridge | null {
  const writeDisplayData = findWriteDisplayData();
  if (!inTslabKernel() && writeDisplayData === null) return null;
  // The public display is only needed without the hook; loading it costs time.
  return { writeDisplayData, display: writeDisplayData ? null : findPublicDisplay() };
}
