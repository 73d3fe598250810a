/**
 * The retry policy, in one place: what is retried, how long to wait, and how a
 * `Retry-After` header is read.
 */

import type { JuspayErrorCode } from './errors.js';
import type { JuspayOperation } from './events.js';

/** HTTP statuses worth another attempt. */
const RETRYABLE_STATUSES = new Set([429, 500, 502, 503, 504]);

/**
 * Whether an attempt's outcome is worth another attempt: what every error's `retryable`
 * says, and what the client's retry loop follows.
 *
 * Timeouts and network errors are retried. For a delete, once a response arrived its
 * status decides alone (429, 500, 502, 503, 504), even if its body then stalled or
 * broke: so a 2xx is never retried (the card may be gone), and neither is a 501. A list
 * is a read, so an answer whose body stalled or broke is asked for again whatever its
 * status.
 *
 * @param code The attempt's error code.
 * @param status The HTTP status of the attempt's response, if headers arrived.
 * @param operation The call the attempt belongs to; default `deleteToken`.
 */
export function isRetryable(
  code: JuspayErrorCode,
  status: number | undefined,
  operation: JuspayOperation = 'deleteToken',
): boolean {
  const lost = code === 'TIMEOUT' || code === 'NETWORK_ERROR';
  if (status === undefined) return lost;
  if (lost && operation === 'listCards') return true;
  return RETRYABLE_STATUSES.has(status);
}

const BASE_DELAY_MS = 250;
const MAX_DELAY_MS = 2_000;

/**
 * The wait after failed attempt `attempt` (1-based): about 250 ms, 500 ms, 1 s, then
 * 2 s, each spread by +-20 % so that many clients do not retry in step. The client's own
 * backoff, exported for tools that retry themselves (the bulk deletion command).
 */
export function backoffDelayMs(attempt: number, random: () => number = Math.random): number {
  const exponential = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempt - 1));
  const jittered = exponential * (0.8 + 0.4 * random());
  return Math.round(Math.min(MAX_DELAY_MS, jittered));
}

/**
 * Reads a `Retry-After` header: delay-seconds or an HTTP date. Returns milliseconds
 * from `now`, or `undefined` when absent or unreadable.
 */
export function parseRetryAfterMs(
  value: string | string[] | undefined,
  now = Date.now(),
): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined) return undefined;
  const text = raw.trim();
  if (/^\d+$/.test(text)) {
    const seconds = Number(text);
    return Number.isSafeInteger(seconds) ? seconds * 1000 : undefined;
  }
  // Only the IMF-fixdate family: Date.parse accepts far more than HTTP allows.
  if (!/^[A-Za-z]{3},? /.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}
