/**
 * What the fake does instead of answering normally: the queue of injected faults, the
 * per-request fault selector, and the optional rate limit.
 */

/** One request the fake received. */
export interface FakeJuspayRequest {
  method: string;
  /** Path and query, e.g. `/v4/card/delete`. */
  path: string;
  /** Lower-cased header names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  /** The body parsed as JSON, else its text (`undefined` when empty or unreadable). */
  body: unknown;
  /** When the whole request had arrived, in `performance.now()` milliseconds. */
  receivedAt: number;
}

/** A fault for the next requests; see `FakeJuspay.failNext`. */
export interface FakeJuspayFault {
  /**
   * HTTP status to answer with. Default `500` when a `body` is given; with neither `status`
   * nor `body` (nor `reset`) the fake answers as usual, only late: a slow upstream.
   */
  status?: number | undefined;
  /** Extra response headers, e.g. `{ 'retry-after': '1' }`. */
  headers?: Readonly<Record<string, string>> | undefined;
  /**
   * Response body: a string is sent as is (as `text/plain` unless `headers` names a
   * content type), anything else as JSON. Default with a `status`: a JSON error body.
   */
  body?: unknown;
  /** Wait this long before sending headers (or before resetting). */
  delayMs?: number | undefined;
  /** Send headers, then wait this long before sending the body (a stalled body). */
  bodyDelayMs?: number | undefined;
  /** Destroy the connection instead of answering. */
  reset?: boolean | undefined;
  /** Send the headers and half of the body, then destroy the connection: a broken answer. */
  bodyReset?: boolean | undefined;
  /** Handle the request normally first (the card is deleted), then apply the fault: a lost answer. */
  afterDelete?: boolean | undefined;
  /** How many requests this fault applies to. Default `1`. */
  times?: number | undefined;
}

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
