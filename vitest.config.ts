import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // End-to-end tests spawn the built CLI; the property tests run thousands of cases.
    testTimeout: 60_000,
  },
});
