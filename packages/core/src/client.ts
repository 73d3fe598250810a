import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { inspect } from 'node:util';
import { Agent, type Dispatcher } from 'undici';
import {
  JuspayAuthenticationError,
  JuspayError,
  JuspayInvalidRequestError,
  JuspayNetworkError,
  JuspayRateLimitError,
  JuspayResponseError,
  JuspayServerError,
  JuspayTimeoutError,
  type JuspayErrorCode,
  type JuspayErrorDetails,
} from './errors.js';
import type { JuspayEvent } from './events.js';
import { parseDeleteTokenParams, type DeleteTokenParams } from './input.js';
import {
  checkPositiveMs,
  checkRetries,
  resolveClientOptions,
  type JuspayClientOptions,
  type JuspayEnvironment,
  type ResolvedClientOptions,
} from './options.js';
import { classifyResponse, MAX_RESPONSE_BYTES, type ResponseOutcome } from './response.js';
import { backoffDelayMs } from './retry.js';
import { VERSION } from './version.js';

/** Per-call options of {@link JuspayClient.deleteToken}. All optional. */
export interface DeleteTokenOptions {
  /** Aborts the call, including a wait between retries; the call rejects with `signal.reason`. */
  signal?: AbortSignal | undefined;
  /** Overrides the client's `timeoutMs` for each attempt of this call. */
  timeoutMs?: number | undefined;
  /** Overrides the client's `maxRetries` for this call. */
  maxRetries?: number | undefined;
  /** The `x-request-id` to send (1-128 visible ASCII characters); default a fresh UUID. */
  requestId?: string | undefined;
}

/** What a successful {@link JuspayClient.deleteToken} resolves to. */
export interface DeleteTokenResult {
  status: 'SUCCESS';
  /** The `x-request-id` sent on every attempt of the call. */
  requestId: string;
  /** HTTP attempts the call made (1 when no retry was needed). */
  attempts: number;
}

const USER_AGENT = `juspay-tokens/${VERSION} node/${process.versions.node}`;
const REQUEST_ID = /^[\x21-\x7e]{1,128}$/;

// Connection failures that happen before any byte of the request is sent: an attempt
// that ends in one of these cannot have deleted anything.
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

type Failure = Extract<ResponseOutcome, { ok: false }>;

/** What one HTTP exchange brought back. */
interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  tooLarge: boolean;
}

/** The abort reason of an attempt that ran out of time (never leaves the client). */
class AttemptTimedOut extends Error {}

const ERROR_CLASSES: Record<
  Exclude<JuspayErrorCode, 'INVALID_INPUT' | 'UNAUTHENTICATED'>,
  new (message: string, details: JuspayErrorDetails & { retryAfterMs?: number | undefined }) => JuspayError
> = {
  INVALID_REQUEST: JuspayInvalidRequestError,
  AUTHENTICATION_FAILED: JuspayAuthenticationError,
  RATE_LIMITED: JuspayRateLimitError,
  SERVER_ERROR: JuspayServerError,
  TIMEOUT: JuspayTimeoutError,
  NETWORK_ERROR: JuspayNetworkError,
  BAD_RESPONSE: JuspayResponseError,
};

function errorCodeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  const cause = (err as { cause?: unknown } | null)?.cause;
  const causeCode = (cause as { code?: unknown } | null)?.code;
  return typeof causeCode === 'string' ? causeCode : undefined;
}

