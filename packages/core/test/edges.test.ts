import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  JuspayClient,
  JuspayError,
  JuspayInputError,
  JuspayInvalidRequestError,
  JuspayNetworkError,
  JuspayRateLimitError,
  JuspayResponseError,
  JuspayServerError,
  JuspayTimeoutError,
  JuspayAuthenticationError,
  JuspayUnauthenticatedError,
  type JuspayClientOptions,
} from '../src/index.js';
import { API_KEY, ENCODED_KEY, params, rejection, setup } from './helpers.js';

// The defects reported against the client at the edges, one test each (all seen failing
// on the code before the fix).

function views(err: unknown): string {
  return [
    inspect(err, { showHidden: true, depth: Infinity }),
    JSON.stringify(err),
    (err as Error).message,
    (err as Error).stack,
    String((err as JuspayError).userMessage),
    typeof (err as JuspayError).body === 'string' ? ((err as JuspayError).body as string) : '',
  ].join('\n');
}

describe('input that cannot be sent is refused up front', () => {
  it('refuses a customer id outside ASCII used as routing id, naming routingId, sending nothing', async () => {
    const { client, fake, events } = await setup();
    const err = await rejection(client.deleteToken({ cardReference: 'ref_1', customerId: '顧客-42' }));
    expect(err).toBeInstanceOf(JuspayInputError);
    expect(err).toMatchObject({ code: 'INVALID_INPUT', field: 'routingId', attempts: 0, ambiguous: false });
    expect((err as Error).message).toMatch(/routingId/);
    expect(fake.requests).toHaveLength(0);
    expect(events).toHaveLength(0);
  });

  it('accepts a customer id outside ASCII with an explicit ASCII routing id', async () => {
    const { client, fake } = await setup();
    fake.addCard({ customerId: '顧客-42', cardReference: 'ref_9' });
    await expect(
      client.deleteToken({ cardReference: 'ref_9', customerId: '顧客-42', routingId: 'cust-42' }),
    ).resolves.toMatchObject({ status: 'SUCCESS' });
    expect(fake.requests[0]?.headers['x-routing-id']).toBe('cust-42');
  });

  it.each([
    'transfer-encoding',
    'Upgrade',
    'connection',
    'keep-alive',
    'te',
    'trailer',
    'expect',
    'proxy-authorization',
  ])('refuses the connection-level static header %s in the constructor', (name) => {
    expect(() => new JuspayClient({ apiKey: API_KEY, headers: { [name]: 'x' } })).toThrow(TypeError);
    expect(() => new JuspayClient({ apiKey: API_KEY, headers: { [name]: 'x' } })).toThrow(/headers/);
  });

  it('never echoes an unparsable baseUrl or environment (it may be a swapped-in key)', () => {
    for (const options of [
      { apiKey: 'k', baseUrl: 'sk_live_swapped_in_key' },
      { apiKey: 'k', environment: 'sk_live_swapped_in_key' },
    ]) {
      let message = '';
      try {
        new JuspayClient(options as JuspayClientOptions);
      } catch (err) {
        message = `${(err as Error).message}\n${(err as Error).stack}`;
      }
      expect(message).toMatch(/baseUrl|environment/);
      expect(message).not.toContain('sk_live_swapped_in_key');
    }
  });
});

describe('a 2xx is never retried', () => {
  it('ends with an ambiguous, non-retryable TIMEOUT when a 2xx body stalls', async () => {
    const { client, fake } = await setup({ timeoutMs: 200 });
    fake.failNext({ status: 200, body: { status: 'SUCCESS' }, bodyDelayMs: 2_000, afterDelete: true });
    const err = await rejection(client.deleteToken(params));
    expect(err).toBeInstanceOf(JuspayTimeoutError);
    expect(err).toMatchObject({ status: 200, attempts: 1, ambiguous: true, retryable: false });
    expect(fake.requests).toHaveLength(1);
  });

  it('ends with an ambiguous BAD_RESPONSE when a 2xx body breaks off', async () => {
    const { client, fake } = await setup();
    fake.failNext({ status: 200, body: { status: 'SUCCESS' }, bodyReset: true, afterDelete: true });
    const err = await rejection(client.deleteToken(params));
    expect(err).toBeInstanceOf(JuspayError);
    expect(err).toMatchObject({ status: 200, attempts: 1, ambiguous: true, retryable: false });
    expect(fake.requests).toHaveLength(1);
  });
});

describe('already gone', () => {
  it('resolves alreadyGone when a lost answer is followed by "invalid"', async () => {
    const { client, fake } = await setup({ maxRetries: 1 });
    fake.failNext({ reset: true, afterDelete: true });
    const result = await client.deleteToken(params);
    expect(result).toMatchObject({ status: 'SUCCESS', alreadyGone: true, attempts: 2 });
    expect(fake.cards('cust_1')).toEqual(['ref_2']);
  });

  it('says alreadyGone: false on an ordinary success', async () => {
    const { client } = await setup();
    await expect(client.deleteToken(params)).resolves.toMatchObject({ alreadyGone: false, attempts: 1 });
  });

  it('still rejects "invalid" when no earlier attempt was ambiguous', async () => {
    const { client, fake } = await setup({ maxRetries: 1 });
    fake.failNext({ status: 429, headers: { 'retry-after': '0' } });
    const err = await rejection(client.deleteToken({ ...params, cardReference: 'nope' }));
    expect(err).toBeInstanceOf(JuspayInvalidRequestError);
    expect(err).toMatchObject({ attempts: 2, ambiguous: false });
  });
});

