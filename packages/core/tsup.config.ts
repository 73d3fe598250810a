import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as {
  version: string;
};

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    route: 'src/route/index.ts',
    testing: 'src/testing/index.ts',
    otel: 'src/otel.ts',
  },
  format: ['esm', 'cjs'],
  // Shared chunks for CommonJS too: otherwise index.cjs and route.cjs each hold their own
  // JuspayClient, and a client the route core built is not `instanceof` the one a CommonJS
  // app imports (seen in a CommonJS Nest app injecting JuspayClient by its type).
  splitting: true,
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  // The user-agent names the published version; baked in at build time so nothing reads
  // package.json at run time.
  define: { __PACKAGE_VERSION__: JSON.stringify(pkg.version) },
});
