/** Agent-based models and the statistics of their outputs. */
export { contModel } from './cont';
export type { ContParams, ContOptions } from './cont';
export { autocorrelation, lagPairs } from './stats';
