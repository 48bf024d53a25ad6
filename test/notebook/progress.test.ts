import * as tf from '@tensorflow/tfjs';
import { calibrate } from '../../lib/calibrate/optimize';
import type { EpochInfo } from '../../lib/calibrate/optimize';
import { progressDisplay } from '../../lib/notebook/progress';
import { plantKernel, removeKernel } from '../plot/util';

/** An epoch report as calibrate makes it. */
function info(epoch: number, loss: number, params: Record<string, number>): EpochInfo {
  return { epoch, loss, smoothedLoss: loss, params };
}

/** Makes this process look like a tslab kernel whose tslab has `newDisplay`; returns the displays made. */
function plantKernelWithNewDisplay(): { text: jest.Mock }[] {
  plantKernel(jest.fn());
  const displays: { text: jest.Mock }[] = [];
  const tslab = {
    newDisplay: () => {
      const d = { text: jest.fn() };
      displays.push(d);
      return d;
    },
  };
  (globalThis as Record<string, unknown>).__tslab__ = { require: (id: string) => (id === 'tslab' ? tslab : undefined) };
  return displays;
}

/**
 * Lets queued kernel updates go out: each takes one turn of the event loop
 * (setImmediate), so ten turns drain any queue these tests build, whatever
 * the machine's load (a wall-clock wait would race with it).
 */
async function settle(): Promise<void> {
  for (let turn = 0; turn < 10; turn++) await new Promise((resolve) => setImmediate(resolve));
}

/** Collects what console.log prints while `run` runs. */
function captureLog(run: () => void): string[] {
  const lines: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    lines.push(args.join(' '));
  });
  try {
    run();
  } finally {
    log.mockRestore();
  }
  return lines;
}

