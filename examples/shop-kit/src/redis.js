import { createClient } from 'redis';

/**
 * Connects to Redis for sessions and card records. Commands fail at once while the
 * connection is down (no offline queue: a request answers 503 rather than hang), and the
 * client keeps reconnecting in the background.
 *
 * @param {string} url
 * @param {{ warn(...args: unknown[]): void }} log
 * @returns {Promise<import('redis').RedisClientType>}
 */
export async function connectRedis(url, log) {
  let lastWarning = 0;
  const client = createClient({
    url,
    disableOfflineQueue: true,
    socket: { connectTimeout: 2_000, reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2_000) },
  });
  client.on('error', (err) => {
    // An 'error' listener is what keeps a lost connection from crashing the process.
    if (Date.now() - lastWarning > 5_000) log.warn('[redis]', err.message || err.code || String(err));
    lastWarning = Date.now();
  });
  await client.connect();
  return /** @type {import('redis').RedisClientType} */ (/** @type {unknown} */ (client));
}
