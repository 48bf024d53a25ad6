// Runs each test file on the backend named by its Jest project (see jest.config.js).
import { ready } from '../lib/backend';

declare const DIFFABM_TEST_BACKEND: string;

beforeAll(async () => {
  await ready(DIFFABM_TEST_BACKEND);
});
