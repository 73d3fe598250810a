import { waitForTurn } from './before-attempt.js';
import { defaultTransport } from './default-transport.js';
import { createJuspayError, type JuspayError } from './errors.js';
import { callQuietly } from './hooks.js';
import type { JuspayEvent, JuspayOperation } from './events.js';
import {
  parseDeleteTokenParams,
  parseListCardsParams,
  type DeleteTokenParams,
  type ListCardsParams,
} from './input.js';
import {
  resolveCallOptions,
  resolveClientOptions,
  type CallOptions,
  type DeleteTokenOptions,
  type JuspayClientOptions,
  type JuspayEnvironment,
  type ListCardsOptions,
  type ResolvedCallOptions,
  type ResolvedClientOptions,
} from './options.js';
import { classifyAttempt, loadBodySchemas, NEEDS_SCHEMAS, type AttemptFailure } from './outcome.js';
import { basicCredential, Redactor } from './redact.js';
import { backoffDelayMs, isRetryable } from './retry.js';
import { savedCardsOf, type SavedCard } from './saved-cards.js';
import { isTracing, traceCall, type CallProgress, type TraceSuccess } from './tracing.js';
import {
  MAX_DELETE_RESPONSE_BYTES,
  MAX_LIST_RESPONSE_BYTES,
  type AttemptRequest,
  type AttemptResult,
  type Transport,
} from './transport.js';
import { runtimeLabel } from './runtime.js';
import { VERSION } from './version.js';

/** What `util.inspect` looks up, named without importing `node:util` (absent on edge runtimes). */
const INSPECT = Symbol.for('nodejs.util.inspect.custom');

export type { DeleteTokenOptions, ListCardsOptions } from './options.js';

/** What a successful {@link JuspayClient.deleteToken} resolves to. */
export interface DeleteTokenResult {
  status: 'SUCCESS';
  /** The `x-request-id` sent on every attempt of the call. */
  requestId: string;
  /** HTTP attempts the call made (1 when no retry was needed). */
  attempts: number;
  /**
   * `true` when an earlier attempt's answer was lost (a timeout or reset after sending,
   * or a 5xx) and a later attempt was told the card is unknown: the earlier attempt
   * most likely deleted it. `false` on every other success.
   */
  alreadyGone: boolean;
}

/** What a successful {@link JuspayClient.listCards} resolves to. */
export interface ListCardsResult {
  /** The customer's saved cards, only with fields safe to show and to log (an empty list is a success). */
  cards: SavedCard[];
  /** The `x-request-id` sent on every attempt of the call. */
  requestId: string;
  /** HTTP attempts the call made (1 when no retry was needed). */
  attempts: number;
}

const USER_AGENT = `juspay-tokens/${VERSION} ${runtimeLabel()}`;

/** What differs between the client's calls; the retry loop is the same for both. */
interface OperationKind<T> {
  name: JuspayOperation;
  method: 'POST' | 'GET';
  /** The most of an answer that is read. */
  limitBytes: number;
  /** A read: never ambiguous, and asked again when its answer stalled or broke. */
  read: boolean;
  /** The call's result from a successful attempt's parsed body. */
  result: (body: unknown, requestId: string, attempts: number) => T;
  /** What a settled success adds to its trace. */
  trace: (result: T) => TraceSuccess;
  /** The success of a call whose lost answer was followed by "invalid" (deletes only). */
  alreadyGone?: (requestId: string, attempts: number) => T;
}

/** What an answer's classification gets for time limits it does not use. */
const NO_LIMITS = Object.freeze({ timeoutMs: 0, deadlineMs: 0, cutByDeadline: false });

/** A call's options with its request id settled. */
type CallSettings = ResolvedCallOptions & { requestId: string };

const DELETE_TOKEN: OperationKind<DeleteTokenResult> = {
  name: 'deleteToken',
  method: 'POST',
  limitBytes: MAX_DELETE_RESPONSE_BYTES,
  read: false,
  result: (_body, requestId, attempts) => ({ status: 'SUCCESS', requestId, attempts, alreadyGone: false }),
  trace: (result) => ({ outcome: result.alreadyGone ? 'already_gone' : 'deleted' }),
  alreadyGone: (requestId, attempts) => ({ status: 'SUCCESS', requestId, attempts, alreadyGone: true }),
};

