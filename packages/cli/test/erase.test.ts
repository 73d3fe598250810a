// erase-customers as an operator runs it: the built bin as a child process, against the
// fake Juspay over loopback, listing each customer's cards and deleting every one.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FakeJuspay, FakeJuspayRequest } from '@juspay-tokens/core/testing';
import { describe, expect, it } from 'vitest';
import {
  API_KEY,
  busiestSecond,
  csv,
  envFor,
  fake,
  journalLines,
  runCli,
  startCli,
  workdir,
} from './helpers.js';

const MERCHANT = 'merchant_erase';

function eraseEnv(target: FakeJuspay): NodeJS.ProcessEnv {
  return { ...envFor(target), JUSPAY_MERCHANT_ID: MERCHANT };
}

const isList = (r: FakeJuspayRequest) => r.method === 'GET';
const listedCustomer = (r: FakeJuspayRequest) => new URL(r.path, 'http://x').searchParams.get('customer_id');
const deletedPair = (r: FakeJuspayRequest) => {
  const body = r.body as { customer_id: string; card_reference: string };
  return `${body.customer_id}/${body.card_reference}`;
};

/** `customers` customers with `cards` cards each, saved at the fake; the CSV's text. */
function customersWithCards(target: FakeJuspay, customers: number, cards: number): string {
  const lines = ['customer_id'];
  for (let c = 0; c < customers; c++) {
    for (let k = 0; k < cards; k++)
      target.addCard({ customerId: `cust_${c}`, cardReference: `ref_${c}_${k}` });
    lines.push(`cust_${c}`);
  }
  return `${lines.join('\n')}\n`;
}

async function waitFor(check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > until) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The report's rows as objects (no cell of these tests holds a comma or a quote). */
function reportRows(path: string): Record<string, string>[] {
  const [header, ...rows] = readFileSync(path, 'utf8').trim().split('\n');
  const names = (header as string).split(',');
  return rows.map((row): Record<string, string> =>
    Object.fromEntries(row.split(',').map((cell, i) => [names[i] as string, cell])),
  );
}

