/**
 * Waiting for `beforeAttempt` (a shared limiter's turn) before an attempt starts: the
 * call's deadline and its signal run during the wait; the hook's own rejection ends the
 * call. Leaves no timer and no listener behind, and never an unhandled rejection.
 */
import type { BeforeAttempt } from './options.js';

/** The hook resolved; or the deadline passed while it had not. */
export type Turn = 'ready' | 'deadline';

/**
 * Awaits `hook(info)`; settles `'deadline'` once `deadlineAt` (a `performance.now()`
 * time, `Infinity` for none) passes first, rejects with the signal's reason once it
 * aborts first, and with the hook's own error when it throws or rejects.
 */
export async function waitForTurn(
  hook: (attempt: BeforeAttempt) => void | Promise<void>,
  info: BeforeAttempt,
  deadlineAt: number,
): Promise<Turn> {
  const turn = hook(info);
  const { signal } = info;
  if (!(turn instanceof Promise) && typeof (turn as { then?: unknown } | undefined)?.then !== 'function') {
    signal?.throwIfAborted();
    return performance.now() >= deadlineAt ? 'deadline' : 'ready';
  }
  const waiting = Promise.resolve(turn);
  if (deadlineAt === Infinity && signal === undefined) {
    await waiting;
    return 'ready';
  }
  // A hook that settles after the race was decided must not surface as unhandled.
  waiting.catch(() => undefined);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  try {
    return await new Promise<Turn>((resolve, reject) => {
      waiting.then(() => resolve('ready'), reject);
      if (deadlineAt !== Infinity) {
        timer = setTimeout(() => resolve('deadline'), Math.max(0, deadlineAt - performance.now()));
      }
      if (signal !== undefined) {
        onAbort = () => reject(signal.reason as Error);
        if (signal.aborted) onAbort();
        else signal.addEventListener('abort', onAbort, { once: true });
      }
    });
  } finally {
    clearTimeout(timer);
    if (onAbort !== undefined) signal?.removeEventListener('abort', onAbort);
  }
}
