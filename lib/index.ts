/**
 * diffabm: differentiable agent-based models on TensorFlow.js.
 *
 * Call `await ready()` once before the first tensor operation.
 */
export * as tf from '@tensorflow/tfjs';
export { ready, availableBackends, nativeBackendError, BACKEND_ENV } from './backend';
export { manualSeed, initialSeed, rand, randn, bernoulli } from './random';
export { gumbelSoftmax, sampleGumbel } from './gumbel';
export type { GumbelSoftmaxOptions } from './gumbel';
export { randomWalkNaive, randomWalk } from './walk';
export { jacobian, jvp } from './jacobian';
export type { JacobianMode, TensorFunction } from './jacobian';
export { sampleJacobians } from './sample';
export type { SampleJacobiansOptions } from './sample';
export { functionSource, showSource } from './source';
export { straightThroughMoments } from './theory';
export { markdownTable, showTable } from './table';
export type { Row } from './table';
export { showMarkdown } from './markdown';
export { Figure, figure, plot, hist, subplots } from './plot';
export { show, mimeBundle, findKernel, renderPng, closeBrowser } from './plot';
export type { FigureSpec, FigureOptions, SubplotsOptions, LineStyle, HistStyle, ShowOptions } from './plot';
export * from './abm';
export * from './calibrate';
export { progressDisplay } from './progress';
export type { ProgressOptions, ProgressCallback } from './progress';
