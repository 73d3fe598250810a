// The journal as an operator's disk and files treat it: lines that do not parse, a
// folder in its place, rows moved or edited between runs, a write that fails, a lock two
// runs race for. Each as a child process against the fake Juspay over loopback.
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bulkRows, CLI, csv, envFor, fake, journalLines, runCli, workdir, type CliRun } from './helpers.js';

function record(fields: Record<string, unknown>): string {
  return `${JSON.stringify({ at: '2026-12-01T00:00:00.000Z', ...fields })}\n`;
}

describe('a journal that does not parse', () => {
  it('skips, counts and reports the lines it cannot read, on a dry run and a real one', async () => {
    const dir = workdir();
    const target = await fake();
    const file = csv(dir, bulkRows(target, 3));
    writeFileSync(
      `${file}.journal`,
      [
        'null\n',
        '[1,2]\n',
        'not json at all\n',
        record({
          type: 'outcome',
          line: 1e308,
          customerId: 'bulk',
          cardReference: 'card_1',
          outcome: 'deleted',
        }),
        record({ type: 'outcome', line: 2, customerId: 'bulk', cardReference: 'card_0', outcome: 'no_such' }),
        record({ type: 'started', line: 2 ** 31, customerId: 'bulk', cardReference: 'card_2' }),
        record({
          type: 'outcome',
          line: 2,
          customerId: 'bulk',
          cardReference: 'card_0',
          outcome: 'deleted',
          attempts: 1,
        }),
      ].join(''),
    );
    const dry = await runCli(['delete-cards', file, '--dry-run'], envFor(undefined, undefined), dir);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/warning: 5 line\(s\) of the journal .* did not parse and were skipped/);
    expect(dry.stdout).toMatch(/to send: 2 /);
    const run = await runCli(['delete-cards', file, '--yes', '--json'], envFor(target), dir);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ total: 3, deleted: 2, skipped: 1 });
    // card_0 was finished by the journal's one good record (so it is still at the fake);
    // card_2 was recorded as started (line 2^31 is a line number like any other): sent
    // with mayAlreadyBeGone, it is deleted all the same.
    expect(target.cards('bulk')).toEqual(['card_0']);
  });

  it('refuses a journal that is a folder with one line, dry run included', async () => {
    const dir = workdir();
    const target = await fake();
    const file = csv(dir, bulkRows(target, 1));
    mkdirSync(`${file}.journal`);
    for (const args of [['--dry-run'], ['--yes']]) {
      const run = await runCli(['delete-cards', file, ...args], envFor(target), dir);
      expect(run.code).toBe(1);
      expect(run.stderr.trim()).toMatch(
        /^juspay-tokens: the journal .*cards\.csv\.journal is not a file: name a file with --journal$/,
      );
    }
    expect(target.requests).toHaveLength(0);
    expect(existsSync(`${file}.journal.lock`)).toBe(false);
  });
});

describe('resume by the exact pair', () => {
  it('finds finished rows wherever they now stand: a row inserted at the top sends only itself', async () => {
    const dir = workdir();
    const target = await fake();
    const body = bulkRows(target, 5);
    const file = csv(dir, body);
    expect((await runCli(['delete-cards', file, '--yes'], envFor(target), dir)).code).toBe(0);
    target.addCard({ customerId: 'bulk', cardReference: 'new_card' });
    const [header, ...rows] = body.trim().split('\n');
    writeFileSync(file, `${[header, 'bulk,new_card', ...rows].join('\n')}\n`);
    target.requests.length = 0;
    const again = await runCli(
      ['delete-cards', file, '--yes', '--json', '--report', 'r.csv'],
      envFor(target),
      dir,
    );
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ total: 6, deleted: 1, skipped: 5, invalid_request: 0 });
    expect(target.requests.map((r) => (r.body as { card_reference: string }).card_reference)).toEqual([
      'new_card',
    ]);
    const report = readFileSync(join(dir, 'r.csv'), 'utf8').trim().split('\n').slice(1);
    expect(report.map((row) => row.split(',').slice(0, 4).join(','))).toEqual([
      '2,bulk,new_card,deleted',
      ...[0, 1, 2, 3, 4].map((i) => `${i + 3},bulk,card_${i},deleted`),
    ]);
  });

  it('never takes an edited row for the one it replaced, even when their hashes collide', async () => {
    // Two pairs with the same 32-bit FNV-1a hash (the one the journal index once matched by).
    const fnv = (text: string) => {
      let hash = 0x811c9dc5;
      for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
      return hash >>> 0 || 1;
    };
    const seen = new Map<number, string>();
    let pair: [string, string] | undefined;
    for (let i = 0; pair === undefined; i++) {
      const ref = `ref_${i}`;
      const hash = fnv(`cust\u0000${ref}`);
      const other = seen.get(hash);
      if (other !== undefined) pair = [other, ref];
      else seen.set(hash, ref);
    }
    const [first, second] = pair;
    const dir = workdir();
    const target = await fake({ cards: [{ customerId: 'cust', cardReference: first }] });
    const file = csv(dir, `customer_id,card_reference\ncust,${first}\n`);
    expect((await runCli(['delete-cards', file, '--yes'], envFor(target), dir)).code).toBe(0);
    target.addCard({ customerId: 'cust', cardReference: second });
    writeFileSync(file, `customer_id,card_reference\ncust,${second}\n`);
    const again = await runCli(['delete-cards', file, '--yes', '--json'], envFor(target), dir);
    expect(JSON.parse(again.stdout)).toMatchObject({ deleted: 1, skipped: 0 });
    expect(target.cards('cust')).toEqual([]);
  });

  it('keeps a repeat of a pair a duplicate on resume; the first row carries the outcome', async () => {
    const dir = workdir();
    const target = await fake({ cards: [{ customerId: 'c1', cardReference: 'r1' }] });
    const file = csv(dir, 'customer_id,card_reference\nc1,r1\nc1,r1\n');
    expect((await runCli(['delete-cards', file, '--yes'], envFor(target), dir)).code).toBe(0);
    const again = await runCli(
      ['delete-cards', file, '--yes', '--json', '--report', 'r.csv'],
      envFor(target),
      dir,
    );
    expect(JSON.parse(again.stdout)).toMatchObject({ total: 2, skipped: 1, duplicate: 1 });
    const report = readFileSync(join(dir, 'r.csv'), 'utf8').trim().split('\n').slice(1);
    expect(report.map((row) => row.split(',').slice(0, 4).join(','))).toEqual([
      '2,c1,r1,deleted',
      '3,c1,r1,duplicate',
    ]);
  });
});

