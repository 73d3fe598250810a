/**
 * The environment: the API key (only from `JUSPAY_API_KEY`, never a flag), the
 * environment or base URL, and the host they point at, for the plan and the prompt.
 */
import {
  checkClientOptions,
  ENVIRONMENT_BASE_URLS,
  JuspayOptionError,
  type JuspayClientOptions,
} from '@juspay-tokens/core';

/** A configuration the command cannot run with; the message names the fix. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Where calls go, and with what. */
export interface Target {
  /** The host calls go to, e.g. `api.juspay.in`. */
  host: string;
  /** The client options, without the key when none is needed (a dry run). */
  clientOptions: Omit<JuspayClientOptions, 'apiKey'> & { apiKey?: string };
}

/** The environment variable each client option is read from. */
const VARIABLE_OF: Readonly<Record<string, string>> = {
  apiKey: 'JUSPAY_API_KEY',
  baseUrl: 'JUSPAY_BASE_URL',
  environment: 'JUSPAY_ENVIRONMENT',
  merchantId: 'JUSPAY_MERCHANT_ID',
};

function environmentOf(raw: string | undefined): 'sandbox' | 'production' | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (raw === 'sandbox' || raw === 'production') return raw;
  // Never echoed: a misplaced variable may hold the key.
  throw new ConfigError('JUSPAY_ENVIRONMENT must be "sandbox" or "production" (or unset for sandbox)');
}

/**
 * Reads the environment.
 * @param needKey Whether the run sends anything (not a dry run).
 * @param needMerchant Whether it lists cards (`erase-customers`, not a dry run).
 * @throws {ConfigError} naming the variable and the fix.
 */
export function targetFromEnv(env: NodeJS.ProcessEnv, needKey: boolean, needMerchant = false): Target {
  const environment = environmentOf(env.JUSPAY_ENVIRONMENT);
  const baseUrl = env.JUSPAY_BASE_URL === '' ? undefined : env.JUSPAY_BASE_URL;
  const apiKey = env.JUSPAY_API_KEY === '' ? undefined : env.JUSPAY_API_KEY;
  const merchantId = env.JUSPAY_MERCHANT_ID === '' ? undefined : env.JUSPAY_MERCHANT_ID;
  if (needKey && apiKey === undefined) {
    throw new ConfigError(
      'Set JUSPAY_API_KEY to your Juspay API key (it is read only from the environment, never from a flag), or use --dry-run',
    );
  }
  if (needMerchant && merchantId === undefined) {
    throw new ConfigError(
      "Set JUSPAY_MERCHANT_ID to your Juspay merchant id (from Juspay's dashboard): listing a customer's cards needs it, or use --dry-run",
    );
  }
  const clientOptions = { environment, baseUrl, ...(merchantId === undefined ? {} : { merchantId }) };
  try {
    // The client's own checks: https only (loopback aside), a valid key, ...
    checkClientOptions({ apiKey: apiKey ?? 'dry_run', ...clientOptions });
  } catch (err) {
    if (!(err instanceof JuspayOptionError)) throw err;
    throw new ConfigError(`${VARIABLE_OF[err.option] ?? err.option} ${err.problem}`);
  }
  const base = baseUrl ?? ENVIRONMENT_BASE_URLS[environment ?? 'sandbox'];
  return { host: new URL(base).host, clientOptions: { ...clientOptions, apiKey } };
}
