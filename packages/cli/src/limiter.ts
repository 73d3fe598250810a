/**
 * Pacing: attempt starts spaced evenly, one every `1000 / rate` ms (a little more, for
 * the margin below), never bunched when a window opens and never caught up after a stall
 * of the event loop or the server (a limiter that catches up bursts). The client calls
 * it before every attempt, retries included (`beforeAttempt`); a `Retry-After` pauses
 * every start. Waits are capped at Node's longest timer, so a long pause or a tiny rate
 * waits without spinning or warnings.
 */

/**
 * Added to each start's spacing: the server sees arrivals, not starts, and a busy event
 * loop on either side bunches them up; 3 % of the budget keeps any one second of
 * arrivals within it.
 */
export const SPACING_MARGIN = 0.03;
/**
 * How late a timer may wake and still have its turn counted from when it was due: the
 * pace does not drift below the budget, and at most this much is ever caught up.
 */
const TIMER_LATENESS_MS = 5;
/**
 * The first start of a run reaches the server later than the next ones (a cold process,
 * a new connection: about 35 ms seen on a loaded machine), which would squeeze the first
 * second of arrivals: the second start is due this much later. Paid once per run.
 */
const FIRST_START_LAG_MS = 60;
/** Node's longest timer (about 24.8 days); a longer wait is taken in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Waiter {
  resolve(turn: boolean): void;
  signal: AbortSignal;
  onAbort: () => void;
}

export class StartLimiter {
  readonly #spacingMs: number;
  /** When the next start is due (performance.now() time). */
  #due = -Infinity;
  #pausedUntil = 0;
  readonly #waiters: Waiter[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** @param rate Attempts per second (any positive number). */
  constructor(rate: number) {
    this.#spacingMs = (1000 / rate) * (1 + SPACING_MARGIN);
  }

  /** No start before `ms` from now (a `Retry-After`). */
  pauseFor(ms: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, performance.now() + ms);
    this.#schedule();
  }

  /**
   * Waits for a turn to start an attempt, in arrival order. Resolves `false`, without a
   * turn, when `signal` aborts first.
   */
  acquire(signal: AbortSignal): Promise<boolean> {
    if (signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        resolve,
        signal,
        onAbort: () => {
          const at = this.#waiters.indexOf(waiter);
          if (at !== -1) this.#waiters.splice(at, 1);
          // The timer is for the first waiter: with none left it must not keep the
          // process alive (a 24-day step at a tiny rate).
          this.#schedule();
          resolve(false);
        },
      };
      signal.addEventListener('abort', waiter.onAbort, { once: true });
      this.#waiters.push(waiter);
      this.#grant();
    });
  }

  /** Gives every turn that is due, then sleeps until the next one. */
  #grant(): void {
    for (;;) {
      const waiter = this.#waiters[0];
      if (waiter === undefined) return;
      const now = performance.now();
      const at = Math.max(this.#due, this.#pausedUntil);
      if (now < at) {
        this.#schedule();
        return;
      }
      this.#waiters.shift();
      waiter.signal.removeEventListener('abort', waiter.onAbort);
      // Counted from when it was due, unless it was taken much later (no demand, a
      // stall): then from now, so nothing is caught up.
      const first = this.#due === -Infinity;
      this.#due = Math.max(at, now - TIMER_LATENESS_MS) + this.#spacingMs + (first ? FIRST_START_LAG_MS : 0);
      waiter.resolve(true);
    }
  }

  #schedule(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#waiters.length === 0) return;
    const wait = Math.max(this.#due, this.#pausedUntil) - performance.now();
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined;
        this.#grant();
      },
      Math.min(MAX_TIMER_MS, Math.max(0, Math.ceil(wait))),
    );
  }
}
