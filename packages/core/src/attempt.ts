/**
 * One HTTP attempt, as a named undici dispatch handler that owns its state, its one
 * timer and its settlement (the shape of undici's own `RequestHandler`).
 *
 * The attempt settles the moment its time limit or the caller's signal fires, whatever
 * undici is doing: waiting for a pooled connection, connecting, sending, waiting for
 * headers or reading the body. A request that undici hands over after that is aborted
 * before a byte is written. Nothing is left behind: the timer and the abort listener
 * go on every path, and a response body is either read to its end or aborted.
 */
import type { Dispatcher } from 'undici';

/** The most of a delete answer that is read: a larger body is not read further. */
export const MAX_DELETE_RESPONSE_BYTES = 64 * 1024;
/** The most of a list answer that is read (a shopper with many saved cards). */
export const MAX_LIST_RESPONSE_BYTES = 1024 * 1024;

/** What an attempt brought back. */
export type AttemptResult =
  | {
      kind: 'response';
      status: number;
      headers: Record<string, string | string[] | undefined>;
      /** The body as text, cut at the attempt's size limit. */
      text: string;
      /** Whether the body was over the limit (and not read further). */
      tooLarge: boolean;
      /** The size limit the body was read under, in bytes. */
      limitBytes: number;
    }
  | {
      kind: 'failed';
      /** The transport error, or `undefined` when the attempt's own time limit fired. */
      error: unknown;
      /** Whether the request was handed to a connection (at least partly written). */
      sent: boolean;
      /** The HTTP status, when the headers arrived before the failure. */
      status: number | undefined;
    }
  | { kind: 'aborted'; reason: unknown };

/** The reason an attempt is aborted with when its time is up (never leaves the client). */
class AttemptTimedOut extends Error {
  override name = 'AttemptTimedOut';
}

const BODY_TOO_LARGE = new Error('response body over the size limit');

/** The request an attempt sends, prepared once per call. */
export type AttemptRequest = Dispatcher.DispatchOptions;

/** Dispatches one attempt; {@link AttemptHandler.result} settles exactly once. */
export class AttemptHandler implements Dispatcher.DispatchHandler {
  /** Settles with what the attempt brought back; never rejects. */
  readonly result: Promise<AttemptResult>;
  /** Called when response headers arrive (for the `response` event). */
  onStatus: ((status: number) => void) | undefined;

  #resolve!: (result: AttemptResult) => void;
  #settled = false;
  #controller: Dispatcher.DispatchController | undefined;
  #sent = false;
  #status: number | undefined;
  #headers: Record<string, string | string[] | undefined> = {};
  #chunks: Buffer[] = [];
  #size = 0;
  readonly #timer: NodeJS.Timeout;
  readonly #signal: AbortSignal | undefined;
  readonly #limitBytes: number;

  constructor(timeoutMs: number, signal: AbortSignal | undefined, limitBytes: number) {
    this.#limitBytes = limitBytes;
    this.result = new Promise((resolve) => {
      this.#resolve = resolve;
    });
    this.#signal = signal;
    this.#timer = setTimeout(this.#onTimeout, timeoutMs);
    signal?.addEventListener('abort', this.#onAbort, { once: true });
  }

  /**
   * Hands the request to the dispatcher, or to the one a promise gives (a pool that is
   * still opening: the attempt's timer and signal already run). A dispatcher that throws,
   * or a promise that rejects, fails the attempt; one settled by then sends nothing.
   */
  dispatch(dispatcher: Dispatcher | Promise<Dispatcher>, request: AttemptRequest): Promise<AttemptResult> {
    if (dispatcher instanceof Promise) {
      dispatcher.then(
        (ready) => this.#dispatchNow(ready, request),
        (err: unknown) => this.#fail(err instanceof Error ? err : new Error(String(err))),
      );
    } else {
      this.#dispatchNow(dispatcher, request);
    }
    return this.result;
  }

  #dispatchNow(dispatcher: Dispatcher, request: AttemptRequest): void {
    if (this.#settled) return;
    try {
      dispatcher.dispatch(request, this);
    } catch (err) {
      this.#fail(err instanceof Error ? err : new Error(String(err)));
    }
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    if (this.#settled) {
      // Time ran out, or the caller gave up, while this waited for a connection: the
      // request is dropped here, before undici writes any of it.
      controller.abort(new AttemptTimedOut('the attempt ended before it was sent'));
      return;
    }
    this.#controller = controller;
    this.#sent = true;
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
  ): void {
    this.#status = statusCode;
    this.#headers = headers;
    this.onStatus?.(statusCode);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    const room = this.#limitBytes - this.#size;
    this.#size += chunk.length;
    if (chunk.length <= room) {
      this.#chunks.push(chunk);
      return;
    }
    // The answer is known once the limit is reached: stop reading, free the socket.
    this.#chunks.push(chunk.subarray(0, room));
    this.#respond(true);
    controller.abort(BODY_TOO_LARGE);
  }

  onResponseEnd(): void {
    this.#respond(false);
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.#fail(error);
  }

  readonly #onTimeout = (): void => {
    if (this.#settle({ kind: 'failed', error: undefined, sent: this.#sent, status: this.#status })) {
      this.#controller?.abort(new AttemptTimedOut('the attempt ran out of time'));
    }
  };

  readonly #onAbort = (): void => {
    const reason: unknown = this.#signal?.reason;
    if (this.#settle({ kind: 'aborted', reason })) this.#controller?.abort(reason as Error);
  };

  #respond(tooLarge: boolean): void {
    const limitBytes = this.#limitBytes;
    const chunks = this.#chunks;
    // The usual answer arrives in one chunk: read it as it is, without a copy.
    const text =
      chunks.length === 1
        ? (chunks[0] as Buffer).toString('utf8')
        : Buffer.concat(chunks, Math.min(this.#size, limitBytes)).toString('utf8');
    this.#settle({
      kind: 'response',
      status: this.#status ?? 0,
      headers: this.#headers,
      text,
      tooLarge,
      limitBytes,
    });
  }

  #fail(error: Error): void {
    this.#settle({ kind: 'failed', error, sent: this.#sent, status: this.#status });
  }

  /** Settles once, releasing the timer and the listener; `false` if already settled. */
  #settle(result: AttemptResult): boolean {
    if (this.#settled) return false;
    this.#settled = true;
    clearTimeout(this.#timer);
    this.#signal?.removeEventListener('abort', this.#onAbort);
    this.#chunks = [];
    this.#resolve(result);
    return true;
  }
}
