/**
 * The route contract (the table in packages/core/README.md and docs/route.md), written once and
 * run against every adapter and framework version. Each adapter supplies a harness: a
 * real app with real session middleware, driven by supertest.
 */
import { JuspayError, type JuspayClientOptions } from '@juspay-tokens/core';
import { startFakeJuspay, type FakeJuspay } from '@juspay-tokens/core/testing';
import type { Agent, Response } from 'supertest';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

export const API_KEY = 'sk_contract_Secr3t_never_shown';
const ENCODED_KEY = Buffer.from(`${API_KEY}:`).toString('base64');
export const ROUTE = '/juspay/cards/delete';

/** How the harness app is to be built. */
export interface HarnessOptions {
  clientOptions: JuspayClientOptions;
  /** Put the framework's JSON body parser in front of the middleware. */
  bodyParser: boolean;
  /** Resolvers return promises. */
  asyncResolvers?: boolean;
  /** Pass a routingId resolver reading `session.routingId`. */
  routing?: boolean;
  /** The customerId resolver throws. */
  resolverThrows?: boolean;
  route?: { path?: string } | false;
  trustedOrigins?: string[];
  onError?: (err: unknown) => void;
}

/**
 * A running app. Its routes: `GET /test/login?customer=&routing=` signs in,
 * `GET /test/logout` signs out, `POST /merchant/delete?card=` is merchant code calling
 * `deleteToken()` (204, or 401/400 with `{code}`), `GET /after` is answered by middleware
 * mounted after ours.
 */
export interface Harness {
  agent: Agent;
  close(): Promise<void>;
}

export type MakeHarness = (options: HarnessOptions) => Promise<Harness> | Harness;

/** The session fields the harness apps keep. */
export interface ContractSession {
  customerId?: string | undefined;
  routingId?: string | undefined;
}

/**
 * The `juspay()` options a harness mounts, given how to read the session from the
 * framework's request (Express `req`, Koa `ctx`).
 */
export function middlewareOptions<Req>(
  options: HarnessOptions,
  session: (req: Req) => ContractSession | undefined,
) {
  const customer = (req: Req) => session(req)?.customerId;
  return {
    clientOptions: options.clientOptions,
    customerId: options.resolverThrows
      ? () => {
          throw new Error('session store is down');
        }
      : options.asyncResolvers
        ? async (req: Req) => {
            await new Promise((resolve) => setImmediate(resolve));
            return customer(req);
          }
        : customer,
    routingId: options.routing ? (req: Req) => session(req)?.routingId : undefined,
    route: options.route,
    trustedOrigins: options.trustedOrigins,
    onError: options.onError,
  };
}

/** What a framework can do. */
export interface ContractCapabilities {
  /** Parse errors of a body parser in front are answered from the route's table (not only with its status). */
  parserErrorsAnswered: boolean;
}

const json = 'application/json';

function expectError(res: Response, status: number, code: string): void {
  expect({ status: res.status, body: res.body as unknown }).toEqual({
    status,
    body: { error: { code, message: expect.any(String) } },
  });
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expectClean(res);
}

