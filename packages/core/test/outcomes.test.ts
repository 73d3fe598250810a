import { MockAgent } from 'undici';
import { describe, expect, it } from 'vitest';
import {
  JuspayAuthenticationError,
  JuspayClient,
  JuspayError,
  JuspayInvalidRequestError,
  JuspayNetworkError,
  JuspayRateLimitError,
  JuspayResponseError,
  JuspayServerError,
} from '../src/index.js';
import { startFakeJuspay } from '../src/testing/index.js';
import { API_KEY, params, rejection, setup } from './helpers.js';

const invalidCard = {
  error: true,
  error_message: 'INVALID_REQUEST',
  user_message: 'card_reference or customer_id is invalid',
};
const tokenizationFailure = {
  error: true,
  error_message: 'BAD_REQUEST',
  user_message: 'Card not found',
  error_info: {
    code: 'INVALID_INPUT',
    category: 'USER_ERROR',
    request_id: 'jp-req-42',
    user_message: 'Card not found',
    developer_message: 'No card for this reference',
  },
};
const unauthorized = {
  error_info: {
    category: 'USER_ERROR',
    request_id: 'NOREQID-1',
    developer_message: 'Invalid API Key. Please pass a valid and active api key.',
    user_message: 'Unauthorized.',
    code: 'UNAUTHORIZED',
  },
};
const bankFailure = { status: 'FAILURE', error_message: '', error_code: '' };
const classicError = { status: 'ERROR', error_code: 'E01', error_message: 'Something' };

