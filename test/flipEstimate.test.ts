import { flipEstimateReference } from '../lib/flipEstimate';
import { manualSeed } from '../lib/random';
import { expectWithinSE, moments } from './util';

const NUM_SAMPLES = 20000;

/** The binomial pmf b(k; n, p) in float64. */
function binomialPmf(k: number, n: number, p: number): number {
  let logChoose = 0;
  for (let i = 1; i <= k; i++) logChoose += Math.log((n - k + i) / i);
  return Math.exp(logChoose + k * Math.log(p) + (n - k) * Math.log1p(-p));
}

const samples = (f: (xi: number[]) => number, p: number[], dp: number[]) => Array.from({ length: NUM_SAMPLES }, () => flipEstimateReference(f, p, dp));

describe('flipEstimateReference', () => {
  const T = 20;
  const theta = 0.35;
  const walk = (xi: number[]) => xi.reduce((x, s) => x + 2 * s - 1, 0);

  it("gives the walk's exact derivative 2T with the single-flip variance 4 T theta / (1 - theta)", () => {
    // Sources: E[x_T] = T (2 theta - 1); the estimate is 2 (number of down steps) / (1 - theta), whose
    // variance is 4 T theta (1 - theta) / (1 - theta)^2. The variance of the sample variance is about 2 var^2 / n.
    manualSeed(1);
    const m = moments(samples(walk, new Array(T).fill(theta), new Array(T).fill(1)));
    expectWithinSE(m.mean, 2 * T, m.se, 'mean');
    const exactVariance = (4 * T * theta) / (1 - theta);
    expectWithinSE(m.variance, exactVariance, exactVariance * Math.sqrt(2 / NUM_SAMPLES), 'variance');
  });

  it('flips ones to zeros when a probability falls (p = 1 - theta)', () => {
    // E[walk] with up-probability 1 - theta: T (1 - 2 theta), derivative -2T.
    manualSeed(2);
    const m = moments(samples(walk, new Array(T).fill(1 - theta), new Array(T).fill(-1)));
    expectWithinSE(m.mean, -2 * T, m.se, 'mean');
  });

  it('differentiates an indicator: d P(x_T > 0) / d theta = T b(floor(T/2); T - 1, theta)', () => {
    // P(x_T > 0) = P(K >= floor(T/2) + 1), K ~ Binomial(T, theta): a binomial tail, whose derivative is T b(m - 1; T - 1, theta).
    manualSeed(3);
    const m = moments(samples((xi) => (walk(xi) > 0 ? 1 : 0), new Array(T).fill(theta), new Array(T).fill(1)));
    const exact = T * binomialPmf(Math.floor(T / 2), T - 1, theta);
    expect(m.se).toBeLessThan(0.1 * exact);
    expectWithinSE(m.mean, exact, m.se, 'indicator');
  });

  it('mixes rising and falling probabilities and draws that do not move', () => {
    // f = 3 xi_0 - 2 xi_1 + 5 xi_2: d E / d theta = 3 p_0' - 2 p_1' + 5 p_2' = 3 (0.5) - 2 (-2) + 0.
    manualSeed(4);
    const m = moments(samples((xi) => 3 * xi[0] - 2 * xi[1] + 5 * xi[2], [0.2, 0.6, 0.5], [0.5, -2, 0]));
    expectWithinSE(m.mean, 5.5, m.se, 'mixed');
  });

  it('repeats exactly under manualSeed, and is 0 when nothing can flip', () => {
    manualSeed(5);
    const a = flipEstimateReference(walk, [0.3, 0.4], [1, 1]);
    manualSeed(5);
    expect(flipEstimateReference(walk, [0.3, 0.4], [1, 1])).toBe(a);
    expect(flipEstimateReference(walk, [0.3, 0.4], [0, 0])).toBe(0);
  });

  it('refuses probabilities outside (0, 1) and derivatives that do not match, naming the argument', () => {
    expect(() => flipEstimateReference(walk, [], [])).toThrow(/flipEstimateReference: p must be a non-empty array of probabilities in \(0, 1\)/);
    expect(() => flipEstimateReference(walk, [0.5, 1], [1, 1])).toThrow(/flipEstimateReference: p/);
    expect(() => flipEstimateReference(walk, [0.5], [1, 2])).toThrow(/flipEstimateReference: dp must be an array of 1 finite numbers/);
    expect(() => flipEstimateReference(walk, [0.5], [NaN])).toThrow(/flipEstimateReference: dp/);
    expect(() => flipEstimateReference('f' as never, [0.5], [1])).toThrow(/flipEstimateReference: f must be a function/);
  });
});
