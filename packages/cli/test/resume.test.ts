// Resuming: a rerun skips what is finished and retries what failed; the lock keeps a
// second run out; SIGTERM and kill -9 mid-run lose nothing but the rows in flight.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bulkRows, csv, envFor, fake, journalLines, runCli, startCli, workdir } from './helpers.js';

/** Final outcome per line of the journal, and how many outcomes each line got. */
function outcomes(dir: string): Map<number, string[]> {
  const byLine = new Map<number, string[]>();
  for (const record of journalLines(readFileSync(join(dir, 'cards.csv.journal'), 'utf8'))) {
    if (record.type !== 'outcome') continue;
    const line = record.line as number;
    byLine.set(line, [...(byLine.get(line) ?? []), record.outcome as string]);
  }
  return byLine;
}

async function waitFor(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > until) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('resume', () => {
  it('skips finished rows on a rerun and tries failed ones again', async () => {
    const dir = workdir();
    const target = await fake();
    const file = csv(dir, bulkRows(target, 6));
    target.failWhen((r) =>
      (r.body as { card_reference: string }).card_reference === 'card_2' ? { status: 500 } : undefined,
    );
    const first = await runCli(['delete-cards', file, '--yes', '--json'], envFor(target), dir);
    expect(first.code).toBe(2);
    expect(JSON.parse(first.stdout)).toMatchObject({ deleted: 5, failed: 1, skipped: 0 });
    expect(first.stdout).not.toMatch(/resume/); // --json keeps stdout to one object
    target.failWhen(undefined);
    target.requests.length = 0;
    const second = await runCli(
      ['delete-cards', file, '--yes', '--json', '--report', 'r.csv'],
      envFor(target),
      dir,
    );
    expect(second.code).toBe(0);
    // card_2's 500 was ambiguous, and the card was never deleted: now it is, plainly.
    expect(JSON.parse(second.stdout)).toMatchObject({ total: 6, deleted: 1, failed: 0, skipped: 5 });
    expect(target.requests).toHaveLength(1);
    expect(target.cards('bulk')).toEqual([]);
    const report = readFileSync(join(dir, 'r.csv'), 'utf8');
    expect(report.match(/,deleted,/g)).toHaveLength(6);
  });

  it('refuses a second run while one holds the journal, and takes over a dead one’s lock', async () => {
    const dir = workdir();
    const target = await fake();
    const file = csv(dir, bulkRows(target, 2));
    writeFileSync(join(dir, 'cards.csv.journal.lock'), JSON.stringify({ pid: process.pid }));
    const refused = await runCli(['delete-cards', file, '--yes'], envFor(target), dir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`Another run \\(pid ${process.pid}\\) is using this journal`));
    expect(target.requests).toHaveLength(0);
    const dead = spawnSync(process.execPath, [
      '-e',
      'process.stdout.write(String(process.pid))',
    ]).stdout.toString();
    writeFileSync(join(dir, 'cards.csv.journal.lock'), JSON.stringify({ pid: Number(dead) }));
    const taken = await runCli(['delete-cards', file, '--yes'], envFor(target), dir);
    expect(taken.code).toBe(0);
    expect(target.cards('bulk')).toEqual([]);
  });

  it('stops on SIGTERM, lets calls in flight finish, says how to resume, and resumes', async () => {
    const dir = workdir();
    const target = await fake();
    const file = csv(dir, bulkRows(target, 40));
    target.failWhen(() => ({ delayMs: 100 }));
    const { child, done } = startCli(
      ['delete-cards', file, '--yes', '--rate', '20', '--concurrency', '4'],
      envFor(target),
      dir,
    );
    await waitFor(() => target.requests.length >= 8);
    child.kill('SIGTERM');
    const stopped = await done;
    expect(stopped.code).toBe(3);
    expect(stopped.stdout).toMatch(/Stopped on request: \d+ row\(s\) not run/);
    expect(stopped.stdout).toMatch(/To resume, run: juspay-tokens delete-cards/);
    const sent = target.requests.length;
    expect(sent).toBeLessThan(40);
    // Every call that went out has its outcome: nothing was in flight when it exited.
    expect([...outcomes(dir).values()].flat().filter((o) => o === 'deleted')).toHaveLength(sent);
    target.failWhen(undefined);
    const resumed = await runCli(['delete-cards', file, '--yes', '--json'], envFor(target), dir);
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ deleted: 40 - sent, skipped: sent });
    expect(target.requests).toHaveLength(40);
    expect(target.cards('bulk')).toEqual([]);
  });

  it('after kill -9 and a rerun, every row ends with exactly one outcome; rows cut off in flight are already_gone', async () => {
    const dir = workdir();
    const target = await fake();
    const rows = 30;
    const file = csv(dir, bulkRows(target, rows));
    // Juspay deletes, then takes its time to answer: a kill lands between the two.
    target.failWhen(() => ({ afterDelete: true, delayMs: 150 }));
    const concurrency = 4;
    const { child, done } = startCli(
      ['delete-cards', file, '--yes', '--rate', '50', '--concurrency', String(concurrency)],
      envFor(target),
      dir,
    );
    await waitFor(() => target.requests.length >= 10);
    child.kill('SIGKILL');
    expect((await done).signal).toBe('SIGKILL');
    target.failWhen(undefined);
    const rerun = await runCli(['delete-cards', file, '--yes', '--json'], envFor(target), dir);
    expect(rerun.code).toBe(0);
    const summary = JSON.parse(rerun.stdout) as Record<string, number>;
    expect(summary.already_gone).toBeGreaterThan(0);
    expect(summary.already_gone).toBeLessThanOrEqual(concurrency);
    expect((summary.deleted ?? 0) + (summary.already_gone ?? 0) + (summary.skipped ?? 0)).toBe(rows);
    const byLine = outcomes(dir);
    expect(byLine.size).toBe(rows);
    for (const list of byLine.values()) expect(list).toHaveLength(1);
    const sentTwice = new Map<string, number>();
    for (const r of target.requests) {
      const ref = (r.body as { card_reference: string }).card_reference;
      sentTwice.set(ref, (sentTwice.get(ref) ?? 0) + 1);
    }
    const repeats = [...sentTwice.values()].filter((n) => n > 1).length;
    expect(repeats).toBe(summary.already_gone);
    expect(repeats).toBeLessThanOrEqual(concurrency);
    expect(target.cards('bulk')).toEqual([]);
  });
});