const LIST_CARDS: OperationKind<ListCardsResult> = {
  name: 'listCards',
  method: 'GET',
  limitBytes: MAX_LIST_RESPONSE_BYTES,
  read: true,
  result: (body, requestId, attempts) => ({
    cards: savedCardsOf(body as { cards: unknown[] }),
    requestId,
    attempts,
  }),
  trace: (result) => ({ outcome: 'listed', cardCount: result.cards.length }),
};

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
  readonly #authorization: string;
  readonly #redactor: Redactor;
  readonly #options: ResolvedClientOptions;
  /** undici (the default on Node) or fetch: the only part that differs between runtimes. */
  readonly #transport: Transport;
  readonly #url: string;
  readonly #listUrl: string;
  readonly #origin: string;
  readonly #path: string;
  readonly #listPath: string;
  readonly #serverAddress: string;
  readonly #serverPort: number;
  readonly #extraHeaders: Readonly<Record<string, string>> | undefined;
  readonly #defaultCall: ResolvedCallOptions;
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
    this.#authorization = `Basic ${basicCredential(resolved.apiKey)}`;
    this.#redactor = new Redactor(resolved.apiKey);
    this.#transport = defaultTransport(resolved);
    this.baseUrl = resolved.baseUrl;
    this.environment = resolved.environment;
    this.#url = `${resolved.baseUrl}/v4/card/delete`;
    this.#listUrl = `${resolved.baseUrl}/cards`;
    const url = new URL(this.#url);
    this.#origin = url.origin;
    this.#path = url.pathname;
    this.#listPath = new URL(this.#listUrl).pathname;
    this.#serverAddress = url.hostname.replace(/^\[|\]$/g, '');
    this.#serverPort = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
    this.#extraHeaders = Object.keys(resolved.headers).length > 0 ? resolved.headers : undefined;
    this.#defaultCall = Object.freeze(resolveCallOptions({}, resolved));
  }

  /**
   * Deletes a saved card. Resolves when Juspay answered 2xx with `{"status":"SUCCESS"}`,
   * or with `alreadyGone: true` when a lost answer was followed by "invalid"; otherwise
   * rejects with a {@link JuspayError} subclass.
   *
   * Bad params reject with `JuspayInputError` before anything is sent. Network errors,
   * timeouts, 429 and 500/502/503/504 are retried (same `x-request-id`) while
   * `maxRetries` and `deadlineMs` allow. Each call is traced on the diagnostics
   * TracingChannel `juspay-tokens:deleteToken`.
   *
   * @throws {TypeError} for invalid per-call options (a programming error).
   */
  deleteToken(params: DeleteTokenParams, options?: DeleteTokenOptions): Promise<DeleteTokenResult> {
    let request: AttemptRequest;
    let routingId: string;
    let call: CallSettings;
    try {
      const valid = parseDeleteTokenParams(params);
      call = this.#callOptions(DELETE_TOKEN.name, options);
      routingId = valid.routingId;
      request = {
        origin: this.#origin,
        path: this.#path,
        method: 'POST',
        headers: this.#deleteHeaders(routingId, call.requestId),
        body: JSON.stringify({ card_reference: valid.cardReference, customer_id: valid.customerId }),
      };
    } catch (err) {
      // An input error, a TypeError, or the signal's own reason (whatever it is).
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      return Promise.reject(err);
    }
    return this.#call(DELETE_TOKEN, request, routingId, this.#url, call);
  }

  /**
   * Lists a customer's saved cards (Juspay's `GET /cards`). Resolves with the cards,
   * each holding only fields safe to show and to log (never the card token, fingerprint,
   * BIN, cardholder name or full number); otherwise rejects as `deleteToken` does.
   * Juspay answers a customer it does not know with `INVALID_REQUEST`.
   *
   * A list is a read: every retryable failure is retried, an answer whose body stalled
   * or broke included, and no error is `ambiguous`. Each call is traced on the
   * TracingChannel `juspay-tokens:listCards`.
   *
   * @throws {TypeError} without a merchant id (`merchantId` or `headers['x-merchantid']`),
   * or for invalid per-call options; nothing is sent.
   */
  listCards(params: ListCardsParams, options?: ListCardsOptions): Promise<ListCardsResult> {
    let request: AttemptRequest;
    let routingId: string;
    let call: CallSettings;
    try {
      const valid = parseListCardsParams(params);
      call = this.#callOptions(LIST_CARDS.name, options);
      const { merchantId } = this.#options;
      if (merchantId === undefined) {
        throw new TypeError(
          'JuspayClient: listCards needs option "merchantId" (Juspay\'s merchant id from the dashboard, sent as x-merchantid)',
        );
      }
      routingId = valid.routingId;
      request = {
        origin: this.#origin,
        path: `${this.#listPath}?customer_id=${encodeURIComponent(valid.customerId)}`,
        method: 'GET',
        headers: this.#listHeaders(merchantId, routingId, call.requestId),
      };
    } catch (err) {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      return Promise.reject(err);
    }
    return this.#call(LIST_CARDS, request, routingId, this.#listUrl, call);
  }

  /** A call's options, checked, with a request id settled; throws when closed or already aborted. */
  #callOptions(operation: JuspayOperation, options: CallOptions | undefined): CallSettings {
    const call =
      options === undefined ? this.#defaultCall : resolveCallOptions(options, this.#options, operation);
    if (this.#closed) throw new Error(`JuspayClient: ${operation} was called after close()`);
    call.signal?.throwIfAborted();
    return { ...call, requestId: call.requestId ?? crypto.randomUUID() };
  }

  /** One call, traced when anyone listens. */
  #call<T>(
    kind: OperationKind<T>,
    request: AttemptRequest,
    routingId: string,
    url: string,
    call: CallSettings,
  ): Promise<T> {
    const progress: CallProgress = { attempts: 0, statusCode: undefined, ambiguous: false };
    const target = { routingId, url };
    if (!isTracing(kind.name)) return this.#run(kind, request, target, call, progress);
    const run = () => this.#run(kind, request, target, call, progress);
    const context = {
      requestId: call.requestId,
      serverAddress: this.#serverAddress,
      serverPort: this.#serverPort,
    };
    return traceCall(kind.name, context, progress, run, kind.trace);
  }

  /** The retry loop: attempts until one settles the call, the attempts run out or the deadline passes. */
  async #run<T>(
    kind: OperationKind<T>,
    request: AttemptRequest,
    target: { routingId: string; url: string },
    call: CallSettings,
    progress: CallProgress,
  ): Promise<T> {
    const { requestId } = call;
    const operation = kind.name;
    const { deadlineMs, beforeAttempt } = this.#options;
    // The deadline starts with the first attempt: a call may wait its first turn longer.
    let deadlineAt = beforeAttempt === undefined ? performance.now() + deadlineMs : Infinity;
    let last: JuspayError | undefined;
    let retryAfterMs: number | undefined;

    for (let attempt = 1; ; attempt++) {
      if (beforeAttempt !== undefined) {
        const info = { operation, requestId, attempt, retryAfterMs, signal: call.signal };
        if ((await waitForTurn(beforeAttempt, info, deadlineAt)) === 'deadline') {
          throw this.#waitedPastDeadline(requestId, attempt - 1, progress.ambiguous);
        }
        if (attempt === 1) deadlineAt = performance.now() + deadlineMs;
      }
      const remaining = deadlineAt - performance.now();
      // A wait that overran (a blocked event loop) must not start an attempt late.
      if (last !== undefined && remaining < 1) throw last;
      const cutByDeadline = remaining < call.timeoutMs;
      // No event object is built for a client nobody listens to.
      if (this.#options.onEvent !== undefined)
        this.#emit({
          type: 'request',
          operation,
          requestId,
          attempt,
          method: kind.method,
          url: target.url,
          routingId: target.routingId,
        });
      const result = await this.#send(
        kind,
        request,
        Math.min(call.timeoutMs, remaining),
        requestId,
        attempt,
        call.signal,
      );
      if (result.kind === 'aborted') throw result.reason;
      // The time limits only go into a timeout's message.
      const limits =
        result.kind === 'failed' ? { timeoutMs: call.timeoutMs, deadlineMs, cutByDeadline } : NO_LIMITS;
      let outcome = classifyAttempt(operation, result, this.#redactor, limits);
      if (outcome === NEEDS_SCHEMAS) {
        // Once per process: the answer schemas (and zod) load when an answer first needs them.
        await loadBodySchemas();
        outcome = classifyAttempt(operation, result, this.#redactor, limits);
        if (outcome === NEEDS_SCHEMAS)
          throw new Error('@juspay-tokens/core: the answer schemas did not load');
      }
      progress.attempts = attempt;
      progress.statusCode = outcome.status ?? progress.statusCode;
      if (outcome.ok) return kind.result(outcome.body, requestId, attempt);

      this.#emit({ type: 'error', operation, requestId, attempt, code: outcome.code });
      // An earlier attempt's answer was lost and now the card is unknown: that attempt
      // most likely deleted it.
      // So might an earlier call for the same card, when the caller says so.
      const mayBeGone = progress.ambiguous || call.mayAlreadyBeGone;
      if (kind.alreadyGone !== undefined && mayBeGone && outcome.code === 'INVALID_REQUEST') {
        return kind.alreadyGone(requestId, attempt);
      }
      // A read changes nothing: its lost answers are never ambiguous.
      if (!kind.read) progress.ambiguous ||= outcome.ambiguous;
      const retryable = isRetryable(outcome.code, outcome.status, operation);
      last = this.#toError(outcome, requestId, attempt, progress.ambiguous, retryable);
      if (!retryable || attempt > call.maxRetries) throw last;
      retryAfterMs = outcome.retryAfterMs;
      const delayMs = outcome.retryAfterMs ?? backoffDelayMs(attempt);
      if (performance.now() + delayMs >= deadlineAt) throw last;
      this.#emit({ type: 'retry', operation, requestId, attempt, delayMs, reason: outcome.code });
      // A Retry-After is a shared limiter's to keep (it pauses every start, this one's
      // too): with beforeAttempt, the hook gets it and waits; a backoff stays the client's.
      if (beforeAttempt === undefined || retryAfterMs === undefined) await sleep(delayMs, call.signal);
    }
  }

  /** The headers of a delete: a literal of fixed shape, the merchant's extra ones first. */
  #deleteHeaders(routingId: string, requestId: string): Record<string, string> {
    const own = {
      'content-type': 'application/json',
      accept: 'application/json',
      'user-agent': USER_AGENT,
      authorization: this.#authorization,
      'x-routing-id': routingId,
      'x-request-id': requestId,
    };
    return this.#extraHeaders === undefined ? own : { ...this.#extraHeaders, ...own };
  }

  /** The headers of a list, as Juspay documents them (a form content type on a GET included). */
  #listHeaders(merchantId: string, routingId: string, requestId: string): Record<string, string> {
    const own = {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
      'user-agent': USER_AGENT,
      authorization: this.#authorization,
      'x-merchantid': merchantId,
      'x-routing-id': routingId,
      'x-request-id': requestId,
    };
    return this.#extraHeaders === undefined ? own : { ...this.#extraHeaders, ...own };
  }

  /** Sends one attempt; its result settles within `timeoutMs` whatever the transport is doing. */
  #send(
    kind: Pick<OperationKind<unknown>, 'name' | 'limitBytes'>,
    request: AttemptRequest,
    timeoutMs: number,
    requestId: string,
    attempt: number,
    signal: AbortSignal | undefined,
  ): Promise<AttemptResult> {
    let onStatus: ((status: number) => void) | undefined;
    if (this.#options.onEvent !== undefined) {
      const started = performance.now();
      onStatus = (status) =>
        this.#emit({
          type: 'response',
          operation: kind.name,
          requestId,
          attempt,
          status,
          durationMs: Math.round((performance.now() - started) * 1000) / 1000,
        });
    }
    return this.#transport.send({ request, timeoutMs, signal, limitBytes: kind.limitBytes, onStatus });
  }

  /** The call ran past `deadlineMs` while `beforeAttempt` held its next attempt back. */
  #waitedPastDeadline(requestId: string, attempts: number, ambiguous: boolean): JuspayError {
    const { deadlineMs } = this.#options;
    return createJuspayError(
      'TIMEOUT',
      `Juspay did not answer in time: the call ran past deadlineMs (${deadlineMs} ms) while beforeAttempt held its next attempt`,
      { requestId, attempts, ambiguous, retryable: true },
    );
  }

  #toError(
    failure: AttemptFailure,
    requestId: string,
    attempts: number,
    ambiguous: boolean,
    retryable: boolean,
  ): JuspayError {
    return createJuspayError(failure.code, failure.message, {
      status: failure.status,
      userMessage: failure.userMessage,
      upstreamRequestId: failure.upstreamRequestId,
      body: failure.body,
      cause: failure.cause,
      requestId,
      attempts,
      ambiguous,
      retryable,
      retryAfterMs: failure.retryAfterMs,
    });
  }

  #emit(event: JuspayEvent): void {
    // Telemetry never breaks a call.
    callQuietly(this.#options.onEvent, event);
  }

  /**
   * Releases the client's own connection pool (a `dispatcher` you passed in is yours to
   * close; the fetch transport holds none). Calls still in flight finish first. Safe to
   * call twice.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#transport.close();
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
  [INSPECT](_depth: number, _options: unknown, inspect: (value: unknown) => string): string {
    return `JuspayClient ${inspect(this.toJSON())}`;
  }
}
