// "What the operator sees": the defects found by running the command as an operator
// would (a missing file, an output naming the input, a dry run full of problems, a
// report a spreadsheet would run, a rerun with nothing left to do, a stop), each run as
// a child process against the fake Juspay over loopback.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  bulkRows,
  CLI,
  csv,
  envFor,
  fake,
  journalLines,
  runCli,
  startCli,
  workdir,
  type CliRun,
} from './helpers.js';

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** The one-line error of a refused run: no stack, no Node internals. */
function expectOneLine(stderr: string, message: RegExp): void {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^juspay-tokens: /);
  expect(lines[0]).toMatch(message);
  expect(stderr).not.toMatch(/Unhandled|\n\s+at /);
}

describe('an input that is not a readable file: exit 1, one line, nothing left behind', () => {
  it.each<[string, (dir: string) => string, RegExp]>([
    ['a missing file', (dir) => join(dir, 'nope.csv'), /nope\.csv: no such file; check the path/],
    [
      'a folder',
      (dir) => {
        mkdirSync(join(dir, 'folder.csv'));
        return join(dir, 'folder.csv');
      },
      /folder\.csv is not a file \(a folder\?\): name the CSV file/,
    ],
  ])('%s', async (_label, make, message) => {
    const dir = workdir();
    const target = await fake();
    const file = make(dir);
    const run = await runCli(['delete-cards', file, '--yes'], envFor(target), dir);
    expect(run.code).toBe(1);
    expectOneLine(run.stderr, message);
    expect(readdirSync(dir).filter((name) => /journal|lock/.test(name))).toEqual([]);
    expect(target.requests).toHaveLength(0);
  });
});

describe('outputs that resolve to the input or to each other: a usage error, the input untouched', () => {
  const INPUT = 'customer_id,card_reference\nc1,r1\n';
  it.each<[string, string[], RegExp]>([
    [
      '--report naming the input',
      ['--report', 'cards.csv'],
      /--report \(cards\.csv\) is the same file as the input/,
    ],
    [
      '--report naming the input through ..',
      ['--report', 'sub/../cards.csv'],
      /--report \(sub\/\.\.\/cards\.csv\) is the same file as the input/,
    ],
    [
      '--journal naming the input',
      ['--journal', 'cards.csv'],
      /--journal \(cards\.csv\) is the same file as the input/,
    ],
    [
      '--report naming the journal',
      ['--journal', 'out.jsonl', '--report', 'out.jsonl'],
      /--report \(out\.jsonl\) is the same file as --journal/,
    ],
    [
      '--report naming the lock',
      ['--report', 'cards.csv.journal.lock'],
      /--report \(cards\.csv\.journal\.lock\) is the same file as the journal lock/,
    ],
  ])('%s', async (_label, flags, message) => {
    const dir = workdir();
    mkdirSync(join(dir, 'sub'));
    const target = await fake({ cards: [{ customerId: 'c1', cardReference: 'r1' }] });
    csv(dir, INPUT);
    const run = await runCli(['delete-cards', 'cards.csv', '--yes', ...flags], envFor(target), dir);
    expect(run.code).toBe(1);
    expectOneLine(run.stderr, message);
    expect(readFileSync(join(dir, 'cards.csv'), 'utf8')).toBe(INPUT);
    expect(target.requests).toHaveLength(0);
    expect(existsSync(join(dir, 'cards.csv.journal.lock'))).toBe(false);
  });

  it.each<[string, (dir: string) => string, RegExp]>([
    [
      'in a missing folder',
      (dir) => join(dir, 'missing', 'r.csv'),
      /cannot write the report .*r\.csv \(ENOENT\)/,
    ],
    [
      'that is a folder',
      (dir) => {
        mkdirSync(join(dir, 'r.csv'));
        return join(dir, 'r.csv');
      },
      /cannot write the report .*r\.csv \(EISDIR\)/,
    ],
  ])('refuses a report %s before the first call, leaving no lock', async (_label, make, message) => {
    const dir = workdir();
    const target = await fake({ cards: [{ customerId: 'c1', cardReference: 'r1' }] });
    csv(dir, INPUT);
    const run = await runCli(
      ['delete-cards', 'cards.csv', '--yes', '--report', make(dir)],
      envFor(target),
      dir,
    );
    expect(run.code).toBe(1);
    expectOneLine(run.stderr, message);
    expect(target.requests).toHaveLength(0);
    expect(existsSync(join(dir, 'cards.csv.journal.lock'))).toBe(false);
  });
});

