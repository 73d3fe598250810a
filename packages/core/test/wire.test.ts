import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { JuspayClient } from '../src/index.js';
import { startFakeJuspay } from '../src/testing/index.js';
import { API_KEY, ENCODED_KEY, params, setup } from './helpers.js';

describe('the request on the wire', () => {
  it('posts exactly the documented request', async () => {
    const { client, fake } = await setup({ headers: { 'x-merchantid': 'merchant_1' } });
    const result = await client.deleteToken(params);

    expect(fake.requests).toHaveLength(1);
    const [sent] = fake.requests;
    expect(sent?.method).toBe('POST');
    expect(sent?.path).toBe('/v4/card/delete');
    expect(sent?.headers).toMatchObject({
      authorization: `Basic ${ENCODED_KEY}`,
      'content-type': 'application/json',
      accept: 'application/json',
      'x-routing-id': 'cust_1',
      'x-request-id': result.requestId,
      'x-merchantid': 'merchant_1',
      'user-agent': `juspay-tokens/0.0.0-test node/${process.versions.node}`,
    });
    expect(Buffer.from(ENCODED_KEY, 'base64').toString()).toBe(`${API_KEY}:`);
    expect(sent?.body).toEqual({ card_reference: 'ref_1', customer_id: 'cust_1' });
    expect(Object.keys(sent?.body as object)).toEqual(['card_reference', 'customer_id']);
    expect(result).toEqual({
      status: 'SUCCESS',
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      attempts: 1,
      alreadyGone: false,
    });
    expect(fake.cards('cust_1')).toEqual(['ref_2']);
  });

  it('sends the routingId when given and the requestId when given', async () => {
    const { client, fake } = await setup();
    const requestId = `order-${randomUUID()}`;
    const result = await client.deleteToken({ ...params, routingId: 'cart_77' }, { requestId });
    expect(fake.requests[0]?.headers['x-routing-id']).toBe('cart_77');
    expect(fake.requests[0]?.headers['x-request-id']).toBe(requestId);
    expect(result.requestId).toBe(requestId);
  });

  it('uses a fresh request id for each call', async () => {
    const { client, fake } = await setup();
    await client.deleteToken(params);
    await client.deleteToken({ ...params, cardReference: 'ref_2' });
    const ids = fake.requests.map((r) => r.headers['x-request-id']);
    expect(new Set(ids).size).toBe(2);
  });

  it('keeps a base URL path prefix', async () => {
    const fake = await startFakeJuspay({ apiKey: API_KEY });
    const client = new JuspayClient({ apiKey: API_KEY, baseUrl: `${fake.url}/prefix/` });
    await client.deleteToken(params).catch(() => undefined);
    expect(fake.requests[0]?.path).toBe('/prefix/v4/card/delete');
    await client.close();
    await fake.close();
  });
});
