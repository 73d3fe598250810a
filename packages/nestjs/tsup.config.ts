import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  tsconfig: 'tsconfig.build.json',
  // The routes are the Express and Fastify adapters' own, built in: a Nest app installs
  // this package and the core only, never a framework it does not run on.
  noExternal: ['@juspay-tokens/express', '@juspay-tokens/fastify'],
});
