/**
 * Progress of a calibration, one line per epoch, shown in place in a notebook.
 *
 * A fit of a few hundred epochs should not fill a notebook with a few hundred
 * lines. In a tslab kernel the line lives in one output that later epochs
 * overwrite (tslab's updatable display, `newDisplay()`); in a plain Node
 * process a line is printed every few epochs. The line holds only the epoch,
 * the loss and the parameters, each to a fixed number of significant digits,
 * and never a time: a seeded notebook re-executes to the same bytes.
 *
 * tslab sends each update at once on its ZeroMQ socket, and the socket refuses
 * a send while another is in progress (`EBUSY`, which kills the kernel). A
 * synchronous loop such as `calibrate` would make hundreds of sends in one turn
 * of the event loop, so updates go through one queue shared by all progress
 * lines: at most one send per turn of the event loop, and a line waiting in the
 * queue is replaced by its newer version. `await progress.done(fit)` waits until
 * the queue is empty, so the final line is out before the cell ends.
 */
import type { CalibrationResult, EpochInfo } from '../calibrate/optimize';
import { check } from '../check';
import { findKernel, fromTslab, inTslabKernel } from './kernel';

/** Options of {@link progressDisplay}. */
export interface ProgressOptions {
  /** Outside a kernel: print a line every this many epochs, an integer >= 1. Default 50. */
  every?: number;
  /** The run's maximum number of epochs, an integer >= 1, shown as `epoch 120/400`. Default: not shown. */
  maxEpochs?: number;
  /** Significant digits of the loss and the parameters, an integer in [1, 17]. Default 4. */
  digits?: number;
  /** Text put before each line, e.g. the model's name. Default none. */
  label?: string;
}

/** The callback {@link progressDisplay} returns, to pass as `onEpoch`. */
export interface ProgressCallback {
  /** Shows the epoch's line: in place in a kernel, every `every` epochs elsewhere. */
  (info: EpochInfo): void;
  /**
   * Shows the last epoch's line, if it is not shown yet, with why the run stopped
   * when a result is given: `... (stopped: patience after 173 epochs)`. The
   * promise resolves once the line has reached the notebook (at once outside a kernel).
   */
  done(result?: Pick<CalibrationResult, 'epochs' | 'stopReason'>): Promise<void>;
  /** The last line formatted ('' before the first epoch). */
  readonly line: string;
}

/** The part of tslab's `Display` that is used here. */
interface TextDisplay {
  text(s: string): void;
}

const FN = 'progressDisplay';

/** Loads tslab's `newDisplay`, preferring the kernel's own copy of tslab; null if there is none. */
function findNewDisplay(): (() => TextDisplay) | null {
  return fromTslab((tslab) => (typeof tslab.newDisplay === 'function' ? (tslab.newDisplay as () => TextDisplay) : undefined));
}

let displayCount = 0;

/** An updatable output through tslab's internal display hook, with a display id of its own; null without the hook. */
function hookDisplay(): TextDisplay | null {
  const write = findKernel()?.writeDisplayData;
  if (!write) return null;
  // Display ids are not saved in the notebook (they are transient), so a counter will do.
  const id = `diffabm-progress-${++displayCount}`;
  let opened = false;
  return {
    text(s: string) {
      write({ data: { 'text/plain': s }, metadata: {}, transient: { display_id: id } }, opened);
      opened = true;
    },
  };
}

/**
 * Opens one updatable text output in the current cell, or returns null outside a kernel.
 *
 * It uses tslab's `newDisplay()`. A copy of tslab other than the kernel's own
 * (found by `require`) is not connected to the kernel and throws at its first
 * write: then, and when tslab has no `newDisplay`, the output goes through the
 * kernel's display hook, and failing that, lines are printed.
 */
function openDisplay(): TextDisplay | null {
  if (!inTslabKernel()) return null;
  const newDisplay = findNewDisplay();
  let inner: TextDisplay | null = newDisplay ? newDisplay() : hookDisplay();
  if (!inner) return null;
  let written = false;
  return {
    text(s: string) {
      if (!written && inner) {
        written = true;
        try {
          inner.text(s);
          return;
        } catch {
          inner = newDisplay ? hookDisplay() : null;
        }
      }
      if (inner) inner.text(s);
      else console.log(s);
    },
  };
}

/** The lines waiting to be sent, the newest text per display, in order of arrival. */
const waiting = new Map<TextDisplay, string>();
let sending = false;
let idle: (() => void)[] = [];

/** Sends one line now, and looks at the queue again in the next turn of the event loop. */
function sendNow(display: TextDisplay, text: string): void {
  sending = true;
  setImmediate(sendNext);
  try {
    display.text(text);
  } catch (e) {
    // Outside the caller's stack (a deferred send), a throw would kill the kernel: print instead.
    console.log(`${text}  (progressDisplay: the notebook refused the update: ${(e as Error).message})`);
  }
}