describe('erase-customers', () => {
  it('lists and erases a mixed file: exact summary, report and exit code', async () => {
    const dir = workdir();
    const target = await fake({
      merchantId: MERCHANT,
      cards: [
        { customerId: 'c1', cardReference: 'r1a' },
        { customerId: 'c1', cardReference: 'r1b' },
        { customerId: 'c5', cardReference: 'r5' },
      ],
    });
    target.failWhen((r) => {
      if (!isList(r)) return undefined;
      const customer = listedCustomer(r);
      if (customer === 'unknown')
        return { status: 400, body: { status: 'error', error_code: 'INVALID_REQUEST' } };
      if (customer === 'broken') return { status: 501 };
      return undefined;
    });
    // c2 has no card; "unknown" is not a Juspay customer; "broken"'s listing fails;
    // line 6 is empty (invalid), line 7 repeats c1.
    const file = csv(
      dir,
      'customer_id,routing_id\nc1,\nc2,\nunknown,\nbroken,\n,\nc1,\nc5,route_5\n',
      'customers.csv',
    );
    const run = await runCli(
      ['erase-customers', file, '--yes', '--json', '--report', 'erased.csv'],
      eraseEnv(target),
      dir,
    );
    expect(run.stderr).not.toContain(API_KEY);
    expect(run.code).toBe(2);
    const summary = JSON.parse(run.stdout) as Record<string, unknown>;
    expect({ ...summary, elapsedMs: 0 }).toEqual({
      total: 8,
      deleted: 3,
      already_gone: 0,
      invalid_request: 0,
      invalid_input: 1,
      duplicate: 1,
      failed: 0,
      skipped: 0,
      not_run: 0,
      elapsedMs: 0,
      customers: 7,
      no_cards: 2,
      list_failed: 1,
    });
    expect(target.cards('c1')).toEqual([]);
    expect(target.cards('c5')).toEqual([]);
    // Each listed customer once, each card deleted once; nothing for the invalid or repeated rows.
    expect(target.requests.filter(isList).map(listedCustomer).sort()).toEqual([
      'broken',
      'c1',
      'c2',
      'c5',
      'unknown',
    ]);
    expect(
      target.requests
        .filter((r) => !isList(r))
        .map(deletedPair)
        .sort(),
    ).toEqual(['c1/r1a', 'c1/r1b', 'c5/r5']);
    // The list carries the merchant id; the routing id is the row's, or the customer's.
    const c5 = target.requests.find((r) => isList(r) && listedCustomer(r) === 'c5');
    expect(c5?.headers['x-merchantid']).toBe(MERCHANT);
    expect(c5?.headers['x-routing-id']).toBe('route_5');
    const rows = reportRows(join(dir, 'erased.csv'));
    expect(rows.map((r) => [r.line, r.customer_id, r.card_reference, r.outcome, r.code])).toEqual([
      ['2', 'c1', 'r1a', 'deleted', ''],
      ['2', 'c1', 'r1b', 'deleted', ''],
      ['3', 'c2', '', 'no_cards', ''],
      ['4', 'unknown', '', 'no_cards', 'INVALID_REQUEST'],
      ['5', 'broken', '', 'list_failed', 'SERVER_ERROR'],
      ['6', '', '', 'invalid_input', 'INVALID_INPUT'],
      ['7', 'c1', '', 'duplicate', ''],
      ['8', 'c5', 'r5', 'deleted', ''],
    ]);
    expect(rows[5]?.reason).toBe('customer_id must not be empty');
    const journal = journalLines(readFileSync(`${file}.journal`, 'utf8'));
    expect(journal[0]).toMatchObject({ type: 'run', command: `erase-customers ${file}` });
    expect(journal.filter((l) => l.type === 'listed').map((l) => [l.customerId, l.cards])).toEqual(
      expect.arrayContaining([
        ['c1', ['r1a', 'r1b']],
        ['c2', []],
        ['unknown', []],
        ['c5', ['r5']],
      ]),
    );
    expect(JSON.stringify(journal)).not.toContain(API_KEY);
  });

  it('warns when Juspay knew none of the customers listed (a wrong merchant id or environment)', async () => {
    const dir = workdir();
    const target = await fake({ merchantId: MERCHANT });
    target.failWhen(() => ({ status: 400, body: { status: 'error', error_code: 'INVALID_REQUEST' } }));
    const file = csv(dir, 'customer_id\na\nb\n', 'customers.csv');
    const run = await runCli(['erase-customers', file, '--yes'], eraseEnv(target), dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Done in [\d.]+ s: 2 rows from 2 customer rows/);
    expect(run.stdout).toMatch(/no_cards 2, list_failed 0/);
    expect(run.stdout).toMatch(
      /every listing INVALID_REQUEST.*check JUSPAY_MERCHANT_ID and JUSPAY_ENVIRONMENT/,
    );
    // One known customer is enough to rule a wrong merchant id out.
    target.failWhen((r) =>
      listedCustomer(r) === 'a' ? { status: 400, body: { status: 'error' } } : undefined,
    );
    const other = await runCli(
      ['erase-customers', file, '--yes', '--journal', 'other.journal'],
      eraseEnv(target),
      dir,
    );
    expect(other.code).toBe(0);
    expect(other.stdout).not.toMatch(/every listing/);
  });

  it('needs JUSPAY_MERCHANT_ID to run, not to plan; a dry run counts customers and exits 2 on an invalid row', async () => {
    const dir = workdir();
    const target = await fake({ merchantId: MERCHANT });
    const file = csv(dir, 'customer_id\nc1\nc1\n c3\nc2\n', 'customers.csv');
    const refused = await runCli(['erase-customers', file, '--yes'], envFor(target), dir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/Set JUSPAY_MERCHANT_ID/);
    const plan = await runCli(
      ['erase-customers', file, '--dry-run', '--json'],
      { PATH: process.env.PATH },
      dir,
    );
    expect(plan.code).toBe(2);
    expect(JSON.parse(plan.stdout)).toMatchObject({
      dryRun: true,
      total: 4,
      toList: 2,
      duplicate: 1,
      invalidInput: 1,
      problems: [{ line: 4, problem: 'customer_id must not start or end with white space' }],
    });
    expect(target.requests).toHaveLength(0);
    const header = await runCli(
      ['erase-customers', csv(dir, 'customer\nc1\n', 'bad.csv'), '--yes'],
      eraseEnv(target),
      dir,
    );
    expect(header.code).toBe(1);
    expect(header.stderr).toMatch(/header row must name customer_id \(missing customer_id/);
  });

  it('resumes after SIGTERM: nothing listed or deleted twice once every card is done', async () => {
    const dir = workdir();
    const target = await fake({ merchantId: MERCHANT });
    const file = csv(dir, customersWithCards(target, 12, 2), 'customers.csv');
    const args = ['erase-customers', file, '--yes', '--json', '--rate', '20', '--concurrency', '2'];
    const { child, done } = startCli([...args, '--report', 'first.csv'], eraseEnv(target), dir);
    await waitFor(() => target.requests.length >= 10);
    child.kill('SIGTERM');
    const first = await done;
    expect(first.code).toBe(3);
    expect(first.stderr).toMatch(/Stopped on request/);
    expect(first.stderr).toMatch(
      /To resume, run: juspay-tokens erase-customers .* --rate 20 --concurrency 2/,
    );
    const firstDeletes = target.requests.filter((r) => !isList(r)).map(deletedPair);
    const second = await runCli([...args, '--report', 'second.csv'], eraseEnv(target), dir);
    expect(second.code).toBe(0);
    const summary = JSON.parse(second.stdout) as Record<string, number>;
    expect(summary).toMatchObject({ total: 24, customers: 12, failed: 0, not_run: 0 });
    expect((summary.deleted ?? 0) + (summary.skipped ?? 0)).toBe(24);
    expect(summary.skipped).toBeGreaterThan(0);
    for (let c = 0; c < 12; c++) expect(target.cards(`cust_${c}`)).toEqual([]);
    // Every card was deleted exactly once over the two runs.
    const deletes = target.requests.filter((r) => !isList(r)).map(deletedPair);
    expect(new Set(deletes).size).toBe(24);
    expect(deletes).toHaveLength(24);
    expect(firstDeletes.length).toBeLessThan(24);
    const rows = reportRows(join(dir, 'second.csv'));
    expect(rows).toHaveLength(24);
    expect(rows.every((r) => r.outcome === 'deleted')).toBe(true);
    // A third run finds every customer finished: nothing is sent.
    target.requests.length = 0;
    const third = await runCli(args, eraseEnv(target), dir);
    expect(third.code).toBe(0);
    expect(JSON.parse(third.stdout)).toMatchObject({ total: 24, skipped: 24 });
    expect(target.requests).toHaveLength(0);
  });

  it('after kill -9 and a rerun, every card ends deleted or already_gone, each with one report row', async () => {
    const dir = workdir();
    const target = await fake({ merchantId: MERCHANT });
    const file = csv(dir, customersWithCards(target, 8, 3), 'customers.csv');
    // Juspay deletes, then takes its time to answer: a kill lands between the two.
    target.failWhen((r) => (isList(r) ? undefined : { delayMs: 150 }));
    const args = ['erase-customers', file, '--yes', '--json', '--rate', '40', '--concurrency', '4'];
    const { child, done } = startCli(args, eraseEnv(target), dir);
    await waitFor(() => target.requests.filter((r) => !isList(r)).length >= 6);
    child.kill('SIGKILL');
    expect((await done).signal).toBe('SIGKILL');
    target.failWhen(undefined);
    const rerun = await runCli([...args, '--report', 'r.csv'], eraseEnv(target), dir);
    expect(rerun.code).toBe(0);
    for (let c = 0; c < 8; c++) expect(target.cards(`cust_${c}`)).toEqual([]);
    const rows = reportRows(join(dir, 'r.csv'));
    expect(rows).toHaveLength(24);
    expect(new Set(rows.map((r) => `${r.customer_id}/${r.card_reference}`)).size).toBe(24);
    expect(rows.every((r) => r.outcome === 'deleted' || r.outcome === 'already_gone')).toBe(true);
  });

  it('lists again when a card of the last listing is not done, keeping a finished card it no longer shows', async () => {
    const dir = workdir();
    const target = await fake({
      merchantId: MERCHANT,
      cards: [
        { customerId: 'c1', cardReference: 'done_before' },
        { customerId: 'c1', cardReference: 'fails_first' },
      ],
    });
    // A 501 is not retried: the card's row ends failed, which a rerun tries again.
    target.failWhen((r) => (!isList(r) && deletedPair(r) === 'c1/fails_first' ? { status: 501 } : undefined));
    const file = csv(dir, 'customer_id\nc1\n', 'customers.csv');
    const first = await runCli(['erase-customers', file, '--yes', '--json'], eraseEnv(target), dir);
    expect(first.code).toBe(2);
    expect(JSON.parse(first.stdout)).toMatchObject({ total: 2, deleted: 1, failed: 1 });
    target.failWhen(undefined);
    target.requests.length = 0;
    const again = await runCli(
      ['erase-customers', file, '--yes', '--json', '--report', 'r.csv'],
      eraseEnv(target),
      dir,
    );
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ total: 2, deleted: 1, skipped: 1, failed: 0 });
    // Listed again (the new listing shows only fails_first), and only that card sent.
    expect(target.requests.filter(isList)).toHaveLength(1);
    expect(target.requests.filter((r) => !isList(r)).map(deletedPair)).toEqual(['c1/fails_first']);
    expect(reportRows(join(dir, 'r.csv')).map((r) => [r.card_reference, r.outcome])).toEqual([
      ['fails_first', 'deleted'],
      ['done_before', 'deleted'],
    ]);
  });

  it('paces listings and deletes on one budget: no sliding second over --rate + 1', async () => {
    const dir = workdir();
    const target = await fake({ merchantId: MERCHANT });
    const file = csv(dir, customersWithCards(target, 10, 3), 'customers.csv');
    const run = await runCli(
      ['erase-customers', file, '--yes', '--json', '--rate', '20', '--concurrency', '8'],
      eraseEnv(target),
      dir,
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ total: 30, deleted: 30, customers: 10 });
    expect(target.requests).toHaveLength(40);
    expect(busiestSecond(target)).toBeLessThanOrEqual(21);
  });
});
