/**
 * Constants of float32 arithmetic, the precision TensorFlow.js computes in.
 */

/** The smallest positive normal float32, 2^-126: the floor that keeps a logarithm or a quotient finite. */
export const FLOAT32_TINY = 1.1754943508222875e-38;
