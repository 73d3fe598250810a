import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { JuspayClient, JuspayTimeoutError, type JuspayClientOptions } from '../src/index.js';
import { startFakeJuspay } from '../src/testing/index.js';
import { runtimeLabel } from '../src/runtime.js';
import { API_KEY, ENCODED_KEY, params, rejection, setup } from './helpers.js';

// The same client on the Web fetch transport (`new JuspayClient({ fetch })`), against the
// fake over loopback: one retry loop and one classifier, only the attempt differs.

/** A client on Node's own fetch, pointed at a fake. */
function onFetch(options: Partial<JuspayClientOptions> = {}, fakeOptions = {}) {
  return setup({ fetch: (input, init) => fetch(input, init), ...options }, fakeOptions);
}

async function timed(promise: Promise<unknown>): Promise<{ value: unknown; ms: number }> {
  const started = performance.now();
  const value = await rejection(promise);
  return { value, ms: performance.now() - started };
}

describe('the fetch transport', () => {
  it('deletes and lists with the same request on the wire as undici', async () => {
    const { client, fake } = await onFetch({ merchantId: 'm1' }, { merchantId: 'm1' });
    const listed = await client.listCards({ customerId: 'cust_1' });
    expect(listed.cards.map((card) => card.cardReference)).toEqual(['ref_1', 'ref_2']);
    const deleted = await client.deleteToken(params);
    expect(deleted).toMatchObject({ status: 'SUCCESS', attempts: 1, alreadyGone: false });
    expect(fake.cards('cust_1')).toEqual(['ref_2']);
    const [list, del] = fake.requests;
    expect(list).toMatchObject({ method: 'GET', path: '/cards?customer_id=cust_1' });
    expect(list?.headers).toMatchObject({ 'x-merchantid': 'm1', 'x-routing-id': 'cust_1' });
    expect(del).toMatchObject({
      method: 'POST',
      path: '/v4/card/delete',
      body: { card_reference: 'ref_1', customer_id: 'cust_1' },
    });
    expect(del?.headers).toMatchObject({
      authorization: `Basic ${ENCODED_KEY}`,
      'content-type': 'application/json',
      'x-request-id': deleted.requestId,
      'user-agent': expect.stringMatching(/^juspay-tokens\/\S+ node\/\d+\.\d+\.\d+$/),
    });
  });

  it('retries a 503 with the same request id and honours Retry-After', async () => {
    const { client, fake } = await onFetch();
    fake.failNext({ status: 503, headers: { 'retry-after': '0' }, times: 2 });
    const result = await client.deleteToken(params);
    expect(result.attempts).toBe(3);
    expect(new Set(fake.requests.map((r) => r.headers['x-request-id']))).toEqual(new Set([result.requestId]));
  });

  it('times out while waiting for headers, as an ambiguous attempt', async () => {
    const { client, fake } = await onFetch({ timeoutMs: 150, maxRetries: 0 });
    await client.deleteToken({ ...params, cardReference: 'ref_2' }); // warm
    fake.failNext({ delayMs: 2_000 });
    const { value, ms } = await timed(client.deleteToken(params));
    expect(value).toBeInstanceOf(JuspayTimeoutError);
    expect(value).toMatchObject({ code: 'TIMEOUT', ambiguous: true, attempts: 1 });
    expect(ms).toBeLessThan(1_500);
  });

  it('times out a body that stalls after the headers', async () => {
    const { client, fake } = await onFetch({ timeoutMs: 150, maxRetries: 0, merchantId: 'm1' });
    fake.failNext({ bodyDelayMs: 2_000 });
    const { value, ms } = await timed(client.listCards({ customerId: 'cust_1' }));
    expect(value).toMatchObject({ code: 'TIMEOUT', status: 200, ambiguous: false });
    expect(ms).toBeLessThan(1_500);
  });

  it('ends the call by deadlineMs through retries', async () => {
    const { client, fake } = await onFetch({ timeoutMs: 150, deadlineMs: 500, maxRetries: 10 });
    fake.failNext({ delayMs: 2_000, times: 20 });
    const { value, ms } = await timed(client.deleteToken(params));
    expect(value).toMatchObject({ code: 'TIMEOUT' });
    expect(ms).toBeLessThan(1_500);
  });

  it('settles by timeoutMs even when the fetch given never settles and ignores its signal', async () => {
    let calls = 0;
    const client = new JuspayClient({
      apiKey: API_KEY,
      baseUrl: 'http://127.0.0.1:9',
      timeoutMs: 100,
      maxRetries: 0,
      fetch: () => {
        calls += 1;
        return new Promise<Response>(() => undefined);
      },
    });
    const { value, ms } = await timed(client.deleteToken(params));
    expect(value).toMatchObject({ code: 'TIMEOUT', ambiguous: true });
    expect(ms).toBeLessThan(1_000);
    expect(calls).toBe(1);
    await client.close();
  });

  it('rejects with the signal reason when aborted, while waiting and between retries', async () => {
    const { client, fake } = await onFetch({ timeoutMs: 5_000 });
    fake.failNext({ delayMs: 2_000 });
    const reason = new Error('shopper left');
    const waiting = new AbortController();
    setTimeout(() => waiting.abort(reason), 50);
    const { value, ms } = await timed(client.deleteToken(params, { signal: waiting.signal }));
    expect(value).toBe(reason);
    expect(ms).toBeLessThan(1_000);
    fake.failNext({ status: 503, headers: { 'retry-after': '5' } });
    const between = new AbortController();
    setTimeout(() => between.abort(reason), 200);
    expect(await rejection(client.deleteToken(params, { signal: between.signal }))).toBe(reason);
  });

  it('calls a refused connection unambiguous, and a reset after the request left ambiguous', async () => {
    const gone = await startFakeJuspay({ apiKey: API_KEY });
    await gone.close();
    const refused = new JuspayClient({ apiKey: API_KEY, baseUrl: gone.url, maxRetries: 0, fetch });
    expect(await rejection(refused.deleteToken(params))).toMatchObject({
      code: 'NETWORK_ERROR',
      ambiguous: false,
    });
    await refused.close();

    const { client, fake } = await onFetch({ maxRetries: 0 });
    fake.failNext({ reset: true });
    expect(await rejection(client.deleteToken(params))).toMatchObject({
      code: 'NETWORK_ERROR',
      ambiguous: true,
    });
  });

  it('resolves alreadyGone when a lost answer is followed by "invalid"', async () => {
    const { client, fake } = await onFetch();
    fake.failNext({ reset: true, afterDelete: true });
    const result = await client.deleteToken(params);
    expect(result).toMatchObject({ status: 'SUCCESS', alreadyGone: true, attempts: 2 });
  });

  it('reads at most 64 KiB of a delete answer and 1 MiB of a list', async () => {
    const { client, fake } = await onFetch({ maxRetries: 0, merchantId: 'm1' });
    fake.failNext({ status: 200, body: 'x'.repeat(200_000) });
    expect(await rejection(client.deleteToken(params))).toMatchObject({ code: 'BAD_RESPONSE' });
    fake.failNext({ status: 200, body: { cards: [], pad: 'x'.repeat(300_000) } });
    expect((await client.listCards({ customerId: 'cust_1' })).cards).toEqual([]);
    fake.failNext({ status: 200, body: { cards: [], pad: 'x'.repeat(1_100_000) } });
    expect(await rejection(client.listCards({ customerId: 'cust_1' }))).toMatchObject({
      code: 'BAD_RESPONSE',
    });
  });

  it('keeps the key out of every error', async () => {
    const { client, fake } = await onFetch({ maxRetries: 0, timeoutMs: 150 });
    const wrongKey = new JuspayClient({ apiKey: `${API_KEY}x`, baseUrl: fake.url, maxRetries: 0, fetch });
    fake.failNext({ status: 502, body: `echo ${API_KEY} ${ENCODED_KEY}` });
    const errors = [
      await rejection(client.deleteToken(params)),
      await rejection(wrongKey.deleteToken(params)),
    ];
    fake.failNext({ reset: true });
    errors.push(await rejection(client.deleteToken(params)));
    await wrongKey.close();
    for (const err of errors) {
      const text = `${String(err)} ${(err as Error).stack} ${JSON.stringify(err)} ${inspect(err, { depth: 8 })}`;
      expect(text).not.toContain(API_KEY);
      expect(text).not.toContain(ENCODED_KEY);
    }
  });

  it('refuses a dispatcher beside fetch, and a fetch that is not a function', () => {
    const dispatcher = { dispatch: () => true } as never;
    expect(() => new JuspayClient({ apiKey: API_KEY, fetch, dispatcher })).toThrow(
      /option "dispatcher" cannot be given with "fetch"/,
    );
    expect(() => new JuspayClient({ apiKey: API_KEY, fetch: 'fetch' as never })).toThrow(
      /option "fetch" must be a fetch function/,
    );
  });
});

describe('the user-agent runtime', () => {
  it('names Node where process.versions.node exists, else the runtime', () => {
    expect(runtimeLabel({ process: { versions: { node: '24.1.0' } } })).toBe('node/24.1.0');
    expect(runtimeLabel({ navigator: { userAgent: 'Cloudflare-Workers' } })).toBe('workerd');
    expect(runtimeLabel({ EdgeRuntime: 'edge-runtime' })).toBe('edge-light');
    expect(runtimeLabel({ Deno: { version: { deno: '2.5.0' } } })).toBe('deno/2.5.0');
    expect(runtimeLabel({})).toBe('unknown');
  });
});