describe('retryable is what the retry policy decides', () => {
  it('says retryable: false for a 501 and does not retry it', async () => {
    const { client, fake } = await setup();
    fake.failNext({ status: 501 });
    const err = await rejection(client.deleteToken(params));
    expect(err).toBeInstanceOf(JuspayServerError);
    expect(err).toMatchObject({ status: 501, retryable: false, attempts: 1, ambiguous: true });
    expect(fake.requests).toHaveLength(1);
  });

  it.each([501, 505])('gives a %i with Retry-After no retryAfterMs: it is never retried', async (status) => {
    const { client, fake } = await setup();
    fake.failNext({ status, headers: { 'retry-after': '5' } });
    const err = await rejection(client.deleteToken(params));
    expect(err).toBeInstanceOf(JuspayServerError);
    expect(err).toMatchObject({ status, retryable: false, retryAfterMs: undefined });
    fake.failNext({ status: 503, headers: { 'retry-after': '0' }, times: 3 });
    expect(await rejection(client.deleteToken(params))).toMatchObject({ status: 503, retryAfterMs: 0 });
  });

  it('says retryable: true for a 503 after the last attempt', async () => {
    const { client, fake } = await setup({ maxRetries: 1 });
    fake.failNext({ status: 503, headers: { 'retry-after': '0' }, times: 2 });
    const err = await rejection(client.deleteToken(params));
    expect(err).toMatchObject({ status: 503, retryable: true, attempts: 2 });
  });
});

describe('error classes', () => {
  it('keep the ordinary prototype relations', () => {
    for (const ErrorClass of [
      JuspayInputError,
      JuspayInvalidRequestError,
      JuspayAuthenticationError,
      JuspayRateLimitError,
      JuspayServerError,
      JuspayTimeoutError,
      JuspayNetworkError,
      JuspayResponseError,
      JuspayUnauthenticatedError,
    ]) {
      expect(ErrorClass.prototype instanceof JuspayError).toBe(true);
      expect(ErrorClass.prototype instanceof Error).toBe(true);
    }
    expect(new JuspayTimeoutError('t') instanceof JuspayNetworkError).toBe(false);
  });
});

describe('upstream text in errors', () => {
  it('strips control characters and cuts message and userMessage to 300 characters', async () => {
    const { client, fake } = await setup();
    const forged = `\u001b[31mcard invalid\r\n2026-11-29 INFO payment ok ${'x'.repeat(10_000)}`;
    fake.failNext({ status: 400, body: { error: true, user_message: forged } });
    const err = (await rejection(client.deleteToken(params))) as JuspayError;
    for (const text of [err.message, err.userMessage ?? '']) {
      expect(text).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    }
    // userMessage is the upstream text itself; message adds a short prefix to it.
    expect(err.userMessage?.length).toBe(300);
    expect(err.message.length).toBeLessThan(300 + 50);
    expect(err.userMessage).toContain('card invalid');
  });
});

describe('the API key stays secret whatever the encoding of an echo', () => {
  const slashKey = 'sk_live/Abc+Def/Secr3t=';
  const slashEncoded = Buffer.from(`${slashKey}:`).toString('base64');

  async function echoed(body: string, apiKey = API_KEY): Promise<string> {
    const { fake } = await setup({}, { apiKey });
    const client = new JuspayClient({ apiKey, baseUrl: fake.url, maxRetries: 0 });
    fake.failNext({ status: 400, body, headers: { 'content-type': 'application/json' } });
    const err = await rejection(client.deleteToken(params));
    await client.close();
    return views(err);
  }

  it('is redacted when echoed with JSON \\/ escapes', async () => {
    const text = await echoed(
      `{"error":true,"user_message":"bad key ${slashKey.replaceAll('/', '\\/')}"}`,
      slashKey,
    );
    expect(text).not.toContain(slashKey);
    expect(text).not.toContain(slashEncoded);
  });

  it('is redacted when echoed with \\u escapes', async () => {
    const escaped = [...API_KEY].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
    const text = await echoed(`{"error":true,"user_message":"key ${escaped}","echo":{"${escaped}":1}}`);
    expect(text).not.toContain(API_KEY);
  });

  it('is redacted when echoed as the Basic credential or the bare key in base64', async () => {
    const bare = Buffer.from(API_KEY).toString('base64');
    const text = await echoed(
      JSON.stringify({ error: true, user_message: `auth ${ENCODED_KEY}`, raw: `k=${bare}` }),
    );
    expect(text).not.toContain(ENCODED_KEY);
    expect(text).not.toContain(bare.slice(0, 24));
  });

  it('is redacted from a non-JSON body, escaped or split at the 2 KiB cut', async () => {
    const escaped = API_KEY.replace('_', '\\u005f');
    const head = `<html>${escaped} `;
    // The second echo starts 10 characters before the 2 KiB that an error keeps.
    const html = `${head}${'.'.repeat(2048 - head.length - 10)}${API_KEY}</html>`;
    const text = await echoed(html);
    expect(text).not.toContain(escaped);
    expect(text).not.toContain(API_KEY.slice(0, 10));
    expect(text).not.toContain(API_KEY);
  });
});
