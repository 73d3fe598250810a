/**
 * What a failed client attempt does to its job: the one place that maps the client's
 * verdict (its error class, `retryable`, `retryAfterMs`) onto BullMQ's mechanisms, so
 * that the client's retry policy stays the only one.
 */
import {
  JuspayAuthenticationError,
  JuspayError,
  JuspayRateLimitError,
  JuspayServerError,
} from '@juspay-tokens/core';

/** Node's longest timer; a longer `Retry-After` pauses the queue this long. */
const MAX_PAUSE_MS = 2 ** 31 - 1;

/** What the worker does with a failed attempt. */
export type FailureAction =
  /** Juspay rejected the key: this worker pauses; the job waits for a worker with a good key. */
  | { kind: 'pause-worker' }
  /** A `Retry-After` came with a retryable answer: every worker of the queue waits `ms`. */
  | { kind: 'pause-queue'; ms: number }
  /** Not retryable (a 501, a bad answer, bad job data): the job fails at once. */
  | { kind: 'give-up'; reason: string }
  /** Retryable: the job is tried again after BullMQ's backoff. */
  | { kind: 'retry' };

/** Decides what a failed attempt does; `INVALID_REQUEST` is the caller's, as it completes the job. */
export function failureAction(err: unknown): FailureAction {
  if (err instanceof JuspayAuthenticationError) return { kind: 'pause-worker' };
  if (!(err instanceof JuspayError)) {
    // A TypeError from the client (no merchantId for a listing) will not mend on retry.
    if (err instanceof TypeError) return { kind: 'give-up', reason: err.message };
    return { kind: 'retry' };
  }
  if (!err.retryable) return { kind: 'give-up', reason: `${err.code}: ${err.message}` };
  const retryAfterMs =
    err instanceof JuspayRateLimitError || err instanceof JuspayServerError ? err.retryAfterMs : undefined;
  if (retryAfterMs !== undefined) return { kind: 'pause-queue', ms: Math.min(MAX_PAUSE_MS, retryAfterMs) };
  return { kind: 'retry' };
}

/** Whether an attempt's answer was lost, so the card may be gone already. */
export function wasAmbiguous(err: unknown): boolean {
  return err instanceof JuspayError && err.ambiguous;
}