/** Runs the command with the shell's file-size limit (`ulimit -f`, in 512-byte blocks). */
function runWithFileLimit(
  blocks: number,
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<CliRun> {
  const quoted = [process.execPath, CLI, ...args].map((part) => `'${part}'`).join(' ');
  const child = spawn('sh', ['-c', `ulimit -f ${blocks} && exec ${quoted}`], { env, cwd });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
}

describe('a write that fails', () => {
  it('a full journal stops the run before the next call: every row sent was journaled as started (exit 3)', async () => {
    const dir = workdir();
    const target = await fake();
    const file = csv(dir, bulkRows(target, 200));
    // About 8 KB of journal: the run line and a few dozen rows.
    const run = await runWithFileLimit(
      16,
      ['delete-cards', file, '--yes', '--rate', '200'],
      envFor(target),
      dir,
    );
    expect(run.signal).toBeNull();
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/Stopped: cannot write the journal .*cards\.csv\.journal \(EFBIG\)/);
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/\n\s+at /);
    const text = readFileSync(`${file}.journal`, 'utf8');
    const whole = text.slice(0, text.lastIndexOf('\n') + 1);
    const started = new Set(
      journalLines(whole)
        .filter((r) => r.type === 'started')
        .map((r) => r.cardReference),
    );
    const sent = target.requests.map((r) => (r.body as { card_reference: string }).card_reference);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.length).toBeLessThan(200);
    for (const ref of sent) expect(started.has(ref)).toBe(true);
    expect(existsSync(`${file}.journal.lock`)).toBe(false);
    // The rerun, with room again, finishes every row.
    appendFileSync(`${file}.journal`, '');
    const again = await runCli(['delete-cards', file, '--yes', '--json'], envFor(target), dir);
    expect(again.code).toBe(0);
    expect(target.cards('bulk')).toEqual([]);
  });

  it('a report that cannot be written stops the run (exit 3) with a message naming it', async () => {
    const dir = workdir();
    const target = await fake();
    const file = csv(dir, bulkRows(target, 30));
    const run = await runCli(
      ['delete-cards', file, '--yes', '--rate', '200', '--report', '/dev/full'],
      envFor(target),
      dir,
    );
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/Stopped: cannot write the report \/dev\/full \(ENOSPC\)/);
    expect(run.stderr).not.toMatch(/Unhandled|\n\s+at /);
    expect(existsSync(`${file}.journal.lock`)).toBe(false);
  });
});

describe('the lock', () => {
  it('lets exactly one of several runs started at once on a dead run’s lock go on', async () => {
    for (let trial = 0; trial < 4; trial++) {
      const dir = workdir();
      const target = await fake();
      const file = csv(dir, bulkRows(target, 3));
      writeFileSync(`${file}.journal.lock`, JSON.stringify({ pid: 2 ** 22 + 12345 }));
      // At --rate 2 a run holds the lock for over a second: the four overlap.
      const runs = await Promise.all(
        [0, 1, 2, 3].map(() => runCli(['delete-cards', file, '--yes', '--rate', '2'], envFor(target), dir)),
      );
      const codes = runs.map((run) => run.code).sort();
      expect(codes).toEqual([0, 1, 1, 1]);
      expect(target.requests).toHaveLength(3);
    }
  });
});
