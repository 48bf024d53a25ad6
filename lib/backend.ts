/**
 * Picks the TensorFlow.js backend, and sets up TensorFlow.js for the library.
 *
 * Importing the library registers the backends it can load, best first:
 * `tensorflow` (native TensorFlow through the optional `@tensorflow/tfjs-node`),
 * then `wasm` (`@tensorflow/tfjs-backend-wasm`, whose binary ships in its npm
 * package), then TensorFlow.js's own `cpu`. `ready()` initialises the chosen one.
 *
 * `ready()` also registers the library's replacements of some of TensorFlow.js's
 * gradients (lib/registeredGradients.ts: Tile, Unpack, and Abs with PyTorch's value at 0).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerGradients } from './registeredGradients';
import { check } from './check';

/** The environment variable that forces a backend, e.g. `DIFFABM_BACKEND=cpu`. */
export const BACKEND_ENV = 'DIFFABM_BACKEND';

let nativeError: string | null = null;
try {
  // Registers the `tensorflow` backend when the native package installed.
  require('@tensorflow/tfjs-node');
} catch (e) {
  nativeError = e instanceof Error ? e.message.split('\n')[0] : String(e);
}

/** Names of the backends that registered in this process, best first. */
export function availableBackends(): string[] {
  const order = ['tensorflow', 'wasm', 'cpu'];
  return order.filter((name) => tf.findBackendFactory(name) != null);
}

/** Why `@tensorflow/tfjs-node` did not load, or null if it did. */
export function nativeBackendError(): string | null {
  return nativeError;
}

/** The WebAssembly binaries the `wasm` backend loads in Node (with and without SIMD; one thread). */
export const WASM_BINARIES: readonly string[] = Object.freeze(['tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm.wasm']);

/** The folder of `@tensorflow/tfjs-backend-wasm`'s binaries, as installed by npm. */
export function wasmBinaryDir(): string {
  return path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
}

/**
 * Says why the `wasm` backend's binaries cannot load, or returns null when they can.
 *
 * Each file of {@link WASM_BINARIES} must exist in `dir` and be valid WebAssembly
 * (`WebAssembly.validate`); a missing or truncated file (an interrupted install)
 * otherwise makes `tf.setBackend('wasm')` fail with a long warning of TensorFlow.js.
 *
 * @param dir The folder to check (default {@link wasmBinaryDir}).
 * @returns One sentence naming the file and what is wrong with it, or null.
 * @example
 * wasmBinaryProblem(); // null after `npm ci`
 */
export function wasmBinaryProblem(dir: string = wasmBinaryDir()): string | null {
  for (const name of WASM_BINARIES) {
    const file = path.join(dir, name);
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
    } catch (e) {
      return `${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
    }
    if (!WebAssembly.validate(bytes)) return `${file} is not valid WebAssembly (${bytes.length} bytes; damaged or cut short)`;
  }
  return null;
}

/** The one message for a wasm backend that cannot load: the cause, then the fix. */
function wasmFailure(cause: string): string {
  return (
    `ready: the wasm backend cannot load its binary: ${cause}. ` +
    'Reinstall the npm packages (npm ci), or choose the cpu backend (DIFFABM_BACKEND=cpu, or ready(\'cpu\'))'
  );
}

let wasmWarned = false;

/**
 * Initialises a backend and makes it current; call once, before any tensor.
 *
 * Uses `name` if given, else the `DIFFABM_BACKEND` environment variable, else
 * the best backend that initialises (`tensorflow`, `wasm`, then `cpu`).
 *
 * The order is measured: section 6 of bench/RESULTS.md (`npm run bench`)
 * times both backends on the course's tau sweep, on single walks of growing
 * length and on a wide batch. `wasm` (SIMD, one thread) wins wherever the
 * tensors are large enough for the kernels to matter, and the two are close
 * when every op is tiny and the per-op overhead dominates; no case there
 * calls for `cpu` first.
 * `tensorflow` stays first, unmeasured: tfjs-node does not install on the
 * machines measured (its install step downloads the TensorFlow C library
 * from outside the npm registry).
 *
 * The `wasm` backend's binaries are checked first ({@link wasmBinaryProblem}).
 * If they cannot load, asking for `wasm` throws one message naming the file and
 * the fix; choosing automatically prints that message once as a warning and
 * goes on with the next backend (`cpu`).
 *
 * @param name One of {@link availableBackends}.
 * @returns The name of the backend in use.
 * @throws If the requested backend is not available or fails to start (for
 *   `wasm`, with the file that cannot load and the fix).
 * @example
 * await ready();        // 'wasm' on a machine without tfjs-node
 * await ready('cpu');   // force the pure-JavaScript backend
 */
export async function ready(name: string | undefined = process.env[BACKEND_ENV] || undefined): Promise<string> {
  registerGradients();
  const available = availableBackends();
  if (name !== undefined) {
    check(available.includes(name), 'ready', 'name', `one of ${available.join(', ')}`, name);
    const problem = name === 'wasm' && tf.getBackend() !== 'wasm' ? wasmBinaryProblem() : null;
    if (problem) throw new Error(wasmFailure(problem));
    if (!(await tf.setBackend(name))) {
      throw new Error(
        name === 'wasm'
          ? wasmFailure('TensorFlow.js could not initialise it (its warning above says why)')
          : `ready: the ${name} backend failed to initialise`,
      );
    }
    return name;
  }
  for (const candidate of available) {
    if (candidate === 'wasm' && tf.getBackend() !== 'wasm') {
      const problem = wasmBinaryProblem();
      if (problem) {
        if (!wasmWarned) console.warn(`${wasmFailure(problem)}; using the next backend instead.`);
        wasmWarned = true;
        continue;
      }
    }
    if (await tf.setBackend(candidate)) return candidate;
  }
  throw new Error('ready: no TensorFlow.js backend initialised');
}
