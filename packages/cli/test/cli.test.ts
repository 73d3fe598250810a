// The command as an operator runs it: the built bin as a child process, against the
// fake Juspay over loopback.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { API_KEY, csv, envFor, fake, journalLines, runCli, workdir } from './helpers.js';

describe('usage and configuration errors: exit 1, nothing sent', () => {
  it.each<[string, string[], RegExp]>([
    ['no command', [], /Name a command/],
    ['an unknown command', ['remove-cards', 'x.csv'], /Unknown command "remove-cards"/],
    ['no file', ['delete-cards'], /Name the CSV file/],
    ['two files', ['delete-cards', 'a.csv', 'b.csv'], /Give one CSV file/],
    ['an unknown flag', ['delete-cards', 'cards.csv', '--fast'], /--fast/],
    [
      '--concurrency 0',
      ['delete-cards', 'cards.csv', '--concurrency', '0'],
      /--concurrency must be a whole number from 1 to 256/,
    ],
    ['--concurrency 257', ['delete-cards', 'cards.csv', '--concurrency', '257'], /from 1 to 256/],
    ['--concurrency 2.5', ['delete-cards', 'cards.csv', '--concurrency', '2.5'], /whole number/],
    [
      '--rate 0',
      ['delete-cards', 'cards.csv', '--rate', '0'],
      /--rate must be a number of attempts per second above 0/,
    ],
    ['--rate abc', ['delete-cards', 'cards.csv', '--rate', 'abc'], /--rate/],
    ['--rate -5', ['delete-cards', 'cards.csv', '--rate=-5'], /--rate/],
    ['the key as a flag', ['delete-cards', 'cards.csv', '--api-key', API_KEY], /--api-key/],
  ])('refuses %s', async (_label, args, message) => {
    const dir = workdir();
    const target = await fake({ cards: [{ customerId: 'c1', cardReference: 'r1' }] });
    csv(dir, 'customer_id,card_reference\nc1,r1\n');
    const run = await runCli([...args, '--yes'], envFor(target), dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toContain(API_KEY);
    expect(target.requests).toHaveLength(0);
  });

  it.each<[string, NodeJS.ProcessEnv, RegExp]>([
    ['no key', {}, /Set JUSPAY_API_KEY/],
    [
      'an unknown environment',
      { JUSPAY_ENVIRONMENT: 'prod' },
      /JUSPAY_ENVIRONMENT must be "sandbox" or "production"/,
    ],
    [
      'plain http to a remote host',
      { JUSPAY_BASE_URL: 'http://api.example.com' },
      /JUSPAY_BASE_URL must use https/,
    ],
  ])('refuses %s, naming the variable', async (_label, extra, message) => {
    const dir = workdir();
    const env = {
      PATH: process.env.PATH,
      ...(extra.JUSPAY_ENVIRONMENT || extra.JUSPAY_BASE_URL ? { JUSPAY_API_KEY: API_KEY } : {}),
      ...extra,
    };
    const run = await runCli(
      ['delete-cards', csv(dir, 'customer_id,card_reference\nc1,r1\n'), '--yes'],
      env,
      dir,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(message);
  });

  it('refuses a header without the required columns, and a missing file', async () => {
    const dir = workdir();
    const target = await fake();
    const header = await runCli(
      ['delete-cards', csv(dir, 'customer,card\nc1,r1\n'), '--yes'],
      envFor(target),
      dir,
    );
    expect(header.code).toBe(1);
    expect(header.stderr).toMatch(/header row must name customer_id and card_reference/);
    const missing = await runCli(['delete-cards', join(dir, 'nope.csv'), '--yes'], envFor(target), dir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no such file/);
    expect(target.requests).toHaveLength(0);
  });

  it('refuses to run without --yes when there is no terminal to confirm on', async () => {
    const dir = workdir();
    const target = await fake({ cards: [{ customerId: 'c1', cardReference: 'r1' }] });
    const run = await runCli(
      ['delete-cards', csv(dir, 'customer_id,card_reference\nc1,r1\n')],
      envFor(target),
      dir,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/pass --yes to delete 1 saved card\(s\) at 127\.0\.0\.1:\d+/);
    expect(target.requests).toHaveLength(0);
  });

  it('prints help and the version', async () => {
    const dir = workdir();
    const help = await runCli(['--help'], envFor(undefined, undefined), dir);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: juspay-tokens delete-cards/);
    const version = await runCli(['--version'], envFor(undefined, undefined), dir);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

// A file with every kind of row: a BOM, extra and reordered columns, quoted fields (one
// across two lines, one with an escaped quote), an invalid row, a repeated pair, a pair
// Juspay does not know, routing ids given and empty.
const MIXED = [
  '\ufeffnote,card_reference,routing_id,customer_id',
  'a,ref_1,,cust_1',
  'b,"ref_2",cart_9,cust_1',
  'c,ref_1,,cust_1',
  'd,,,cust_1',
  '"e, with comma","ref ""quoted""",,cust_2',
  'f,unknown_ref,,cust_1',
  '"g',
  'spans two lines",ref_3,,cust_2',
  'h,ref_4, cart ,cust_2',
  '',
].join('\n');

describe('a mixed file', () => {
  it('sends only the valid, first-seen rows and reports every row exactly', async () => {
    const dir = workdir();
    const target = await fake({
      cards: [
        { customerId: 'cust_1', cardReference: 'ref_1' },
        { customerId: 'cust_1', cardReference: 'ref_2' },
        { customerId: 'cust_2', cardReference: 'ref "quoted"' },
        { customerId: 'cust_2', cardReference: 'ref_3' },
      ],
    });
    const file = csv(dir, MIXED);
    const dry = await runCli(['delete-cards', file, '--dry-run', '--json'], envFor(target, undefined), dir);
    expect(dry.code).toBe(2); // some rows are invalid
    expect(JSON.parse(dry.stdout)).toMatchObject({
      dryRun: true,
      total: 8,
      toSend: 5,
      invalidInput: 2,
      duplicate: 1,
    });
    expect(target.requests).toHaveLength(0);

    const run = await runCli(
      ['delete-cards', file, '--yes', '--json', '--report', 'report.csv'],
      envFor(target),
      dir,
    );
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toEqual({
      total: 8,
      deleted: 4,
      already_gone: 0,
      invalid_request: 1,
      invalid_input: 2,
      duplicate: 1,
      failed: 0,
      skipped: 0,
      not_run: 0,
      elapsedMs: expect.any(Number),
    });
    expect(target.cards('cust_1')).toEqual([]);
    expect(target.cards('cust_2')).toEqual([]);
    expect(target.requests).toHaveLength(5);
    const routing = Object.fromEntries(
      target.requests.map((r) => [
        (r.body as { card_reference: string }).card_reference,
        r.headers['x-routing-id'],
      ]),
    );
    expect(routing).toMatchObject({
      ref_1: 'cust_1',
      ref_2: 'cart_9',
      'ref "quoted"': 'cust_2',
      ref_3: 'cust_2',
    });

    const report = readFileSync(join(dir, 'report.csv'), 'utf8').trim().split('\n');
    expect(report[0]).toBe('line,customer_id,card_reference,outcome,code,reason,request_id,attempts');
    const rows = report.slice(1).map((line) => line.split(','));
    expect(rows.map((r) => [r[0], r[3], r[4]])).toEqual([
      ['2', 'deleted', ''],
      ['3', 'deleted', ''],
      ['4', 'duplicate', ''],
      ['5', 'invalid_input', 'INVALID_INPUT'],
      ['6', 'deleted', ''],
      ['7', 'invalid_request', 'INVALID_REQUEST'],
      ['8', 'deleted', ''],
      ['10', 'invalid_input', 'INVALID_INPUT'],
    ]);
    expect(rows[0]?.[6]).toBe(target.requests[0]?.headers['x-request-id']);
    const everything = `${run.stdout}${run.stderr}${report.join('\n')}${readFileSync(join(dir, 'cards.csv.journal'), 'utf8')}`;
    expect(everything).not.toContain(API_KEY);
  });

  it('prints a plan without a key on a dry run, and a summary and a journal otherwise', async () => {
    const dir = workdir();
    const target = await fake({ cards: [{ customerId: 'c1', cardReference: 'r1' }] });
    const file = csv(dir, 'customer_id,card_reference\nc1,r1\nc1,\n');
    const dry = await runCli(['delete-cards', file, '--dry-run'], envFor(target, undefined), dir);
    expect(dry.code).toBe(2); // line 3 is invalid
    expect(dry.stdout).toMatch(/rows: 2\n {2}to send: 1 \(to 127\.0\.0\.1:\d+\)/);
    expect(dry.stdout).toMatch(/line 3: card_reference must not be empty/);
    expect(dry.stdout).toMatch(/Dry run: nothing was sent/);
    expect(existsSync(join(dir, 'cards.csv.journal'))).toBe(false);
    const run = await runCli(['delete-cards', file, '--yes'], envFor(target), dir);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/deleted 1, .*invalid_input 1/);
    const journal = journalLines(readFileSync(join(dir, 'cards.csv.journal'), 'utf8'));
    expect(journal).toHaveLength(4); // the run's line, then started, deleted, invalid_input
    expect(journal[0]).toMatchObject({ type: 'run' });
    expect(journal).toContainEqual(
      expect.objectContaining({ type: 'outcome', line: 3, outcome: 'invalid_input' }),
    );
    const started = journal.findIndex((r) => r.type === 'started' && r.line === 2);
    const deleted = journal.findIndex((r) => r.type === 'outcome' && r.line === 2 && r.outcome === 'deleted');
    expect(started).toBeGreaterThanOrEqual(0);
    expect(deleted).toBeGreaterThan(started);
  });
});
