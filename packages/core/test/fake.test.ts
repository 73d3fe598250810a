import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { INVALID_CARD_BODY, startFakeJuspay } from '../src/testing/index.js';

const auth = `Basic ${Buffer.from('k:').toString('base64')}`;

async function post(url: string, headers: Record<string, string>, body: string) {
  const res = await request(`${url}/v4/card/delete`, { method: 'POST', headers, body });
  return { status: res.statusCode, body: (await res.body.json()) as Record<string, unknown> };
}

describe('startFakeJuspay', () => {
  it('answers as the documented API and keeps a request log', async () => {
    const fake = await startFakeJuspay({ apiKey: 'k', cards: [{ customerId: 'c', cardReference: 'r' }] });
    expect(fake.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(fake.cards('c')).toEqual(['r']);
    const good = { authorization: auth, 'content-type': 'application/json', 'x-routing-id': 'c' };
    const body = JSON.stringify({ card_reference: 'r', customer_id: 'c' });

    const wrongKey = await post(fake.url, { ...good, authorization: 'Basic eDo=' }, body);
    expect(wrongKey.status).toBe(401);
    expect(wrongKey.body).toMatchObject({
      error_info: { code: 'UNAUTHORIZED', user_message: 'Unauthorized.' },
    });

    const noRouting = await post(fake.url, { authorization: auth, 'content-type': 'application/json' }, body);
    expect(noRouting.status).toBe(400);

    const malformed = await post(fake.url, good, '{"card_reference":');
    expect(malformed).toMatchObject({ status: 400, body: { error: true } });

    const ok = await post(fake.url, good, body);
    expect(ok).toEqual({ status: 200, body: { status: 'SUCCESS' } });
    expect(fake.cards('c')).toEqual([]);

    const again = await post(fake.url, good, body);
    expect(again).toEqual({ status: 400, body: INVALID_CARD_BODY });

    expect(fake.requests).toHaveLength(5);
    expect(fake.requests[4]).toMatchObject({
      method: 'POST',
      path: '/v4/card/delete',
      body: { card_reference: 'r', customer_id: 'c' },
    });
    await fake.close();
  });

  it('writes every answer one way: JSON as application/json, a string as text, delayed or not', async () => {
    const fake = await startFakeJuspay({ apiKey: 'k' });
    const types: (string | undefined)[] = [];
    const call = async () => {
      const res = await request(`${fake.url}/v4/card/delete`, { method: 'POST', body: '{}' });
      types.push(res.headers['content-type'] as string | undefined);
      await res.body.text();
    };
    for (const bodyDelayMs of [undefined, 10]) {
      fake.failNext({ status: 502, body: '<html>bad gateway</html>', bodyDelayMs });
      await call();
      fake.failNext({ status: 503, body: { error: true }, bodyDelayMs });
      await call();
    }
    fake.failNext({ status: 200, body: 'x', headers: { 'content-type': 'application/json' } });
    await call();
    expect(types).toEqual([
      'text/plain; charset=utf-8',
      'application/json',
      'text/plain; charset=utf-8',
      'application/json',
      'application/json',
    ]);
    await fake.close();
  });

  it('injects faults in order for the given number of requests, then behaves again', async () => {
    const fake = await startFakeJuspay({ apiKey: 'k' });
    fake.addCard({ customerId: 'c', cardReference: 'r' });
    fake.failNext({ status: 503, headers: { 'retry-after': '3' }, body: 'busy', times: 2 });
    fake.failNext({ status: 418, body: { teapot: true } });
    const headers = { authorization: auth, 'content-type': 'application/json', 'x-routing-id': 'c' };
    const body = JSON.stringify({ card_reference: 'r', customer_id: 'c' });
    const first = await request(`${fake.url}/v4/card/delete`, { method: 'POST', headers, body });
    expect(first.statusCode).toBe(503);
    expect(first.headers['retry-after']).toBe('3');
    expect(await first.body.text()).toBe('busy');
    const second = await request(`${fake.url}/v4/card/delete`, { method: 'POST', headers, body });
    expect(second.statusCode).toBe(503);
    await second.body.dump();
    expect(await post(fake.url, headers, body)).toEqual({ status: 418, body: { teapot: true } });
    expect(await post(fake.url, headers, body)).toEqual({ status: 200, body: { status: 'SUCCESS' } });
    expect(() => fake.failNext({ times: 0 })).toThrow(TypeError);
    await fake.close();
  });

  it('resets a connection, and reset() restores the seeded state', async () => {
    const fake = await startFakeJuspay({ apiKey: 'k', cards: [{ customerId: 'c', cardReference: 'r' }] });
    fake.failNext({ reset: true });
    const headers = { authorization: auth, 'content-type': 'application/json', 'x-routing-id': 'c' };
    const body = JSON.stringify({ card_reference: 'r', customer_id: 'c' });
    await expect(post(fake.url, headers, body)).rejects.toMatchObject({ code: 'UND_ERR_SOCKET' });
    await post(fake.url, headers, body);
    expect(fake.cards('c')).toEqual([]);
    fake.reset();
    expect(fake.cards('c')).toEqual(['r']);
    expect(fake.requests).toEqual([]);
    await fake.close();
  });

  it('closes promptly with a delayed answer pending', async () => {
    const fake = await startFakeJuspay({ apiKey: 'k' });
    fake.failNext({ delayMs: 60_000 });
    const pending = request(`${fake.url}/v4/card/delete`, { method: 'POST', body: '{}' }).catch(
      (e: unknown) => e,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await fake.close();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await pending).toMatchObject({ code: 'UND_ERR_SOCKET' });
  });

  it('picks a fault per request with failWhen, ahead of the queue', async () => {
    const fake = await startFakeJuspay({ apiKey: 'k', cards: [{ customerId: 'c', cardReference: 'ok' }] });
    fake.failWhen((req) =>
      (req.body as { card_reference?: string }).card_reference === 'busy' ? { status: 503 } : undefined,
    );
    fake.failNext({ status: 418 });
    const headers = { authorization: auth, 'content-type': 'application/json', 'x-routing-id': 'c' };
    const send = (ref: string) =>
      post(fake.url, headers, JSON.stringify({ card_reference: ref, customer_id: 'c' }));
    expect((await send('busy')).status).toBe(503);
    expect((await send('busy')).status).toBe(503);
    expect((await send('ok')).status).toBe(418); // the queue is untouched by selected faults
    expect((await send('ok')).status).toBe(200);
    fake.failWhen(undefined);
    expect((await send('busy')).status).toBe(400);
    await fake.close();
  });

  it('answers 429 with Retry-After: 1 past its rate limit in any one-second window', async () => {
    const fake = await startFakeJuspay({
      apiKey: 'k',
      rateLimit: { perSecond: 3 },
      cards: ['a', 'b', 'c', 'd'].map((cardReference) => ({ customerId: 'c', cardReference })),
    });
    const headers = { authorization: auth, 'content-type': 'application/json', 'x-routing-id': 'c' };
    const send = (ref: string) =>
      post(fake.url, headers, JSON.stringify({ card_reference: ref, customer_id: 'c' }));
    const statuses = [];
    for (const ref of ['a', 'b', 'c', 'd']) statuses.push((await send(ref)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(fake.cards('c')).toEqual(['d']);
    const times = fake.requests.map((r) => r.receivedAt);
    expect(times).toEqual([...times].sort((x, y) => x - y));
    await new Promise((resolve) => setTimeout(resolve, 1_050));
    expect((await send('d')).status).toBe(200);
    await fake.close();
  });

  it('refuses a rate limit that is not a positive number', async () => {
    await expect(startFakeJuspay({ rateLimit: { perSecond: 0 } })).rejects.toThrow(/perSecond/);
  });
});

describe('the fake’s list call, GET /cards', () => {
  async function list(url: string, headers: Record<string, string>, query = '?customer_id=c') {
    const res = await request(`${url}/cards${query}`, { method: 'GET', headers });
    return { status: res.statusCode, body: (await res.body.json()) as Record<string, unknown> };
  }

  it('answers with Juspay’s field names, secrets included, and checks key, routing id and merchant id', async () => {
    const fake = await startFakeJuspay({
      apiKey: 'k',
      merchantId: 'm1',
      cards: [{ customerId: 'c', cardReference: 'r' }],
    });
    fake.addCard({
      customerId: 'c',
      cardReference: 'r2',
      brand: 'MASTERCARD',
      last4: '4444',
      nickname: 'Work',
    });
    const good = { authorization: auth, 'x-routing-id': 'c', 'x-merchantid': 'm1' };

    expect((await list(fake.url, { ...good, authorization: 'Basic eDo=' })).status).toBe(401);
    expect((await list(fake.url, { authorization: auth, 'x-merchantid': 'm1' })).status).toBe(400);
    expect((await list(fake.url, { authorization: auth, 'x-routing-id': 'c' })).status).toBe(400);
    expect((await list(fake.url, { ...good, 'x-merchantid': 'm2' })).status).toBe(400);
    expect((await list(fake.url, good, '')).status).toBe(400);

    const ok = await list(fake.url, good);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ customer_id: 'c', merchantId: 'm1' });
    const cards = ok.body.cards as Record<string, unknown>[];
    expect(cards).toHaveLength(2);
    expect(cards[1]).toMatchObject({
      card_reference: 'r2',
      card_number: 'XXXX-XXXX-XXXX-4444',
      card_brand: 'MASTERCARD',
      nickname: 'Work',
      expired: false,
      card_token: expect.stringMatching(/^tkn_/),
      card_fingerprint: expect.any(String),
      card_isin: expect.any(String),
      name_on_card: expect.any(String),
    });
    expect(await list(fake.url, good, '?customer_id=nobody')).toMatchObject({
      status: 200,
      body: { cards: [] },
    });
    // The delete path takes POST only, the list path GET only.
    const wrongMethod = await request(`${fake.url}/cards?customer_id=c`, { method: 'POST', headers: good });
    expect(wrongMethod.statusCode).toBe(405);
    await wrongMethod.body.dump();
    await fake.close();
  });
});
