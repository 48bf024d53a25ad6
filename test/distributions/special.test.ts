import * as fs from 'fs';
import * as path from 'path';
import { digamma, lgamma, logBeta } from '../../lib/distributions/special';
import { expectClose } from '../util';

const EULER_GAMMA = 0.5772156649015329;

/** SciPy's values, written by test/fixtures/scripts/special.py. */
const scipy = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'special.json'), 'utf8')) as {
  lgamma: [number, number][];
  digamma: [number, number][];
  logBeta: [number, number, number][];
};

describe('lgamma', () => {
  it('matches known values', () => {
    // Gamma(5) = 24, Gamma(1/2) = sqrt(pi), Gamma(10.5) = 1133278.3889487856 (A&S table / exact products).
    expectClose([lgamma(5), lgamma(0.5), lgamma(1), lgamma(10.5), lgamma(0.1)], [Math.log(24), 0.5 * Math.log(Math.PI), 0, Math.log(1133278.3889487856), 2.252712651734206], 1e-12, 1e-13);
  });

  it('matches scipy.special.gammaln from 1e-3 to 1e5 (fixture)', () => {
    // Relative 1e-13 and absolute 1e-13: float64, near the zeros of log Gamma at 1 and 2 the absolute part counts.
    expectClose(scipy.lgamma.map(([x]) => lgamma(x)), scipy.lgamma.map(([, v]) => v), 1e-13, 1e-13);
  });

  it('refuses x <= 0 and non-finite x', () => {
    expect(() => lgamma(0)).toThrow(/lgamma: x must be a finite number > 0, but got 0/);
    expect(() => lgamma(Infinity)).toThrow(/lgamma: x must be a finite number > 0, but got Infinity/);
    expect(() => lgamma(NaN)).toThrow(/lgamma: x must be a finite number > 0, but got NaN/);
  });
});

describe('digamma', () => {
  it('matches known values', () => {
    // psi(1) = -gamma, psi(1/2) = -gamma - 2 log 2, psi(n + 1) = psi(n) + 1/n.
    expectClose([digamma(1), digamma(0.5), digamma(4)], [-EULER_GAMMA, -EULER_GAMMA - 2 * Math.log(2), -EULER_GAMMA + 1 + 1 / 2 + 1 / 3], 1e-11, 1e-12);
  });

  it('matches scipy.special.digamma from 1e-3 to 1e5 (fixture)', () => {
    expectClose(scipy.digamma.map(([x]) => digamma(x)), scipy.digamma.map(([, v]) => v), 1e-12, 1e-12);
  });

  it('is the derivative of lgamma (central differences)', () => {
    for (const x of [0.3, 2.5, 17]) {
      const h = 1e-5;
      expectClose([digamma(x)], [(lgamma(x + h) - lgamma(x - h)) / (2 * h)], 1e-7, 1e-7);
    }
  });

  it('refuses x <= 0', () => {
    expect(() => digamma(-1)).toThrow(/digamma: x must be a finite number > 0, but got -1/);
  });
});

describe('logBeta', () => {
  it('matches B(2, 3) = 1/12 and B(1/2, 1/2) = pi', () => {
    expectClose([Math.exp(logBeta(2, 3)), Math.exp(logBeta(0.5, 0.5))], [1 / 12, Math.PI], 1e-12);
  });

  it('matches scipy.special.betaln (fixture)', () => {
    // Relative 1e-12: for large a, b, log B is a small difference of large log Gammas.
    expectClose(scipy.logBeta.map(([a, b]) => logBeta(a, b)), scipy.logBeta.map(([, , v]) => v), 1e-12, 1e-12);
  });

  it('is symmetric', () => {
    expect(logBeta(0.2, 7.5)).toBe(logBeta(7.5, 0.2));
  });

  it('refuses non-positive arguments, naming them', () => {
    expect(() => logBeta(0, 2)).toThrow(/logBeta: a must be a finite number > 0, but got 0/);
    expect(() => logBeta(2, -1)).toThrow(/logBeta: b must be a finite number > 0, but got -1/);
  });
});
