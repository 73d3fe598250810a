import { createClient } from 'redis';

/** How long one Redis command may take before the request it serves answers 503. */
const COMMAND_TIMEOUT_MS = 1_500;

/** Settles as `promise` does, or rejects once `ms` have passed; leaves no timer behind. */
function within(promise, ms) {
  let timer;
  const late = new Promise((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/**
 * The client with every command bounded in time. node-redis times a command out only
 * while it waits to be written; one already written to a server that stopped answering
 * (paused, overloaded, a network that drops packets) would wait forever. Its reply,
 * when it comes, still lands in order and is ignored.
 */
function bounded(client) {
  return new Proxy(client, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      return (...args) => {
        const result = value.apply(target, args);
        return typeof result?.then === 'function' ? within(result, COMMAND_TIMEOUT_MS) : result;
      };
    },
  });
}

/**
 * Connects to Redis for sessions. Commands fail at once while the connection is down
 * (no offline queue), and within 1.5 s when Redis stops answering on a live connection:
 * a request answers 503 rather than hang. The client keeps reconnecting in the
 * background.
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
  return /** @type {import('redis').RedisClientType} */ (/** @type {unknown} */ (bounded(client)));
}
