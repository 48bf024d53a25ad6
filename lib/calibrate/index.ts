/** Calibration of stochastic simulators: losses, gradient estimators, the fitting loop, variational inference. */
export { mmd, medianBandwidth } from './mmd';
export type { MMDOptions } from './mmd';
export { calibrate, calibrateAsync, toDomain, fromDomain } from './optimize';
export type { Domain, EpochInfo, CalibrateOptions, CalibrationResult } from './optimize';
export {
  pathwiseObjective,
  scoreFunctionObjective,
  finiteDifferenceObjective,
  walkIncrementLoss,
  estimateGradient,
  walkObjectives,
} from './estimators';
export type {
  PathLoss,
  WalkEstimatorOptions,
  PathwiseOptions,
  ScoreFunctionOptions,
  FiniteDifferenceOptions,
  WalkIncrementLossOptions,
  GradientEstimate,
} from './estimators';
export { countSteps, walkLogLikelihood, betaPosterior } from './likelihood';
export type { StepCounts } from './likelihood';
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
} from './density';
export { sampleLogitNormal, variationalObjective, fitLogitNormal } from './vi';
export type { ThetaLoss, VariationalObjectiveOptions, FitLogitNormalOptions, LogitNormalFit } from './vi';
