/**
 * The suite of an example shop (`examples/*`), written once and run against each through
 * supertest: sign in, the cards from the shop's records, delete through the route (the
 * record goes too), a second delete, signed out, remove-all through the bound call, the
 * shop's own routes refusing cross-site requests, and the settings.
 */
import type { RequestListener } from 'node:http';
import type { FakeJuspay } from '@juspay-tokens/core/testing';
import { DEMO_CARDS, DEMO_CUSTOMER } from '@juspay-tokens/example-shop-kit/card-records';
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

/** What an example exports from `src/app.js`. */
export type CreateShop = (settings: ShopSettings, log?: { warn(...args: unknown[]): void }) => Promise<Shop>;

const REFERENCES = DEMO_CARDS.map((card) => card.cardReference);
const SHOWN = [
  { cardReference: 'card_ref_mastercard_5454', brand: 'Mastercard', last4: '5454', expiry: '11/27' },
  { cardReference: 'card_ref_rupay_6521', brand: 'RuPay', last4: '6521', expiry: '03/29' },
  { cardReference: 'card_ref_visa_4242', brand: 'Visa', last4: '4242', expiry: '08/28' },
];

/** Runs the example-shop suite against one example. */
export function runShopSuite(name: string, createShop: CreateShop): void {
  const shops: Shop[] = [];
  afterEach(async () => {
    while (shops.length > 0) await shops.pop()?.close();
  });

  async function offlineShop() {
    const warnings: unknown[] = [];
    const shop = await createShop(readSettings({ SESSION_SECRET: 'test' }), {
      warn: (...args: unknown[]) => warnings.push(args),
    });
    shops.push(shop);
    return { shop, agent: request.agent(shop.handler), warnings };
  }

  const json = { 'content-type': 'application/json' };
  const visa = 'card_ref_visa_4242';

  describe(`${name}, offline against the embedded fake`, () => {
    it('signs in, lists cards from its records, deletes (record too), and answers a second delete', async () => {
      const { shop, agent } = await offlineShop();
      expect(shop.mode).toBe('offline');
      expect((await agent.get('/')).text).toContain('Your saved cards');
      expect((await agent.get('/api/me')).body).toEqual({ mode: 'offline', customerId: null, cards: [] });

      expect((await agent.post('/login')).status).toBe(200);
      expect((await agent.get('/api/me')).body).toEqual({
        mode: 'offline',
        customerId: DEMO_CUSTOMER,
        cards: SHOWN,
      });

      const deleted = await agent.post('/juspay/cards/delete').set(json).send({ card_reference: visa });
      expect(deleted.status).toBe(200);
      expect(deleted.body).toEqual({ status: 'SUCCESS' });
      expect(shop.fake.cards(DEMO_CUSTOMER)).toEqual(REFERENCES.filter((r) => r !== visa));
      expect(((await agent.get('/api/me')).body as { cards: unknown[] }).cards).toEqual(SHOWN.slice(0, 2));

      const again = await agent.post('/juspay/cards/delete').set(json).send({ card_reference: visa });
      expect(again.status).toBe(400);
      expect((again.body as { error: { code: string } }).error.code).toBe('INVALID_REQUEST');

      await agent.post('/logout');
      const signedOut = await agent
        .post('/juspay/cards/delete')
        .set(json)
        .send({ card_reference: REFERENCES[1] });
      expect(signedOut.status).toBe(401);
      expect(shop.fake.cards(DEMO_CUSTOMER)).toHaveLength(2);
    });

    it('removes all cards through the shop route, which calls deleteToken() for each record', async () => {
      const { shop, agent } = await offlineShop();
      expect((await agent.post('/api/cards/remove-all')).status).toBe(401);
      await agent.post('/login');
      const res = await agent.post('/api/cards/remove-all');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ removed: 3, failed: 0 });
      expect(shop.fake.cards(DEMO_CUSTOMER)).toEqual([]);
      expect(((await agent.get('/api/me')).body as { cards: unknown[] }).cards).toEqual([]);
    });

    it('refuses cross-site requests on the route, remove-all, sign-in and sign-out', async () => {
      const { shop, agent } = await offlineShop();
      await agent.post('/login');
      const foreign = { origin: 'http://127.0.0.1:4999', 'sec-fetch-site': 'same-site' };
      for (const path of ['/juspay/cards/delete', '/api/cards/remove-all', '/logout', '/login']) {
        const res = await agent.post(path).set(json).set(foreign).send({ card_reference: visa });
        expect(res.status, path).toBe(403);
        expect((res.body as { error: { code: string } }).error.code, path).toBe('CROSS_SITE_REQUEST');
      }
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

    it('goes live with a key', () => {
      expect(
        readSettings({ JUSPAY_API_KEY: 'k', JUSPAY_ENVIRONMENT: 'production', PORT: '8080' }),
      ).toMatchObject({
        port: 8080,
        juspay: { mode: 'live', apiKey: 'k', environment: 'production' },
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
