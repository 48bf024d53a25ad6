/**
 * Tests of `inTslabKernel`. A kernel is simulated by setting the global that
 * tslab's executor sets, `globalThis.__tslab__`, and removing it after.
 */
import { inTslabKernel } from '../lib/runtime';

const globals = globalThis as { __tslab__?: unknown };

afterEach(() => {
  delete globals.__tslab__;
});

describe('inTslabKernel', () => {
  it('is false in a plain Node process', () => {
    expect(globals.__tslab__).toBeUndefined();
    expect(inTslabKernel()).toBe(false);
  });

  it("is true once tslab's global is set, whatever its value, and false again once it is removed", () => {
    for (const value of [{ require }, null, 0, '']) {
      globals.__tslab__ = value;
      expect(inTslabKernel()).toBe(true);
    }
    delete globals.__tslab__;
    expect(inTslabKernel()).toBe(false);
  });
});
