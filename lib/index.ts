/**
 * diffabm: differentiable agent-based models on TensorFlow.js.
 *
 * The public API, by name. Call `await ready()` once before the first tensor
 * operation. The folders group it by concept:
 * - the root: backends, seeded randomness, Gumbel-Softmax, Jacobians;
 * - `walk/`: the course's random walk, its exact moments, likelihood and estimators;
 * - `abm/`: agent-based models, one module each;
 * - `calibrate/`: model-agnostic calibration (losses, the fitting loop, inference);
 * - `plot/`: figures; `notebook/`: what the notebooks display.
 */
export * as tf from '@tensorflow/tfjs';

// Backends, randomness, autodiff.
export { ready, availableBackends, BACKEND_ENV } from './backend';
export { manualSeed, initialSeed, rand, randn, bernoulli } from './random';
export { gumbelSoftmax, sampleGumbel } from './gumbel';
export type { GumbelSoftmaxOptions } from './gumbel';
export { jacobian, jvp } from './jacobian';
export type { JacobianMode, TensorFunction } from './jacobian';
export { sampleJacobians } from './sampleJacobians';
export type { SampleJacobiansOptions } from './sampleJacobians';

// The random walk.
export { randomWalkNaive, randomWalk } from './walk/randomWalk';
export { straightThroughMoments } from './walk/moments';
export { countSteps, walkLogLikelihood, betaPosterior } from './walk/likelihood';
export type { StepCounts } from './walk/likelihood';
export {
  pathwiseObjective,
  scoreFunctionObjective,
  finiteDifferenceObjective,
  walkIncrementLoss,
  estimateGradient,
  walkObjectives,
} from './walk/estimators';
export type {
  PathLoss,
  WalkEstimatorOptions,
  PathwiseOptions,
  ScoreFunctionOptions,
  FiniteDifferenceOptions,
  WalkIncrementLossOptions,
  GradientEstimate,
} from './walk/estimators';

// Agent-based models.
export { contModel } from './abm/cont';
export type { ContParams, ContOptions } from './abm/cont';
export { autocorrelation, lagPairs } from './abm/autocorrelation';

// Calibration.
export { mmd, medianBandwidth } from './calibrate/mmd';
export type { MMDOptions } from './calibrate/mmd';
export { calibrate, calibrateAsync, toDomain, fromDomain } from './calibrate/optimize';
export type { Domain, EpochInfo, CalibrateOptions, CalibrationResult } from './calibrate/optimize';
export { sampleLogitNormal, variationalObjective, fitLogitNormal } from './calibrate/vi';
export type { ThetaLoss, VariationalObjectiveOptions, FitLogitNormalOptions, LogitNormalFit } from './calibrate/vi';
export {
  lgamma,
  digamma,
  logBeta,
  betaPdf,
  logitNormalPdf,
  klBeta,
  unitGrid,
  hellingerDistance,
  totalVariation,
  klDivergence,
} from './calibrate/densities';

// Figures.
export { Figure, figure, plot, hist, subplots } from './plot/figure';
export type { FigureSpec, FigureOptions, SubplotsOptions, LineStyle, HistStyle } from './plot/figure';
export { show } from './plot/display';
export type { ShowOptions } from './plot/display';
export { renderPng, closeBrowser } from './plot/render';

// Notebook display.
export { functionSource, showSource } from './notebook/source';
export { markdownTable, showTable } from './notebook/table';
export type { Row } from './notebook/table';
export { showMarkdown } from './notebook/markdown';
export { progressDisplay } from './notebook/progress';
export type { ProgressOptions, ProgressCallback } from './notebook/progress';
