/**
 * The route's table, row by row, and its check order (each adapter's README), with and
 * without a body parser in front.
 */
import { JuspayError } from '@juspay-tokens/core';
import type { FakeJuspay } from '@juspay-tokens/core/testing';
import { describe, expect, it } from 'vitest';
import {
  expectClean,
  expectError,
  expectErrorBody,
  JSON_TYPE as json,
  login,
  raw,
  ROUTE,
  type ContractCapabilities,
  type ContractKit,
} from './kit.js';

/** The table contract, inside a suite that set up `kit`. */
export function runTableContract(kit: ContractKit, capabilities: ContractCapabilities): void {
  for (const bodyParser of capabilities.bodyParsers === false ? [false] : [false, true]) {
    describe(bodyParser ? 'with a JSON body parser in front' : 'without a body parser', () => {
      it('deletes the session customer’s card and sends the session’s routing id', async () => {
        const agent = await kit.signedIn({ bodyParser });
        const res = await kit.post(agent, { card_reference: 'ref_1' });
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ status: 'SUCCESS' });
        expect(res.headers['cache-control']).toBe('no-store');
        expect(kit.fake().cards('cust_1')).toEqual(['ref_2']);
        expect(kit.fake().requests).toHaveLength(1);
        expect(kit.fake().requests[0]?.body).toEqual({ card_reference: 'ref_1', customer_id: 'cust_1' });
        expect(kit.fake().requests[0]?.headers['x-routing-id']).toBe('cust_1');
        expectClean(res);
      });

      it('accepts cardReference as well as card_reference, and a matching customer_id', async () => {
        const agent = await kit.signedIn({ bodyParser });
        expect((await kit.post(agent, { cardReference: 'ref_1' })).status).toBe(200);
        expect((await kit.post(agent, { card_reference: 'ref_2', customer_id: 'cust_1' })).status).toBe(200);
        expect(kit.fake().cards('cust_1')).toEqual([]);
      });

      it('answers 400 INVALID_INPUT for a body that is not JSON, and sends nothing', async () => {
        const agent = await kit.signedIn({ bodyParser });
        const res = await agent.post(ROUTE).set('content-type', json).send('{"card_reference": ');
        if (bodyParser && !capabilities.parserErrorsAnswered) expect(res.status).toBe(400);
        else expectError(res, 400, 'INVALID_INPUT');
        expect(kit.fake().requests).toHaveLength(0);
      });

      it('answers 413 for a body over 16 KiB, and sends nothing', async () => {
        const agent = await kit.signedIn({ bodyParser });
        const res = await kit.post(agent, { card_reference: 'ref_1', pad: 'x'.repeat(17 * 1024) });
        expectError(res, 413, 'PAYLOAD_TOO_LARGE');
        expect(kit.fake().requests).toHaveLength(0);
      });

      it('answers 413 for a body the parser itself refuses as too large', async () => {
        const agent = await kit.signedIn({ bodyParser });
        const res = await kit.post(agent, { card_reference: 'ref_1', pad: 'x'.repeat(2 * 1024 * 1024) });
        if (bodyParser && !capabilities.parserErrorsAnswered) expect(res.status).toBe(413);
        else expectError(res, 413, 'PAYLOAD_TOO_LARGE');
        expect(kit.fake().requests).toHaveLength(0);
      });
    });
  }

  describe('session', () => {
    it('answers 401 UNAUTHENTICATED with nobody signed in, and sends nothing', async () => {
      const agent = await kit.app();
      expectError(await kit.post(agent, { card_reference: 'ref_1' }), 401, 'UNAUTHENTICATED');
      expect(kit.fake().requests).toHaveLength(0);
    });

    it('answers 401 after sign-out', async () => {
      const agent = await kit.signedIn();
      await agent.get('/test/logout');
      expectError(await kit.post(agent, { card_reference: 'ref_1' }), 401, 'UNAUTHENTICATED');
      expect(kit.fake().cards('cust_1')).toEqual(['ref_1', 'ref_2']);
    });

    it('answers 403 FORBIDDEN when the body names another customer, and sends nothing', async () => {
      const agent = await kit.signedIn();
      expectError(
        await kit.post(agent, { card_reference: 'ref_other', customer_id: 'cust_2' }),
        403,
        'FORBIDDEN',
      );
      expectError(
        await kit.post(agent, { card_reference: 'ref_other', customerId: 'cust_2' }),
        403,
        'FORBIDDEN',
      );
      expectError(await kit.post(agent, { card_reference: 'ref_other', customer_id: 2 }), 403, 'FORBIDDEN');
      expect(kit.fake().requests).toHaveLength(0);
      expect(kit.fake().cards('cust_2')).toEqual(['ref_other']);
    });

    it('cannot delete another customer’s card by reference', async () => {
      const agent = await kit.signedIn();
      expectError(await kit.post(agent, { card_reference: 'ref_other' }), 400, 'INVALID_REQUEST');
      expect(kit.fake().requests[0]?.body).toEqual({ card_reference: 'ref_other', customer_id: 'cust_1' });
      expect(kit.fake().cards('cust_2')).toEqual(['ref_other']);
    });

    it('uses async resolvers and a separate routing id', async () => {
      const agent = await kit.signedIn({ asyncResolvers: true, routing: true }, 'cust_1', 'cart_42');
      expect((await kit.post(agent, { card_reference: 'ref_1' })).status).toBe(200);
      expect(kit.fake().requests[0]?.headers['x-routing-id']).toBe('cart_42');
    });

    it('defaults the routing id to the customer id when the routing resolver has none', async () => {
      const agent = await kit.signedIn({ routing: true });
      expect((await kit.post(agent, { card_reference: 'ref_1' })).status).toBe(200);
      expect(kit.fake().requests[0]?.headers['x-routing-id']).toBe('cust_1');
    });

    it('sends a resolver’s exception to the framework’s error handling', async () => {
      const agent = await kit.app({ resolverThrows: true });
      const res = await kit.post(agent, { card_reference: 'ref_1' });
      expect(res.status).toBe(500);
      expect(kit.fake().requests).toHaveLength(0);
    });
  });

  describe('method, content type and body', () => {
    it.each(['get', 'put', 'delete', 'patch'] as const)(
      'answers %s with 405 and Allow: POST',
      async (method) => {
        const agent = await kit.signedIn();
        const res = await agent[method](ROUTE);
        expectError(res, 405, 'METHOD_NOT_ALLOWED');
        expect(res.headers.allow).toBe('POST');
        expect(kit.fake().requests).toHaveLength(0);
      },
    );

    it.each([
      ['text/plain', 'card_reference=ref_1'],
      ['application/x-www-form-urlencoded', 'card_reference=ref_1'],
      ['multipart/form-data; boundary=x', '--x--'],
      ['application/json; charset=latin1', '{"card_reference":"ref_1"}'],
    ])('answers 415 for content type %s', async (type, body) => {
      const agent = await kit.signedIn();
      expectError(
        await agent.post(ROUTE).set('content-type', type).send(body),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      );
      expect(kit.fake().requests).toHaveLength(0);
    });

    it('answers 415 with no content type', async () => {
      const agent = await kit.signedIn();
      expectError(await agent.post(ROUTE), 415, 'UNSUPPORTED_MEDIA_TYPE');
    });

    it('accepts application/json with charset utf-8', async () => {
      const agent = await kit.signedIn();
      const res = await agent
        .post(ROUTE)
        .set('content-type', 'application/json; charset=UTF-8')
        .send('{"card_reference":"ref_1"}');
      expect(res.status).toBe(200);
    });

    it.each<[string, unknown]>([
      ['a JSON array', ['ref_1']],
      ['a JSON string', 'ref_1'],
      ['null', null],
      ['no card_reference', { card: 'ref_1' }],
      ['a numeric card_reference', { card_reference: 42 }],
      ['an empty card_reference', { card_reference: '' }],
      ['a card_reference over 256 characters', { card_reference: 'r'.repeat(257) }],
      ['a control character', { card_reference: 'ref\u0000_1' }],
      ['leading white space', { card_reference: ' ref_1' }],
      ['two different references', { card_reference: 'ref_1', cardReference: 'ref_2' }],
    ])('answers 400 INVALID_INPUT for %s, and sends nothing', async (_label, body) => {
      const agent = await kit.signedIn();
      expectError(await kit.post(agent, body), 400, 'INVALID_INPUT');
      expect(kit.fake().requests).toHaveLength(0);
    });

    it.each(['', ';;;', 'application/'])(
      'checks cross-site and sign-in before a Content-Type of %j, and answers it 415',
      async (type) => {
        const harness = await kit.harness();
        const url = await harness.listen();
        const body = '{"card_reference":"ref_1"}';
        const headers = { 'content-type': type };
        const crossSite = await raw(
          `${url}${ROUTE}`,
          'POST',
          { ...headers, 'sec-fetch-site': 'cross-site' },
          body,
        );
        expect(crossSite.status).toBe(403);
        expect(JSON.parse(crossSite.text)).toMatchObject({ error: { code: 'CROSS_SITE_REQUEST' } });
        const signedOut = await raw(`${url}${ROUTE}`, 'POST', headers, body);
        expect(signedOut.status).toBe(401);
        expect(JSON.parse(signedOut.text)).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
        const cookie = await login(url);
        const signedIn = await raw(`${url}${ROUTE}`, 'POST', { ...headers, cookie }, body);
        expect(signedIn.status).toBe(415);
        expect(JSON.parse(signedIn.text)).toMatchObject({ error: { code: 'UNSUPPORTED_MEDIA_TYPE' } });
        expect(kit.fake().requests).toHaveLength(0);
      },
    );

    it('runs the checks in the documented order', async () => {
      const anonymous = await kit.app();
      const crossSite = { 'sec-fetch-site': 'cross-site' };
      expectError(await anonymous.get(ROUTE).set(crossSite), 405, 'METHOD_NOT_ALLOWED');
      expectError(
        await anonymous.post(ROUTE).set(crossSite).set('content-type', 'text/plain').send('x'),
        403,
        'CROSS_SITE_REQUEST',
      );
      expectError(
        await anonymous.post(ROUTE).set('content-type', 'text/plain').send('x'),
        401,
        'UNAUTHENTICATED',
      );
      const agent = await kit.signedIn();
      const big = 'x'.repeat(20 * 1024);
      expectError(
        await agent.post(ROUTE).set('content-type', 'text/plain').send(big),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      );
      expectError(
        await agent.post(ROUTE).set('content-type', json).send(`{${big}`),
        413,
        'PAYLOAD_TOO_LARGE',
      );
      expectError(await kit.post(agent, { card_reference: '', customer_id: 'cust_2' }), 400, 'INVALID_INPUT');
      expectError(
        await kit.post(agent, { card_reference: 'ref_1', customer_id: 'cust_2' }),
        403,
        'FORBIDDEN',
      );
      expect(kit.fake().requests).toHaveLength(0);
    });
  });

  describe('cross-site requests', () => {
    it.each<[string, Record<string, string>]>([
      ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
      ['a foreign Origin', { origin: 'https://evil.example' }],
      ['Origin: null', { origin: 'null' }],
      [
        'a foreign Origin with same-site metadata',
        { origin: 'https://evil.example', 'sec-fetch-site': 'same-site' },
      ],
    ])('answers 403 CROSS_SITE_REQUEST for %s, and sends nothing', async (_label, headers) => {
      const agent = await kit.signedIn();
      expectError(await kit.post(agent, { card_reference: 'ref_1' }).set(headers), 403, 'CROSS_SITE_REQUEST');
      expect(kit.fake().requests).toHaveLength(0);
    });

    it('lets same-origin, same-site and trusted origins through', async () => {
      const agent = await kit.signedIn({ trustedOrigins: ['https://shop.example'] });
      const sameOrigin = await kit
        .post(agent, { card_reference: 'ref_1' })
        .set('sec-fetch-site', 'same-origin')
        .set('host', 'pay.example:8443')
        .set('origin', 'https://pay.example:8443');
      expect(sameOrigin.status).toBe(200);
      const sameSite = await kit.post(agent, { card_reference: 'ref_2' }).set('sec-fetch-site', 'same-site');
      expect(sameSite.status).toBe(200);
      kit.fake().addCard({ customerId: 'cust_1', cardReference: 'ref_3' });
      const trusted = await kit
        .post(agent, { card_reference: 'ref_3' })
        .set('sec-fetch-site', 'cross-site')
        .set('origin', 'https://shop.example');
      expect(trusted.status).toBe(200);
      expect(kit.fake().cards('cust_1')).toEqual([]);
    });
  });

  describe('upstream outcomes', () => {
    it('answers 400 INVALID_REQUEST with Juspay’s user message for an unknown card', async () => {
      const agent = await kit.signedIn();
      const res = await kit.post(agent, { card_reference: 'nope' });
      expectError(res, 400, 'INVALID_REQUEST');
      expect((res.body as { error: { message: string } }).error.message).toBe(
        'card_reference or customer_id is invalid',
      );
      expect(kit.errors).toHaveLength(1);
      expect(kit.errors[0]).toBeInstanceOf(JuspayError);
    });

    it.each<[string, number, string, Parameters<FakeJuspay['failNext']>[0]]>([
      [
        'a rejected key',
        502,
        'UPSTREAM_AUTH_FAILED',
        {
          status: 401,
          body: { error_info: { code: 'UNAUTHORIZED', developer_message: 'Invalid API Key' } },
        },
      ],
      ['a 500', 502, 'UPSTREAM_UNAVAILABLE', { status: 500 }],
      [
        'a 503 HTML page',
        502,
        'UPSTREAM_UNAVAILABLE',
        { status: 503, body: '<html><body>stack trace at Foo (bar.js:1)</body></html>' },
      ],
      ['a connection reset', 502, 'UPSTREAM_UNAVAILABLE', { reset: true }],
      ['a 200 that is not JSON', 502, 'UPSTREAM_UNAVAILABLE', { status: 200, body: '<html>ok</html>' }],
      ['a hang past the timeout', 504, 'UPSTREAM_TIMEOUT', { delayMs: 3_000 }],
    ])('maps %s to %i %s and reports it to onError', async (_label, status, code, fault) => {
      const agent = await kit.signedIn();
      kit.fake().failNext(fault);
      expectError(await kit.post(agent, { card_reference: 'ref_1' }), status, code);
      expect(kit.errors).toHaveLength(1);
      expect(kit.errors[0]).toBeInstanceOf(JuspayError);
    });

    it('maps 429 to 503 with the upstream Retry-After, else 1', async () => {
      const agent = await kit.signedIn();
      kit.fake().failNext({ status: 429, headers: { 'retry-after': '7' } });
      const res = await kit.post(agent, { card_reference: 'ref_1' });
      expectError(res, 503, 'UPSTREAM_RATE_LIMITED');
      expect(res.headers['retry-after']).toBe('7');
      kit.fake().failNext({ status: 429 });
      const bare = await kit.post(agent, { card_reference: 'ref_1' });
      expectError(bare, 503, 'UPSTREAM_RATE_LIMITED');
      expect(bare.headers['retry-after']).toBe('1');
    });
  });

  describe('mounting', () => {
    it('lets merchant code call deleteToken() with the session customer', async () => {
      const agent = await kit.signedIn();
      expect((await agent.post('/merchant/delete?card=ref_2')).status).toBe(204);
      expect(kit.fake().cards('cust_1')).toEqual(['ref_1']);
      expect(kit.fake().requests[0]?.headers['x-routing-id']).toBe('cust_1');
      const anonymous = await kit.app();
      const res = await anonymous.post('/merchant/delete?card=ref_1');
      expect(res.status).toBe(401);
      expectErrorBody(res, 'UNAUTHENTICATED');
      expect(kit.fake().requests).toHaveLength(1);
    });

    it('still runs middleware mounted after it', async () => {
      const agent = await kit.app();
      const res = await agent.get('/after');
      expect(res.status).toBe(200);
      expect(res.text).toBe('after');
    });

    it('mounts the route on a custom path', async () => {
      const agent = await kit.signedIn({ route: { path: '/account/cards/remove' } });
      expect((await kit.post(agent, { card_reference: 'ref_1' }, '/account/cards/remove')).status).toBe(200);
      expect((await kit.post(agent, { card_reference: 'ref_2' }, ROUTE)).status).toBe(404);
      expect(kit.fake().cards('cust_1')).toEqual(['ref_2']);
    });

    it('mounts no route with route: false, and req.juspay still works', async () => {
      const agent = await kit.signedIn({ route: false });
      expect((await kit.post(agent, { card_reference: 'ref_1' })).status).toBe(404);
      expect((await agent.post('/merchant/delete?card=ref_1')).status).toBe(204);
    });
  });
}