describe('progressDisplay', () => {
  afterEach(removeKernel);

  it('formats the epoch, the loss and each parameter to fixed significant digits', () => {
    // Expected strings written by hand from Number.prototype.toPrecision's definition (ECMA-262).
    const progress = progressDisplay({ maxEpochs: 400, every: 1 });
    const lines = captureLog(() => progress(info(119, 0.012341, { theta: 0.30119, eta: 12.5 })));
    expect(lines).toEqual(['epoch 120/400  loss 0.01234  theta 0.3012  eta 12.50']);
    expect(progress.line).toBe(lines[0]);
  });

  it('leaves out the total without maxEpochs and puts the label first', () => {
    const progress = progressDisplay({ every: 1, digits: 2, label: 'walk' });
    const lines = captureLog(() => progress(info(0, -0.000123, { theta: 0.5 })));
    expect(lines).toEqual(['walk  epoch 1  loss -0.00012  theta 0.50']);
  });

  it('prints every `every` epochs and at the last of maxEpochs outside a kernel', () => {
    const progress = progressDisplay({ every: 3, maxEpochs: 7 });
    const lines = captureLog(() => {
      for (let e = 0; e < 7; e++) progress(info(e, e, { x: e }));
    });
    expect(lines.map((l) => l.split('  ')[0])).toEqual(['epoch 3/7', 'epoch 6/7', 'epoch 7/7']);
  });

  it('done prints the last epoch once, with why the run stopped when given the result', () => {
    const progress = progressDisplay({ every: 50 });
    const lines = captureLog(() => {
      for (let e = 0; e < 12; e++) progress(info(e, 1, { x: 0.25 }));
      progress.done();
      progress.done();
    });
    expect(lines).toEqual(['epoch 12  loss 1.000  x 0.2500']);
    const withResult = captureLog(() => progress.done({ epochs: 12, stopReason: 'patience' }));
    expect(withResult).toEqual(['epoch 12  loss 1.000  x 0.2500  (stopped: patience after 12 epochs)']);
  });

  it('done before any epoch shows nothing', () => {
    const progress = progressDisplay();
    expect(captureLog(() => progress.done({ epochs: 0, stopReason: 'callback' }))).toEqual([]);
    expect(progress.line).toBe('');
  });

  it('updates one display in place inside a kernel, one epoch per turn of the event loop, and prints nothing', async () => {
    const displays = plantKernelWithNewDisplay();
    const progress = progressDisplay({ maxEpochs: 3 });
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      for (let e = 0; e < 3; e++) {
        progress(info(e, 0.5 / (e + 1), { theta: 0.1 * (e + 1) }));
        await new Promise((resolve) => setImmediate(resolve)); // what calibrateAsync does between epochs
      }
      await progress.done({ epochs: 3, stopReason: 'maxEpochs' });
      await progress.done({ epochs: 3, stopReason: 'maxEpochs' });
      expect(log).not.toHaveBeenCalled();
    } finally {
      log.mockRestore();
    }
    expect(displays).toHaveLength(1);
    expect(displays[0].text.mock.calls.map((c) => c[0])).toEqual([
      'epoch 1/3  loss 0.5000  theta 0.1000',
      'epoch 2/3  loss 0.2500  theta 0.2000',
      'epoch 3/3  loss 0.1667  theta 0.3000',
      'epoch 3/3  loss 0.1667  theta 0.3000  (stopped: maxEpochs after 3 epochs)',
      'epoch 3/3  loss 0.1667  theta 0.3000  (stopped: maxEpochs after 3 epochs)',
    ]);
  });

  it('sends the first and the newest line of a synchronous loop, and done resolves after the last send', async () => {
    // tslab's ZeroMQ socket refuses a send while another is in progress, so one
    // turn of the event loop gets one send; lines queued meanwhile are replaced by newer ones.
    const displays = plantKernelWithNewDisplay();
    const progress = progressDisplay();
    for (let e = 0; e < 100; e++) progress(info(e, 1, { x: e }));
    expect(displays[0].text).toHaveBeenCalledTimes(1);
    await progress.done({ epochs: 100, stopReason: 'maxEpochs' });
    expect(displays[0].text.mock.calls.map((c) => c[0])).toEqual([
      'epoch 1  loss 1.000  x 0.000',
      'epoch 100  loss 1.000  x 99.00  (stopped: maxEpochs after 100 epochs)',
    ]);
  });

  it('shares one send per turn of the event loop between progress lines, in order', async () => {
    const displays = plantKernelWithNewDisplay();
    const first = progressDisplay({ label: 'a' });
    const second = progressDisplay({ label: 'b' });
    first(info(0, 1, { x: 1 }));
    second(info(0, 2, { x: 2 }));
    expect(displays.map((d) => d.text.mock.calls.length)).toEqual([1, 0]);
    await second.done();
    expect(displays.map((d) => d.text.mock.calls.map((c) => c[0]))).toEqual([['a  epoch 1  loss 1.000  x 1.000'], ['b  epoch 1  loss 2.000  x 2.000']]);
  });

  it('opens a new display when a run restarts at epoch 0', async () => {
    const displays = plantKernelWithNewDisplay();
    const progress = progressDisplay();
    progress(info(0, 1, { x: 1 }));
    progress(info(1, 1, { x: 1 }));
    progress(info(0, 2, { x: 2 }));
    await settle();
    expect(displays.map((d) => d.text.mock.calls.length)).toEqual([2, 1]);
  });

  it("falls back on tslab's display hook with one display id when newDisplay is missing", async () => {
    const hook = jest.fn();
    plantKernel(hook); // its tslab has no newDisplay, and require('tslab') finds one that is not connected
    const progress = progressDisplay();
    progress(info(0, 1, { x: 1 }));
    progress(info(1, 0.5, { x: 2 }));
    await settle();
    expect(hook).toHaveBeenCalledTimes(2);
    const [[first, update1], [second, update2]] = hook.mock.calls;
    expect(first.data).toEqual({ 'text/plain': 'epoch 1  loss 1.000  x 1.000' });
    expect(second.data).toEqual({ 'text/plain': 'epoch 2  loss 0.5000  x 2.000' });
    expect([update1, update2]).toEqual([false, true]);
    expect(first.transient.display_id).toBe(second.transient.display_id);
  });

  it('prints a deferred update that the notebook refuses instead of throwing outside the caller', async () => {
    const displays = plantKernelWithNewDisplay();
    const progress = progressDisplay();
    progress(info(0, 1, { x: 1 }));
    displays[0].text.mockImplementation(() => {
      throw new Error('socket closed');
    });
    progress(info(1, 1, { x: 2 }));
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      await settle();
      expect(log).toHaveBeenCalledWith('epoch 2  loss 1.000  x 2.000  (progressDisplay: the notebook refused the update: socket closed)');
    } finally {
      log.mockRestore();
    }
  });

  it('shows NaN as NaN', () => {
    const progress = progressDisplay({ every: 1 });
    expect(captureLog(() => progress(info(0, NaN, { x: 0.5 })))).toEqual(['epoch 1  loss NaN  x 0.5000']);
  });

  it('reports the epochs of a real calibrate run and never stops it', () => {
    const progress = progressDisplay({ every: 10, maxEpochs: 30 });
    let fit: ReturnType<typeof calibrate> | undefined;
    const lines = captureLog(() => {
      fit = calibrate({
        init: { theta: 0.5 },
        domains: { theta: 'unit' },
        loss: ({ theta }) => tf.square(tf.sub(theta, 0.3)) as tf.Scalar,
        optimizer: tf.train.adam(0.1),
        maxEpochs: 30,
        onEpoch: progress,
      });
    });
    expect(fit?.epochs).toBe(30);
    expect(lines.map((l) => l.split('  ')[0])).toEqual(['epoch 10/30', 'epoch 20/30', 'epoch 30/30']);
    const theta = fit?.history.params.theta[29] as number;
    expect(lines[2]).toBe(`epoch 30/30  loss ${(fit?.history.loss[29] as number).toPrecision(4)}  theta ${theta.toPrecision(4)}`);
  });

  it('refuses invalid options, naming the function and the option', () => {
    expect(() => progressDisplay({ every: 0 })).toThrow(/^progressDisplay: every must be an integer >= 1, but got 0$/);
    expect(() => progressDisplay({ every: 2.5 })).toThrow(/progressDisplay: every must be an integer >= 1, but got 2.5/);
    expect(() => progressDisplay({ maxEpochs: -1 })).toThrow(/progressDisplay: maxEpochs must be an integer >= 1, but got -1/);
    expect(() => progressDisplay({ digits: 0 })).toThrow(/progressDisplay: digits must be an integer in \[1, 17\], but got 0/);
    expect(() => progressDisplay({ label: 3 as unknown as string })).toThrow(/progressDisplay: label must be a string, but got 3/);
    expect(() => progressDisplay(null as unknown as object)).toThrow(/progressDisplay: options must be an object, but got null/);
  });
});
