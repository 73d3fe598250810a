/**
 * The list route (`GET /juspay/cards`) and the bound `listCards()`: the signed-in
 * customer's cards from Juspay, only with fields safe to show, never cached or sniffed,
 * in the contract's order, and nothing sent upstream for a request it refuses.
 */
import { JuspayError } from '@juspay-tokens/core';
import { INVALID_CARD_BODY, type FakeJuspay } from '@juspay-tokens/core/testing';
import type { Response } from 'supertest';
import { describe, expect, it } from 'vitest';
import {
  expectClean,
  expectError,
  expectErrorBody,
  LIST_ROUTE,
  MERCHANT_ID,
  raw,
  type ContractKit,
} from './kit.js';

/** What every answer of the list route carries. */
function expectListHeaders(res: Response): void {
  expect(res.headers['cache-control']).toBe('no-store');
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers.vary ?? '').toMatch(/\bCookie\b/i);
}

/** No card token, fingerprint, BIN, cardholder name or full number, as the fake's list holds them. */
function expectNoCardSecrets(text: string): void {
  expect(text).not.toMatch(/tkn_|card_token|card_fingerprint|card_isin|name_on_card|Test Shopper|XXXX-/);
  expect(text).not.toMatch(/424242|545454/);
}

const THE_CARDS = [
  {
    cardReference: 'ref_1',
    last4: '4242',
    brand: 'VISA',
    expiryMonth: '12',
    expiryYear: '2030',
    type: 'CREDIT',
    issuer: 'Demo Bank',
    expired: false,
  },
  {
    cardReference: 'ref_2',
    last4: '4444',
    brand: 'MASTERCARD',
    expiryMonth: '08',
    expiryYear: '2031',
    type: 'CREDIT',
    issuer: 'Demo Bank',
    nickname: 'Work card',
    expired: true,
  },
];

