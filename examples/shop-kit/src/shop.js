import { JuspayClient, JuspayError } from '@juspay-tokens/core';
import { startFakeJuspay } from '@juspay-tokens/core/testing';
import { DEMO_CARDS, DEMO_MERCHANT } from './demo.js';
import { connectRedis } from './redis.js';

/**
 * @typedef {{ warn(...args: unknown[]): void, info?: (...args: unknown[]) => void }} ShopLog
 * @typedef {{
 *   fake: import('@juspay-tokens/core/testing').FakeJuspay | undefined,
 *   client: import('@juspay-tokens/core').JuspayClient,
 *   redis: import('redis').RedisClientType | undefined,
 *   mode: 'offline' | 'live',
 *   audit: (deleted: import('@juspay-tokens/core').DeletedCard) => void,
 *   describe(): string,
 *   close(): Promise<void>,
 * }} OpenShop
 */

/**
 * What a shop needs besides its framework: the Juspay client (against an embedded fake
 * Juspay holding the demo cards when offline), Redis for sessions when `REDIS_URL` is
 * set, and the audit line every deletion writes. The shop keeps no card records of its
 * own: the page lists the shopper's cards from Juspay through the list route.
 *
 * @param {ReturnType<typeof import('./settings.js').readSettings>} settings
 * @param {ShopLog} log
 * @param {{ sessions?: string }} [options] where sessions live, when the shop keeps them
 *   itself (the Next.js shop: in a sealed cookie); then `REDIS_URL` is not used
 * @returns {Promise<OpenShop>}
 */
export async function openShop(settings, log, options = {}) {
  const opened = [];
  const close = async () => {
    while (opened.length > 0) await opened.pop()();
  };
  try {
    if (settings.otel === 'console') {
      const { startTelemetry } = await import('./telemetry.js');
      opened.push(startTelemetry());
    }
    const fake =
      settings.juspay.mode === 'offline'
        ? await startFakeJuspay({ apiKey: 'offline_demo_key', merchantId: DEMO_MERCHANT, cards: DEMO_CARDS })
        : undefined;
    if (fake) opened.push(() => fake.close());
    const { mode: _mode, ...live } = /** @type {any} */ (settings.juspay);
    const client = new JuspayClient(
      fake ? { apiKey: fake.apiKey, baseUrl: fake.url, merchantId: DEMO_MERCHANT } : live,
    );
    opened.push(() => client.close());
    const redis =
      settings.redisUrl && options.sessions === undefined
        ? await connectRedis(settings.redisUrl, log)
        : undefined;
    // A graceful close while connected; while Redis is down, waiting for it would hang.
    if (redis)
      opened.push(async () => (redis.isReady ? redis.close().catch(() => redis.destroy()) : redis.destroy()));
    return {
      fake,
      client,
      redis,
      mode: fake ? 'offline' : 'live',
      audit: (deleted) => (log.info ?? console.info)(auditLine(deleted)),
      describe: () =>
        `${fake ? `Offline mode: no JUSPAY_API_KEY, so a fake Juspay runs in this process (${fake.url})` : `Live mode: talking to Juspay at ${client.baseUrl}`}; sessions ${options.sessions ?? (redis ? `in Redis (${settings.redisUrl})` : 'in memory')}${settings.otel ? '; a span per Juspay call on the console (OTEL=console)' : ''}.`,
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * One line of the processing log a data-protection audit asks for: who, which card,
 * when, and Juspay's request id to trace it. Never the key, never card details.
 *
 * @param {import('@juspay-tokens/core').DeletedCard} deleted
 */
export function auditLine(deleted) {
  return JSON.stringify({
    audit: 'card_deleted',
    at: new Date().toISOString(),
    customerId: deleted.customerId,
    cardReference: deleted.cardReference,
    requestId: deleted.requestId,
    alreadyGone: deleted.alreadyGone,
  });
}

export { DEMO_CUSTOMER } from './demo.js';

/** What `/api/me` answers: the mode and the signed-in customer (the cards come from the list route). */
export function describeShopper(shop, customerId) {
  return { mode: shop.mode, customerId: customerId ?? null };
}

/**
 * "Remove all my saved cards": every card Juspay lists for the shopper, through the
 * bound `juspay.listCards()` and `juspay.deleteToken()` (which refuses cross-site
 * requests itself). A card Juspay no longer knows is gone already.
 *
 * @param {import('@juspay-tokens/core').JuspayRequestContext} juspay `req.juspay` / `ctx.juspay`
 * @param {string | undefined} customerId the signed-in customer, for the audit lines
 * @param {(deleted: import('@juspay-tokens/core').DeletedCard) => void} audit
 * @returns {Promise<{ removed: number, failed: number }>}
 * @throws {JuspayError} UNAUTHENTICATED or CROSS_SITE_REQUEST before anything is deleted,
 *   or the list's own failure
 */
export async function removeAllCards(juspay, customerId, audit) {
  const { cards } = await juspay.listCards();
  let removed = 0;
  let failed = 0;
  for (const { cardReference } of cards) {
    try {
      const { requestId, alreadyGone } = await juspay.deleteToken(cardReference);
      audit({ cardReference, customerId: customerId ?? '', requestId, alreadyGone });
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
    removed += 1;
  }
  return { removed, failed };
}