function sendNext(): void {
  sending = false;
  const next = waiting.entries().next();
  if (!next.done) {
    waiting.delete(next.value[0]);
    sendNow(next.value[0], next.value[1]);
    return;
  }
  const resolvers = idle;
  idle = [];
  resolvers.forEach((resolve) => resolve());
}

/** Sends a line at once if nothing was sent in this turn of the event loop, else queues it. */
function post(display: TextDisplay, text: string): void {
  if (!sending) {
    sendNow(display, text);
    return;
  }
  waiting.delete(display);
  waiting.set(display, text);
}

/** Resolves when every queued line has been sent. */
function flushed(): Promise<void> {
  if (!sending && waiting.size === 0) return Promise.resolve();
  return new Promise((resolve) => idle.push(resolve));
}

/**
 * Returns an `onEpoch` callback that shows a calibration's progress in one line.
 *
 * The line reads `epoch e/E  loss L  name1 v1  name2 v2 ...`, with e counted from
 * 1, E = `maxEpochs` (left out when not given), and the loss and each parameter
 * written with `x.toPrecision(digits)`. In a tslab kernel, one output of the cell
 * is created at the first epoch (again whenever a run restarts at epoch 0) and
 * overwritten by later epochs through tslab's `newDisplay()`: at most one update
 * per turn of the event loop, so `calibrateAsync` shows every epoch and a
 * synchronous `calibrate` shows the first and the last. Elsewhere the line is
 * printed with `console.log` at epochs `every`, `2 every`, ..., at the last epoch
 * when it is `maxEpochs`, and by `done()` if the last epoch was not printed.
 * No time is ever shown, so a seeded run prints the same text each time.
 *
 * Gradient behaviour: none; the callback only reads the numbers `calibrate`
 * reports, and never stops the loop (it returns nothing).
 *
 * @param options `every` (default 50), `maxEpochs` (default none), `digits`
 *   (default 4), `label` (default none).
 * @returns The callback, with `done(result?)` to show the final line and why the
 *   run stopped; in a notebook, await it before the cell ends.
 * @throws If `every` or `maxEpochs` is not an integer >= 1, `digits` is not an
 *   integer in [1, 17], or `label` is not a string:
 *   `progressDisplay: every must be an integer >= 1, but got 0`.
 * @example
 * const progress = progressDisplay({ maxEpochs: 400 });
 * const fit = await calibrateAsync({ init, domains, loss, maxEpochs: 400, onEpoch: progress });
 * await progress.done(fit); // epoch 400/400  loss 0.001234  theta 0.3012  (stopped: maxEpochs after 400 epochs)
 *
 * The PyTorch counterpart is a `tqdm` bar with `set_postfix(loss=..., theta=...)`.
 */
export function progressDisplay(options: ProgressOptions = {}): ProgressCallback {
  check(typeof options === 'object' && options !== null, FN, 'options', 'an object', options);
  const { every = 50, maxEpochs, digits = 4, label } = options;
  check(typeof every === 'number' && Number.isInteger(every) && every >= 1, FN, 'every', 'an integer >= 1', every);
  if (maxEpochs !== undefined) {
    check(typeof maxEpochs === 'number' && Number.isInteger(maxEpochs) && maxEpochs >= 1, FN, 'maxEpochs', 'an integer >= 1', maxEpochs);
  }
  check(typeof digits === 'number' && Number.isInteger(digits) && digits >= 1 && digits <= 17, FN, 'digits', 'an integer in [1, 17]', digits);
  check(label === undefined || typeof label === 'string', FN, 'label', 'a string', label);

  const format = (x: number) => x.toPrecision(digits);
  const describe = (info: EpochInfo) => {
    const epoch = `epoch ${info.epoch + 1}${maxEpochs === undefined ? '' : `/${maxEpochs}`}`;
    const params = Object.entries(info.params).map(([name, value]) => `  ${name} ${format(value)}`);
    return `${label ? `${label}  ` : ''}${epoch}  loss ${format(info.loss)}${params.join('')}`;
  };

  let display: TextDisplay | null = null;
  let epochLine = '';
  let line = '';
  let printed = true;

  const callback = ((info: EpochInfo) => {
    // A new output at the first call, and for each new run through the same callback.
    if (info.epoch === 0 || epochLine === '') display = openDisplay();
    epochLine = describe(info);
    line = epochLine;
    if (display) {
      post(display, line);
      return;
    }
    const n = info.epoch + 1;
    printed = n % every === 0 || n === maxEpochs;
    if (printed) console.log(line);
  }) as ProgressCallback;

  callback.done = (result) => {
    if (epochLine === '') return Promise.resolve();
    const outcome = result ? `  (stopped: ${result.stopReason} after ${result.epochs} epochs)` : '';
    if (display) {
      line = epochLine + outcome;
      post(display, line);
      return flushed();
    }
    if (!printed || outcome) {
      line = epochLine + outcome;
      console.log(line);
      printed = true;
    }
    return Promise.resolve();
  };
  Object.defineProperty(callback, 'line', { get: () => line });
  return callback;
}