describe('outcomes', () => {
  it('resolves a 200 {"status":"SUCCESS"} and the card is gone', async () => {
    const { client, fake } = await setup();
    await expect(client.deleteToken(params)).resolves.toMatchObject({ status: 'SUCCESS', attempts: 1 });
    expect(fake.cards('cust_1')).toEqual(['ref_2']);
  });

  it('classifies the documented 400 for an unknown card (shape 2)', async () => {
    const { client, fake } = await setup();
    const err = await rejection(client.deleteToken({ ...params, cardReference: 'nope' }));
    expect(err).toBeInstanceOf(JuspayInvalidRequestError);
    expect(err).toMatchObject({
      code: 'INVALID_REQUEST',
      status: 400,
      userMessage: 'card_reference or customer_id is invalid',
      body: invalidCard,
      attempts: 1,
      retryable: false,
      ambiguous: false,
    });
    expect((err as JuspayError).requestId).toBe(fake.requests[0]?.headers['x-request-id']);
    expect(fake.requests).toHaveLength(1);
  });

  it('classifies the tokenization-family failure and keeps the upstream request id (shape 3)', async () => {
    const { client, fake } = await setup();
    fake.failNext({ status: 400, body: tokenizationFailure });
    const err = await rejection(client.deleteToken(params));
    expect(err).toBeInstanceOf(JuspayInvalidRequestError);
    expect(err).toMatchObject({ status: 400, userMessage: 'Card not found', upstreamRequestId: 'jp-req-42' });
  });

  it('classifies a wrong key from the fake as AUTHENTICATION_FAILED (shape 4), without retrying', async () => {
    const { fake } = await setup();
    const client = new JuspayClient({ apiKey: 'wrong_key', baseUrl: fake.url });
    const err = await rejection(client.deleteToken(params));
    await client.close();
    expect(err).toBeInstanceOf(JuspayAuthenticationError);
    expect(err).toMatchObject({
      code: 'AUTHENTICATION_FAILED',
      status: 401,
      userMessage: 'Unauthorized.',
      attempts: 1,
    });
    expect((err as JuspayError).upstreamRequestId).toMatch(/^NOREQID-/);
    expect(fake.requests).toHaveLength(1);
  });

  it.each([401, 403])('classifies HTTP %i as AUTHENTICATION_FAILED whatever the body', async (status) => {
    const { client, fake } = await setup();
    fake.failNext({ status, body: { status: 'SUCCESS' } });
    const err = await rejection(client.deleteToken(params));
    expect(err).toBeInstanceOf(JuspayAuthenticationError);
    expect(err).toMatchObject({ status, retryable: false });
  });

  it.each([
    ['shape 2 (error: true)', invalidCard],
    ['shape 5 (status FAILURE)', bankFailure],
    ['shape 3 (error_info)', tokenizationFailure],
  ])('rejects a 2xx whose body says failure: %s', async (_label, body) => {
    const { client, fake } = await setup();
    fake.failNext({ status: 200, body });
    const err = await rejection(client.deleteToken(params));
    expect(err).toBeInstanceOf(JuspayInvalidRequestError);
    expect(err).toMatchObject({ status: 200, body, attempts: 1 });
    expect(fake.requests).toHaveLength(1);
  });

  it('rejects a 2xx with SUCCESS and error: true as INVALID_REQUEST', async () => {
    const { client, fake } = await setup();
    fake.failNext({ status: 200, body: { status: 'SUCCESS', error: true, user_message: 'nope' } });
    await expect(client.deleteToken(params)).rejects.toBeInstanceOf(JuspayInvalidRequestError);
  });

  it('rejects a 2xx with error_info UNAUTHORIZED as AUTHENTICATION_FAILED', async () => {
    const { client, fake } = await setup();
    fake.failNext({ status: 200, body: unauthorized });
    const err = await rejection(client.deleteToken(params));
    expect(err).toBeInstanceOf(JuspayAuthenticationError);
    expect(err).toMatchObject({ status: 200, upstreamRequestId: 'NOREQID-1' });
  });

  it.each<[string, number, unknown]>([
    ['a classic EC error body (shape 6) on 200', 200, classicError],
    ['an empty JSON object', 200, {}],
    ['a JSON array', 200, [1, 2]],
    ['a JSON string', 200, 'null'],
    ['plain text', 200, 'OK'],
    ['an HTML page', 200, '<html><body>Welcome</body></html>'],
    ['an empty body', 204, ''],
    ['a redirect', 302, { status: 'SUCCESS' }],
    ['a 304', 304, ''],
  ])('rejects %s as BAD_RESPONSE', async (_label, status, body) => {
    const { client, fake } = await setup();
    fake.failNext({ status, body });
    const err = await rejection(client.deleteToken(params));
    expect(err).toBeInstanceOf(JuspayResponseError);
    expect(err).toMatchObject({ code: 'BAD_RESPONSE', status, retryable: false, attempts: 1 });
  });

  it.each([
    [400, { error: 'x' }],
    [404, '<html>Not Found</html>'],
    [422, { status: 'SUCCESS' }],
    [409, ''],
  ])('classifies HTTP %i as INVALID_REQUEST whatever the body, without retrying', async (status, body) => {
    const { client, fake } = await setup();
    fake.failNext({ status, body });
    const err = await rejection(client.deleteToken(params));
    expect(err).toBeInstanceOf(JuspayInvalidRequestError);
    expect(err).toMatchObject({ status, attempts: 1 });
    expect(fake.requests).toHaveLength(1);
  });

  it('keeps at most 2 KiB of a body that is not JSON', async () => {
    const { client, fake } = await setup({ maxRetries: 0 });
    const page = `<html>${'x'.repeat(10_000)}</html>`;
    fake.failNext({ status: 502, body: page });
    const err = await rejection(client.deleteToken(params));
    expect(err).toBeInstanceOf(JuspayServerError);
    expect((err as JuspayError).body).toBe(page.slice(0, 2048));
  });

  it('stops reading a 2xx body over 64 KiB, rejects BAD_RESPONSE, and the client stays usable', async () => {
    const { client, fake } = await setup();
    fake.failNext({ status: 200, body: { status: 'SUCCESS', pad: 'x'.repeat(200_000) } });
    const err = await rejection(client.deleteToken(params));
    expect(err).toBeInstanceOf(JuspayResponseError);
    expect((err as Error).message).toMatch(/over 65536 bytes/);
    expect(String((err as JuspayError).body).length).toBeLessThanOrEqual(2048);
    await expect(client.deleteToken(params)).resolves.toMatchObject({ status: 'SUCCESS' });
  });

  it('classifies a non-2xx body over 64 KiB by its status', async () => {
    const { client, fake } = await setup();
    fake.failNext({ status: 400, body: 'y'.repeat(100_000) });
    const err = await rejection(client.deleteToken(params));
    expect(err).toBeInstanceOf(JuspayInvalidRequestError);
  });

  it('rejects with NETWORK_ERROR when nothing listens, not ambiguous', async () => {
    const fake = await startFakeJuspay();
    const url = fake.url;
    await fake.close();
    const client = new JuspayClient({ apiKey: API_KEY, baseUrl: url, maxRetries: 1 });
    const err = await rejection(client.deleteToken(params));
    await client.close();
    expect(err).toBeInstanceOf(JuspayNetworkError);
    expect(err).toMatchObject({
      code: 'NETWORK_ERROR',
      attempts: 2,
      ambiguous: false,
      retryable: true,
      status: undefined,
    });
    expect((err as Error).cause).toBeDefined();
    expect((err as Error).message).toContain('ECONNREFUSED');
  });

  it('rejects with NETWORK_ERROR on a DNS failure (MockAgent: a real resolver is not available offline)', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    agent
      .get('https://sandbox.juspay.in')
      .intercept({ path: '/v4/card/delete', method: 'POST' })
      .replyWithError(
        Object.assign(new Error('getaddrinfo ENOTFOUND sandbox.juspay.in'), { code: 'ENOTFOUND' }),
      );
    const client = new JuspayClient({ apiKey: API_KEY, dispatcher: agent, maxRetries: 0 });
    const err = await rejection(client.deleteToken(params));
    expect(err).toBeInstanceOf(JuspayNetworkError);
    expect(err).toMatchObject({ ambiguous: false, attempts: 1 });
    await agent.close();
  });

  it('gives a rate-limit error its retryAfterMs', async () => {
    const { client, fake } = await setup({ maxRetries: 0 });
    fake.failNext({ status: 429, headers: { 'retry-after': '7' }, body: { error: true } });
    const err = await rejection(client.deleteToken(params));
    expect(err).toBeInstanceOf(JuspayRateLimitError);
    expect(err).toMatchObject({
      code: 'RATE_LIMITED',
      status: 429,
      retryAfterMs: 7000,
      retryable: true,
      ambiguous: false,
    });
  });

  it('marks a 5xx ambiguous: the request reached Juspay', async () => {
    const { client, fake } = await setup({ maxRetries: 0 });
    fake.failNext({ status: 500 });
    const err = await rejection(client.deleteToken(params));
    expect(err).toBeInstanceOf(JuspayServerError);
    expect(err).toMatchObject({ code: 'SERVER_ERROR', status: 500, ambiguous: true, retryable: true });
  });

  it('rejects with NETWORK_ERROR and leaves no timer when a dispatcher throws', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    const broken = {
      dispatch() {
        throw new Error('dispatcher exploded');
      },
    };
    const client = new JuspayClient({
      apiKey: API_KEY,
      dispatcher: broken as never,
      maxRetries: 0,
      timeoutMs: 60_000,
    });
    const err = await rejection(client.deleteToken(params));
    expect(err).toBeInstanceOf(JuspayNetworkError);
    expect(((err as Error).cause as Error).message).toBe('dispatcher exploded');
    expect(timers()).toBe(before);
  });
});
