// The project `plain` runs the test files that import no TensorFlow.js package
// (see jest.config.js). A library function they call may still run a tensor
// operation, which would start a backend; then the file belongs with the
// per-backend projects, and this check says so.
afterAll(() => {
  const engine = (globalThis as { _tfengine?: { backendInstance?: unknown } })._tfengine;
  if (engine?.backendInstance) {
    throw new Error(
      'a test file in the project plain ran a tensor operation: import @tensorflow/tfjs in it so that it runs on every backend',
    );
  }
});
