import { defineConfig } from 'vitest/config';

/**
 * Tests that choose a tfjs backend or register kernels: tfjs keeps both per process, and switching
 * backends while tensors are alive corrupts casts (test/probe/gradcheck/backend.ts), so each of these
 * files gets a fresh worker.
 */
const TFJS_STATE = ['test/probe/**/*.test.ts', 'test/model/**/*.test.ts', 'test/trials/probe-pool.test.ts'];

export default defineConfig({
  resolve: {
    // The two CommonJS bridges of src/ (src/util/tfjs.cts says why they exist) use TypeScript's
    // `import = require`, which vite does not transform: tests import the packages they bridge.
    alias: [
      { find: /^(\.\.?\/)+util\/tfjs\.cjs$/, replacement: '@tensorflow/tfjs' },
      { find: /^\.\/register-wasm-backend\.cjs$/, replacement: '@tensorflow/tfjs-backend-wasm' },
    ],
  },
  test: {
    // The property tests run thousands of cases; the end-to-end tests train.
    testTimeout: 60_000,
    // Threads start faster than forks, and vitest's default on two cores is a single worker.
    pool: 'threads',
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        // The rest of the unit tests share one module graph per worker instead of importing it per file:
        // a third less CPU. None of them sets process-wide state.
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/e2e/**', ...TFJS_STATE], isolate: false },
      },
      { extends: true, test: { name: 'unit-tfjs', include: TFJS_STATE } },
      {
        extends: true,
        // They spawn bin/convdoc.js, which runs dist/: built first when src/ is newer.
        test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], globalSetup: ['test/e2e/build-if-stale.ts'] },
      },
    ],
  },
});
