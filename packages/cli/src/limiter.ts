/**
 * Pacing: at most `rate` attempts started in any one-second window, and a pause of every
 * start when the server asks for one (`Retry-After`). Every attempt, retries included,
 * takes its turn here, because the command retries itself (the client runs with
 * `maxRetries: 0`): the client's own retries would start attempts this limiter never sees.
 */
import { setTimeout as delay } from 'node:timers/promises';

/**
 * Added to the one-second window: the server sees arrivals, not starts, and a busy
 * event loop on either side bunches them up. A window this much longer keeps any one
 * second of arrivals within the budget, at the cost of about 3 % of it.
 */
export const WINDOW_MARGIN_MS = 30;
/** How late a timer may wake, and how early a turn may be taken; within the margin above. */
const TIMER_LATENESS_MS = 4;
const TIMER_RESOLUTION_MS = 2;

export class StartLimiter {
  /** Starts allowed per window. */
  readonly #perWindow: number;
  readonly #windowMs: number;
  /** The times of the last `#perWindow` starts, oldest first. */
  readonly #starts: number[] = [];
  #pausedUntil = 0;
  #queue: Promise<unknown> = Promise.resolve();

  /** @param rate Attempts per second; below 1, one attempt per `1 / rate` seconds. */
  constructor(rate: number) {
    this.#perWindow = rate >= 1 ? Math.floor(rate) : 1;
    this.#windowMs = (rate >= 1 ? 1000 : 1000 / rate) + WINDOW_MARGIN_MS;
  }

  /** No start before `ms` from now (a `Retry-After`). */
  pauseFor(ms: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, performance.now() + ms);
  }

  /**
   * Waits for a turn to start an attempt, in arrival order. Resolves `false`, without a
   * turn, when `signal` aborts first.
   */
  acquire(signal: AbortSignal): Promise<boolean> {
    const turn = this.#queue.then(() => this.#wait(signal));
    this.#queue = turn;
    return turn;
  }

  async #wait(signal: AbortSignal): Promise<boolean> {
    for (;;) {
      if (signal.aborted) return false;
      const now = performance.now();
      const oldest = this.#starts.length < this.#perWindow ? -Infinity : (this.#starts[0] as number);
      const at = Math.max(this.#pausedUntil, oldest + this.#windowMs);
      // A turn due within a timer's resolution is taken now: sleeping for it would cost
      // at least a millisecond per turn, a tenth of the budget at 1,000 a second.
      if (at <= now + TIMER_RESOLUTION_MS) {
        // The turn's due time, not the (timer-late) time it was taken: otherwise every
        // window inherits the last one's lateness and the pace drifts below the budget.
        // A turn taken long after it was due (no demand) counts from now, less a timer's lateness.
        this.#starts.push(Math.max(at, now - TIMER_LATENESS_MS));
        if (this.#starts.length > this.#perWindow) this.#starts.shift();
        return true;
      }
      try {
        await delay(at - now, undefined, { signal });
      } catch {
        return false;
      }
    }
  }
}