/** No response ever shows the key or upstream internals. */
function expectClean(res: Response): void {
  const text = `${JSON.stringify(res.headers)}${res.text}`;
  expect(text).not.toContain(API_KEY);
  expect(text).not.toContain(ENCODED_KEY);
  expect(text).not.toMatch(/developer_message|Invalid API Key|<html|stack|at .*\(/i);
}

/** Runs the whole route contract against one adapter on one framework version. */
export function runRouteContract(
  name: string,
  makeHarness: MakeHarness,
  capabilities: ContractCapabilities,
): void {
  describe(`route contract: ${name}`, () => {
    let fake: FakeJuspay;
    const harnesses: Harness[] = [];
    const errors: unknown[] = [];
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);

    beforeAll(async () => {
      fake = await startFakeJuspay({ apiKey: API_KEY });
      process.on('unhandledRejection', onUnhandled);
    });
    afterAll(async () => {
      process.off('unhandledRejection', onUnhandled);
      await fake.close();
      // Express 4 drops rejected promises on the floor: none may ever arise.
      expect(unhandled).toEqual([]);
    });
    beforeEach(() => {
      fake.reset();
      fake.addCard({ customerId: 'cust_1', cardReference: 'ref_1' });
      fake.addCard({ customerId: 'cust_1', cardReference: 'ref_2' });
      fake.addCard({ customerId: 'cust_2', cardReference: 'ref_other' });
      errors.length = 0;
    });
    afterEach(async () => {
      while (harnesses.length > 0) await harnesses.pop()?.close();
    });

    async function app(options: Partial<HarnessOptions> = {}): Promise<Agent> {
      const harness = await makeHarness({
        clientOptions: { apiKey: API_KEY, baseUrl: fake.url, maxRetries: 0, timeoutMs: 500 },
        bodyParser: false,
        onError: (err) => errors.push(err),
        ...options,
      });
      harnesses.push(harness);
      return harness.agent;
    }

    async function signedIn(options: Partial<HarnessOptions> = {}, customer = 'cust_1', routing?: string) {
      const agent = await app(options);
      const query = new URLSearchParams({ customer, ...(routing === undefined ? {} : { routing }) });
      const res = await agent.get(`/test/login?${query.toString()}`);
      expect(res.status).toBe(204);
      return agent;
    }

    const post = (agent: Agent, body: unknown, path = ROUTE) =>
      agent.post(path).set('content-type', json).send(JSON.stringify(body));

    for (const bodyParser of [false, true]) {
      describe(bodyParser ? 'with a JSON body parser in front' : 'without a body parser', () => {
        it('deletes the session customer’s card and sends the session’s routing id', async () => {
          const agent = await signedIn({ bodyParser });
          const res = await post(agent, { card_reference: 'ref_1' });
          expect(res.status).toBe(200);
          expect(res.body).toEqual({ status: 'SUCCESS' });
          expect(res.headers['cache-control']).toBe('no-store');
          expect(fake.cards('cust_1')).toEqual(['ref_2']);
          expect(fake.requests).toHaveLength(1);
          expect(fake.requests[0]?.body).toEqual({ card_reference: 'ref_1', customer_id: 'cust_1' });
          expect(fake.requests[0]?.headers['x-routing-id']).toBe('cust_1');
          expectClean(res);
        });

        it('accepts cardReference as well as card_reference, and a matching customer_id', async () => {
          const agent = await signedIn({ bodyParser });
          expect((await post(agent, { cardReference: 'ref_1' })).status).toBe(200);
          expect((await post(agent, { card_reference: 'ref_2', customer_id: 'cust_1' })).status).toBe(200);
          expect(fake.cards('cust_1')).toEqual([]);
        });

        it('answers 400 INVALID_INPUT for a body that is not JSON, and sends nothing', async () => {
          const agent = await signedIn({ bodyParser });
          const res = await agent.post(ROUTE).set('content-type', json).send('{"card_reference": ');
          if (bodyParser && !capabilities.parserErrorsAnswered) expect(res.status).toBe(400);
          else expectError(res, 400, 'INVALID_INPUT');
          expect(fake.requests).toHaveLength(0);
        });

        it('answers 413 for a body over 16 KiB, and sends nothing', async () => {
          const agent = await signedIn({ bodyParser });
          const res = await post(agent, { card_reference: 'ref_1', pad: 'x'.repeat(17 * 1024) });
          expectError(res, 413, 'PAYLOAD_TOO_LARGE');
          expect(fake.requests).toHaveLength(0);
        });

        it('answers 413 for a body the parser itself refuses as too large', async () => {
          const agent = await signedIn({ bodyParser });
          const res = await post(agent, { card_reference: 'ref_1', pad: 'x'.repeat(2 * 1024 * 1024) });
          if (bodyParser && !capabilities.parserErrorsAnswered) expect(res.status).toBe(413);
          else expectError(res, 413, 'PAYLOAD_TOO_LARGE');
          expect(fake.requests).toHaveLength(0);
        });
      });
    }

    describe('session', () => {
      it('answers 401 UNAUTHENTICATED with nobody signed in, and sends nothing', async () => {
        const agent = await app();
        expectError(await post(agent, { card_reference: 'ref_1' }), 401, 'UNAUTHENTICATED');
        expect(fake.requests).toHaveLength(0);
      });

      it('answers 401 after sign-out', async () => {
        const agent = await signedIn();
        await agent.get('/test/logout');
        expectError(await post(agent, { card_reference: 'ref_1' }), 401, 'UNAUTHENTICATED');
        expect(fake.cards('cust_1')).toEqual(['ref_1', 'ref_2']);
      });

      it('answers 403 FORBIDDEN when the body names another customer, and sends nothing', async () => {
        const agent = await signedIn();
        expectError(
          await post(agent, { card_reference: 'ref_other', customer_id: 'cust_2' }),
          403,
          'FORBIDDEN',
        );
        expectError(
          await post(agent, { card_reference: 'ref_other', customerId: 'cust_2' }),
          403,
          'FORBIDDEN',
        );
        expectError(await post(agent, { card_reference: 'ref_other', customer_id: 2 }), 403, 'FORBIDDEN');
        expect(fake.requests).toHaveLength(0);
        expect(fake.cards('cust_2')).toEqual(['ref_other']);
      });

      it('cannot delete another customer’s card by reference', async () => {
        const agent = await signedIn();
        expectError(await post(agent, { card_reference: 'ref_other' }), 400, 'INVALID_REQUEST');
        expect(fake.requests[0]?.body).toEqual({ card_reference: 'ref_other', customer_id: 'cust_1' });
        expect(fake.cards('cust_2')).toEqual(['ref_other']);
      });

      it('uses async resolvers and a separate routing id', async () => {
        const agent = await signedIn({ asyncResolvers: true, routing: true }, 'cust_1', 'cart_42');
        expect((await post(agent, { card_reference: 'ref_1' })).status).toBe(200);
        expect(fake.requests[0]?.headers['x-routing-id']).toBe('cart_42');
      });

      it('defaults the routing id to the customer id when the routing resolver has none', async () => {
        const agent = await signedIn({ routing: true });
        expect((await post(agent, { card_reference: 'ref_1' })).status).toBe(200);
        expect(fake.requests[0]?.headers['x-routing-id']).toBe('cust_1');
      });

      it('sends a resolver’s exception to the framework’s error handling', async () => {
        const agent = await app({ resolverThrows: true });
        const res = await post(agent, { card_reference: 'ref_1' });
        expect(res.status).toBe(500);
        expect(fake.requests).toHaveLength(0);
      });
    });

    describe('method, content type and body', () => {
      it.each(['get', 'put', 'delete', 'patch'] as const)(
        'answers %s with 405 and Allow: POST',
        async (method) => {
          const agent = await signedIn();
          const res = await agent[method](ROUTE);
          expectError(res, 405, 'METHOD_NOT_ALLOWED');
          expect(res.headers.allow).toBe('POST');
          expect(fake.requests).toHaveLength(0);
        },
      );

      it.each([
        ['text/plain', 'card_reference=ref_1'],
        ['application/x-www-form-urlencoded', 'card_reference=ref_1'],
        ['multipart/form-data; boundary=x', '--x--'],
        ['application/json; charset=latin1', '{"card_reference":"ref_1"}'],
      ])('answers 415 for content type %s', async (type, body) => {
        const agent = await signedIn();
        expectError(
          await agent.post(ROUTE).set('content-type', type).send(body),
          415,
          'UNSUPPORTED_MEDIA_TYPE',
        );
        expect(fake.requests).toHaveLength(0);
      });

      it('answers 415 with no content type', async () => {
        const agent = await signedIn();
        expectError(await agent.post(ROUTE), 415, 'UNSUPPORTED_MEDIA_TYPE');
      });

      it('accepts application/json with charset utf-8', async () => {
        const agent = await signedIn();
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
        const agent = await signedIn();
        expectError(await post(agent, body), 400, 'INVALID_INPUT');
        expect(fake.requests).toHaveLength(0);
      });

      it('runs the checks in the documented order', async () => {
        const anonymous = await app();
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
        const agent = await signedIn();
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
        expectError(await post(agent, { card_reference: '', customer_id: 'cust_2' }), 400, 'INVALID_INPUT');
        expectError(await post(agent, { card_reference: 'ref_1', customer_id: 'cust_2' }), 403, 'FORBIDDEN');
        expect(fake.requests).toHaveLength(0);
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
        const agent = await signedIn();
        expectError(await post(agent, { card_reference: 'ref_1' }).set(headers), 403, 'CROSS_SITE_REQUEST');
        expect(fake.requests).toHaveLength(0);
      });

      it('lets same-origin, same-site and trusted origins through', async () => {
        const agent = await signedIn({ trustedOrigins: ['https://shop.example'] });
        const sameOrigin = await post(agent, { card_reference: 'ref_1' })
          .set('sec-fetch-site', 'same-origin')
          .set('host', 'pay.example:8443')
          .set('origin', 'https://pay.example:8443');
        expect(sameOrigin.status).toBe(200);
        const sameSite = await post(agent, { card_reference: 'ref_2' }).set('sec-fetch-site', 'same-site');
        expect(sameSite.status).toBe(200);
        fake.addCard({ customerId: 'cust_1', cardReference: 'ref_3' });
        const trusted = await post(agent, { card_reference: 'ref_3' })
          .set('sec-fetch-site', 'cross-site')
          .set('origin', 'https://shop.example');
        expect(trusted.status).toBe(200);
        expect(fake.cards('cust_1')).toEqual([]);
      });
    });

    describe('upstream outcomes', () => {
      it('answers 400 INVALID_REQUEST with Juspay’s user message for an unknown card', async () => {
        const agent = await signedIn();
        const res = await post(agent, { card_reference: 'nope' });
        expectError(res, 400, 'INVALID_REQUEST');
        expect((res.body as { error: { message: string } }).error.message).toBe(
          'card_reference or customer_id is invalid',
        );
        expect(errors).toHaveLength(1);
        expect(errors[0]).toBeInstanceOf(JuspayError);
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
        const agent = await signedIn();
        fake.failNext(fault);
        expectError(await post(agent, { card_reference: 'ref_1' }), status, code);
        expect(errors).toHaveLength(1);
        expect(errors[0]).toBeInstanceOf(JuspayError);
      });

      it('maps 429 to 503 with the upstream Retry-After, else 1', async () => {
        const agent = await signedIn();
        fake.failNext({ status: 429, headers: { 'retry-after': '7' } });
        const res = await post(agent, { card_reference: 'ref_1' });
        expectError(res, 503, 'UPSTREAM_RATE_LIMITED');
        expect(res.headers['retry-after']).toBe('7');
        fake.failNext({ status: 429 });
        const bare = await post(agent, { card_reference: 'ref_1' });
        expectError(bare, 503, 'UPSTREAM_RATE_LIMITED');
        expect(bare.headers['retry-after']).toBe('1');
      });
    });

    describe('mounting', () => {
      it('lets merchant code call deleteToken() with the session customer', async () => {
        const agent = await signedIn();
        expect((await agent.post('/merchant/delete?card=ref_2')).status).toBe(204);
        expect(fake.cards('cust_1')).toEqual(['ref_1']);
        expect(fake.requests[0]?.headers['x-routing-id']).toBe('cust_1');
        const anonymous = await app();
        const res = await anonymous.post('/merchant/delete?card=ref_1');
        expect(res.status).toBe(401);
        expect(res.body).toEqual({ code: 'UNAUTHENTICATED' });
        expect(fake.requests).toHaveLength(1);
      });

      it('still runs middleware mounted after it', async () => {
        const agent = await app();
        const res = await agent.get('/after');
        expect(res.status).toBe(200);
        expect(res.text).toBe('after');
      });

      it('mounts the route on a custom path', async () => {
        const agent = await signedIn({ route: { path: '/account/cards/remove' } });
        expect((await post(agent, { card_reference: 'ref_1' }, '/account/cards/remove')).status).toBe(200);
        expect((await post(agent, { card_reference: 'ref_2' }, ROUTE)).status).toBe(404);
        expect(fake.cards('cust_1')).toEqual(['ref_2']);
      });

      it('mounts no route with route: false, and req.juspay still works', async () => {
        const agent = await signedIn({ route: false });
        expect((await post(agent, { card_reference: 'ref_1' })).status).toBe(404);
        expect((await agent.post('/merchant/delete?card=ref_1')).status).toBe(204);
      });
    });
  });
}
