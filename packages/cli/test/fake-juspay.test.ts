import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { JuspayClient } from '@juspay-tokens/core';
import { describe, expect, it } from 'vitest';
import { runCli, startCli, workdir } from './helpers.js';

const env = { PATH: process.env.PATH };

/** Waits until the child's stdout has the URL line, polling what it printed so far. */
async function urlOf(stdout: () => string): Promise<string> {
  for (let waited = 0; waited < 15_000; waited += 20) {
    const match = /listening on (http:\/\/\S+) /.exec(stdout());
    if (match?.[1] !== undefined) return match[1];
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`the fake printed no URL: ${stdout()}`);
}

/** Waits until `check` holds for the child's stdout. */
async function until(stdout: () => string, check: (text: string) => boolean): Promise<void> {
  for (let waited = 0; waited < 15_000 && !check(stdout()); waited += 20) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  expect(check(stdout()), stdout()).toBe(true);
}

describe('juspay-tokens fake-juspay', () => {
  it('serves the list and delete calls for the cards file, logs each request without the key, and stops on SIGTERM', async () => {
    const dir = workdir();
    const cards = join(dir, 'cards.json');
    writeFileSync(
      cards,
      JSON.stringify([
        { customerId: 'c1', cardReference: 'r1', brand: 'MASTERCARD', last4: '4444', nickname: 'Work' },
        { customerId: 'c1', cardReference: 'r2' },
      ]),
    );
    const { child, done } = startCli(
      ['fake-juspay', '--port', '0', '--api-key', 'sk_fake_Secret', '--merchant-id', 'm1', '--cards', cards],
      env,
      dir,
    );
    let stdout = '';
    child.stdout?.on('data', (chunk: string) => (stdout += chunk));
    const url = await urlOf(() => stdout);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(stdout).toContain('sk_fake_Secret');

    const client = new JuspayClient({ apiKey: 'sk_fake_Secret', merchantId: 'm1', baseUrl: url });
    const listed = await client.listCards({ customerId: 'c1' });
    expect(listed.cards.map((card) => [card.cardReference, card.brand, card.last4, card.nickname])).toEqual([
      ['r1', 'MASTERCARD', '4444', 'Work'],
      ['r2', 'VISA', '4242', undefined],
    ]);
    await client.deleteToken({ cardReference: 'r1', customerId: 'c1' });
    expect((await client.listCards({ customerId: 'c1' })).cards).toHaveLength(1);
    await client.close();
    const wrongKey = new JuspayClient({ apiKey: 'wrong', merchantId: 'm1', baseUrl: url, maxRetries: 0 });
    await expect(wrongKey.listCards({ customerId: 'c1' })).rejects.toMatchObject({
      code: 'AUTHENTICATION_FAILED',
    });
    await wrongKey.close();

    await until(
      () => stdout,
      (text) => text.includes('POST /v4/card/delete 200') && text.includes('GET /cards?customer_id=c1 401'),
    );
    const logLines = stdout.split('\n').slice(1).filter(Boolean);
    expect(logLines).toEqual([
      'GET /cards?customer_id=c1 200',
      'POST /v4/card/delete 200',
      'GET /cards?customer_id=c1 200',
      'GET /cards?customer_id=c1 401',
    ]);
    child.kill('SIGTERM');
    const run = await done;
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('stopping the fake Juspay');
    expect(run.stderr).not.toMatch(/Error|at .*\(/);
  });

  it.each<[string, string[], RegExp]>([
    ['a bad port', ['--port', 'abc'], /--port must be a port/],
    ['an unknown flag', ['--nope'], /nope/],
    ['a missing cards file', ['--cards', 'missing.json'], /--cards missing\.json/],
    ['a cards file that is not an array of cards', ['--cards', 'bad.json'], /JSON array of cards/],
  ])('exits 1 for %s, naming the fix', async (_label, flags, message) => {
    const dir = workdir();
    writeFileSync(join(dir, 'bad.json'), JSON.stringify([{ customerId: 1 }]));
    const run = await runCli(['fake-juspay', '--port', '0', ...flags], env, dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/at .*\(/);
  });

  it('prints its help', async () => {
    const run = await runCli(['fake-juspay', '--help'], env, workdir());
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--merchant-id');
  });
});
