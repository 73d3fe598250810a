/**
 * The fetch transport: one attempt as a Web `fetch`, for runtimes without undici
 * (Workers, Vercel's edge, Deno, Bun) and for `new JuspayClient({ fetch })` anywhere.
 *
 * Like undici's handler, the attempt settles the moment its time limit or the caller's
 * signal fires, whether fetch is connecting, waiting for headers or streaming the body,
 * and even when a custom `fetch` ignores its signal; it then aborts the request. Fetch
 * cannot say whether a request left, so a failure without an answer is reported as sent
 * (the outcome classifier still treats a refused connection as not sent).
 */
import { AttemptTimedOut, type AttemptResult, type AttemptSpec, type Transport } from './transport.js';

/** The `fetch` a client can be given: the global one, or any function of its shape. */
export type FetchFunction = (input: string, init: RequestInit) => Promise<Response>;

/** Sends every attempt through `fetch`; it holds no pool of its own. */
export class FetchTransport implements Transport {
  readonly #fetch: FetchFunction;

  constructor(fetchFunction: FetchFunction) {
    this.#fetch = fetchFunction;
  }

  send(spec: AttemptSpec): Promise<AttemptResult> {
    return new FetchAttempt(spec).run(this.#fetch);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** One attempt over fetch; {@link FetchAttempt.run} settles exactly once. */
class FetchAttempt {
  readonly #spec: AttemptSpec;
  readonly #controller = new AbortController();
  readonly #result: Promise<AttemptResult>;
  #resolve!: (result: AttemptResult) => void;
  #settled = false;
  #status: number | undefined;
  readonly #timer: ReturnType<typeof setTimeout>;

  constructor(spec: AttemptSpec) {
    this.#spec = spec;
    this.#result = new Promise((resolve) => {
      this.#resolve = resolve;
    });
    this.#timer = setTimeout(this.#onTimeout, spec.timeoutMs);
    spec.signal?.addEventListener('abort', this.#onAbort, { once: true });
  }

  run(fetchFunction: FetchFunction): Promise<AttemptResult> {
    const { request } = this.#spec;
    let answer: Promise<Response>;
    try {
      answer = fetchFunction(`${request.origin}${request.path}`, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: this.#controller.signal,
        redirect: 'manual',
      });
    } catch (err) {
      this.#fail(err);
      return this.#result;
    }
    answer.then(this.#onResponse, (err: unknown) => this.#fail(err));
    return this.#result;
  }

  readonly #onResponse = (response: Response): void => {
    if (this.#settled) {
      void response.body?.cancel().catch(() => undefined);
      return;
    }
    this.#status = response.status;
    this.#spec.onStatus?.(response.status);
    this.#read(response).then(
      (read) =>
        this.#settle({ kind: 'response', status: response.status, headers: headersOf(response), ...read }),
      (err: unknown) => this.#fail(err),
    );
  };

  /** Reads the body up to the limit; past it, stops reading and cancels the rest. */
  async #read(response: Response): Promise<{ text: string; tooLarge: boolean; limitBytes: number }> {
    const { limitBytes } = this.#spec;
    const decoder = new TextDecoder();
    let text = '';
    let size = 0;
    const reader: ReadableStreamDefaultReader<Uint8Array> | undefined = response.body?.getReader();
    if (reader === undefined) return { text, tooLarge: false, limitBytes };
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { text: text + decoder.decode(), tooLarge: false, limitBytes };
      if (this.#settled) throw new AttemptTimedOut('the attempt ended while its answer was read');
      const room = limitBytes - size;
      size += value.byteLength;
      if (value.byteLength > room) {
        text += decoder.decode(value.subarray(0, room));
        void reader.cancel().catch(() => undefined);
        return { text, tooLarge: true, limitBytes };
      }
      text += decoder.decode(value, { stream: true });
    }
  }

  readonly #onTimeout = (): void => {
    if (this.#settle({ kind: 'failed', error: undefined, sent: true, status: this.#status })) {
      this.#controller.abort(new AttemptTimedOut('the attempt ran out of time'));
    }
  };

  readonly #onAbort = (): void => {
    const reason: unknown = this.#spec.signal?.reason;
    if (this.#settle({ kind: 'aborted', reason })) this.#controller.abort(reason);
  };

  #fail(error: unknown): void {
    this.#settle({ kind: 'failed', error, sent: true, status: this.#status });
  }

  /** Settles once, releasing the timer and the listener; `false` if already settled. */
  #settle(result: AttemptResult): boolean {
    if (this.#settled) return false;
    this.#settled = true;
    clearTimeout(this.#timer);
    this.#spec.signal?.removeEventListener('abort', this.#onAbort);
    this.#resolve(result);
    return true;
  }
}

/** A response's headers as the classifier reads them (lower-case names). */
function headersOf(response: Response): Record<string, string> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return headers;
}
