/**
 * The undici transport, the default on Node: the client's own keep-alive pool (opened
 * by the first call, so importing the package never loads undici) or the `dispatcher`
 * given, and one HTTP attempt as a named dispatch handler that owns its state, its one
 * timer and its settlement (the shape of undici's own `RequestHandler`).
 *
 * The attempt settles the moment its time limit or the caller's signal fires, whatever
 * undici is doing: waiting for a pooled connection, connecting, sending, waiting for
 * headers or reading the body. A request that undici hands over after that is aborted
 * before a byte is written. Nothing is left behind: the timer and the abort listener
 * go on every path, and a response body is either read to its end or aborted.
 */
import type { Dispatcher } from 'undici';
import {
  AttemptTimedOut,
  type AttemptRequest,
  type AttemptResult,
  type AttemptSpec,
  type Transport,
} from './transport.js';

/** Sends attempts through a dispatcher: the one given, or the client's own pool. */
export class UndiciTransport implements Transport {
  /** The dispatcher given, or the client's own pool once the first call opened it. */
  #dispatcher: Dispatcher | undefined;
  /** The client's own pool while undici loads for the first call. */
  #opening: Promise<Dispatcher> | undefined;
  readonly #owns: boolean;
  readonly #connectTimeoutMs: number;

  constructor(dispatcher: Dispatcher | undefined, connectTimeoutMs: number) {
    this.#dispatcher = dispatcher;
    this.#owns = dispatcher === undefined;
    this.#connectTimeoutMs = connectTimeoutMs;
  }

  send(spec: AttemptSpec): Promise<AttemptResult> {
    const handler = new AttemptHandler(spec.timeoutMs, spec.signal, spec.limitBytes);
    handler.onStatus = spec.onStatus;
    // The first call of the client's own pool waits for undici under the attempt's timer.
    return handler.dispatch(this.#dispatcher ?? this.#openPool(), spec.request);
  }

  /**
   * The client's own keep-alive pool, opened by the first call: undici loads then, not
   * when the package is imported (a serverless cold start pays for it only if it calls).
   */
  #openPool(): Promise<Dispatcher> {
    this.#opening ??= import('undici').then(({ Agent }) => {
      // A connect that hangs is bounded by the attempt's own timer; the pool's connect
      // timeout only frees the socket attempt afterwards.
      const timeout = this.#connectTimeoutMs;
      this.#dispatcher = new Agent({ keepAliveTimeout: 10_000, connections: 64, connect: { timeout } });
      return this.#dispatcher;
    });
    return this.#opening;
  }

  async close(): Promise<void> {
    // A dispatcher passed in is the caller's to close.
    if (!this.#owns) return;
    // A pool is open, or opening for a call in flight: close it once that call has it.
    // (A pool that never opened, undici failing to load, has nothing to close.)
    const pool = this.#dispatcher ?? (await this.#opening?.catch(() => undefined));
    await pool?.close();
  }
}

const BODY_TOO_LARGE = new Error('response body over the size limit');

/** Dispatches one attempt; {@link AttemptHandler.result} settles exactly once. */
class AttemptHandler implements Dispatcher.DispatchHandler {
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
