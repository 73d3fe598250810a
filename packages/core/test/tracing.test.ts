import { describe, expect, it } from 'vitest';
import { JuspayError } from '../src/index.js';
import { API_KEY, ENCODED_KEY, params, rejection, setup, subscribeTracing } from './helpers.js';

/** A real subscriber, as an APM tool would attach one: records what each channel saw. */
const subscribe = () => ({ seen: subscribeTracing('juspay-tokens:deleteToken') });

const identifying = [params.cardReference, params.customerId, API_KEY, ENCODED_KEY];

describe('tracing on juspay-tokens:deleteToken', () => {
  it('publishes one trace per call, covering its retries, with the settled outcome', async () => {
    const { seen } = subscribe();
    const { client, fake } = await setup();
    fake.failNext({ status: 503, headers: { 'retry-after': '0' } });
    const result = await client.deleteToken(params);
    expect(seen.map((s) => s.name)).toEqual(['start', 'end', 'asyncStart', 'asyncEnd']);
    const start = seen[0]?.context ?? {};
    expect(start).toMatchObject({
      requestId: result.requestId,
      serverAddress: '127.0.0.1',
      serverPort: fake.port,
    });
    expect(seen[3]?.context).toMatchObject({
      requestId: result.requestId,
      attempts: 2,
      statusCode: 200,
      outcome: 'deleted',
      ambiguous: true,
    });
    expect(seen[3]?.context.errorCode).toBeUndefined();
    const text = JSON.stringify(seen);
    for (const secret of identifying) expect(text).not.toContain(secret);
  });

  it('publishes a failure on the error channel with the JuspayError', async () => {
    const { seen } = subscribe();
    const { client } = await setup({ maxRetries: 0 });
    const err = await rejection(client.deleteToken({ ...params, cardReference: 'nope' }));
    const error = seen.find((s) => s.name === 'error');
    expect(error?.context.error).toBe(err);
    expect(error?.context.error).toBeInstanceOf(JuspayError);
    expect(seen.at(-1)?.context).toMatchObject({
      outcome: 'failed',
      errorCode: 'INVALID_REQUEST',
      statusCode: 400,
      attempts: 1,
      ambiguous: false,
    });
  });

  it('says already_gone when a lost answer was followed by "invalid"', async () => {
    const { seen } = subscribe();
    const { client, fake } = await setup({ maxRetries: 1 });
    fake.failNext({ reset: true, afterDelete: true });
    await client.deleteToken(params);
    expect(seen.at(-1)?.context).toMatchObject({ outcome: 'already_gone', attempts: 2, statusCode: 400 });
  });

  it('traces nothing for a call refused by the input rules', async () => {
    const { seen } = subscribe();
    const { client } = await setup();
    await rejection(client.deleteToken({ cardReference: '', customerId: 'c' }));
    expect(seen).toHaveLength(0);
  });

  it('gives the https default port as a number', async () => {
    const { seen } = subscribe();
    const { MockAgent } = await import('undici');
    const agent = new MockAgent();
    agent.disableNetConnect();
    agent
      .get('https://api.juspay.in')
      .intercept({ path: '/v4/card/delete', method: 'POST' })
      .reply(200, { status: 'SUCCESS' });
    const { JuspayClient } = await import('../src/index.js');
    const client = new JuspayClient({ apiKey: API_KEY, environment: 'production', dispatcher: agent });
    await client.deleteToken(params);
    expect(seen[0]?.context).toMatchObject({ serverAddress: 'api.juspay.in', serverPort: 443 });
    await agent.close();
  });
});
