/**
 * What the fake does instead of answering normally: the queue of injected faults, the
 * per-request fault selector, and the optional rate limit.
 */
import type { FakeJuspayFault, FakeJuspayRequest } from './fake-juspay.js';

/** Picks a fault from a request; `undefined` for none. */
export type FaultSelector = (request: FakeJuspayRequest) => FakeJuspayFault | undefined;

/** Faults in the order they were queued, each for its number of requests, and a selector before them. */
export class FaultQueue {
  readonly #queued: (FakeJuspayFault & { times: number })[] = [];
  #select: FaultSelector | undefined;

  /** Queues a fault for its next `times` requests (default 1). */
  push(fault: FakeJuspayFault): void {
    const times = fault.times ?? 1;
    if (!Number.isSafeInteger(times) || times < 1)
      throw new TypeError('failNext: times must be a whole number from 1');
    this.#queued.push({ ...fault, times });
  }

  /** Sets (or, with `undefined`, drops) the selector consulted before the queue. */
  selectWith(select: FaultSelector | undefined): void {
    this.#select = select;
  }

  /** The fault for this request: the selector's, else the queue's next (used up by it). */
  take(request: FakeJuspayRequest): FakeJuspayFault | undefined {
    const selected = this.#select?.(request);
    if (selected !== undefined) return selected;
    const queued = this.#queued[0];
    if (queued !== undefined) {
      queued.times -= 1;
      if (queued.times <= 0) this.#queued.shift();
    }
    return queued;
  }

  /** Drops every queued fault and the selector. */
  clear(): void {
    this.#queued.length = 0;
    this.#select = undefined;
  }
}

/**
 * A sliding one-second window: whether a request arriving at `now` may pass, counting
 * the requests let through in the second before it. Always true without a limit.
 */
export class RateWindow {
  readonly #perSecond: number;
  readonly #passed: number[] = [];

  constructor(limit: { perSecond: number } | undefined) {
    const perSecond = limit?.perSecond ?? Number.POSITIVE_INFINITY;
    if (limit !== undefined && (!Number.isFinite(perSecond) || perSecond <= 0)) {
      throw new TypeError('startFakeJuspay: rateLimit.perSecond must be a number above 0');
    }
    this.#perSecond = perSecond;
  }

  /** Whether a request arriving at `now` (milliseconds) passes; counts it when it does. */
  admits(now: number): boolean {
    if (this.#perSecond === Number.POSITIVE_INFINITY) return true;
    const passed = this.#passed;
    while (passed.length > 0 && (passed[0] as number) <= now - 1000) passed.shift();
    if (passed.length >= this.#perSecond) return false;
    passed.push(now);
    return true;
  }
}
