import { defineProject } from 'vitest/config';

export default defineProject({
  define: { __PACKAGE_VERSION__: JSON.stringify('0.0.0-test') },
  test: {
    name: 'core',
    include: ['test/**/*.test.ts'],
    testTimeout: 15_000,
  },
});
