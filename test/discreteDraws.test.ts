/**
 * Tests of the context through which discrete draws report themselves to
 * `derivativeEstimate`: the stack of estimates, `outsideEstimate`, and what
 * `reportDraw` records and forces. Contexts are built here by hand, as
 * `derivativeEstimate` builds them; expected records are written from the
 * inputs given.
 */
import * as tf from '@tensorflow/tfjs';
import { currentEstimate, outsideEstimate, reportDraw, withinEstimate, type EstimateContext } from '../lib/discreteDraws';
import { bernoulli, manualSeed } from '../lib/random';
import { values } from './util';

function context(fn = 'estimate', force = new Map<number, Map<number, number>>()): EstimateContext {
  return { fn, draws: [], force, probs: null, engines: true };
}

describe('the estimate stack', () => {
  it('has no estimate outside withinEstimate', () => {
    expect(currentEstimate()).toBeNull();
  });

  it('gives the innermost estimate while run runs, returns its result, and pops it after', () => {
    const outer = context('outer');
    const inner = context('inner');
    const seen = withinEstimate(outer, () => {
      const inside = withinEstimate(inner, () => currentEstimate());
      return [inside, currentEstimate()];
    });
    expect(seen).toEqual([inner, outer]);
    expect(seen[0]).toBe(inner);
    expect(seen[1]).toBe(outer);
    expect(currentEstimate()).toBeNull();
  });

  it('pops the estimate when run throws', () => {
    expect(() =>
      withinEstimate(context(), () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(currentEstimate()).toBeNull();
  });

  it('hides every estimate inside outsideEstimate and restores them all after, also after a throw', () => {
    const outer = context('outer');
    const inner = context('inner');
    withinEstimate(outer, () =>
      withinEstimate(inner, () => {
        expect(outsideEstimate(() => currentEstimate())).toBeNull();
        expect(currentEstimate()).toBe(inner);
        expect(() =>
          outsideEstimate(() => {
            throw new Error('inside');
          }),
        ).toThrow('inside');
        expect(currentEstimate()).toBe(inner);
        return null;
      }),
    );
    expect(currentEstimate()).toBeNull();
  });
});

describe('reportDraw', () => {
  it('records a Bernoulli draw: kind, function, shape, outcomes and probabilities, in order', () => {
    const c = context();
    const p = tf.tensor2d([0.1, 0.5, 0.9, 0.3], [2, 2]);
    const outcome = Float32Array.from([0, 1, 1, 0]);
    expect(reportDraw(c, 'bernoulli', 'bernoulli', p, outcome)).toBe(outcome);
    reportDraw(c, 'bernoulli', 'second', tf.scalar(0.2), Float32Array.from([1]));
    expect(c.draws).toHaveLength(2);
    expect(c.draws[0]).toEqual({
      kind: 'bernoulli',
      fn: 'bernoulli',
      shape: [2, 2],
      outcome: Float32Array.from([0, 1, 1, 0]),
      probs: Float32Array.from([0.1, 0.5, 0.9, 0.3]),
      totalCount: null,
      classes: 1,
    });
    expect(c.draws[1].fn).toBe('second');
    expect(c.draws[1].shape).toEqual([]);
    tf.dispose(p);
  });

  it('records a binomial draw with its trials', () => {
    const c = context();
    const p = tf.tensor1d([0.3, 0.6]);
    reportDraw(c, 'binomial', 'Binomial.sample', p, Float32Array.from([2, 5]), Float32Array.from([4, 7]));
    expect(c.draws[0].kind).toBe('binomial');
    expect(Array.from(c.draws[0].totalCount as Float32Array)).toEqual([4, 7]);
    expect(c.draws[0].classes).toBe(1);
    p.dispose();
  });

  it('takes the last axis of a categorical draw as its classes, and leaves it out of the shape', () => {
    const c = context();
    const p = tf.tensor2d([0.2, 0.5, 0.3, 0.6, 0.1, 0.3], [2, 3]);
    reportDraw(c, 'categorical', 'Categorical.sample', p, Float32Array.from([1, 2]));
    expect(c.draws[0].classes).toBe(3);
    expect(c.draws[0].shape).toEqual([2]);
    expect(c.draws[0].probs).toHaveLength(6);
    p.dispose();
  });

  it('forces the outcomes of its draw index, element by element, in place', () => {
    const force = new Map([[1, new Map([[0, 1], [2, 0]])]]);
    const c = context('estimate', force);
    const p = tf.tensor1d([0.5, 0.5, 0.5]);
    const first = Float32Array.from([0, 0, 1]);
    const second = Float32Array.from([0, 0, 1]);
    reportDraw(c, 'bernoulli', 'a', p, first);
    const out = reportDraw(c, 'bernoulli', 'b', p, second);
    // Draw 0 has nothing forced; draw 1 has element 0 set to 1 and element 2 to 0.
    expect(Array.from(first)).toEqual([0, 0, 1]);
    expect(out).toBe(second);
    expect(Array.from(second)).toEqual([1, 0, 0]);
    expect(Array.from(c.draws[1].outcome)).toEqual([1, 0, 0]);
    p.dispose();
  });

  it('keeps the probability tensors, past a tidy, when the estimate collects them', () => {
    const c = context();
    c.probs = [];
    tf.tidy(() => {
      const q = tf.sigmoid(tf.tensor1d([0, 1]));
      reportDraw(c, 'bernoulli', 'bernoulli', q, Float32Array.from([0, 1]));
    });
    expect(c.probs).toHaveLength(1);
    expect(c.probs[0].isDisposed).toBe(false);
    expect(values(c.probs[0])).toEqual(Array.from(new Float32Array([0.5, 1 / (1 + Math.exp(-1))])));
    tf.dispose(c.probs);
  });

  it('creates no tensor when the estimate does not collect probabilities', () => {
    const c = context();
    const p = tf.tensor1d([0.5]);
    const before = tf.memory().numTensors;
    reportDraw(c, 'bernoulli', 'bernoulli', p, Float32Array.from([1]));
    expect(tf.memory().numTensors).toBe(before);
    p.dispose();
  });
});

describe('a library draw inside an estimate', () => {
  it('reports itself inside withinEstimate and not outside, and returns its forced outcome', () => {
    manualSeed(5);
    const p = tf.tensor1d([0.5, 0.5, 0.5, 0.5]);
    const c = context('estimate', new Map([[0, new Map([[0, 1], [1, 0], [2, 1], [3, 0]])]]));
    const y = withinEstimate(c, () => bernoulli(p));
    expect(c.draws).toHaveLength(1);
    expect(c.draws[0].kind).toBe('bernoulli');
    expect(c.draws[0].fn).toBe('bernoulli');
    expect(values(y)).toEqual([1, 0, 1, 0]);
    const z = bernoulli(p);
    expect(c.draws).toHaveLength(1);
    tf.dispose([p, y, z]);
  });
});
