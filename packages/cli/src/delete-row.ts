/**
 * One row's delete: its attempts, each paced by the limiter, with the client's retry
 * policy (`retryable`) and backoff, one request id for all of them, and the rule that a
 * row whose earlier attempt may have reached Juspay and is now "invalid" is already gone.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { backoffDelayMs, JuspayError, type JuspayClient } from '@juspay-tokens/core';
import type { Journal, OutcomeRecord } from './journal.js';
import type { StartLimiter } from './limiter.js';
import { paramsOf, type InputRow } from './rows.js';

/** Attempts per row in one run; a row still failing ends `failed` and is tried again on a rerun. */
export const MAX_ATTEMPTS = 3;

/** What one row's delete needs from the run. */
export interface RowContext {
  client: JuspayClient;
  limiter: StartLimiter;
  journal: Journal;
  /** Aborts when the run stops starting attempts (a signal, an authentication failure). */
  stopping: AbortSignal;
  /** Called when Juspay rejects the key: the run stops at once. */
  onAuthenticationFailure(): void;
}

/** Statuses whose `Retry-After` pauses every start, not only this row's. */
const PAUSING_STATUSES = new Set([429, 503]);

function retryAfterOf(err: JuspayError): number | undefined {
  const ms = (err as { retryAfterMs?: unknown }).retryAfterMs;
  return typeof ms === 'number' && err.status !== undefined && PAUSING_STATUSES.has(err.status)
    ? ms
    : undefined;
}

function failed(code: string, requestId: string, attempts: number, ambiguous: boolean): OutcomeRecord {
  return { outcome: 'failed', code, requestId, attempts, ambiguous };
}

/**
 * Deletes one row, recording it as started before its first call goes out.
 * @param mayBeGoneBefore An earlier run's call for it may have deleted the card.
 * @returns Its outcome, or `undefined` when the run stopped before its first attempt.
 */
export async function deleteRow(
  row: InputRow,
  mayBeGoneBefore: boolean,
  run: RowContext,
): Promise<OutcomeRecord | undefined> {
  let mayBeGone = mayBeGoneBefore;
  const requestId = randomUUID();
  let lastCode = 'STOPPED';
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    if (!(await run.limiter.acquire(run.stopping))) {
      return attempt === 1 ? undefined : failed(lastCode, requestId, attempt - 1, mayBeGone);
    }
    if (attempt === 1) run.journal.started(row, requestId);
    try {
      const result = await run.client.deleteToken(paramsOf(row), { requestId, maxRetries: 0 });
      return {
        outcome: result.alreadyGone ? 'already_gone' : 'deleted',
        code: undefined,
        requestId,
        attempts: attempt,
      };
    } catch (err) {
      if (!(err instanceof JuspayError)) throw err;
      lastCode = err.code;
      if (err.code === 'INVALID_REQUEST') {
        const outcome = mayBeGone ? 'already_gone' : 'invalid_request';
        return { outcome, code: mayBeGone ? undefined : err.code, requestId, attempts: attempt };
      }
      if (err.code === 'AUTHENTICATION_FAILED') {
        run.onAuthenticationFailure();
        return failed(err.code, requestId, attempt, mayBeGone);
      }
      mayBeGone ||= err.ambiguous;
      if (!err.retryable || attempt === MAX_ATTEMPTS) return failed(err.code, requestId, attempt, mayBeGone);
      const retryAfterMs = retryAfterOf(err);
      if (retryAfterMs !== undefined) run.limiter.pauseFor(retryAfterMs);
      else await delay(backoffDelayMs(attempt), undefined, { signal: run.stopping }).catch(() => {});
    }
  }
  return failed(lastCode, requestId, MAX_ATTEMPTS, mayBeGone);
}
