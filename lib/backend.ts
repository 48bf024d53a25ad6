/**
 * Picks the TensorFlow.js backend, and sets up TensorFlow.js for the library.
 *
 * Importing the library registers the backends it can load, best first:
 * `tensorflow` (native TensorFlow through the optional `@tensorflow/tfjs-node`),
 * then `wasm` (`@tensorflow/tfjs-backend-wasm`, whose binary ships in its npm
 * package), then TensorFlow.js's own `cpu`. `ready()` initialises the chosen one.
 *
 * Importing it also registers the library's replacements of some of TensorFlow.js's
 * gradients (lib/registeredGradients.ts: Tile, Unpack, and Abs with PyTorch's value at 0).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import './registeredGradients';
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
 * @param name One of {@link availableBackends}.
 * @returns The name of the backend in use.
 * @throws If the requested backend is not available or fails to start.
 * @example
 * await ready();        // 'wasm' on a machine without tfjs-node
 * await ready('cpu');   // force the pure-JavaScript backend
 */
export async function ready(name: string | undefined = process.env[BACKEND_ENV] || undefined): Promise<string> {
  const available = availableBackends();
  if (name !== undefined) {
    check(available.includes(name), 'ready', 'name', `one of ${available.join(', ')}`, name);
    if (!(await tf.setBackend(name))) throw new Error(`ready: the ${name} backend failed to initialise`);
    return name;
  }
  for (const candidate of available) {
    if (await tf.setBackend(candidate)) return candidate;
  }
  throw new Error('ready: no TensorFlow.js backend initialised');
}
