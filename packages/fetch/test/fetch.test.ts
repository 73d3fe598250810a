import { JuspayError } from '@juspay-tokens/core';
import { startFakeJuspay, type FakeJuspay } from '@juspay-tokens/core/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { errorResponse, juspay } from '../src/index.js';

// What the contract suite does not reach: the handler's own members, and the Next.js
// shape of a request (`request.url` naming localhost whatever host the browser used).

const API_KEY = 'sk_fetch_Secr3t';
let fake: FakeJuspay;
beforeAll(async () => {
  fake = await startFakeJuspay({ apiKey: API_KEY, merchantId: 'm1' });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.reset();
  fake.addCard({ customerId: 'c1', cardReference: 'r1' });
  fake.addCard({ customerId: 'c1', cardReference: 'r2' });
});

function handler(platformSeen: unknown[] = []) {
  return juspay<{ shopper: string }>({
    clientOptions: { apiKey: API_KEY, baseUrl: fake.url, merchantId: 'm1', maxRetries: 0 },
    customerId: (_request, platform) => {
      platformSeen.push(platform);
      return platform?.shopper;
    },
  });
}

const deleteRequest = (url: string, headers: Record<string, string>, card = 'r1') =>
  new Request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ card_reference: card }),
  });

describe('@juspay-tokens/fetch', () => {
  it('hands the platform value to the resolvers', async () => {
    const seen: unknown[] = [];
    const cards = handler(seen);
    const res = await cards.handle(new Request('http://shop.test/juspay/cards'), { shopper: 'c1' });
    expect(res?.status).toBe(200);
    expect(seen).toEqual([{ shopper: 'c1' }]);
    await cards.client.close();
  });

  it('handle resolves undefined for other paths; handler answers them 404 in JSON', async () => {
    const cards = handler();
    expect(await cards.handle(new Request('http://shop.test/juspay/cardsx'))).toBeUndefined();
    expect(await cards.handle(new Request('http://shop.test/other?x=/juspay/cards'))).toBeUndefined();
    const res = await cards.handler(new Request('http://shop.test/elsewhere'));
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
    expect(fake.requests).toHaveLength(0);
    await cards.client.close();
  });

  it('takes the route path without its query or fragment', async () => {
    const cards = handler();
    const res = await cards.handle(new Request('http://shop.test/juspay/cards?x=1#f'), { shopper: 'c1' });
    expect(res?.status).toBe(200);
    await cards.client.close();
  });

  it('compares Origin with the Host header, not with request.url (Next.js names localhost there)', async () => {
    const cards = handler();
    const sameSite = deleteRequest('http://localhost:3000/juspay/cards/delete', {
      host: 'shop.example',
      origin: 'https://shop.example',
    });
    expect((await cards.handle(sameSite, { shopper: 'c1' }))?.status).toBe(200);
    const forged = deleteRequest(
      'http://localhost:3000/juspay/cards/delete',
      { host: 'shop.example', origin: 'http://localhost:3000' },
      'r2',
    );
    const refused = await cards.handle(forged, { shopper: 'c1' });
    expect(refused?.status).toBe(403);
    expect(fake.cards('c1')).toEqual(['r2']);
    await cards.client.close();
  });

  it('binds context() to the request: a GET is refused, a server POST passes', async () => {
    const cards = handler();
    const get = cards.context(new Request('http://shop.test/close'), { shopper: 'c1' });
    await expect(get.deleteToken('r1')).rejects.toMatchObject({ code: 'CROSS_SITE_REQUEST' });
    const post = cards.context(new Request('http://shop.test/close', { method: 'POST' }), { shopper: 'c1' });
    await expect(post.deleteToken('r1')).resolves.toMatchObject({ status: 'SUCCESS' });
    await expect(post.listCards()).resolves.toMatchObject({ cards: [{ cardReference: 'r2' }] });
    await cards.client.close();
  });

  it('errorResponse answers a JuspayError from the table and rethrows anything else', async () => {
    const cards = handler();
    const post = cards.context(new Request('http://shop.test/close', { method: 'POST' }), { shopper: 'c1' });
    const err = await post.deleteToken('missing').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JuspayError);
    const res = cards.errorResponse(err);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'INVALID_REQUEST' } });
    const bug = new Error('a bug');
    expect(() => errorResponse(bug)).toThrow(bug);
    await cards.client.close();
  });

  it('rejects handle with a resolver’s exception, sending nothing', async () => {
    const cards = juspay({
      clientOptions: { apiKey: API_KEY, baseUrl: fake.url },
      customerId: () => {
        throw new Error('session store is down');
      },
    });
    await expect(cards.handle(new Request('http://shop.test/juspay/cards'))).rejects.toThrow(
      'session store is down',
    );
    expect(fake.requests).toHaveLength(0);
    await cards.client.close();
  });

  it('refuses wrong options when built, naming the option', () => {
    expect(() => juspay(undefined as never)).toThrow(/@juspay-tokens\/fetch/);
    expect(() => juspay({ clientOptions: { apiKey: 'k' } } as never)).toThrow(/customerId/);
  });
});
