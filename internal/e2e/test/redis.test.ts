// Several instances of one shop on a real redis-server and one `juspay-tokens fake-juspay`
// (a standalone fake Juspay, named by JUSPAY_BASE_URL): sessions are shared, so a shopper
// signed in through one instance lists and deletes through another and signs out
// everywhere at once. With Redis gone, or stopped answering, the shops answer 503 within
// 3 s (no crash, no hang) and recover when it is back.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_CARDS } from '@juspay-tokens/example-shop-kit/demo';
import { afterEach, describe, expect, it } from 'vitest';
import { EXAMPLES, startFakeJuspayCommand, startRedis, startShop, type RunningShop } from './helpers.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

/** A browser-like cookie jar over fetch, shared by requests to every instance. */
function shopper() {
  let cookie = '';
  const send = async (url: string, method = 'GET', body?: unknown) => {
    const res = await fetch(url, {
      method,
      headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(5_000),
    });
    const set = res.headers.getSetCookie();
    if (set.length > 0) {
      const jar = new Map(
        cookie
          .split('; ')
          .filter(Boolean)
          .map((c) => [c.split('=')[0], c]),
      );
      for (const line of set) {
        const pair = line.split(';')[0] ?? '';
        jar.set(pair.split('=')[0], pair);
      }
      cookie = [...jar.values()].join('; ');
    }
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : null };
  };
  return { send };
}

const cardsOf = (listed: { body: Record<string, unknown> | null }) =>
  (listed.body?.cards as { last4: string }[]).map((card) => card.last4);

/** One standalone fake Juspay holding the demo cards, and the environment that names it. */
async function sharedFake(): Promise<Record<string, string>> {
  const cards = join(mkdtempSync(join(tmpdir(), 'juspay-e2e-')), 'cards.json');
  writeFileSync(cards, JSON.stringify(DEMO_CARDS));
  const fake = await startFakeJuspayCommand([
    '--api-key',
    'e2e_fake_key',
    '--merchant-id',
    'e2e_shop',
    '--cards',
    cards,
  ]);
  cleanups.push(() => fake.stop());
  return { JUSPAY_API_KEY: 'e2e_fake_key', JUSPAY_BASE_URL: fake.url, JUSPAY_MERCHANT_ID: 'e2e_shop' };
}

for (const [name, create] of Object.entries(EXAMPLES)) {
  describe(`${name} example, two instances on one Redis`, () => {
    async function twoInstances() {
      const juspay = await sharedFake();
      const redis = await startRedis();
      cleanups.push(() => redis.stop());
      const instances: RunningShop[] = [];
      for (let i = 0; i < 2; i++) {
        const shop = await startShop(create, { REDIS_URL: redis.url, ...juspay });
        cleanups.push(() => shop.close());
        instances.push(shop);
      }
      return { redis, a: instances[0] as RunningShop, b: instances[1] as RunningShop };
    }

    it('shares sessions and one fake Juspay: sign in on one, list and delete on the other, sign out everywhere', async () => {
      const { a, b } = await twoInstances();
      const browser = shopper();
      expect((await browser.send(`${a.url}/login`, 'POST')).status).toBe(200);
      expect(cardsOf(await browser.send(`${b.url}/juspay/cards`))).toEqual(['5454', '6521', '4242']);
      const deleted = await browser.send(`${b.url}/juspay/cards/delete`, 'POST', {
        card_reference: 'card_ref_visa_4242',
      });
      expect(deleted).toEqual({ status: 200, body: { status: 'SUCCESS' } });
      expect(cardsOf(await browser.send(`${a.url}/juspay/cards`))).toEqual(['5454', '6521']);
      expect((await browser.send(`${a.url}/logout`, 'POST')).status).toBe(204);
      expect((await browser.send(`${b.url}/api/me`)).body?.customerId).toBeNull();
      const refused = await browser.send(`${b.url}/juspay/cards/delete`, 'POST', {
        card_reference: 'card_ref_rupay_6521',
      });
      expect(refused.status).toBe(401);
    });

    it('answers 503 without Redis, neither crashing nor hanging, and recovers when it is back', async () => {
      const { redis, a, b } = await twoInstances();
      const browser = shopper();
      expect((await browser.send(`${a.url}/login`, 'POST')).status).toBe(200);
      await redis.stop();
      for (const shop of [a, b]) {
        const started = performance.now();
        const down = await browser.send(`${shop.url}/api/me`);
        expect(down.status).toBe(503);
        expect((down.body?.error as { code: string }).code).toBe('SERVICE_UNAVAILABLE');
        expect(performance.now() - started).toBeLessThan(3_000);
        const deleting = await browser.send(`${shop.url}/juspay/cards/delete`, 'POST', {
          card_reference: 'card_ref_visa_4242',
        });
        expect(deleting.status).toBeGreaterThanOrEqual(500);
      }
      const back = await startRedis(redis);
      cleanups.push(() => back.stop());
      // Redis kept its data: the shopper is still signed in, on both instances.
      await expect
        .poll(async () => (await browser.send(`${b.url}/api/me`)).status, { timeout: 10_000, interval: 200 })
        .toBe(200);
      expect((await browser.send(`${a.url}/api/me`)).body?.customerId).toBe('demo_customer');
      expect(cardsOf(await browser.send(`${b.url}/juspay/cards`))).toEqual(['5454', '6521', '4242']);
    });

    it('answers 503 within 3 s while Redis stops answering, and recovers when it answers again', async () => {
      const { redis, a } = await twoInstances();
      const browser = shopper();
      expect((await browser.send(`${a.url}/login`, 'POST')).status).toBe(200);
      redis.pause();
      try {
        for (const path of ['/api/me', '/juspay/cards']) {
          const started = performance.now();
          const stalled = await browser.send(`${a.url}${path}`);
          expect(stalled.status, path).toBe(503);
          expect(performance.now() - started, path).toBeLessThan(3_000);
        }
      } finally {
        redis.resume();
      }
      await expect
        .poll(async () => (await browser.send(`${a.url}/juspay/cards`)).status, {
          timeout: 10_000,
          interval: 200,
        })
        .toBe(200);
      expect(cardsOf(await browser.send(`${a.url}/juspay/cards`))).toEqual(['5454', '6521', '4242']);
    });
  });
}
