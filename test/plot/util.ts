/**
 * Helpers shared by the plot tests.
 *
 * PNG sizes are read straight from the file's bytes, as the PNG specification
 * lays them out (signature, then the IHDR chunk with width and height as
 * big-endian 32-bit integers at bytes 16 and 20), not with the code under test.
 */
import * as os from 'os';
import * as path from 'path';
import type { Graph } from '../../lib/graph';

/** A small graph for the drawing tests: three nodes, a doubled edge and a labelled one. */
export const smallGraph: Graph = {
  nodes: [
    { id: 'x', label: 'x', kind: 'input' },
    { id: 'sq', label: 'x*x', kind: 'operation' },
    { id: 'z', label: 'z', kind: 'output' },
  ],
  edges: [
    { from: 'x', to: 'sq' },
    { from: 'x', to: 'sq' },
    { from: 'sq', to: 'z', label: 'value' },
  ],
};

/** The 8-byte signature every PNG file starts with (PNG spec, section 5.2). */
export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Asserts that `png` is a PNG file and returns the width and height in its IHDR chunk. */
export function pngSize(png: Uint8Array): { width: number; height: number } {
  const b = Buffer.from(png);
  expect(b.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  expect(b.toString('ascii', 12, 16)).toBe('IHDR');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

/** A Chromium path that does not exist, to test the behaviour without a browser. */
export const MISSING_CHROMIUM = '/nonexistent/diffabm-test/chromium';

/** Sets environment variables for the duration of `run`, then restores them. */
export async function withEnv<T>(vars: Record<string, string | undefined>, run: () => T | Promise<T>): Promise<T> {
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(vars)) {
    saved[k] = process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    return await run();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

export const FAKE_JUPYTER = path.join(os.tmpdir(), 'diffabm-fake-kernel', 'node_modules', 'tslab', 'dist', 'jupyter.js');
const moduleCache = (require('module') as { _cache: Record<string, unknown> })._cache;

/** Makes this process look like a tslab kernel whose current cell writes to `hook`. */
export function plantKernel(hook: jest.Mock | null): { jupyter: { lastWriteDisplayData: unknown } } {
  const jupyter = { lastWriteDisplayData: hook };
  moduleCache[FAKE_JUPYTER] = { id: FAKE_JUPYTER, filename: FAKE_JUPYTER, loaded: true, exports: jupyter };
  (globalThis as Record<string, unknown>).__tslab__ = { require: () => ({ display: null }) };
  return { jupyter };
}

export function removeKernel(): void {
  delete moduleCache[FAKE_JUPYTER];
  delete (globalThis as Record<string, unknown>).__tslab__;
}

