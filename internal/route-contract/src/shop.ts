/**
 * The suite of an example shop (`examples/*`), written once and run against each through
 * supertest: sign in, the cards listed from Juspay through the list route (only what is
 * safe to show), delete through the route with an audit line, a second delete, signed
 * out, remove-all through the bound calls, the page served with a strict
 * Content-Security-Policy, the shop's own routes refusing cross-site requests, and the
 * settings.
 */
import type { RequestListener } from 'node:http';
import type { FakeJuspay } from '@juspay-tokens/core/testing';
import { DEMO_CARDS, DEMO_CUSTOMER } from '@juspay-tokens/example-shop-kit/demo';
import { readSettings } from '@juspay-tokens/example-shop-kit/settings';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';

/** The settings the examples read from the environment. */
export type ShopSettings = ReturnType<typeof readSettings>;

/** A running example shop (`createShop()` of `src/app.js`). */
export interface Shop {
  handler: RequestListener;
  fake: FakeJuspay;
  mode: 'offline' | 'live';
  close(): Promise<void>;
}

/** What a shop logs to. */
export interface ShopLog {
  warn(...args: unknown[]): void;
  info?(...args: unknown[]): void;
}

/** What an example exports from `src/app.js`. */
export type CreateShop = (settings: ShopSettings, log?: ShopLog) => Promise<Shop>;

const REFERENCES = DEMO_CARDS.map((card) => card.cardReference);
const LISTED = [
  {
    cardReference: 'card_ref_mastercard_5454',
    brand: 'MASTERCARD',
    last4: '5454',
    expiryMonth: '11',
    expiryYear: '2027',
    nickname: 'Work card',
    expired: false,
  },
  { cardReference: 'card_ref_rupay_6521', brand: 'RUPAY', last4: '6521', expired: true },
  { cardReference: 'card_ref_visa_4242', brand: 'VISA', last4: '4242', expiryYear: '2028', expired: false },
];

