import { defineConfig } from 'vitest/config';

// Run on its own (`pnpm test:e2e`): it needs Debian's chromium and redis-server, which
// `.ci/run` installs. Files run one at a time: each starts a browser or a Redis.
const json = process.env.VITEST_JSON;

export default defineConfig({
  test: {
    name: 'e2e',
    root: import.meta.dirname,
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    reporters: json ? ['default', 'json'] : ['default'],
    ...(json ? { outputFile: { json } } : {}),
  },
});
