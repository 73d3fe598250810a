/**
 * One row's delete, through the client's own retries (its policy is the only one): every
 * attempt is paced by the run's limiter through `beforeAttempt`, the row is recorded as
 * started before its first attempt goes out, and a row an earlier run may have deleted
 * is sent with `mayAlreadyBeGone`.
 */
import { randomUUID } from 'node:crypto';
import { JuspayError, type BeforeAttempt, type JuspayClient } from '@juspay-tokens/core';
import type { Journal } from './journal.js';
import type { OutcomeRecord } from './outcomes.js';
import type { StartLimiter } from './limiter.js';
import { paramsOf, type InputRow } from './rows.js';

/** What one row's delete needs from the run. */
export interface RowContext {
  client: JuspayClient;
  /** Called when Juspay rejects the key: the run stops at once. */
  onAuthenticationFailure(): void;
  /** The rows whose calls are in flight, by request id, for `beforeAttempt`. */
  inFlight: Map<string, InFlightRow>;
}

/** A row whose call is in flight, as the pacing hook sees it. */
export interface InFlightRow {
  row: InputRow;
  /** Set once its first attempt was recorded as started. */
  started: boolean;
  /** Attempts made before the one waiting for its turn. */
  attempted: number;
  /** The code of its last failed attempt (from the client's `error` event). */
  lastCode: string | undefined;
}

/** The reason a call ends when the run stopped before its next attempt. */
export class RunStopped extends Error {
  override name = 'RunStopped';
}

/**
 * The client's `beforeAttempt` for a run: a `Retry-After` pauses every start, each
 * attempt waits its turn, and a row's first attempt is journaled as started before it
 * goes out. A stopped run starts nothing more.
 */
export function pacedAttempts(
  limiter: StartLimiter,
  journal: Journal,
  inFlight: Map<string, InFlightRow>,
  stopping: AbortSignal,
): (attempt: BeforeAttempt) => Promise<void> {
  return async ({ requestId, attempt, retryAfterMs }) => {
    const entry = inFlight.get(requestId);
    if (entry !== undefined) entry.attempted = attempt - 1;
    if (retryAfterMs !== undefined) limiter.pauseFor(retryAfterMs);
    if (!(await limiter.acquire(stopping))) throw new RunStopped('the run stopped');
    if (entry !== undefined && !entry.started) {
      journal.started(entry.row, requestId);
      entry.started = true;
    }
  };
}

/**
 * Deletes one row.
 * @param mayBeGoneBefore An earlier run's call for it may have deleted the card.
 * @returns Its outcome, or `undefined` when the run stopped before its first attempt.
 */
export async function deleteRow(
  row: InputRow,
  mayBeGoneBefore: boolean,
  run: RowContext,
): Promise<OutcomeRecord | undefined> {
  const requestId = randomUUID();
  const entry: InFlightRow = { row, started: false, attempted: 0, lastCode: undefined };
  run.inFlight.set(requestId, entry);
  try {
    const result = await run.client.deleteToken(paramsOf(row), {
      requestId,
      mayAlreadyBeGone: mayBeGoneBefore,
    });
    const outcome = result.alreadyGone ? 'already_gone' : 'deleted';
    return { outcome, code: undefined, requestId, attempts: result.attempts };
  } catch (err) {
    if (err instanceof RunStopped) {
      // Stopped between attempts: an earlier attempt's answer may have been lost, so a
      // rerun sends it with mayAlreadyBeGone.
      if (!entry.started) return undefined;
      const stopped = failed(entry.lastCode ?? 'STOPPED', requestId, entry.attempted, true);
      return { ...stopped, reason: 'the run stopped before the call was retried' };
    }
    if (!(err instanceof JuspayError)) throw err;
    const attempts = err.attempts;
    const reason = err.message;
    if (err.code === 'INVALID_REQUEST') {
      return { outcome: 'invalid_request', code: err.code, reason, requestId, attempts };
    }
    if (err.code === 'AUTHENTICATION_FAILED') run.onAuthenticationFailure();
    return { ...failed(err.code, requestId, attempts, mayBeGoneBefore || err.ambiguous), reason };
  } finally {
    run.inFlight.delete(requestId);
  }
}

function failed(code: string, requestId: string, attempts: number, ambiguous: boolean): OutcomeRecord {
  return { outcome: 'failed', code, requestId, attempts, ambiguous };
}