describe('--dry-run', () => {
  it('exits 2 with invalid rows, lists the first 20 and "and N more", naming the CSV columns', async () => {
    const dir = workdir();
    const rows = ['customer_id,card_reference,routing_id', 'c1,good,'];
    for (let i = 0; i < 25; i++) rows.push(`c1,,`);
    rows.push('c1,r2,bad routing é');
    const file = csv(dir, `${rows.join('\n')}\n`);
    const dry = await runCli(['delete-cards', file, '--dry-run'], envFor(undefined, undefined), dir);
    expect(dry.code).toBe(2);
    const listed = dry.stdout.split('\n').filter((line) => /^ {4}line \d+: /.test(line));
    expect(listed).toHaveLength(20);
    expect(listed[0]).toBe('    line 3: card_reference must not be empty');
    expect(dry.stdout).toMatch(/^ {4}and 6 more$/m);
    expect(dry.stdout).not.toMatch(/cardReference|routingId|customerId/);
    const clean = csv(dir, 'customer_id,card_reference\nc1,r1\n', 'clean.csv');
    const ok = await runCli(['delete-cards', clean, '--dry-run'], envFor(undefined, undefined), dir);
    expect(ok.code).toBe(0);
  });
});

describe('the report', () => {
  it('has a reason column, no control characters, and no cell a spreadsheet would run', async () => {
    const dir = workdir();
    const target = await fake({
      cards: [
        { customerId: '=1+1', cardReference: 'r1' },
        { customerId: 'c2', cardReference: '@SUM(A1)' },
      ],
    });
    const file = csv(
      dir,
      'customer_id,card_reference\n=1+1,r1\nc2,@SUM(A1)\nc3,bell\u0007ref\n-2+3,unknown\n',
    );
    const run = await runCli(['delete-cards', file, '--yes', '--report', 'r.csv'], envFor(target), dir);
    expect(run.code).toBe(2);
    const report = readFileSync(join(dir, 'r.csv'), 'utf8');
    expect(report).not.toMatch(CONTROL);
    const [header, ...rows] = report.trim().split('\n');
    expect(header).toBe('line,customer_id,card_reference,outcome,code,reason,request_id,attempts');
    expect(rows[0]).toMatch(/^2,'=1\+1,r1,deleted,,,[0-9a-f-]{36},1$/);
    expect(rows[1]).toMatch(/^3,c2,'@SUM\(A1\),deleted,,,/);
    expect(rows[2]).toMatch(/^4,c3,bellref,invalid_input,INVALID_INPUT,card_reference [^,]+,,0$/);
    expect(rows[3]).toMatch(/^5,'-2\+3,unknown,invalid_request,INVALID_REQUEST,[^,]+,[0-9a-f-]{36},1$/);
    expect(`${run.stdout}${run.stderr}`).not.toMatch(CONTROL);
  });
});

describe('the end of a run', () => {
  it('a rerun with everything finished says so and exits with the code those outcomes give', async () => {
    const dir = workdir();
    const target = await fake();
    const file = csv(dir, bulkRows(target, 3));
    const first = await runCli(['delete-cards', file, '--yes'], envFor(target), dir);
    expect(first.code).toBe(0);
    const again = await runCli(['delete-cards', file, '--yes'], envFor(target), dir);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/All 3 rows were finished by earlier runs/);
    expect(target.requests).toHaveLength(3);
  });

  it('a stopped run says "Stopped", repeats the command line in its resume hint, and the journal says why', async () => {
    const dir = workdir();
    const target = await fake();
    const file = csv(dir, bulkRows(target, 40));
    const args = ['delete-cards', file, '--rate', '4', '--concurrency', '2', '--yes'];
    const { child, done } = startCli(args, envFor(target), dir);
    while (target.requests.length < 2) await new Promise((resolve) => setTimeout(resolve, 20));
    child.kill('SIGINT');
    const run = await done;
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/^Stopped after [\d.]+ s: 40 rows\./);
    expect(run.stdout).not.toMatch(/Done in/);
    expect(run.stdout).toContain(
      `To resume, run: juspay-tokens delete-cards ${file} --rate 4 --concurrency 2 --yes`,
    );
    const journal = journalLines(readFileSync(`${file}.journal`, 'utf8'));
    expect(journal[0]).toMatchObject({
      type: 'run',
      command: `delete-cards ${file}`,
      host: new URL(target.url).host,
    });
    expect(journal[0]?.at).toEqual(expect.any(String));
    expect(journal.at(-1)).toMatchObject({
      type: 'stopped',
      reason: expect.stringMatching(/SIGINT or SIGTERM/),
    });
  });
});

describe('the file as written', () => {
  it('accepts LF and CRLF line ends mixed in one file, with the lines as they are', async () => {
    const dir = workdir();
    const target = await fake();
    for (const ref of ['a', 'b', 'c', 'd']) target.addCard({ customerId: 'c1', cardReference: ref });
    const lfHeader = csv(dir, 'customer_id,card_reference\nc1,a\r\nc1,b\r\n', 'lf.csv');
    const crlfHeader = csv(dir, 'customer_id,card_reference\r\nc1,c\nc1,d\n', 'crlf.csv');
    for (const [file, refs] of [
      [lfHeader, ['a', 'b']],
      [crlfHeader, ['c', 'd']],
    ] as const) {
      const run = await runCli(
        ['delete-cards', file, '--yes', '--report', `${file}.report`],
        envFor(target),
        dir,
      );
      expect(run.code).toBe(0);
      const rows = readFileSync(`${file}.report`, 'utf8').trim().split('\n').slice(1);
      expect(rows.map((row) => row.split(',').slice(0, 4).join(','))).toEqual([
        `2,c1,${refs[0]},deleted`,
        `3,c1,${refs[1]},deleted`,
      ]);
    }
    expect(target.cards('c1')).toEqual([]);
  });

  it('makes a cell that is not valid UTF-8 invalid_input, never sending a replacement character', async () => {
    const dir = workdir();
    const target = await fake({ cards: [{ customerId: 'c1', cardReference: 'r1' }] });
    const file = join(dir, 'cards.csv');
    writeFileSync(
      file,
      Buffer.concat([
        Buffer.from('customer_id,card_reference\nc1,r1\nc1,r'),
        Buffer.from([0xff]),
        Buffer.from('1\n'),
      ]),
    );
    const dry = await runCli(['delete-cards', file, '--dry-run'], envFor(undefined, undefined), dir);
    expect(dry.code).toBe(2);
    expect(dry.stdout).toMatch(/line 3: card_reference is not valid UTF-8/);
    const run = await runCli(['delete-cards', file, '--yes', '--json'], envFor(target), dir);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({ deleted: 1, invalid_input: 1 });
    expect(target.requests).toHaveLength(1);
  });
});

describe('signals from the first moment', () => {
  it('a SIGTERM while the command is still loading its modules ends with exit 3 and a summary', async () => {
    const dir = workdir();
    const target = await fake();
    const file = csv(dir, bulkRows(target, 5));
    // A module hook that sends SIGTERM the moment the first package loads: before the
    // command's own code could run, had it waited for its imports.
    writeFileSync(
      join(dir, 'hooks.mjs'),
      `let sent = false;
export async function load(url, context, nextLoad) {
  if (!sent && url.includes('/node_modules/')) {
    sent = true;
    process.kill(process.pid, 'SIGTERM');
  }
  return nextLoad(url, context);
}
`,
    );
    writeFileSync(
      join(dir, 'register.mjs'),
      "import { register } from 'node:module';\nregister(new URL('./hooks.mjs', import.meta.url));\n",
    );
    const child = spawn(
      process.execPath,
      ['--import', './register.mjs', CLI, 'delete-cards', file, '--yes'],
      {
        env: envFor(target),
        cwd: dir,
      },
    );
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    const run = await new Promise<Pick<CliRun, 'code' | 'signal'>>((resolve) =>
      child.on('close', (code, signal) => resolve({ code, signal })),
    );
    expect(run).toEqual({ code: 3, signal: null });
    expect(stdout).toMatch(/^Stopped after [\d.]+ s: 5 rows\./);
    expect(stdout).toMatch(/not_run 5/);
    expect(target.requests).toHaveLength(0);
  });
});
