import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Plugin } from 'esbuild';
import { defineConfig } from 'tsup';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as {
  version: string;
};

// The user-agent names the published version; baked in at build time so nothing reads
// package.json at run time.
const define = { __PACKAGE_VERSION__: JSON.stringify(pkg.version) };

/**
 * The edge build's seams: each of these modules has a `.edge.ts` twin with the same
 * exports that uses no Node API (fetch instead of undici, no diagnostics channel, no
 * Node streams). Everything else is the same source.
 */
const EDGE_TWINS = /^\.\/(default-transport|tracing|node-body)\.js$/;

const edgeTwins: Plugin = {
  name: 'juspay-edge-twins',
  setup(build) {
    build.onResolve({ filter: EDGE_TWINS }, (args) => ({
      path: join(dirname(args.importer), args.path.replace(/\.js$/, '.edge.ts')),
    }));
  },
};

export default defineConfig([
  {
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
    clean: false, // the build script empties dist: the two builds run side by side
    sourcemap: true,
    target: 'node20',
    define,
  },
  {
    // For Workers, Vercel's edge, Deno and Bun (export conditions `workerd`, `edge-light`,
    // `worker`, `bun`, `deno`): no undici, no `node:` module.
    entry: { index: 'src/index.ts', route: 'src/route/index.ts' },
    outDir: 'dist/edge',
    format: ['esm'],
    platform: 'neutral',
    splitting: true,
    dts: false,
    sourcemap: true,
    target: 'es2022',
    define,
    esbuildPlugins: [edgeTwins],
  },
]);
