import * as tf from '@tensorflow/tfjs';
import { availableBackends, nativeBackendError, ready } from '../lib/backend';

describe('backends', () => {
  it('registers wasm and cpu, and tensorflow only when tfjs-node loads', () => {
    const names = availableBackends();
    expect(names).toEqual(expect.arrayContaining(['wasm', 'cpu']));
    expect(names.includes('tensorflow')).toBe(nativeBackendError() === null);
  });

  it('runs this test file on the backend its project names', () => {
    expect(availableBackends()).toContain(tf.getBackend());
  });

  it('refuses an unknown backend with the list of allowed names', async () => {
    await expect(ready('webgpu')).rejects.toThrow(/ready: name must be one of .*wasm.*cpu, but got "webgpu"/);
  });
});