/** The list contract, inside a suite that set up `kit`. */
export function runListContract(kit: ContractKit): void {
  describe('the list route', () => {
    it('answers the session customer’s cards, only the fields safe to show', async () => {
      const agent = await kit.signedIn();
      const res = await agent.get(LIST_ROUTE);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual({ cards: THE_CARDS });
      expectListHeaders(res);
      expectNoCardSecrets(res.text);
      expectClean(res);
      const [sent] = kit.fake().requests;
      expect(kit.fake().requests).toHaveLength(1);
      expect(sent?.method).toBe('GET');
      expect(sent?.path).toBe('/cards?customer_id=cust_1');
      expect(sent?.headers['x-merchantid']).toBe(MERCHANT_ID);
      expect(sent?.headers['x-routing-id']).toBe('cust_1');
    });

    it('always lists the session’s customer, whatever the query says', async () => {
      const agent = await kit.signedIn({}, 'cust_2');
      const res = await agent.get(`${LIST_ROUTE}?customer_id=cust_1&customerId=cust_1`);
      expect(res.body).toEqual({ cards: [expect.objectContaining({ cardReference: 'ref_other' })] });
      expect(kit.fake().requests[0]?.path).toBe('/cards?customer_id=cust_2');
    });

    it('uses a separate routing id, and accepts a trailing slash', async () => {
      const agent = await kit.signedIn({ routing: true }, 'cust_1', 'cart_42');
      expect((await agent.get(`${LIST_ROUTE}/`)).status).toBe(200);
      expect(kit.fake().requests[0]?.headers['x-routing-id']).toBe('cart_42');
    });

    it('answers 200 with no cards when Juspay does not know the customer, and tells onError', async () => {
      const agent = await kit.signedIn({}, 'never_saved');
      kit.fake().failNext({ status: 400, body: INVALID_CARD_BODY });
      const res = await agent.get(LIST_ROUTE);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ cards: [] });
      expectListHeaders(res);
      expect(kit.errors).toHaveLength(1);
      expect(kit.errors[0]).toMatchObject({ code: 'INVALID_REQUEST' });
    });

    it('answers an empty wallet as an object, never a bare array', async () => {
      const agent = await kit.signedIn({}, 'nobody');
      const res = await agent.get(LIST_ROUTE);
      expect(res.text).toBe('{"cards":[]}');
    });

    it.each(['post', 'put', 'delete', 'patch', 'head', 'options'] as const)(
      'answers %s with 405 and Allow: GET, and sends nothing',
      async (method) => {
        const agent = await kit.signedIn();
        const res = await agent[method](LIST_ROUTE);
        expect(res.status).toBe(405);
        expect(res.headers.allow).toBe('GET');
        if (method !== 'head') expectErrorBody(res, 'METHOD_NOT_ALLOWED');
        expectListHeaders(res);
        expect(kit.fake().requests).toHaveLength(0);
      },
    );

    it.each<[string, Record<string, string>]>([
      ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
      ['a foreign Origin', { origin: 'https://evil.example' }],
      ['Origin: null', { origin: 'null' }],
    ])('answers 403 CROSS_SITE_REQUEST for %s, and sends nothing', async (_label, headers) => {
      const agent = await kit.signedIn();
      const res = await agent.get(LIST_ROUTE).set(headers);
      expectError(res, 403, 'CROSS_SITE_REQUEST');
      expectListHeaders(res);
      expect(kit.fake().requests).toHaveLength(0);
    });

    it('lets a trusted origin and a same-origin request list', async () => {
      const agent = await kit.signedIn({ trustedOrigins: ['https://shop.example'] });
      const trusted = await agent
        .get(LIST_ROUTE)
        .set('origin', 'https://shop.example')
        .set('sec-fetch-site', 'cross-site');
      expect(trusted.status).toBe(200);
      const sameOrigin = await agent
        .get(LIST_ROUTE)
        .set('host', 'pay.example')
        .set('origin', 'https://pay.example')
        .set('sec-fetch-site', 'same-origin');
      expect(sameOrigin.status).toBe(200);
    });

    it('answers 401 with nobody signed in and after sign-out, and sends nothing', async () => {
      const anonymous = await kit.app();
      const res = await anonymous.get(LIST_ROUTE);
      expectError(res, 401, 'UNAUTHENTICATED');
      expectListHeaders(res);
      const agent = await kit.signedIn();
      await agent.get('/test/logout');
      expectError(await agent.get(LIST_ROUTE), 401, 'UNAUTHENTICATED');
      expect(kit.fake().requests).toHaveLength(0);
    });

    it('runs its checks in the documented order: 405, cross-site 403, 401', async () => {
      const anonymous = await kit.app();
      const crossSite = { 'sec-fetch-site': 'cross-site' };
      expectError(await anonymous.post(LIST_ROUTE).set(crossSite), 405, 'METHOD_NOT_ALLOWED');
      expectError(await anonymous.get(LIST_ROUTE).set(crossSite), 403, 'CROSS_SITE_REQUEST');
      expectError(await anonymous.get(LIST_ROUTE), 401, 'UNAUTHENTICATED');
      expect(kit.fake().requests).toHaveLength(0);
    });

    it.each<[string, number, string, Parameters<FakeJuspay['failNext']>[0]]>([
      ['a rejected key', 502, 'UPSTREAM_AUTH_FAILED', { status: 401 }],
      ['a 500', 502, 'UPSTREAM_UNAVAILABLE', { status: 500 }],
      ['a 200 that is not JSON', 502, 'UPSTREAM_UNAVAILABLE', { status: 200, body: '<html>ok</html>' }],
      ['a hang past the timeout', 504, 'UPSTREAM_TIMEOUT', { delayMs: 3_000 }],
    ])('maps %s to %i %s and reports it to onError', async (_label, status, code, fault) => {
      const agent = await kit.signedIn();
      kit.fake().failNext(fault);
      const res = await agent.get(LIST_ROUTE);
      expectError(res, status, code);
      expectListHeaders(res);
      expect(kit.errors).toHaveLength(1);
      expect(kit.errors[0]).toBeInstanceOf(JuspayError);
    });

    it('maps 429 to 503 with the upstream Retry-After', async () => {
      const agent = await kit.signedIn();
      kit.fake().failNext({ status: 429, headers: { 'retry-after': '9' } });
      const res = await agent.get(LIST_ROUTE);
      expectError(res, 503, 'UPSTREAM_RATE_LIMITED');
      expect(res.headers['retry-after']).toBe('9');
    });

    it('mounts on a custom listPath, not at all with listPath: false, and neither with route: false', async () => {
      const custom = await kit.signedIn({ route: { listPath: '/account/cards' } });
      expect((await custom.get('/account/cards')).status).toBe(200);
      expect((await custom.get(LIST_ROUTE)).status).toBe(404);
      const none = await kit.signedIn({ route: { listPath: false } });
      expect((await none.get(LIST_ROUTE)).status).toBe(404);
      expect((await none.get('/merchant/list')).status).toBe(200);
      const neither = await kit.signedIn({ route: false });
      expect((await neither.get(LIST_ROUTE)).status).toBe(404);
    });

    it.each(['TRACE', 'PROPFIND', 'SEARCH', 'QUERY'])(
      'answers %s with 405 and Allow: GET on both routes, sending nothing',
      async (method) => {
        const harness = await kit.harness();
        const url = await harness.listen();
        for (const [path, allow] of [
          [LIST_ROUTE, 'GET'],
          ['/juspay/cards/delete', 'POST'],
        ] as const) {
          const res = await raw(`${url}${path}`, method);
          expect(res.status, `${method} ${path}`).toBe(405);
          expect(res.headers.allow).toBe(allow);
          expect(JSON.parse(res.text)).toMatchObject({ error: { code: 'METHOD_NOT_ALLOWED' } });
        }
        expect(kit.fake().requests).toHaveLength(0);
      },
    );
  });

  describe('the bound listCards()', () => {
    it('lists the session customer’s cards for merchant code', async () => {
      const agent = await kit.signedIn();
      const res = await agent.get('/merchant/list');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ cards: THE_CARDS, attempts: 1, requestId: expect.any(String) });
      expectNoCardSecrets(res.text);
    });

    it('needs no cross-site check: it changes nothing and answers merchant code', async () => {
      const agent = await kit.signedIn();
      const res = await agent.post('/merchant/list').set('sec-fetch-site', 'cross-site');
      expect(res.status).toBe(200);
    });

    it('rejects with UNAUTHENTICATED when nobody is signed in, and sends nothing', async () => {
      const agent = await kit.app();
      const res = await agent.get('/merchant/list');
      expectError(res, 401, 'UNAUTHENTICATED');
      expect(kit.fake().requests).toHaveLength(0);
    });

    it('lists no cards when Juspay does not know the customer, and tells onError', async () => {
      const agent = await kit.signedIn();
      kit.fake().failNext({ status: 400, body: INVALID_CARD_BODY });
      const res = await agent.get('/merchant/list');
      expect(res.body).toMatchObject({ cards: [] });
      expect(kit.errors).toEqual([expect.objectContaining({ code: 'INVALID_REQUEST' })]);
    });
  });
}
