import { defineConfig } from 'vitest/config';

// `.ci/run` sets VITEST_JSON to get a machine-readable report for its closing line.
const json = process.env.VITEST_JSON;

export default defineConfig({
  test: {
    projects: [
      'packages/*/vitest.config.ts',
      'examples/*/vitest.config.ts',
      'bench/vitest.config.ts',
      'internal/*/vitest.config.ts',
      '!internal/e2e/vitest.config.ts',
    ],
    reporters: json ? ['default', 'json'] : ['default'],
    ...(json ? { outputFile: { json } } : {}),
  },
});
