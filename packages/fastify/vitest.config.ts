import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'fastify',
    include: ['test/**/*.test.ts'],
    testTimeout: 15_000,
  },
});