/** Runs the example-shop suite against one example. */
export function runShopSuite(name: string, createShop: CreateShop): void {
  const shops: Shop[] = [];
  afterEach(async () => {
    while (shops.length > 0) await shops.pop()?.close();
  });

  async function offlineShop() {
    const warnings: unknown[] = [];
    const audit: string[] = [];
    const shop = await createShop(readSettings({ SESSION_SECRET: 'test' }), {
      warn: (...args: unknown[]) => warnings.push(args),
      info: (line: unknown) => audit.push(String(line)),
    });
    shops.push(shop);
    return { shop, agent: request.agent(shop.handler), warnings, audit };
  }

  const json = { 'content-type': 'application/json' };
  const visa = 'card_ref_visa_4242';
  const listed = async (agent: ReturnType<typeof request.agent>) =>
    ((await agent.get('/juspay/cards')).body as { cards: { cardReference: string }[] }).cards.map(
      (card) => card.cardReference,
    );

  describe(`${name}, offline against the embedded fake`, () => {
    it('signs in, lists cards from Juspay, deletes one with an audit line, and answers a second delete', async () => {
      const { shop, agent, audit } = await offlineShop();
      expect(shop.mode).toBe('offline');
      expect((await agent.get('/api/me')).body).toEqual({ mode: 'offline', customerId: null });
      expect((await agent.get('/juspay/cards')).status).toBe(401);

      expect((await agent.post('/login')).status).toBe(200);
      expect((await agent.get('/api/me')).body).toEqual({ mode: 'offline', customerId: DEMO_CUSTOMER });
      const cards = await agent.get('/juspay/cards');
      expect(cards.status).toBe(200);
      expect((cards.body as { cards: unknown[] }).cards).toEqual(
        LISTED.map((card): unknown => expect.objectContaining(card)),
      );
      expect(cards.text).not.toMatch(/card_token|tkn_|fingerprint|name_on_card|XXXX/);

      const deleted = await agent.post('/juspay/cards/delete').set(json).send({ card_reference: visa });
      expect(deleted.status).toBe(200);
      expect(deleted.body).toEqual({ status: 'SUCCESS' });
      expect(shop.fake.cards(DEMO_CUSTOMER)).toEqual(REFERENCES.filter((r) => r !== visa));
      expect(await listed(agent)).toEqual(REFERENCES.filter((r) => r !== visa));
      expect(audit.map((line): unknown => JSON.parse(line))).toEqual([
        {
          audit: 'card_deleted',
          at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
          customerId: DEMO_CUSTOMER,
          cardReference: visa,
          requestId: shop.fake.requests.at(-2)?.headers['x-request-id'],
          alreadyGone: false,
        },
      ]);
      expect(audit.join('\n')).not.toContain(shop.fake.apiKey);

      const again = await agent.post('/juspay/cards/delete').set(json).send({ card_reference: visa });
      expect(again.status).toBe(400);
      expect((again.body as { error: { code: string } }).error.code).toBe('INVALID_REQUEST');
      expect(audit).toHaveLength(1);

      await agent.post('/logout');
      const signedOut = await agent
        .post('/juspay/cards/delete')
        .set(json)
        .send({ card_reference: REFERENCES[1] });
      expect(signedOut.status).toBe(401);
      expect(shop.fake.cards(DEMO_CUSTOMER)).toHaveLength(2);
    });

    it('removes all cards through the shop route, which lists and deletes through the bound calls', async () => {
      const { shop, agent, audit } = await offlineShop();
      const signedOut = await agent.post('/api/cards/remove-all');
      expect(signedOut.status).toBe(401);
      expect((signedOut.body as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
      await agent.post('/login');
      const res = await agent.post('/api/cards/remove-all');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ removed: 3, failed: 0 });
      expect(shop.fake.cards(DEMO_CUSTOMER)).toEqual([]);
      expect(await listed(agent)).toEqual([]);
      expect(audit).toHaveLength(3);
    });

    it('serves the page and its assets with a strict Content-Security-Policy and no inline script', async () => {
      const { agent } = await offlineShop();
      const page = await agent.get('/');
      expect(page.text).toContain('Your saved cards');
      expect(page.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(page.text).not.toMatch(/<style|\son[a-z]+=/i);
      for (const path of ['/', '/app.js', '/app.css']) {
        const res = await agent.get(path);
        expect(res.status, path).toBe(200);
        expect(res.headers['content-security-policy'], path).toMatch(/script-src 'self'(;|$)/);
        expect(res.headers['content-security-policy'], path).toMatch(/default-src 'none'/);
        expect(res.headers['content-security-policy'], path).not.toMatch(/unsafe-inline|unsafe-eval/);
        expect(res.headers['x-content-type-options'], path).toBe('nosniff');
      }
      expect((await agent.get('/app.js')).headers['content-type']).toMatch(/^text\/javascript/);
    });

    it('refuses cross-site requests on the routes, remove-all, sign-in and sign-out', async () => {
      const { shop, agent } = await offlineShop();
      await agent.post('/login');
      const foreign = { origin: 'http://127.0.0.1:4999', 'sec-fetch-site': 'same-site' };
      for (const path of ['/juspay/cards/delete', '/api/cards/remove-all', '/logout', '/login']) {
        const res = await agent.post(path).set(json).set(foreign).send({ card_reference: visa });
        expect(res.status, path).toBe(403);
        expect((res.body as { error: { code: string } }).error.code, path).toBe('CROSS_SITE_REQUEST');
      }
      const list = await agent.get('/juspay/cards').set({ 'sec-fetch-site': 'cross-site' });
      expect(list.status).toBe(403);
      expect(shop.fake.cards(DEMO_CUSTOMER)).toHaveLength(3);
      expect(((await agent.get('/api/me')).body as { customerId: string }).customerId).toBe(DEMO_CUSTOMER);
    });
  });

  describe(`${name} settings`, () => {
    it('runs offline without a key, with a warning for a missing session secret', () => {
      const settings = readSettings({});
      expect(settings.juspay).toEqual({ mode: 'offline' });
      expect(settings.port).toBe(3000);
      expect(settings.sessionSecret).toMatch(/^[0-9a-f]{64}$/);
      expect(settings.warnings[0]).toMatch(/SESSION_SECRET is not set/);
    });

    it('goes live with a key, and takes the merchant id', () => {
      expect(
        readSettings({
          JUSPAY_API_KEY: 'k',
          JUSPAY_ENVIRONMENT: 'production',
          JUSPAY_MERCHANT_ID: 'shop_1',
          PORT: '8080',
        }),
      ).toMatchObject({
        port: 8080,
        juspay: { mode: 'live', apiKey: 'k', environment: 'production', merchantId: 'shop_1' },
      });
    });

    it.each([
      [{ JUSPAY_ENVIRONMENT: 'prod' }, /JUSPAY_ENVIRONMENT must be "sandbox" or "production" \(got "prod"\)/],
      [{ PORT: 'eighty' }, /PORT must be a port number/],
      [{ REDIS_URL: 'localhost:6379' }, /REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/],
      [
        { JUSPAY_ENVIRONMENT: 'production' },
        /JUSPAY_API_KEY is not set, but JUSPAY_ENVIRONMENT ask for live Juspay/,
      ],
      [{ JUSPAY_MERCHANT_ID: 'shop_1' }, /JUSPAY_API_KEY is not set, but JUSPAY_MERCHANT_ID ask/],
      [
        { JUSPAY_APIKEY: 'sk_live_x', JUSPAY_ENVIRONMENT: 'production' },
        /JUSPAY_API_KEY is not set \(found JUSPAY_APIKEY: is it misspelt\?\)/,
      ],
    ] as const)('names the fix for a bad or missing setting', (env, message) => {
      expect(() => readSettings(env)).toThrow(message);
    });

    it('names the fix for a plain-http JUSPAY_BASE_URL', async () => {
      await expect(
        createShop(readSettings({ JUSPAY_API_KEY: 'k', JUSPAY_BASE_URL: 'http://api.example.com' })),
      ).rejects.toThrow(/baseUrl" must use https:/);
    });
  });
}
