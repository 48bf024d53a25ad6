// Runs every test file once per TensorFlow.js backend that loads on this
// machine: always `cpu` and `wasm`, and `tensorflow` (tfjs-node) where the
// optional native package is installed and loads.
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
    // Tests that need a backend run once per backend.
    ...backends.map((backend) => ({
      ...base,
      displayName: backend,
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: [...base.testPathIgnorePatterns, '/test/plot/', '/test/notebooks/'],
      globals: { DIFFABM_TEST_BACKEND: backend },
      setupFilesAfterEnv: ['<rootDir>/test/setup-backend.ts'],
    })),
    // Tests that do not touch tensors run once.
    {
      ...base,
      displayName: 'plot',
      testMatch: ['<rootDir>/test/plot/**/*.test.ts', '<rootDir>/test/notebooks/**/*.test.ts'],
    },
  ],
};