function checkSignal(signal: unknown): AbortSignal | undefined {
  if (signal === undefined) return undefined;
  if (
    typeof signal !== 'object' ||
    signal === null ||
    typeof (signal as AbortSignal).aborted !== 'boolean' ||
    typeof (signal as AbortSignal).addEventListener !== 'function'
  ) {
    throw new TypeError('deleteToken: option "signal" must be an AbortSignal');
  }
  return signal as AbortSignal;
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. Leaves no timer. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Client for Juspay's Delete Token API (`POST /v4/card/delete`).
 *
 * One instance per API key; it keeps a keep-alive connection pool, so create it once and
 * call {@link JuspayClient.close} on shutdown.
 *
 * @example
 * const juspay = new JuspayClient({ apiKey: process.env.JUSPAY_API_KEY!, environment: 'production' });
 * await juspay.deleteToken({ cardReference, customerId });
 */
export class JuspayClient {
  // The key stays in private fields: never an own property that inspect, JSON or a
  // spread could reach.
  readonly #apiKey: string;
  readonly #authorization: string;
  readonly #options: ResolvedClientOptions;
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  readonly #url: string;
  readonly #origin: string;
  readonly #path: string;
  readonly #staticHeaders: Readonly<Record<string, string>>;
  #closed = false;

  /** The origin and path prefix requests go to. */
  readonly baseUrl: string;
  /** The environment, when the base URL came from one (undefined for a custom `baseUrl`). */
  readonly environment: JuspayEnvironment | undefined;

  /**
   * @throws {TypeError} when an option is invalid; the message names the option.
   */
  constructor(options: JuspayClientOptions) {
    const resolved = resolveClientOptions(options);
    this.#options = resolved;
    this.#apiKey = resolved.apiKey;
    this.#authorization = `Basic ${Buffer.from(`${resolved.apiKey}:`).toString('base64')}`;
    this.#ownsDispatcher = resolved.dispatcher === undefined;
    this.#dispatcher = resolved.dispatcher ?? new Agent({ keepAliveTimeout: 10_000, connections: 64 });
    this.baseUrl = resolved.baseUrl;
    this.environment = resolved.environment;
    this.#url = `${resolved.baseUrl}/v4/card/delete`;
    const url = new URL(this.#url);
    this.#origin = url.origin;
    this.#path = url.pathname;
    this.#staticHeaders = Object.freeze({
      ...resolved.headers,
      'content-type': 'application/json',
      accept: 'application/json',
      'user-agent': USER_AGENT,
    });
  }

  /**
   * Deletes a saved card. Resolves only when Juspay answered 2xx with
   * `{"status":"SUCCESS"}`; otherwise rejects with a {@link JuspayError} subclass.
   *
   * Bad params reject with `JuspayInputError` before anything is sent. Network errors,
   * timeouts, 429 and 500/502/503/504 are retried (same `x-request-id`) while
   * `maxRetries` and `deadlineMs` allow.
   *
   * @throws {TypeError} for invalid per-call options (a programming error).
   */
  async deleteToken(params: DeleteTokenParams, options: DeleteTokenOptions = {}): Promise<DeleteTokenResult> {
    const valid = parseDeleteTokenParams(params);
    if (typeof options !== 'object' || options === null) {
      throw new TypeError('deleteToken: options must be an object');
    }
    const signal = checkSignal(options.signal);
    const timeoutMs =
      options.timeoutMs === undefined
        ? this.#options.timeoutMs
        : checkPositiveMs('timeoutMs', options.timeoutMs, 'deleteToken');
    const maxRetries =
      options.maxRetries === undefined
        ? this.#options.maxRetries
        : checkRetries('maxRetries', options.maxRetries, 'deleteToken');
    if (
      options.requestId !== undefined &&
      (typeof options.requestId !== 'string' || !REQUEST_ID.test(options.requestId))
    ) {
      throw new TypeError('deleteToken: option "requestId" must be 1-128 visible ASCII characters');
    }
    if (this.#closed) throw new Error('JuspayClient: deleteToken was called after close()');
    signal?.throwIfAborted();

    const requestId = options.requestId ?? randomUUID();
    const headers = {
      ...this.#staticHeaders,
      authorization: this.#authorization,
      'x-routing-id': valid.routingId,
      'x-request-id': requestId,
    };
    const body = JSON.stringify({ card_reference: valid.cardReference, customer_id: valid.customerId });
    const deadlineMs = this.#options.deadlineMs;
    const deadlineAt = performance.now() + deadlineMs;

    let ambiguous = false;
    for (let attempt = 1; ; attempt++) {
      const remaining = deadlineAt - performance.now();
      const cutByDeadline = remaining < timeoutMs;
      this.#emit({
        type: 'request',
        requestId,
        attempt,
        method: 'POST',
        url: this.#url,
        routingId: valid.routingId,
      });
      const outcome = await this.#attempt(
        headers,
        body,
        Math.max(1, Math.min(timeoutMs, remaining)),
        cutByDeadline
          ? `the call ran past deadlineMs (${deadlineMs} ms)`
          : `the attempt ran past timeoutMs (${timeoutMs} ms)`,
        requestId,
        attempt,
        signal,
      );
      if (outcome.ok) return { status: 'SUCCESS', requestId, attempts: attempt };

      ambiguous ||= outcome.ambiguous;
      this.#emit({ type: 'error', requestId, attempt, code: outcome.code });
      const fail = () => this.#toError(outcome, requestId, attempt, ambiguous);
      if (!outcome.retryable || attempt > maxRetries) throw fail();
      const delayMs = outcome.retryAfterMs ?? backoffDelayMs(attempt);
      if (performance.now() + delayMs >= deadlineAt) throw fail();
      this.#emit({ type: 'retry', requestId, attempt, delayMs, reason: outcome.code });
      await sleep(delayMs, signal);
    }
  }

  async #attempt(
    headers: Record<string, string>,
    body: string,
    timeoutMs: number,
    timeoutReason: string,
    requestId: string,
    attempt: number,
    signal: AbortSignal | undefined,
  ): Promise<ResponseOutcome> {
    const started = performance.now();
    let response: RawResponse;
    try {
      response = await this.#exchange(headers, body, timeoutMs, signal, (status) =>
        this.#emit({
          type: 'response',
          requestId,
          attempt,
          status,
          durationMs: Math.round((performance.now() - started) * 1000) / 1000,
        }),
      );
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      const code = errorCodeOf(err);
      const timedOut = err instanceof AttemptTimedOut;
      if (timedOut || (code !== undefined && TIMEOUT_CODES.has(code))) {
        return this.#transportFailure(
          'TIMEOUT',
          `Juspay did not answer in time: ${timeoutReason}`,
          timedOut ? undefined : err,
          code !== 'UND_ERR_CONNECT_TIMEOUT',
        );
      }
      const sent = code === undefined || !NOT_SENT_CODES.has(code);
      return this.#transportFailure(
        'NETWORK_ERROR',
        `Could not reach Juspay (${code ?? 'connection failed'})`,
        err,
        sent,
      );
    }
    return classifyResponse(response.status, response.headers, {
      text: this.#redact(response.text),
      tooLarge: response.tooLarge,
    });
  }

  /**
   * One HTTP exchange through the dispatcher's handler API: no per-attempt
   * AbortController or body stream, one timer covering connect, headers and body, and a
   * body cut (and the socket freed) past 64 KiB. Rejects with an AttemptTimedOut, the
   * caller's abort reason, or the transport error.
   */
  #exchange(
    headers: Record<string, string>,
    body: string,
    timeoutMs: number,
    signal: AbortSignal | undefined,
    onStatus: (status: number) => void,
  ): Promise<RawResponse> {
    return new Promise<RawResponse>((resolve, reject) => {
      let controller: Dispatcher.DispatchController | undefined;
      let pendingAbort: unknown;
      let settled = false;
      let status = 0;
      let responseHeaders: Record<string, string | string[] | undefined> = {};
      const chunks: Buffer[] = [];
      let size = 0;
      let tooLarge = false;

      const abort = (reason: unknown) => {
        if (controller === undefined) pendingAbort = reason;
        else controller.abort(reason as Error);
      };
      const onAbort = () => abort(signal?.reason);
      const timer = setTimeout(() => abort(new AttemptTimedOut('attempt timed out')), timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      const settle = () => {
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const done = () => {
        if (settled) return;
        settle();
        resolve({
          status,
          headers: responseHeaders,
          text: Buffer.concat(chunks, Math.min(size, MAX_RESPONSE_BYTES)).toString('utf8'),
          tooLarge,
        });
      };

      try {
        this.#dispatcher.dispatch(
          {
            origin: this.#origin,
            path: this.#path,
            method: 'POST',
            headers,
            body,
            headersTimeout: timeoutMs,
            bodyTimeout: timeoutMs,
          },
          {
            onRequestStart: (ctrl) => {
              controller = ctrl;
              if (pendingAbort !== undefined) ctrl.abort(pendingAbort as Error);
            },
            onResponseStart: (_ctrl, statusCode, resHeaders) => {
              status = statusCode;
              responseHeaders = resHeaders;
              onStatus(statusCode);
            },
            onResponseData: (ctrl, chunk: Buffer) => {
              if (tooLarge) return;
              const room = MAX_RESPONSE_BYTES - size;
              size += chunk.length;
              if (chunk.length <= room) {
                chunks.push(chunk);
                return;
              }
              chunks.push(chunk.subarray(0, room));
              tooLarge = true;
              // Stop reading: the answer is known; aborting frees the socket.
              done();
              ctrl.abort(new Error('response body over the size limit'));
            },
            onResponseEnd: done,
            onResponseError: (_ctrl, err) => {
              if (settled) return;
              settle();
              reject(err);
            },
          },
        );
      } catch (err) {
        // A dispatcher that throws instead of calling onResponseError: settle all the same.
        settle();
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  }

  #transportFailure(
    code: 'TIMEOUT' | 'NETWORK_ERROR',
    message: string,
    cause: unknown,
    ambiguous: boolean,
  ): Failure {
    return {
      ok: false,
      code,
      message,
      details: { cause },
      retryable: true,
      ambiguous,
      retryAfterMs: undefined,
    };
  }

  /** A misbehaving upstream that echoes our credentials must not carry them into an error. */
  #redact(text: string): string {
    let out = text;
    if (out.includes(this.#apiKey)) out = out.split(this.#apiKey).join('[REDACTED]');
    const encoded = this.#authorization.slice('Basic '.length);
    if (out.includes(encoded)) out = out.split(encoded).join('[REDACTED]');
    return out;
  }

  #toError(failure: Failure, requestId: string, attempts: number, ambiguous: boolean): JuspayError {
    const ErrorClass = ERROR_CLASSES[failure.code as keyof typeof ERROR_CLASSES];
    return new ErrorClass(failure.message, {
      ...failure.details,
      requestId,
      attempts,
      ambiguous,
      retryAfterMs: failure.retryAfterMs,
    });
  }

  #emit(event: JuspayEvent): void {
    const onEvent = this.#options.onEvent;
    if (onEvent === undefined) return;
    try {
      const result = onEvent(event) as unknown;
      // An async hook that rejects must not become an unhandled rejection either.
      if (typeof (result as Promise<unknown> | undefined)?.then === 'function') {
        (result as Promise<unknown>).then(undefined, () => {});
      }
    } catch {
      // Telemetry never breaks a call.
    }
  }

  /**
   * Releases the client's own connection pool (a `dispatcher` you passed in is yours to
   * close). Calls still in flight finish first. Safe to call twice.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#ownsDispatcher) await this.#dispatcher.close();
  }

  /** A summary without credentials, for logs. */
  toJSON(): Record<string, unknown> {
    return {
      baseUrl: this.baseUrl,
      environment: this.environment,
      timeoutMs: this.#options.timeoutMs,
      deadlineMs: this.#options.deadlineMs,
      maxRetries: this.#options.maxRetries,
    };
  }

  /** @internal What `util.inspect` and `console.log` show: no credentials. */
  [inspect.custom](): string {
    return `JuspayClient ${inspect(this.toJSON())}`;
  }
}
