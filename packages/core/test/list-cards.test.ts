import { Agent } from 'undici';
import { describe, expect, it } from 'vitest';
import {
  JuspayClient,
  JuspayError,
  JuspayInputError,
  JuspayInvalidRequestError,
  JuspayResponseError,
  JuspayTimeoutError,
  VERSION,
  type ListCardsResult,
} from '../src/index.js';
import { INVALID_CARD_BODY } from '../src/testing/index.js';
import { API_KEY, ENCODED_KEY, rejection, setup, subscribeTracing } from './helpers.js';

const MERCHANT = 'merchant_1';
const customer = { customerId: 'cust_1' } as const;

/** A client with a merchant id against a fake that requires it. */
function listSetup(clientOptions: Parameters<typeof setup>[0] = {}) {
  return setup({ merchantId: MERCHANT, maxRetries: 2, ...clientOptions }, { merchantId: MERCHANT });
}

/** Everything that must never leave the client, as the fake's list answer holds it. */
function secretsOf(entry: Record<string, unknown>): string[] {
  return ['card_token', 'card_fingerprint', 'card_isin', 'name_on_card', 'card_number'].map((field) =>
    String(entry[field]),
  );
}

/** A list answer of the given entries, as the fake would send it. */
const listBody = (cards: unknown[]) => ({ customer_id: 'cust_1', merchantId: MERCHANT, cards });

