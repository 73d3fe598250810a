/**
 * The end-to-end suite of an example shop (`examples/*`), written once and run against
 * each: sign in, list, delete through the route, the card gone from the fake, a second
 * delete refused with Juspay's message, signed out, and the merchant's own route.
 */
import type { RequestListener } from 'node:http';
import type { FakeJuspay } from '@juspay-tokens/core/testing';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';

/** The settings an example reads from the environment (`src/settings.js`). */
export interface ShopSettings {
  port: number;
  sessionSecret: string;
  warnings: string[];
  juspay: { mode: 'offline' } | { mode: 'live'; apiKey: string; environment?: string; baseUrl?: string };
}

/** A running example shop (`createShop()` of `src/app.js`). */
export interface Shop {
  handler: RequestListener;
  fake: FakeJuspay;
  mode: 'offline' | 'live';
  close(): Promise<void>;
}

/** What an example exports: `src/app.js` and `src/settings.js`. */
export interface ExampleShop {
  createShop: (settings: ShopSettings, log?: { warn(...args: unknown[]): void }) => Promise<Shop>;
  readSettings: (env: Record<string, string | undefined>) => ShopSettings;
  DEMO_CARDS: string[];
  DEMO_CUSTOMER: string;
}

/** Runs the example-shop suite against one example. */
export function runShopSuite(
  name: string,
  { createShop, readSettings, DEMO_CARDS, DEMO_CUSTOMER }: ExampleShop,
): void {
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

  describe(`${name}, offline against the embedded fake`, () => {
    it('signs in, lists, deletes, and refuses a second delete with Juspay’s message', async () => {
      const { shop, agent } = await offlineShop();
      expect(shop.mode).toBe('offline');
      expect((await agent.get('/')).text).toContain('Your saved cards');
      expect((await agent.get('/api/me')).body).toEqual({ mode: 'offline', customerId: null, cards: null });

      expect((await agent.post('/login')).status).toBe(200);
      expect((await agent.get('/api/me')).body).toEqual({
        mode: 'offline',
        customerId: DEMO_CUSTOMER,
        cards: DEMO_CARDS,
      });

      const deleted = await agent
        .post('/juspay/cards/delete')
        .set(json)
        .send({ card_reference: DEMO_CARDS[0] });
      expect(deleted.status).toBe(200);
      expect(deleted.body).toEqual({ status: 'SUCCESS' });
      expect(shop.fake.cards(DEMO_CUSTOMER)).toEqual(DEMO_CARDS.slice(1));

      const again = await agent
        .post('/juspay/cards/delete')
        .set(json)
        .send({ card_reference: DEMO_CARDS[0] });
      expect(again.status).toBe(400);
      expect(again.body).toEqual({
        error: { code: 'INVALID_REQUEST', message: 'card_reference or customer_id is invalid' },
      });

      await agent.post('/logout');
      const signedOut = await agent
        .post('/juspay/cards/delete')
        .set(json)
        .send({ card_reference: DEMO_CARDS[1] });
      expect(signedOut.status).toBe(401);
      expect((signedOut.body as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
      expect(shop.fake.cards(DEMO_CUSTOMER)).toEqual(DEMO_CARDS.slice(1));
    });

    it('removes all cards through the merchant route, which calls deleteToken()', async () => {
      const { shop, agent } = await offlineShop();
      const anonymous = await agent
        .post('/api/cards/remove-all')
        .set(json)
        .send({ card_references: DEMO_CARDS });
      expect(anonymous.status).toBe(401);
      await agent.post('/login');
      const res = await agent
        .post('/api/cards/remove-all')
        .set(json)
        .send({ card_references: [...DEMO_CARDS, 'card_ref_unknown'] });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        deleted: DEMO_CARDS,
        failed: [
          {
            cardReference: 'card_ref_unknown',
            code: 'INVALID_REQUEST',
            message: 'card_reference or customer_id is invalid',
          },
        ],
      });
      expect(shop.fake.cards(DEMO_CUSTOMER)).toEqual([]);
      expect((await agent.post('/api/cards/remove-all').set(json).send({})).status).toBe(400);
    });

    it('refuses a cross-site delete', async () => {
      const { shop, agent } = await offlineShop();
      await agent.post('/login');
      const res = await agent
        .post('/juspay/cards/delete')
        .set(json)
        .set('origin', 'https://evil.example')
        .send({ card_reference: DEMO_CARDS[0] });
      expect(res.status).toBe(403);
      expect(shop.fake.cards(DEMO_CUSTOMER)).toEqual(DEMO_CARDS);
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
    ] as const)('names the fix for a bad setting', (env, message) => {
      expect(() => readSettings(env)).toThrow(message);
    });

    it('names the fix for a plain-http JUSPAY_BASE_URL', async () => {
      await expect(
        createShop(readSettings({ JUSPAY_API_KEY: 'k', JUSPAY_BASE_URL: 'http://api.example.com' })),
      ).rejects.toThrow(/baseUrl" must use https:/);
    });
  });
}
