// Runs the tests that use tensors once per TensorFlow.js backend that loads on
// this machine (always `cpu` and `wasm`, and `tensorflow` where the optional
// tfjs-node package is installed and loads), and the tests that never run a
// tensor operation once, in the project `plain`.
'use strict';

function nativeLoads() {
  try {
    require('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
}

const backends = ['cpu', 'wasm', ...(nativeLoads() ? ['tensorflow'] : [])];

// Test files that run no tensor operation: the backend cannot change them.
const TENSOR_FREE = [
  '<rootDir>/test/check.test.ts',
  '<rootDir>/test/walk/moments.test.ts',
  '<rootDir>/test/calibrate/densities.test.ts',
  '<rootDir>/test/plot/display.test.ts',
  '<rootDir>/test/plot/render.test.ts',
  '<rootDir>/test/notebook/markdown.test.ts',
  '<rootDir>/test/notebook/source.test.ts',
  '<rootDir>/test/notebook/table.test.ts',
  '<rootDir>/test/calibrate/special.test.ts',
  '<rootDir>/test/plot/colors.test.ts',
  '<rootDir>/test/plot/bins.test.ts',
  '<rootDir>/test/plot/styles.test.ts',
  '<rootDir>/test/plot/layout.test.ts',
  '<rootDir>/test/plot/traces.test.ts',
  '<rootDir>/test/notebook/kernel.test.ts',
  '<rootDir>/test/plot/chromium.test.ts',
  '<rootDir>/test/plot/graph.test.ts',
  '<rootDir>/test/symbolic.test.ts',
  '<rootDir>/test/notebook/image.test.ts',
  '<rootDir>/test/notebooks.test.ts',
  '<rootDir>/test/stats.test.ts',
  '<rootDir>/test/differenceQuotient.test.ts',
];

const base = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
};

module.exports = {
  testTimeout: 120000,
  projects: [
    ...backends.map((backend) => ({
      ...base,
      displayName: backend,
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: [...base.testPathIgnorePatterns, ...TENSOR_FREE.map((f) => f.replace('<rootDir>', ''))],
      globals: { DIFFABM_TEST_BACKEND: backend },
      setupFilesAfterEnv: ['<rootDir>/test/setup-backend.ts'],
    })),
    { ...base, displayName: 'plain', testMatch: TENSOR_FREE },
  ],
};