describe('listCards on the wire', () => {
  it('sends GET /cards?customer_id= with the documented headers and no body', async () => {
    const { client, fake } = await listSetup();
    const result = await client.listCards({ customerId: 'cust 1&x=é', routingId: 'route_1' });
    expect(result.cards).toEqual([]);
    const [sent] = fake.requests;
    expect(sent?.method).toBe('GET');
    expect(sent?.path).toBe(`/cards?customer_id=${encodeURIComponent('cust 1&x=é')}`);
    expect(sent?.body).toBeUndefined();
    expect(sent?.headers).toMatchObject({
      authorization: `Basic ${ENCODED_KEY}`,
      accept: 'application/json',
      'content-type': 'application/x-www-form-urlencoded',
      'x-merchantid': MERCHANT,
      'x-routing-id': 'route_1',
      'x-request-id': result.requestId,
      'user-agent': `juspay-tokens/${VERSION} node/${process.versions.node}`,
    });
    expect(sent?.headers['content-length']).toBeUndefined();
  });

  it('defaults the routing id to the customer id and takes a given request id', async () => {
    const { client, fake } = await listSetup();
    const result = await client.listCards(customer, { requestId: 'req-list-1' });
    expect(result.requestId).toBe('req-list-1');
    expect(fake.requests[0]?.headers['x-routing-id']).toBe('cust_1');
    expect(fake.requests[0]?.headers['x-request-id']).toBe('req-list-1');
  });

  it('takes the merchant id from headers too, and merchantId wins over it', async () => {
    const fromHeader = await setup({ headers: { 'x-merchantid': MERCHANT } }, { merchantId: MERCHANT });
    await fromHeader.client.listCards(customer);
    expect(fromHeader.fake.requests[0]?.headers['x-merchantid']).toBe(MERCHANT);
    const both = await setup({ headers: { 'x-merchantid': 'other' }, merchantId: MERCHANT });
    await both.client.listCards(customer);
    expect(both.fake.requests[0]?.headers['x-merchantid']).toBe(MERCHANT);
  });

  it('rejects with a TypeError naming merchantId when there is none, and sends nothing', async () => {
    const { client, fake } = await setup();
    const err = await rejection(client.listCards(customer));
    expect(err).toBeInstanceOf(TypeError);
    expect((err as Error).message).toContain('merchantId');
    expect(fake.requests).toHaveLength(0);
  });

  it('refuses an invalid merchantId at construction', () => {
    for (const merchantId of ['', ' ', 'a\nb', 42]) {
      expect(() => new JuspayClient({ apiKey: API_KEY, merchantId: merchantId as string })).toThrow(
        /merchantId/,
      );
    }
  });

  it.each([
    ['a missing customerId', {}, 'customerId'],
    ['an empty customerId', { customerId: '' }, 'customerId'],
    ['a customerId with a control character', { customerId: 'c\u0007' }, 'customerId'],
    ['a customerId with trailing white space', { customerId: 'c ' }, 'customerId'],
    ['a non-ASCII customerId without routingId', { customerId: 'क्लाइंट' }, 'routingId'],
    ['a non-ASCII routingId', { customerId: 'c', routingId: 'é' }, 'routingId'],
    ['params that are not an object', null, 'params'],
  ])('rejects %s with JuspayInputError and sends nothing', async (_label, params, field) => {
    const { client, fake } = await listSetup();
    const err = await rejection(client.listCards(params as never));
    expect(err).toBeInstanceOf(JuspayInputError);
    expect((err as JuspayInputError).field).toBe(field);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('listCards answers', () => {
  it('gives each card only the fields safe to show, from Juspay’s names', async () => {
    const { client, fake } = await listSetup();
    fake.addCard({
      customerId: 'cust_1',
      cardReference: 'ref_mc',
      brand: 'MASTERCARD',
      last4: '4444',
      expiryMonth: '08',
      expiryYear: '2031',
      nickname: 'Work card',
      expired: true,
      type: 'DEBIT',
      issuer: 'HDFC Bank',
    });
    const result = await client.listCards(customer);
    expect(result.attempts).toBe(1);
    expect(result.cards.map((card) => card.cardReference)).toEqual(['ref_1', 'ref_2', 'ref_mc']);
    expect(result.cards[2]).toEqual({
      cardReference: 'ref_mc',
      last4: '4444',
      brand: 'MASTERCARD',
      expiryMonth: '08',
      expiryYear: '2031',
      type: 'DEBIT',
      issuer: 'HDFC Bank',
      nickname: 'Work card',
      expired: true,
    });
    expect(result.cards[0]).toMatchObject({
      brand: 'VISA',
      last4: '4242',
      nickname: undefined,
      expired: false,
    });
  });

  it('never lets the card token, fingerprint, BIN, name or full number out', async () => {
    const { client, fake } = await listSetup();
    fake.requests.length = 0;
    const entry = {
      card_reference: 'ref_x',
      card_token: 'tkn_SECRET_token',
      card_fingerprint: 'fp_SECRET_fingerprint',
      card_isin: '411111',
      name_on_card: 'Asha Secret-Name',
      card_number: '4111111111111111',
    };
    fake.failNext({ status: 200, body: listBody([entry]) });
    const result = await client.listCards(customer);
    expect(result.cards[0]).toMatchObject({ cardReference: 'ref_x', last4: '1111' });
    const text = JSON.stringify(result);
    for (const secret of secretsOf(entry)) expect(text).not.toContain(secret);
  });

  it('cleans text fields, cuts them to 64 code points, and reads expiries in either spelling', async () => {
    const { client, fake } = await listSetup();
    fake.failNext({
      status: 200,
      body: listBody([
        {
          card_reference: 'ref_a',
          nickname: `\u001b[31mred\u0007 ${'😀'.repeat(70)}`,
          card_brand: 'VI\nSA',
          card_exp_month: 8,
          card_expiry_year: '31',
          expired: 'true',
        },
        { card_reference: 'ref_b', card_exp_month: '13', card_exp_year: '20311', expired: 'yes' },
      ]),
    });
    const { cards } = await client.listCards(customer);
    expect(cards[0]?.brand).toBe('VI SA');
    expect(cards[0]?.nickname?.startsWith('red')).toBe(true);
    expect(cards[0]?.nickname).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(Array.from(cards[0]?.nickname ?? '')).toHaveLength(64);
    expect(cards[0]).toMatchObject({ expiryMonth: '08', expiryYear: '2031', expired: true });
    expect(cards[1]).toMatchObject({ expiryMonth: undefined, expiryYear: undefined, expired: false });
  });

  it('leaves out entries without a usable card_reference, keeping the reference exactly as given', async () => {
    const { client, fake } = await listSetup();
    fake.failNext({
      status: 200,
      body: listBody([
        { card_reference: 'ref ok/é' },
        { card_reference: '' },
        { card_reference: 42 },
        { card_reference: 'bad\u0000' },
        { card_reference: ' padded' },
        'not an object',
        null,
        {},
      ]),
    });
    const { cards } = await client.listCards(customer);
    expect(cards.map((card) => card.cardReference)).toEqual(['ref ok/é']);
  });

  it('lists a customer with no cards as an empty list', async () => {
    const { client } = await listSetup();
    expect((await client.listCards({ customerId: 'nobody' })).cards).toEqual([]);
  });

  it('rejects Juspay’s INVALID_REQUEST (an unknown customer) with JuspayInvalidRequestError', async () => {
    const { client, fake } = await listSetup();
    fake.failNext({ status: 400, body: INVALID_CARD_BODY });
    const err = await rejection(client.listCards(customer));
    expect(err).toBeInstanceOf(JuspayInvalidRequestError);
    expect(err).toMatchObject({ code: 'INVALID_REQUEST', status: 400, ambiguous: false, attempts: 1 });
    expect(fake.requests).toHaveLength(1);
  });

  it('keeps no card field in an error’s body', async () => {
    const { client, fake } = await listSetup();
    const entry = {
      card_reference: 'ref_1',
      card_token: 'tkn_SECRET',
      card_fingerprint: 'fp_SECRET',
      card_isin: '424242',
      name_on_card: 'Asha Secret',
      card_number: 'XXXX-XXXX-XXXX-4242',
    };
    fake.failNext({ status: 200, body: { error: true, error_message: 'PARTIAL', cards: [entry] } });
    const failed = (await rejection(client.listCards(customer))) as JuspayError;
    expect(failed.code).toBe('INVALID_REQUEST');
    fake.failNext({
      status: 500,
      body: { error: true, detail: { card_token: 'tkn_SECRET', cards: [entry] } },
    });
    const server = (await rejection(client.listCards(customer, { maxRetries: 0 }))) as JuspayError;
    for (const err of [failed, server]) {
      const text = JSON.stringify(err) + String(err.message);
      for (const secret of secretsOf(entry)) expect(text).not.toContain(secret);
    }
  });

  it('rejects a 2xx without a cards array, or not JSON, with BAD_RESPONSE', async () => {
    const { client, fake } = await listSetup();
    fake.failNext({ status: 200, body: { customer_id: 'cust_1' } });
    expect(await rejection(client.listCards(customer))).toBeInstanceOf(JuspayResponseError);
    fake.failNext({ status: 200, body: '<html>hi</html>' });
    expect(await rejection(client.listCards(customer))).toBeInstanceOf(JuspayResponseError);
    fake.failNext({ status: 200, body: { cards: 'none' } });
    expect(await rejection(client.listCards(customer))).toBeInstanceOf(JuspayResponseError);
  });

  it('reads a list answer over 64 KiB, and refuses one over 1 MiB', async () => {
    const { client, fake } = await listSetup();
    const many = Array.from({ length: 800 }, (_, i) => ({
      card_reference: `ref_${i}`,
      pad: 'x'.repeat(100),
    }));
    fake.failNext({ status: 200, body: listBody(many) });
    expect((await client.listCards(customer)).cards).toHaveLength(800);
    const huge = Array.from({ length: 9_000 }, (_, i) => ({
      card_reference: `ref_${i}`,
      pad: 'x'.repeat(120),
    }));
    fake.failNext({ status: 200, body: listBody(huge) });
    const err = await rejection(client.listCards(customer, { maxRetries: 0 }));
    expect(err).toMatchObject({ code: 'BAD_RESPONSE', retryable: false });
    expect((err as Error).message).toContain(String(1024 * 1024));
  });

  it('redacts the key from a failure that echoes it', async () => {
    const { client, fake } = await listSetup();
    fake.failNext({
      status: 400,
      body: { error: true, user_message: `bad key ${API_KEY}`, echo: ENCODED_KEY },
    });
    const err = (await rejection(client.listCards(customer))) as JuspayError;
    const text = JSON.stringify(err) + err.message;
    expect(text).not.toContain(API_KEY);
    expect(text).not.toContain(ENCODED_KEY);
  });
});

describe('listCards retries and time limits', () => {
  it('retries a 2xx whose body stalls, and one whose body breaks (a read), never ambiguous', async () => {
    const { client, fake } = await listSetup({ timeoutMs: 300 });
    fake.failNext({ bodyDelayMs: 2_000 });
    fake.failNext({ bodyReset: true, status: 200, body: listBody([{ card_reference: 'ref_1' }]) });
    const result = await client.listCards(customer);
    expect(result.attempts).toBe(3);
    expect(result.cards.map((card) => card.cardReference)).toEqual(['ref_1', 'ref_2']);
    expect(fake.requests).toHaveLength(3);
    expect(new Set(fake.requests.map((r) => r.headers['x-request-id'])).size).toBe(1);
  });

  it('retries 503 and 429 and gives up unambiguous after the last attempt', async () => {
    const { client, fake } = await listSetup({ maxRetries: 1 });
    fake.failNext({ status: 503, headers: { 'retry-after': '0' }, times: 2 });
    const err = await rejection(client.listCards(customer));
    expect(err).toMatchObject({ code: 'SERVER_ERROR', attempts: 2, ambiguous: false, retryable: true });
    fake.failNext({ status: 429, headers: { 'retry-after': '0' } });
    expect((await client.listCards(customer)).attempts).toBe(2);
  });

  it('does not retry a 4xx', async () => {
    const { client, fake } = await listSetup();
    fake.failNext({ status: 404, body: { error: true } });
    expect(await rejection(client.listCards(customer))).toMatchObject({
      code: 'INVALID_REQUEST',
      attempts: 1,
    });
    expect(fake.requests).toHaveLength(1);
  });

  it('times out an attempt waiting for headers, and ends at the deadline', async () => {
    const { client, fake } = await listSetup({ timeoutMs: 200, deadlineMs: 500 });
    fake.failNext({ delayMs: 5_000, times: 5 });
    const started = performance.now();
    const err = await rejection(client.listCards(customer));
    expect(err).toBeInstanceOf(JuspayTimeoutError);
    expect(err).toMatchObject({ ambiguous: false });
    expect(performance.now() - started).toBeLessThan(1_500);
  });

  it('settles at once when aborted while waiting for an answer and during a retry wait', async () => {
    const { client, fake } = await listSetup();
    fake.failNext({ delayMs: 5_000 });
    const controller = new AbortController();
    const call = client.listCards(customer, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const started = performance.now();
    expect(await rejection(call)).toMatchObject({ name: 'AbortError' });
    expect(performance.now() - started).toBeLessThan(500);

    fake.failNext({ status: 503, headers: { 'retry-after': '5' } });
    const second = new AbortController();
    const waiting = client.listCards(customer, { signal: second.signal });
    setTimeout(() => second.abort(new Error('stop')), 100);
    expect(await rejection(waiting)).toMatchObject({ message: 'stop' });
  });

  it('times out a connect that never completes', async () => {
    const agent = new Agent({ connect: () => undefined });
    const client = new JuspayClient({
      apiKey: API_KEY,
      merchantId: MERCHANT,
      baseUrl: 'http://127.0.0.1:9',
      dispatcher: agent,
      timeoutMs: 200,
      deadlineMs: 300,
    });
    const started = performance.now();
    expect(await rejection(client.listCards(customer))).toBeInstanceOf(JuspayTimeoutError);
    expect(performance.now() - started).toBeLessThan(1_500);
    await client.close();
    await agent.destroy();
  });
});

describe('listCards events and tracing', () => {
  const subscribe = () => subscribeTracing('juspay-tokens:listCards');

  it('names the operation on every event, with method GET', async () => {
    const { client, fake, events } = await listSetup();
    fake.failNext({ status: 503, headers: { 'retry-after': '0' } });
    const result = await client.listCards(customer);
    expect(events.map((e) => `${e.type}:${e.operation}`)).toEqual([
      'request:listCards',
      'response:listCards',
      'error:listCards',
      'retry:listCards',
      'request:listCards',
      'response:listCards',
    ]);
    expect(events[0]).toEqual({
      type: 'request',
      operation: 'listCards',
      requestId: result.requestId,
      attempt: 1,
      method: 'GET',
      url: `${fake.url}/cards`,
      routingId: 'cust_1',
    });
  });

  it('publishes one trace per call with outcome listed and cardCount, and nothing identifying', async () => {
    const seen = subscribe();
    const { client, fake } = await listSetup();
    const result: ListCardsResult = await client.listCards(customer);
    expect(seen.map((s) => s.name)).toEqual(['start', 'end', 'asyncStart', 'asyncEnd']);
    expect(seen[3]?.context).toMatchObject({
      requestId: result.requestId,
      serverAddress: '127.0.0.1',
      serverPort: fake.port,
      attempts: 1,
      statusCode: 200,
      outcome: 'listed',
      ambiguous: false,
      cardCount: 2,
    });
    const text = JSON.stringify(seen.map((s) => ({ ...s.context, result: undefined })));
    for (const secret of ['cust_1', API_KEY, ENCODED_KEY]) expect(text).not.toContain(secret);
  });

  it('publishes a failure on the error channel', async () => {
    const seen = subscribe();
    const { client, fake } = await listSetup();
    fake.failNext({ status: 401 });
    const err = await rejection(client.listCards(customer));
    expect(seen.map((s) => s.name)).toEqual(['start', 'end', 'error', 'asyncStart', 'asyncEnd']);
    expect(seen[2]?.context.error).toBe(err);
    expect(seen[4]?.context).toMatchObject({
      outcome: 'failed',
      errorCode: 'AUTHENTICATION_FAILED',
      ambiguous: false,
    });
    expect(seen[4]?.context.cardCount).toBeUndefined();
  });
});
