/**
 * Tests of finding the tslab kernel. The kernel is simulated by planting what
 * tslab leaves in a kernel process: `globalThis.__tslab__` and a module
 * `.../tslab/dist/jupyter.js` in Node's module cache whose
 * `lastWriteDisplayData` receives the outputs (see test/plot/util.ts).
 */
import { findKernel, fromTslab } from '../../lib/notebook/kernel';
import { plantKernel, removeKernel } from '../plot/util';

afterEach(removeKernel);

describe('fromTslab', () => {
  test("fromTslab prefers the kernel's own copy of tslab", () => {
    (globalThis as Record<string, unknown>).__tslab__ = { require: (id: string) => (id === 'tslab' ? { marker: 'kernel' } : null) };
    expect(fromTslab((tslab) => tslab.marker as string | undefined)).toBe('kernel');
  });

  test("fromTslab falls back on require('tslab') when the kernel's copy lacks the export or throws", () => {
    // The installed tslab exports its public `display`; the kernel copy here has nothing.
    (globalThis as Record<string, unknown>).__tslab__ = { require: () => ({}) };
    const display = fromTslab((tslab) => tslab.display);
    expect(display).not.toBeNull();
    (globalThis as Record<string, unknown>).__tslab__ = {
      require: () => {
        throw new Error('no such module');
      },
    };
    expect(fromTslab((tslab) => tslab.display)).toBe(display);
  });

  test('fromTslab gives null when no copy has what is picked', () => {
    expect(fromTslab(() => undefined)).toBeNull();
  });
});

describe('findKernel', () => {
  test('findKernel gives null in a plain Node process', () => {
    expect(findKernel()).toBeNull();
  });

  test("findKernel finds tslab's internal hook in the module cache, and needs no public display then", () => {
    const hook = jest.fn();
    plantKernel(hook);
    expect(findKernel()).toEqual({ writeDisplayData: hook, display: null });
  });

  test('findKernel reads the hook when called, so each cell gets its own', () => {
    const first = jest.fn();
    const second = jest.fn();
    const { jupyter } = plantKernel(first);
    const before = findKernel();
    jupyter.lastWriteDisplayData = second; // tslab does this when the next cell starts
    expect(before?.writeDisplayData).toBe(first);
    expect(findKernel()?.writeDisplayData).toBe(second);
  });

  test("a kernel without the hook gets the public display of the kernel's tslab", () => {
    const display = { png: jest.fn(), text: jest.fn() };
    (globalThis as Record<string, unknown>).__tslab__ = { require: (id: string) => (id === 'tslab' ? { display } : null) };
    expect(findKernel()).toEqual({ writeDisplayData: null, display });
  });

  test('a hook left in the module cache counts as a kernel even without the global', () => {
    const hook = jest.fn();
    plantKernel(hook);
    delete (globalThis as Record<string, unknown>).__tslab__;
    expect(findKernel()?.writeDisplayData).toBe(hook);
  });
});
