import { JuspayClient, JuspayError, JuspayUnauthenticatedError } from '@juspay-tokens/core';
import { startFakeJuspay } from '@juspay-tokens/core/testing';
import {
  DEMO_CARDS,
  DEMO_CUSTOMER,
  describeCard,
  memoryCardRecords,
  redisCardRecords,
} from './card-records.js';
import { connectRedis } from './redis.js';

/**
 * @typedef {{
 *   fake: import('@juspay-tokens/core/testing').FakeJuspay | undefined,
 *   client: import('@juspay-tokens/core').JuspayClient,
 *   redis: import('redis').RedisClientType | undefined,
 *   records: import('./card-records.js').CardRecords,
 *   mode: 'offline' | 'live',
 *   describe(): string,
 *   close(): Promise<void>,
 * }} OpenShop
 */

/**
 * What a shop needs besides its framework: the Juspay client (against an embedded fake
 * Juspay when offline), the shop's card records (seeded for the demo shopper), and Redis
 * when `REDIS_URL` is set. The Express and Koa examples only wire these into their app.
 *
 * @param {ReturnType<typeof import('./settings.js').readSettings>} settings
 * @param {{ warn(...args: unknown[]): void }} log
 * @returns {Promise<OpenShop>}
 */
export async function openShop(settings, log) {
  const opened = [];
  const close = async () => {
    while (opened.length > 0) await opened.pop()();
  };
  try {
    const fake =
      settings.juspay.mode === 'offline'
        ? await startFakeJuspay({
            apiKey: 'offline_demo_key',
            cards: DEMO_CARDS.map(({ cardReference }) => ({ customerId: DEMO_CUSTOMER, cardReference })),
          })
        : undefined;
    if (fake) opened.push(() => fake.close());
    const { mode: _mode, ...live } = /** @type {any} */ (settings.juspay);
    const client = new JuspayClient(fake ? { apiKey: fake.apiKey, baseUrl: fake.url } : live);
    opened.push(() => client.close());
    const redis = settings.redisUrl ? await connectRedis(settings.redisUrl, log) : undefined;
    // A graceful close while connected; while Redis is down, waiting for it would hang.
    if (redis)
      opened.push(async () => (redis.isReady ? redis.close().catch(() => redis.destroy()) : redis.destroy()));
    const records = redis ? redisCardRecords(redis) : memoryCardRecords();
    // The demo shopper's records match the cards the offline fake starts with. A real
    // shop writes a record when a card is saved at checkout.
    if (fake) await records.seed(DEMO_CUSTOMER, DEMO_CARDS);
    return {
      fake,
      client,
      redis,
      records,
      mode: fake ? 'offline' : 'live',
      describe: () =>
        `${fake ? `Offline mode: no JUSPAY_API_KEY, so a fake Juspay runs in this process (${fake.url})` : `Live mode: talking to Juspay at ${client.baseUrl}`}; sessions and card records ${redis ? `in Redis (${settings.redisUrl})` : 'in memory'}.`,
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/** The demo shopper every sign-in signs in. A real shop checks a password. */
export { DEMO_CUSTOMER } from './card-records.js';

/**
 * What `/api/me` answers: the mode, the signed-in customer, and their cards as the
 * page shows them (from the shop's records).
 */
export async function describeShopper(shop, customerId) {
  return {
    mode: shop.mode,
    customerId: customerId ?? null,
    cards: customerId ? (await shop.records.list(customerId)).map(describeCard) : [],
  };
}

/**
 * "Remove all my saved cards": every card in the shopper's records, through the bound
 * `juspay.deleteToken()` (which refuses cross-site requests itself). A card Juspay no
 * longer knows is gone already; either way its record goes.
 *
 * @param {import('@juspay-tokens/core').JuspayRequestContext} juspay `req.juspay` / `ctx.juspay`
 * @returns {Promise<{ removed: number, failed: number }>}
 * @throws {JuspayError} UNAUTHENTICATED or CROSS_SITE_REQUEST, before anything is sent
 */
export async function removeAllCards(juspay, records, customerId) {
  if (!customerId) throw new JuspayUnauthenticatedError();
  let removed = 0;
  let failed = 0;
  for (const { cardReference } of await records.list(customerId)) {
    try {
      await juspay.deleteToken(cardReference);
    } catch (err) {
      if (
        !(err instanceof JuspayError) ||
        err.code === 'UNAUTHENTICATED' ||
        err.code === 'CROSS_SITE_REQUEST'
      )
        throw err;
      if (err.code !== 'INVALID_REQUEST') {
        failed += 1;
        continue;
      }
    }
    await records.remove(customerId, cardReference);
    removed += 1;
  }
  return { removed, failed };
}

/** The status a refused merchant-route call answers with. */
export function statusOfRefusal(code) {
  return code === 'UNAUTHENTICATED' ? 401 : 403;
}
