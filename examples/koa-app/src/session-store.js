/**
 * A koa-session external store in Redis, so that several instances share sessions.
 *
 * @param {import('redis').RedisClientType} redis
 * @param {string} [prefix]
 */
export function redisSessionStore(redis, prefix = 'shop:sess:') {
  const DAY = 86_400_000;
  return {
    async get(key) {
      const text = await redis.get(prefix + key);
      return text === null ? undefined : JSON.parse(text);
    },
    async set(key, session, maxAge) {
      await redis.set(prefix + key, JSON.stringify(session), {
        PX: typeof maxAge === 'number' ? maxAge : DAY,
      });
    },
    async destroy(key) {
      await redis.del(prefix + key);
    },
  };
}
