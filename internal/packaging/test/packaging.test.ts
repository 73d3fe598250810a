// What would be published, checked from the outside: publint --strict and attw (node16)
// on each package, then a merchant app outside the workspace installed from the packed
// tarballs with npm, type-checked three ways and run as ESM and as CommonJS.
import { execFile } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const PACKAGES = ['core', 'express', 'koa', 'fastify', 'nestjs', 'fetch', 'hono', 'bullmq'] as const;
const PEERS: Record<string, Record<string, string>> = {
  express: { express: '^4.21.0 || ^5.0.0' },
  koa: { koa: '^2.14.0 || ^3.0.0' },
  fastify: { fastify: '^5.0.0' },
  hono: { hono: '^4.0.0' },
  bullmq: { bullmq: '^6.0.0' },
  nestjs: { '@nestjs/common': '^11.0.0 || ^12.0.0', '@nestjs/core': '^11.0.0 || ^12.0.0' },
};
const bin = (name: string) => join(root, 'node_modules', '.bin', name);
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

async function run(command: string, args: string[], cwd: string, timeout = 240_000): Promise<string> {
  try {
    const { stdout } = await exec(command, args, { cwd, timeout, maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } catch (err) {
    const { stdout, stderr } = err as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${stdout ?? ''}\n${stderr ?? ''}`, {
      cause: err,
    });
  }
}

/** Packs the named packages into `work` with pnpm; returns the tarballs' paths. */
async function packTarballs(names: readonly string[], work: string): Promise<string[]> {
  const tarballs: string[] = [];
  for (const name of names) {
    await run('pnpm', ['pack', '--pack-destination', work], join(root, 'packages', name));
    const { version } = readJson(join(root, 'packages', name, 'package.json')) as { version: string };
    tarballs.push(join(work, `juspay-tokens-${name}-${version}.tgz`));
  }
  return tarballs;
}

/** Installs the tarballs and the packages named into the app at `dir` with npm, from the registry. */
function npmInstall(dir: string, specs: string[]): Promise<string> {
  return run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...specs], dir);
}

describe.each(PACKAGES)('@juspay-tokens/%s as published', (name) => {
  const dir = join(root, 'packages', name);

  it('passes publint --strict', async () => {
    const pkg = readJson(join(dir, 'package.json'));
    const { messages } = await publint({ pkgDir: dir, strict: true, level: 'suggestion' });
    expect(messages.map((m) => formatMessage(m, pkg as never))).toEqual([]);
  });

  it('passes attw --pack with the node16 profile', async () => {
    const out = await run(bin('attw'), ['--pack', '.', '--profile', 'node16', '--format', 'json'], dir);
    const report = JSON.parse(out) as { analysis: { problems: { resolutionKind?: string }[] } };
    // The node16 profile leaves out node10 (no `exports` support), as the table shows.
    expect(report.analysis.problems.filter((p) => p.resolutionKind !== 'node10')).toEqual([]);
  });

  it('declares the package shape merchants rely on', () => {
    const pkg = readJson(join(dir, 'package.json'));
    expect(pkg).toMatchObject({
      type: 'module',
      sideEffects: false,
      engines: { node: '^20.18.1 || ^22.0.0 || ^24.0.0' },
      license: 'MIT',
    });
    expect(pkg.files).toEqual(expect.arrayContaining(['dist', 'README.md', 'LICENSE']));
    const exportsMap = pkg.exports as Record<string, unknown>;
    expect(exportsMap['./package.json']).toBe('./package.json');
    expect(Object.keys((exportsMap['.'] as { import: object }).import)[0]).toBe('types');
    if (name !== 'core') {
      // Hono's adapter is a layer over the fetch one; every other adapter needs only core.
      const own = name === 'hono' ? { '@juspay-tokens/fetch': 'workspace:^' } : {};
      expect(pkg.dependencies).toEqual({ '@juspay-tokens/core': 'workspace:^', ...own });
      expect(pkg.peerDependencies).toEqual(PEERS[name]);
    }
  });
});

describe('@juspay-tokens/cli as published', () => {
  const dir = join(root, 'packages', 'cli');

  it('passes publint --strict', async () => {
    const pkg = readJson(join(dir, 'package.json'));
    const { messages } = await publint({ pkgDir: dir, strict: true, level: 'suggestion' });
    expect(messages.map((m) => formatMessage(m, pkg as never))).toEqual([]);
  });

  // No attw here: the package has no importable entry point and no types, only its bin.
  it('declares a bin with a shebang, and the library packages it builds on', () => {
    const pkg = readJson(join(dir, 'package.json'));
    expect(pkg).toMatchObject({
      type: 'module',
      bin: { 'juspay-tokens': './dist/cli.js' },
      engines: { node: '^20.18.1 || ^22.0.0 || ^24.0.0' },
      license: 'MIT',
    });
    expect((pkg.dependencies as Record<string, string>)['@juspay-tokens/core']).toBe('workspace:^');
    expect(readFileSync(join(dir, 'dist/cli.js'), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });
});

describe('the type augmentations survive the build', () => {
  it.each(['index.d.ts', 'index.d.cts'])('express %s augments Express.Request', (file) => {
    const dts = readFileSync(join(root, 'packages/express/dist', file), 'utf8');
    expect(dts).toMatch(
      /declare global \{\s*namespace Express \{\s*interface Request \{[\s\S]*juspay: JuspayRequestContext;/,
    );
  });
  it.each(['index.d.ts', 'index.d.cts'])('fastify %s augments FastifyRequest', (file) => {
    const dts = readFileSync(join(root, 'packages/fastify/dist', file), 'utf8');
    expect(dts).toMatch(
      /declare module 'fastify' \{\s*interface FastifyRequest \{[\s\S]*juspay: JuspayRequestContext;/,
    );
  });
  it.each(['index.d.ts', 'index.d.cts'])("koa %s augments 'koa'", (file) => {
    const dts = readFileSync(join(root, 'packages/koa/dist', file), 'utf8');
    expect(dts).toMatch(
      /declare module 'koa' \{\s*interface ExtendableContext \{[\s\S]*juspay: JuspayRequestContext;[\s\S]*interface Request \{/,
    );
  });
});

describe('a merchant app installed from the tarballs', () => {
  let work: string;
  let app: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'juspay-consumer-'));
    const tarballs = await packTarballs([...PACKAGES, 'cli'], work);
    app = join(work, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'merchant-app', private: true }));
    await npmInstall(app, [
      ...tarballs,
      'express@^5',
      'koa@^3',
      'fastify@^5',
      'hono@^4',
      'bullmq@^6',
      '@types/express@^5',
      '@types/koa@^3',
      '@types/node@^20',
      'typescript@~5.9.3',
    ]);
    const modes: Record<string, { type: string; compilerOptions: Record<string, unknown> }> = {
      esm: {
        type: 'module',
        compilerOptions: { module: 'node16', moduleResolution: 'node16', outDir: 'out' },
      },
      cjs: {
        type: 'commonjs',
        compilerOptions: { module: 'node16', moduleResolution: 'node16', outDir: 'out' },
      },
      bundler: {
        type: 'module',
        compilerOptions: { module: 'esnext', moduleResolution: 'bundler', noEmit: true },
      },
    };
    for (const [mode, { type, compilerOptions }] of Object.entries(modes)) {
      const dir = join(app, mode);
      mkdirSync(dir);
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ type }));
      cpSync(fileURLToPath(new URL('../fixtures/app.ts', import.meta.url)), join(dir, 'app.ts'));
      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify({
          // skipLibCheck as merchants run it: @types/koa does not type-check against content-disposition's own types.
          compilerOptions: {
            target: 'es2022',
            strict: true,
            esModuleInterop: true,
            skipLibCheck: true,
            types: ['node'],
            ...compilerOptions,
          },
          files: ['app.ts'],
        }),
      );
    }
  });

  afterAll(() => {
    if (work !== undefined && existsSync(work)) rmSync(work, { recursive: true, force: true });
  });

  it('installed only the published files', () => {
    const installed = readdirSync(join(app, 'node_modules/@juspay-tokens/core')).sort();
    expect(installed).toEqual(['CHANGELOG.md', 'LICENSE', 'README.md', 'dist', 'package.json']);
    const express = readJson(join(app, 'node_modules/@juspay-tokens/express/package.json'));
    expect((express.dependencies as Record<string, string>)['@juspay-tokens/core']).toMatch(
      /^\^\d+\.\d+\.\d+$/,
    );
  });

  it.each(['esm', 'cjs', 'bundler'])('type-checks under --strict (%s)', async (mode) => {
    await run(join(app, 'node_modules/.bin/tsc'), ['-p', join(app, mode)], app);
  });

  it('runs the installed command: npx juspay-tokens --help, and a dry run', async () => {
    const help = await run('npx', ['--no-install', 'juspay-tokens', '--help'], app);
    expect(help).toMatch(/Usage: juspay-tokens delete-cards <cards.csv>/);
    writeFileSync(join(app, 'cards.csv'), 'customer_id,card_reference\nc1,r1\nc1,\n');
    // A dry run with an invalid row exits 2 (the contract's rule); its plan is still on stdout.
    const planned = await exec(
      'npx',
      ['--no-install', 'juspay-tokens', 'delete-cards', 'cards.csv', '--dry-run', '--json'],
      { cwd: app, timeout: 240_000 },
    ).then(
      () => ({ code: 0, stdout: '' }),
      (err: { code?: number; stdout?: string }) => ({ code: err.code, stdout: err.stdout ?? '' }),
    );
    expect(planned.code).toBe(2);
    expect(JSON.parse(planned.stdout)).toMatchObject({ dryRun: true, total: 2, toSend: 1, invalidInput: 1 });
  });

  it.each(['esm', 'cjs'])('runs as %s, including @juspay-tokens/core/testing', async (mode) => {
    const out = await run(process.execPath, [join(app, mode, 'out', 'app.js')], app, 30_000);
    expect(JSON.parse(out)).toEqual({
      direct: 'SUCCESS',
      invalid: true,
      route: 200,
      merchant: 204,
      koaUnauthenticated: true,
      koaGetRefused: true,
      fastify: 200,
      fetch: 200,
      hono: [204, 400],
      left: ['r3'],
      events: true,
      builtIsClient: true,
      workerRefused: true,
    });
  });
});

/** The compiler settings of Nest's own starter (decorators with their metadata). */
const NEST_STARTER_COMPILER_OPTIONS = {
  module: 'nodenext',
  moduleResolution: 'nodenext',
  resolvePackageJsonExports: true,
  esModuleInterop: true,
  isolatedModules: true,
  removeComments: true,
  emitDecoratorMetadata: true,
  experimentalDecorators: true,
  allowSyntheticDefaultImports: true,
  target: 'ES2023',
  outDir: 'out',
  skipLibCheck: true,
  strictNullChecks: true,
  forceConsistentCasingInFileNames: true,
  noImplicitAny: false,
  strictBindCallApply: false,
  noFallthroughCasesInSwitch: false,
  types: ['node'],
};

describe.each([
  { nest: 11, type: 'commonjs' },
  { nest: 12, type: 'module' },
])('a Nest $nest app ($type) installed from the tarballs', ({ nest, type }) => {
  let work: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), `juspay-nest${nest}-`));
    const tarballs = await packTarballs(['core', 'nestjs'], work);
    writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'nest-merchant', private: true, type }));
    const nestPackages = ['common', 'core', 'platform-express'].map((p) => `@nestjs/${p}@^${nest}`);
    await npmInstall(work, [
      ...tarballs,
      ...nestPackages,
      'reflect-metadata@^0.2.2',
      'rxjs@^7.8.0',
      '@types/node@^20',
      'typescript@~5.9.3',
    ]);
    cpSync(fileURLToPath(new URL('../fixtures/nest-app.ts', import.meta.url)), join(work, 'app.ts'));
    writeFileSync(
      join(work, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: NEST_STARTER_COMPILER_OPTIONS, files: ['app.ts'] }),
    );
  });

  afterAll(() => {
    if (work !== undefined && existsSync(work)) rmSync(work, { recursive: true, force: true });
  });

  it('installs nothing but the core beside the module (no framework it does not run on)', () => {
    const installed = readdirSync(join(work, 'node_modules/@juspay-tokens')).sort();
    expect(installed).toEqual(['core', 'nestjs']);
    expect(existsSync(join(work, 'node_modules/fastify'))).toBe(false);
  });

  it('compiles with the settings of Nest’s starter and runs: routes, injection, filter, shutdown', async () => {
    await run(join(work, 'node_modules/.bin/tsc'), ['-p', work], work);
    const out = await run(process.execPath, [join(work, 'out', 'app.js')], work, 30_000);
    expect(JSON.parse(out)).toEqual({
      listed: 3,
      route: 200,
      crossSite: [403, 'CROSS_SITE_REQUEST'],
      closed: 204,
      left: [],
      injected: true,
      missing: 404,
      afterClose: 'JuspayClient: listCards was called after close()',
    });
  });
});

describe('changesets', () => {
  it('versions the published packages together and writes a CHANGELOG.md for each', async () => {
    // On a scratch copy: `changeset version` rewrites package.json files and consumes changesets.
    const copy = mkdtempSync(join(tmpdir(), 'juspay-changeset-'));
    try {
      for (const file of ['package.json', 'pnpm-workspace.yaml', '.changeset'])
        cpSync(join(root, file), join(copy, file), { recursive: true });
      for (const name of [...PACKAGES, 'cli']) {
        mkdirSync(join(copy, 'packages', name), { recursive: true });
        for (const file of ['package.json', 'CHANGELOG.md']) {
          cpSync(join(root, 'packages', name, file), join(copy, 'packages', name, file));
        }
      }
      // A changeset of its own, so the check does not depend on what is pending.
      writeFileSync(
        join(copy, '.changeset', 'packaging-check.md'),
        "---\n'@juspay-tokens/core': patch\n---\n\nA change made by the packaging check.\n",
      );
      const before = (readJson(join(copy, 'packages/core/package.json')) as { version: string }).version;
      await run('git', ['init', '-q'], copy);
      await run(bin('changeset'), ['version'], copy);
      const versions = [...PACKAGES, 'cli'].map(
        (name) => (readJson(join(copy, 'packages', name, 'package.json')) as { version: string }).version,
      );
      // One fixed group: a patch to core moves them all.
      expect(new Set(versions).size).toBe(1);
      expect(versions[0]).not.toBe(before);
      for (const name of [...PACKAGES, 'cli']) {
        const log = readFileSync(join(copy, 'packages', name, 'CHANGELOG.md'), 'utf8');
        expect(log).toContain(`# @juspay-tokens/${name}`);
        expect(log).toContain(`## ${versions[0]}`);
      }
      expect(readFileSync(join(copy, 'packages/core/CHANGELOG.md'), 'utf8')).toContain(
        'A change made by the packaging check.',
      );
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
