import { randomBytes } from 'node:crypto';

const LIVE_HINTS = ['JUSPAY_ENVIRONMENT', 'JUSPAY_BASE_URL', 'JUSPAY_MERCHANT_ID'];

/** Variables that look like a misspelt JUSPAY_API_KEY (JUSPAY_APIKEY, JUSPAY_KEY, ...). */
function misspeltKeys(env) {
  return Object.keys(env).filter(
    (name) => name !== 'JUSPAY_API_KEY' && /^JUSPAY_?(API_?)?KEY$/i.test(name) && env[name],
  );
}

/**
 * Reads a shop's settings from the environment.
 *
 * - `JUSPAY_API_KEY` set: talk to Juspay (`JUSPAY_ENVIRONMENT` sandbox|production, or
 *   `JUSPAY_BASE_URL`). Unset, with neither of those: run offline against a fake Juspay
 *   in this process. Unset with one of them: an error, never a silent offline run.
 * - `JUSPAY_MERCHANT_ID`: the merchant id the list call sends (live mode).
 * - `REDIS_URL`: keep sessions in that Redis, so several instances can serve one shop.
 *   Unset: in memory.
 * - `SESSION_SECRET`: signs the session cookie; a random one (with a warning) when unset.
 *   Several instances must share one.
 * - `PORT`: default 3000.
 * - `OTEL=console`: print an OpenTelemetry span for every Juspay call. Unset: none.
 *
 * @param {Record<string, string | undefined>} env
 * @returns {{ port: number, sessionSecret: string, redisUrl: string | undefined, otel: 'console' | undefined, warnings: string[],
 *   juspay: { mode: 'offline' } | { mode: 'live', apiKey: string, merchantId?: string, environment?: 'sandbox' | 'production', baseUrl?: string } }}
 */
export function readSettings(env) {
  const warnings = [];
  const port = env.PORT === undefined || env.PORT === '' ? 3000 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a port number from 0 to 65535 (got "${env.PORT}"), e.g. PORT=3001`);
  }
  let sessionSecret = env.SESSION_SECRET;
  if (!sessionSecret) {
    sessionSecret = randomBytes(32).toString('hex');
    warnings.push('SESSION_SECRET is not set: using a random one, so sessions end when the server restarts.');
  }
  const redisUrl = env.REDIS_URL || undefined;
  if (redisUrl !== undefined && !/^rediss?:\/\//.test(redisUrl)) {
    throw new Error('REDIS_URL must be a redis:// or rediss:// URL, e.g. REDIS_URL=redis://127.0.0.1:6379');
  }
  const otel = env.OTEL || undefined;
  if (otel !== undefined && otel !== 'console') {
    throw new Error(
      `OTEL must be "console" (a span per Juspay call on the console) or unset (got "${otel}").`,
    );
  }
  const environment = env.JUSPAY_ENVIRONMENT || undefined;
  if (environment !== undefined && environment !== 'sandbox' && environment !== 'production') {
    throw new Error(
      `JUSPAY_ENVIRONMENT must be "sandbox" or "production" (got "${environment}"), or unset it.`,
    );
  }
  if (!env.JUSPAY_API_KEY) {
    const live = LIVE_HINTS.filter((name) => env[name]);
    const misspelt = misspeltKeys(env);
    if (live.length > 0 || misspelt.length > 0) {
      const found = misspelt.length > 0 ? ` (found ${misspelt.join(', ')}: is it misspelt?)` : '';
      throw new Error(
        `JUSPAY_API_KEY is not set${found}, but ${[...live, ...misspelt].join(' and ')} ask for live Juspay. Set JUSPAY_API_KEY, or unset ${[...live, ...misspelt].join(' and ')} to run the offline demo.`,
      );
    }
    return { port, sessionSecret, redisUrl, otel, warnings, juspay: { mode: 'offline' } };
  }
  return {
    port,
    sessionSecret,
    redisUrl,
    otel,
    warnings,
    juspay: {
      mode: 'live',
      apiKey: env.JUSPAY_API_KEY,
      ...(env.JUSPAY_MERCHANT_ID ? { merchantId: env.JUSPAY_MERCHANT_ID } : {}),
      ...(environment === undefined ? {} : { environment }),
      ...(env.JUSPAY_BASE_URL ? { baseUrl: env.JUSPAY_BASE_URL } : {}),
    },
  };
}
