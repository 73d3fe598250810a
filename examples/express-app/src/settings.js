import { randomBytes } from 'node:crypto';

/**
 * Reads the shop's settings from the environment.
 *
 * - `JUSPAY_API_KEY` set: talk to Juspay (`JUSPAY_ENVIRONMENT` sandbox|production, or
 *   `JUSPAY_BASE_URL`). Unset: run offline against a fake Juspay in this process.
 * - `SESSION_SECRET`: signs the session cookie; a random one is made (with a warning) when unset.
 * - `PORT`: default 3000.
 *
 * @param {Record<string, string | undefined>} env
 * @returns {{ port: number, sessionSecret: string, warnings: string[],
 *   juspay: { mode: 'offline' } | { mode: 'live', apiKey: string, environment?: 'sandbox' | 'production', baseUrl?: string } }}
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
  const environment = env.JUSPAY_ENVIRONMENT || undefined;
  if (environment !== undefined && environment !== 'sandbox' && environment !== 'production') {
    throw new Error(
      `JUSPAY_ENVIRONMENT must be "sandbox" or "production" (got "${environment}"), or unset it.`,
    );
  }
  if (!env.JUSPAY_API_KEY) {
    if (environment !== undefined || env.JUSPAY_BASE_URL) {
      warnings.push(
        'JUSPAY_ENVIRONMENT / JUSPAY_BASE_URL are ignored without JUSPAY_API_KEY: running offline.',
      );
    }
    return { port, sessionSecret, warnings, juspay: { mode: 'offline' } };
  }
  return {
    port,
    sessionSecret,
    warnings,
    juspay: {
      mode: 'live',
      apiKey: env.JUSPAY_API_KEY,
      ...(environment === undefined ? {} : { environment }),
      ...(env.JUSPAY_BASE_URL ? { baseUrl: env.JUSPAY_BASE_URL } : {}),
    },
  };
}
