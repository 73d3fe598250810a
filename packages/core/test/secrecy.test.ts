import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { JuspayClient } from '../src/index.js';
import { startFakeJuspay } from '../src/testing/index.js';
import { API_KEY, ENCODED_KEY, params, rejection, setup } from './helpers.js';

function expectNoSecret(text: string): void {
  expect(text).not.toContain(API_KEY);
  expect(text).not.toContain(ENCODED_KEY);
}

function everyView(value: unknown): string {
  return [
    inspect(value, { showHidden: true, depth: Infinity, getters: true }),
    JSON.stringify(value) ?? '',
    String(value),
    value instanceof Error ? `${value.message}\n${value.stack}` : '',
  ].join('\n');
}

describe('the API key stays secret', () => {
  it('is not in util.inspect, JSON.stringify, String or a spread of the client', async () => {
    const client = new JuspayClient({ apiKey: API_KEY, headers: { 'x-merchantid': 'm1' } });
    expectNoSecret(everyView(client));
    expectNoSecret(everyView({ ...client }));
    expectNoSecret(
      Object.getOwnPropertyNames(client)
        .map((k) => String((client as never)[k]))
        .join(),
    );
    await client.close();
  });

  it('is in no error of any kind: message, stack, JSON, inspect (with causes)', async () => {
    const { client, fake } = await setup({ timeoutMs: 150, deadlineMs: 2_000 });
    const wrongKey = new JuspayClient({ apiKey: `${API_KEY}x`, baseUrl: fake.url, maxRetries: 0 });
    // undici loads with the first call (about 200 ms on a busy machine): not under the 150 ms limit.
    await rejection(client.deleteToken({ ...params, cardReference: 'warm_up' }, { timeoutMs: 10_000 }));
    const errors: unknown[] = [];
    errors.push(await rejection(client.deleteToken({ ...params, cardReference: 'missing' })));
    errors.push(await rejection(wrongKey.deleteToken(params)));
    fake.failNext({ reset: true, times: 5 });
    errors.push(await rejection(client.deleteToken(params, { maxRetries: 0 })));
    fake.reset();
    fake.failNext({ delayMs: 2_000 });
    errors.push(await rejection(client.deleteToken(params, { maxRetries: 0 })));
    fake.failNext({ status: 502, body: '<html>bad gateway</html>' });
    errors.push(await rejection(client.deleteToken(params, { maxRetries: 0 })));
    errors.push(await rejection(client.deleteToken({ cardReference: '', customerId: 'c' })));
    const gone = await startFakeJuspay();
    await gone.close();
    const unreachable = new JuspayClient({ apiKey: API_KEY, baseUrl: gone.url, maxRetries: 0 });
    errors.push(await rejection(unreachable.deleteToken(params)));
    await Promise.all([wrongKey.close(), unreachable.close()]);

    expect(errors).toHaveLength(7);
    for (const err of errors) expectNoSecret(everyView(err));
    expectNoSecret(everyView(errors));
  });

  it('is redacted from an upstream body that echoes it', async () => {
    const { client, fake } = await setup();
    fake.failNext({
      status: 400,
      body: { error: true, user_message: `bad key ${API_KEY}`, echo: `Basic ${ENCODED_KEY}` },
    });
    const err = await rejection(client.deleteToken(params));
    expectNoSecret(everyView(err));
    expect((err as { userMessage: string }).userMessage).toBe('bad key [REDACTED]');
  });

  it('is in no event', async () => {
    const { client, fake, events } = await setup();
    fake.failNext({ status: 503, headers: { 'retry-after': '0' } });
    await client.deleteToken(params);
    expect(events.length).toBeGreaterThan(3);
    expectNoSecret(JSON.stringify(events));
    expectNoSecret(inspect(events, { depth: Infinity, showHidden: true }));
  });
});
