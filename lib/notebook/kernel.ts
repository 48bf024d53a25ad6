/**
 * The tslab kernel this process may run in.
 *
 * tslab's executor sets `globalThis.__tslab__` before running any cell, with a
 * `require` that loads modules the way the notebook does, so the kernel's own
 * copy of tslab (the one connected to the notebook) comes first.
 */

type TslabGlobal = { require?: (id: string) => unknown };

/** Tells whether this process is a tslab kernel. */
export function inTslabKernel(): boolean {
  return (globalThis as { __tslab__?: unknown }).__tslab__ !== undefined;
}

/**
 * Picks something from the tslab module, trying the kernel's own copy first
 * and then `require('tslab')`; null when neither loads or has it.
 *
 * @param pick Returns the wanted export of the module, or undefined if it lacks it.
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
