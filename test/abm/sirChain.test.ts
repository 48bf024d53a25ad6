/**
 * The SIR count-level Markov chain against test/fixtures/sir_chain.json, made by an independent
 * NumPy/SciPy program (test/fixtures/scripts/sir_chain.py) in float64, derivatives by central differences.
 */
import * as tf from '@tensorflow/tfjs';
import * as fs from 'fs';
import * as path from 'path';
import { sirExpectedCounts } from '../../lib/abm/sirChain';
import { sirModel } from '../../lib/abm/sir';
import { manualSeed } from '../../lib/random';
import { expectClose, expectNoLeak, expectWithinSE } from '../util';

const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'sir_chain.json'), 'utf8'));
const options = { nAgents: fixture.nAgents, nTimesteps: fixture.nTimesteps, initialFractionInfected: fixture.initialFractionInfected };

describe('sirExpectedCounts', () => {
  it('gives the expected daily counts of the float64 reference (rtol 1e-4)', () => {
    const y = expectNoLeak(() => sirExpectedCounts({ beta: fixture.beta, gamma: fixture.gamma }, options));
    expect(y.shape).toEqual([2, fixture.nTimesteps]);
    const v = y.dataSync();
    y.dispose();
    expectClose(v, [...fixture.counts[0], ...fixture.counts[1]], 1e-4, 1e-7);
  });

  it('gives the exact derivatives of the total infected by autodiff: about 1.55 in beta and -3.85 in gamma', () => {
    const beta = tf.scalar(fixture.beta);
    const gamma = tf.scalar(fixture.gamma);
    const g = tf.grads((b: tf.Tensor, c: tf.Tensor) => tf.sum(tf.slice(sirExpectedCounts({ beta: b, gamma: c }, options), [0, 0], [1, -1])));
    const [db, dc] = g([beta, gamma]);
    const sum = (row: number[]) => row.reduce((a, b) => a + b, 0);
    expectClose([db.dataSync()[0], dc.dataSync()[0]], [sum(fixture.dBeta[0]), sum(fixture.dGamma[0])], 2e-3);
    tf.dispose([beta, gamma, db, dc]);
  });

  it('matches the mean of sirModel runs within Z_TOLERANCE standard errors (N = 20, T = 15)', () => {
    manualSeed(11);
    const small = { nAgents: 20, nTimesteps: 15, initialFractionInfected: 0.1 };
    const n = 2000;
    const runs = sirModel({ beta: tf.fill([n], 0.5), gamma: tf.fill([n], 0.1) }, small);
    const { mean, variance } = tf.moments(runs, 0);
    const m = mean.dataSync();
    const v = variance.dataSync();
    const exact = sirExpectedCounts({ beta: 0.5, gamma: 0.1 }, small).dataSync();
    for (let i = 0; i < m.length; i++) if (v[i] > 0) expectWithinSE(m[i], exact[i], Math.sqrt(v[i] / n), `entry ${i}`);
    tf.dispose([runs, mean, variance]);
  });

  it('names rates and options out of range', () => {
    expect(() => sirExpectedCounts({ beta: -1, gamma: 0.1 }, options)).toThrow(/sirExpectedCounts: params.beta must be a finite number >= 0/);
    expect(() => sirExpectedCounts({ beta: 0.2, gamma: 0.1 }, { ...options, nAgents: 500 })).toThrow(/nAgents must be an integer in \[1, 200\]/);
  });
});
