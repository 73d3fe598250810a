// Every TypeScript block in the READMEs compiles as a merchant would paste it: each block
// is its own module, type-checked under --strict (node16 modules) against the built
// packages, with nothing added.
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
    if (!/^```(ts|typescript)\s*$/.test(lines[i] ?? '')) continue;
    const line = i + 1;
    const code: string[] = [];
    for (i += 1; i < lines.length && !(lines[i] ?? '').startsWith('```'); i++) code.push(lines[i] ?? '');
    const file = `${readme.replace(/[/.]/g, '_')}_L${line}.ts`;
    found.push({ readme, line, file, code: `${code.join('\n')}\nexport {};\n` });
  }
  return found;
}

const snippets = READMES.flatMap(blocks);

let errorsByFile = new Map<string, string[]>();

beforeAll(async () => {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work);
  for (const snippet of snippets) writeFileSync(join(work, snippet.file), snippet.code);
  writeFileSync(
    join(work, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'es2022',
        module: 'node16',
        moduleResolution: 'node16',
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: ['node'],
      },
      include: ['*.ts'],
    }),
  );
  writeFileSync(join(work, 'package.json'), JSON.stringify({ type: 'module' }));
  const tsc = join(here, 'node_modules/.bin/tsc');
  const output = await promisify(execFile)(tsc, ['-p', work, '--pretty', 'false'], { cwd: here }).then(
    () => '',
    (err: { stdout?: string; message?: string }) => err.stdout ?? err.message ?? 'tsc failed',
  );
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
