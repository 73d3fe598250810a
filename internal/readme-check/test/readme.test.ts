// Every TypeScript block in the READMEs compiles as a merchant would paste it: each block
// is its own module, type-checked under --strict (node16 modules) against the built
// packages, with nothing added; the NestJS README's blocks under the compiler settings of
// Nest's own starter (decorators and their metadata), as a Nest 12 app (ESM).
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const here = fileURLToPath(new URL('..', import.meta.url));
const root = join(here, '../..');
const work = join(here, '.snippets');

const READMES = [
  'README.md',
  ...readdirSync(join(root, 'packages')).map((name) => `packages/${name}/README.md`),
  'examples/README.md',
].filter((path) => {
  try {
    readFileSync(join(root, path));
    return true;
  } catch {
    return false;
  }
});

interface Block {
  readme: string;
  /** The compiler settings it is checked under: the README's, or the runtime its fence names (```ts bun). */
  profile: Profile;
  line: number;
  /** The file it is compiled as. */
  file: string;
  /** The block, made a module of its own (`export {}`: top-level await, no shared names). */
  code: string;
}

/** The ```ts blocks of a README, with the line each starts on. */
function blocks(readme: string): Block[] {
  const found: Block[] = [];
  const lines = readFileSync(join(root, readme), 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const fence = /^```(?:ts|typescript)(?:\s+(bun|deno|workers|next))?\s*$/.exec(lines[i] ?? '');
    if (!fence) continue;
    const profile: Profile = (fence[1] as Profile | undefined) ?? profileOf(readme);
    const line = i + 1;
    const code: string[] = [];
    for (i += 1; i < lines.length && !(lines[i] ?? '').startsWith('```'); i++) code.push(lines[i] ?? '');
    const file = `${readme.replace(/[/.]/g, '_')}_L${line}.ts`;
    found.push({ readme, profile, line, file, code: `${code.join('\n')}\nexport {};\n` });
  }
  return found;
}

/** The compiler settings a README's blocks are checked under. */
const COMPILER_OPTIONS = {
  merchant: {
    target: 'es2022',
    module: 'node16',
    moduleResolution: 'node16',
    strict: true,
    skipLibCheck: true,
  },
  // Nest's starter: decorators with their metadata, strict null checks, implicit any allowed.
  nest: {
    target: 'ES2023',
    module: 'nodenext',
    moduleResolution: 'nodenext',
    esModuleInterop: true,
    isolatedModules: true,
    emitDecoratorMetadata: true,
    experimentalDecorators: true,
    allowSyntheticDefaultImports: true,
    strictNullChecks: true,
    noImplicitAny: false,
    skipLibCheck: true,
  },
  // A runtime's own types and a bundler's resolution; Next.js's as its starter sets them.
  bun: { target: 'esnext', module: 'esnext', moduleResolution: 'bundler', strict: true, skipLibCheck: true },
  deno: {
    target: 'esnext',
    module: 'esnext',
    moduleResolution: 'bundler',
    lib: ['esnext', 'dom'],
    strict: true,
    skipLibCheck: true,
  },
  workers: {
    target: 'es2022',
    module: 'esnext',
    moduleResolution: 'bundler',
    lib: ['es2023'],
    customConditions: ['workerd', 'worker'],
    strict: true,
    skipLibCheck: true,
  },
  next: {
    target: 'es2022',
    module: 'esnext',
    moduleResolution: 'bundler',
    lib: ['dom', 'dom.iterable', 'esnext'],
    strict: true,
    skipLibCheck: true,
  },
} as const;

type Profile = keyof typeof COMPILER_OPTIONS;

/** The types each profile's blocks see: Node's, or the runtime's own. */
const TYPES: Record<Profile, string[]> = {
  merchant: ['node'],
  nest: ['node'],
  bun: ['bun'],
  deno: ['deno'],
  workers: ['@cloudflare/workers-types'],
  next: ['node'],
};

const profileOf = (readme: string): Profile => (readme === 'packages/nestjs/README.md' ? 'nest' : 'merchant');

const snippets = READMES.flatMap(blocks);

let errorsByFile = new Map<string, string[]>();

/** Type-checks one profile's blocks in a folder of their own; returns tsc's output. */
async function check(profile: Profile): Promise<string> {
  const dir = join(work, profile);
  mkdirSync(dir);
  for (const snippet of snippets.filter((s) => s.profile === profile))
    writeFileSync(join(dir, snippet.file), snippet.code);
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { ...COMPILER_OPTIONS[profile], noEmit: true, types: TYPES[profile] },
      include: ['*.ts'],
    }),
  );
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  const tsc = join(here, 'node_modules/.bin/tsc');
  return promisify(execFile)(tsc, ['-p', dir, '--pretty', 'false'], { cwd: here }).then(
    () => '',
    (err: { stdout?: string; message?: string }) => err.stdout ?? err.message ?? 'tsc failed',
  );
}

beforeAll(async () => {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work);
  const profiles = Object.keys(COMPILER_OPTIONS) as Profile[];
  const output = (await Promise.all(profiles.map((profile) => check(profile)))).join('\n');
  errorsByFile = new Map();
  for (const line of output.split('\n')) {
    const match = /^(?:.*[\\/])?([^\\/(]+\.ts)\((\d+),\d+\): (error .*)$/.exec(line);
    if (!match) continue;
    const [, file, at, message] = match;
    const list = errorsByFile.get(file!) ?? [];
    list.push(`line ${Number(at)} of the block: ${message}`);
    errorsByFile.set(file!, list);
  }
});

describe('TypeScript in the READMEs compiles as pasted', () => {
  it('finds blocks to check', () => {
    expect(snippets.length).toBeGreaterThan(5);
  });

  it.each(snippets.map((s) => [`${s.readme}:${s.line}`, s] as const))('%s', (_name, snippet) => {
    expect(errorsByFile.get(snippet.file) ?? [], relative(root, join(root, snippet.readme))).toEqual([]);
  });
});
