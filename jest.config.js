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

// A test file that imports no TensorFlow.js package runs no tensor operation of
// its own, and the backend cannot change it: it runs once, in the project
// `plain`, whose setup file fails it if a tensor operation ran after all.
const fs = require('fs');
const path = require('path');

function testFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'fixtures' ? [] : testFiles(full);
    return entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

const IMPORTS_TENSORFLOW = /(?:from\s+|require\(\s*|import\s*\(\s*)['"]@tensorflow\//;
const TENSOR_FREE = testFiles(path.join(__dirname, 'test')).filter(
  (file) => !IMPORTS_TENSORFLOW.test(fs.readFileSync(file, 'utf8')),
);

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

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
      testPathIgnorePatterns: [...base.testPathIgnorePatterns, ...TENSOR_FREE.map((f) => `^${escapeRegExp(f)}$`)],
      globals: { DIFFABM_TEST_BACKEND: backend },
      setupFilesAfterEnv: ['<rootDir>/test/setup-backend.ts'],
    })),
    { ...base, displayName: 'plain', testMatch: TENSOR_FREE, setupFilesAfterEnv: ['<rootDir>/test/setup-plain.ts'] },
  ],
};
