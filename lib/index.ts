/**
 * diffabm: differentiable agent-based models on TensorFlow.js.
 *
 * The public API, by name. Call `await ready()` once before the first tensor
 * operation. The folders group it by concept:
 * - the root: backends, seeded randomness, sample summaries, Gumbel-Softmax,
 *   Jacobians and their samples, unbiased derivative estimates of programs with
 *   discrete draws, the stop-gradient, straight-through moments, finite differences,
 *   symbolic sizes, TensorFlow.js's recorded graph, registered gradient fixes;
 * - `distributions/`: `Normal`, `Bernoulli`, `RelaxedBernoulli`, `Binomial`,
 *   `Categorical`, as in `torch.distributions`, with the score-function estimator,
 *   special functions and densities;
 * - `walk/`: the course's random walk, its exact moments, likelihood and estimators;
 * - `abm/`: agent-based models, one module each (a new model goes here);
 * - `calibrate/`: model-agnostic calibration (losses, the fitting loop, inference);
 * - `plot/`: figures; `notebook/`: what the notebooks display.
 */
export * as tf from '@tensorflow/tfjs';

// Backends, randomness, autodiff.
export { ready, availableBackends, BACKEND_ENV } from './backend';
export { manualSeed, initialSeed, rand, randn, bernoulli } from './random';
export { mean, variance, summarize, median, slope, ratioOfMeans } from './stats';
export type { Sample, Summary, Ratio } from './stats';
export { gumbelSoftmax, sampleGumbel } from './gumbel';
export type { GumbelSoftmaxOptions } from './gumbel';
export { jacobian, jvp, jacobianByPasses } from './jacobian';
export type { JacobianMode, JacobianOptions, JacobianStrategy, TensorFunction } from './jacobian';
export { sampleJacobians } from './sampleJacobians';
export type { SampleJacobiansOptions } from './sampleJacobians';
export { derivativeEstimate, sampleDerivativeEstimates } from './derivativeEstimate';
export type { DerivativeEstimateOptions, SampleDerivativeEstimatesOptions, EstimateRoute } from './derivativeEstimate';
export { flipEstimateReference } from './flipEstimate';

// Distributions and estimators.
export { Distribution } from './distributions/distribution';
export { detach, withoutGradient } from './withoutGradient';
export type { Parameter } from './distributions/distribution';
export { Normal } from './distributions/normal';
export { Bernoulli } from './distributions/bernoulli';
export { RelaxedBernoulli } from './distributions/relaxedBernoulli';
export { Binomial } from './distributions/binomial';
export { Categorical } from './distributions/categorical';
export { scoreFunctionSurrogate, scoreFunctionGradient } from './distributions/scoreFunction';
export { straightThroughBernoulliMoments, straightThroughSumMoments } from './straightThrough';
export type { Moments, StraightThroughTerm } from './straightThrough';
export { gradientSurrogate } from './gradientSurrogate';
export { lgamma, digamma, logBeta } from './distributions/special';
export {
  betaPdf,
  logitNormalPdf,
  klBeta,
  unitGrid,
  hellingerDistance,
  totalVariation,
  klDivergence,
} from './distributions/densities';

// Finite differences, symbolic sizes and computational graphs.
export {
  forwardDifference,
  centralDifference,
  defaultStep,
  differenceErrors,
  logspace,
  FLOAT64_EPSILON,
  FLOAT32_EPSILON,
} from './finiteDifferences';
export type { DifferenceScheme, DifferenceDtype, DifferenceErrorOptions } from './finiteDifferences';
export { forwardDifferenceQuotient } from './differenceQuotient';
export { expressionSize, distinctSubexpressions, compose, expressionGraph } from './symbolic';
export type { ExpressionGraphOptions } from './symbolic';
export { recordProgram, computationGraph } from './computationGraph';
export type { RecordedProgram, RecordedOperation, GraphFunction, ComputationGraphOptions } from './computationGraph';

// The random walk.
export { randomWalkNaive, randomWalk } from './walk/randomWalk';
export { walkJacobian } from './walk/walkJacobian';
export type { WalkJacobianOptions, WalkWithJacobian } from './walk/walkJacobian';
export { straightThroughMoments } from './walk/moments';
export { walkMean, walkMeanDerivative, walkProbabilityPositive, walkProbabilityPositiveDerivative } from './walk/exact';
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
export { contModel, contModelReference } from './abm/cont';
export type { ContParams, ContOptions, ContScalars } from './abm/cont';
export { autocorrelation, lagPairs } from './abm/autocorrelation';
export { sirModel } from './abm/sir';
export type { SirParams, SirOptions } from './abm/sir';
export { sirExpectedCounts } from './abm/sirChain';
export type { SirChainOptions } from './abm/sirChain';
export { sirReference } from './abm/sirReference';
export { sirScores } from './abm/sirScore';
export type { SirScores } from './abm/sirScore';

// Calibration.
export { mmd, medianBandwidth, twoSimulationMMD, twoSimulationMMDReference } from './calibrate/mmd';
export type { MMDOptions } from './calibrate/mmd';
export { calibrate, calibrateAsync, toDomain, fromDomain } from './calibrate/optimize';
export type { Domain, EpochInfo, CalibrateOptions, CalibrationResult } from './calibrate/optimize';
export { clipGradNorm } from './calibrate/clip';
export { sampleLogitNormal, variationalObjective, fitLogitNormal } from './calibrate/vi';
export type { ThetaLoss, VariationalObjectiveOptions, FitLogitNormalOptions, LogitNormalFit } from './calibrate/vi';
export { gaussianVariationalObjective, fitGaussian } from './calibrate/gaussianVI';
export type { VectorLoss, DiagonalGaussian, GaussianObjectiveOptions, FitGaussianOptions, GaussianFit } from './calibrate/gaussianVI';

// Figures.
export { Figure, figure, plot, hist, subplots } from './plot/figure';
export type { FigureSpec, FigureOptions, SubplotsOptions, LineStyle, HistStyle } from './plot/figure';
export type { BoxStyle, FillStyle, MarkerStyle, MarkerSymbol, ContourStyle, Scale, DashStyle, Series, SeriesList } from './plot/figure';
export { renderPng, closeBrowser } from './plot/render';
export { chromiumPath, chromiumInstalled, CHROMIUM_ARGS, DEFAULT_CHROMIUM_PATH } from './plot/chromium';
export { toDot, renderSvg, svgSize, svgToPng } from './plot/graph';
export type { Graph, GraphNode, GraphEdge, GraphNodeKind } from './graph';

// Notebook display.
export { show } from './notebook/display';
export type { ShowOptions } from './notebook/display';
export { showGraph } from './notebook/graph';
export type { ShowGraphOptions } from './notebook/graph';
export { functionSource, showSource, withoutChecks } from './notebook/source';
export type { SourceOptions } from './notebook/source';
export { markdownTable, showTable } from './notebook/table';
export type { Row } from './notebook/table';
export { showMarkdown } from './notebook/markdown';
export { showImage, imageBundle } from './notebook/image';
export type { Image, ShowImageOptions } from './notebook/image';
export { progressDisplay } from './notebook/progress';
export type { ProgressOptions, ProgressCallback } from './notebook/progress';
