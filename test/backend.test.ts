import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { WASM_BINARIES, availableBackends, nativeBackendError, ready, wasmBinaryDir, wasmBinaryProblem } from '../lib/backend';

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

describe('a wasm binary that cannot load', () => {
  const ROOT = path.join(__dirname, '..');
  let tmp: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'diffabm-wasm-'));
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('finds nothing wrong with the installed binaries', () => {
    expect(WASM_BINARIES.length).toBeGreaterThan(0);
    expect(wasmBinaryProblem()).toBeNull();
    for (const name of WASM_BINARIES) expect(fs.existsSync(path.join(wasmBinaryDir(), name))).toBe(true);
  });

  it('names a missing binary, and a truncated one, by its path', () => {
    const dir = path.join(tmp, 'check');
    fs.mkdirSync(dir);
    expect(wasmBinaryProblem(dir)).toMatch(new RegExp(`^${dir}/${WASM_BINARIES[0]} cannot be read \\(ENOENT\\)$`));
    for (const name of WASM_BINARIES) fs.copyFileSync(path.join(wasmBinaryDir(), name), path.join(dir, name));
    expect(wasmBinaryProblem(dir)).toBeNull();
    const cut = path.join(dir, WASM_BINARIES[1]);
    fs.truncateSync(cut, 100);
    expect(wasmBinaryProblem(dir)).toBe(`${cut} is not valid WebAssembly (100 bytes; damaged or cut short)`);
  });

  // A copy of the built library whose node_modules links every package but
  // tfjs-backend-wasm, which is a copy with its SIMD binary cut short (as an
  // interrupted install leaves it); run in a fresh Node process.
  it('makes ready("wasm") fail with one message naming the file and the fix, and ready() fall back to cpu', () => {
    const dist = path.join(ROOT, 'dist', 'backend.js');
    expect(fs.existsSync(dist)).toBe(true); // built by `npm test`'s set-up
    const root = path.join(tmp, 'overlay');
    fs.cpSync(path.join(ROOT, 'dist'), path.join(root, 'dist'), { recursive: true });
    const modules = path.join(ROOT, 'node_modules');
    fs.mkdirSync(path.join(root, 'node_modules', '@tensorflow'), { recursive: true });
    for (const entry of fs.readdirSync(modules)) {
      if (entry !== '@tensorflow') fs.symlinkSync(path.join(modules, entry), path.join(root, 'node_modules', entry));
    }
    for (const entry of fs.readdirSync(path.join(modules, '@tensorflow'))) {
      const from = path.join(modules, '@tensorflow', entry);
      const to = path.join(root, 'node_modules', '@tensorflow', entry);
      if (entry === 'tfjs-backend-wasm') fs.cpSync(from, to, { recursive: true });
      else fs.symlinkSync(from, to);
    }
    const broken = path.join(root, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist', WASM_BINARIES[0]);
    fs.truncateSync(broken, 1000);
    const run = (code: string) =>
      spawnSync(process.execPath, ['-e', code], { encoding: 'utf8', env: { ...process.env, DIFFABM_BACKEND: '' }, timeout: 60000 });
    const backend = JSON.stringify(path.join(root, 'dist', 'backend.js'));

    const forced = run(`require(${backend}).ready('wasm').then(() => console.log('started'), (e) => console.log(e.message))`);
    const expected =
      `ready: the wasm backend cannot load its binary: ${broken} is not valid WebAssembly (1000 bytes; damaged or cut short). ` +
      "Reinstall the npm packages (npm ci), or choose the cpu backend (DIFFABM_BACKEND=cpu, or ready('cpu'))";
    expect(forced.stdout.trim()).toBe(expected);

    const chosen = run(`require(${backend}).ready().then((name) => console.log(name))`);
    expect(chosen.stdout.trim().split('\n').pop()).toBe('cpu');
    expect(chosen.stderr).toContain(`${expected}; using the next backend instead.`);
    expect(chosen.stderr.split(expected).length - 1).toBe(1); // one message, not TensorFlow.js's stack
  });
});
