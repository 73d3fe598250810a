import type { Dispatcher } from 'undici';
import type { JuspayEvent, JuspayOperation } from './events.js';
import type { FetchFunction } from './fetch-transport.js';

/** What {@link JuspayClientOptions.beforeAttempt} is told about the attempt about to start. */
export interface BeforeAttempt {
  operation: JuspayOperation;
  /** The call's `x-request-id`, the same on every attempt. */
  requestId: string;
  /** 1 for the first attempt. */
  attempt: number;
  /**
   * The previous attempt's `Retry-After`, in ms, when its answer had one (a 429 or 503):
   * start no attempt before it has passed (the client has not waited it out).
   */
  retryAfterMs: number | undefined;
  /** The call's signal, when it was given one. */
  signal: AbortSignal | undefined;
}

/** Juspay's two public environments. */
export type JuspayEnvironment = 'sandbox' | 'production';

/** The base URL of each environment. */
export const ENVIRONMENT_BASE_URLS: Readonly<Record<JuspayEnvironment, string>> = Object.freeze({
  sandbox: 'https://sandbox.juspay.in',
  production: 'https://api.juspay.in',
});

/** Options of {@link JuspayClient}. Only `apiKey` is required. */
export interface JuspayClientOptions {
  /** Juspay API key, from the dashboard. Sent as HTTP Basic user name with an empty password. */
  apiKey: string;
  /** `'sandbox'` (default) or `'production'`. Ignored when `baseUrl` is given. */
  environment?: JuspayEnvironment | undefined;
  /**
   * Any `https:` origin, optionally with a path prefix. `http:` is accepted only for
   * loopback hosts (`localhost`, `127.0.0.0/8`, `::1`), so the key never travels in clear.
   */
  baseUrl?: string | URL | undefined;
  /** Per attempt, covering connect, headers and body. Default `10000`. */
  timeoutMs?: number | undefined;
  /** Whole call, including retries and waits; no attempt starts past it. Default `30000`. */
  deadlineMs?: number | undefined;
  /** Retries after the first attempt; `0` means exactly one attempt. Default `2`. */
  maxRetries?: number | undefined;
  /**
   * Any undici `Dispatcher` (proxy agent, custom pool, `MockAgent`). Default: the client's
   * own keep-alive `Agent`. Not with `fetch`, nor in the edge build (a `TypeError`).
   */
  dispatcher?: Dispatcher | undefined;
  /**
   * Sends through this Web `fetch` instead of undici (the default of the edge build, which
   * uses the runtime's `fetch`). A failure without an answer is `ambiguous` there unless
   * its error shows that no connection was made.
   */
  fetch?: FetchFunction | undefined;
  /** Extra static headers such as `x-merchantid`. The client's own headers cannot be set here. */
  headers?: Readonly<Record<string, string>> | undefined;
  /** Telemetry callback. Exceptions it throws (or promises it rejects) never break a call. */
  onEvent?: ((event: JuspayEvent) => void) | undefined;
  /**
   * Awaited before each attempt of each call, retries included: a shared limiter's turn
   * (the CLI, a queue worker). A `Retry-After` is then the hook's to keep: it gets
   * `retryAfterMs`, and the client does not wait it out itself (a backoff it still waits).
   * The attempt's `timeoutMs` starts when it resolves; the
   * call's `deadlineMs` starts with the first attempt and runs through the hook before
   * every later one (past it, `JuspayTimeoutError`); the call's `signal` aborts the wait
   * with its reason; a rejection ends the call with that rejection, unretried.
   */
  beforeAttempt?: ((attempt: BeforeAttempt) => void | Promise<void>) | undefined;
  /**
   * Juspay's merchant id (from the dashboard, case-sensitive), sent as `x-merchantid` on
   * `listCards`, where Juspay requires it. Wins over a `headers['x-merchantid']`.
   */
  merchantId?: string | undefined;
}

/** The options after validation. */
export interface ResolvedClientOptions {
  apiKey: string;
  environment: JuspayEnvironment | undefined;
  /** Origin plus path prefix, without a trailing slash. */
  baseUrl: string;
  timeoutMs: number;
  deadlineMs: number;
  maxRetries: number;
  dispatcher: Dispatcher | undefined;
  fetch: FetchFunction | undefined;
  headers: Readonly<Record<string, string>>;
  onEvent: ((event: JuspayEvent) => void) | undefined;
  beforeAttempt: ((attempt: BeforeAttempt) => void | Promise<void>) | undefined;
  /** `merchantId`, else `headers['x-merchantid']`. */
  merchantId: string | undefined;
}

// Headers the client sets itself.
const RESERVED_HEADERS = new Set([
  'authorization',
  'content-type',
  'content-length',
  'host',
  'x-routing-id',
  'x-request-id',
]);
// Headers about the connection rather than the request: undici refuses them on every
// call, so they are refused here, once, instead of breaking each call.
const CONNECTION_HEADERS = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'expect',
]);
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// Visible ASCII, space and tab inside; no CR, LF or other controls.
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** Whether `hostname` (as `URL#hostname` spells it) is a loopback host. */
function isLoopbackHost(hostname: string): boolean {
  if (hostname === 'localhost' || hostname === '[::1]') return true;
  const octets = hostname.split('.');
  return (
    octets.length === 4 && octets[0] === '127' && octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255)
  );
}

/**
 * A client option that cannot be used. A `TypeError` (as every option check throws),
 * with the option's name and the problem as data, so a caller that takes options from
 * elsewhere (the CLI's environment variables) can name its own source.
 */
export class JuspayOptionError extends TypeError {
  override name = 'JuspayOptionError';
  /** The option at fault, e.g. `baseUrl`. */
  readonly option: string;
  /** What is wrong with it, e.g. `must use https (got http:)`; never the value of a string. */
  readonly problem: string;
  constructor(owner: string, option: string, problem: string) {
    super(`${owner}: option "${option}" ${problem}`);
    this.option = option;
    this.problem = problem;
  }
}

function fail(option: string, problem: string, owner = 'JuspayClient'): never {
  throw new JuspayOptionError(owner, option, problem);
}

/** Checks a timeout-like option: a finite number above zero. */
export function checkPositiveMs(option: string, value: unknown, owner?: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    fail(option, `must be a finite number of milliseconds above 0 (got ${describe(value)})`, owner);
  }
  // setTimeout clamps anything above 2^31-1 ms to 1 ms; refuse rather than surprise.
  if (value > 2_147_483_647) fail(option, 'must be at most 2147483647 ms', owner);
  return value;
}

/** Checks a retry count: a whole number from 0. */
export function checkRetries(option: string, value: unknown, owner?: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    fail(option, `must be a whole number from 0 (got ${describe(value)})`, owner);
  }
  return value;
}

function describe(value: unknown): string {
  // A string is never echoed: a misplaced environment variable may hold the API key.
  if (typeof value === 'string') return `a string of ${value.length} characters`;
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  return typeof value;
}

function resolveBaseUrl(options: JuspayClientOptions): {
  baseUrl: string;
  environment: JuspayEnvironment | undefined;
} {
  if (options.baseUrl === undefined) {
    const environment = options.environment ?? 'sandbox';
    if (!Object.hasOwn(ENVIRONMENT_BASE_URLS, environment)) {
      fail('environment', `must be "sandbox" or "production" (got ${describe(environment)})`);
    }
    return { baseUrl: ENVIRONMENT_BASE_URLS[environment], environment };
  }
  if (options.environment !== undefined && !Object.hasOwn(ENVIRONMENT_BASE_URLS, options.environment)) {
    fail('environment', `must be "sandbox" or "production" (got ${describe(options.environment)})`);
  }
  const raw = options.baseUrl;
  if (typeof raw !== 'string' && !(raw instanceof URL)) fail('baseUrl', 'must be a URL string');
  let url: URL;
  try {
    url = new URL(String(raw));
  } catch {
    fail(
      'baseUrl',
      `is not a valid absolute URL such as "https://api.juspay.in" (got ${describe(String(raw))})`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    fail('baseUrl', `must use https: (got ${url.protocol})`);
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    fail(
      'baseUrl',
      `must use https: unless the host is loopback (localhost, 127.0.0.0/8, ::1), so the API key is never sent in clear text (got http://${url.host})`,
    );
  }
  if (url.username !== '' || url.password !== '') fail('baseUrl', 'must not contain credentials');
  if (url.search !== '' || url.hash !== '') fail('baseUrl', 'must not have a query or a fragment');
  const prefix = url.pathname.replace(/\/+$/, '');
  return { baseUrl: `${url.origin}${prefix}`, environment: options.environment };
}

function resolveHeaders(headers: unknown): Readonly<Record<string, string>> {
  if (headers === undefined) return Object.freeze({});
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) {
    fail('headers', 'must be an object of header names to string values');
  }
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (!HEADER_NAME.test(name)) fail('headers', `has an invalid header name ${describe(name)}`);
    if (RESERVED_HEADERS.has(lower)) {
      fail('headers', `must not set "${lower}": the client sets it itself`);
    }
    if (CONNECTION_HEADERS.has(lower) || lower.startsWith('proxy-')) {
      fail(
        'headers',
        `must not set "${lower}": it is a connection-level header (use a dispatcher for proxies)`,
      );
    }
    if (typeof value !== 'string' || !HEADER_VALUE.test(value)) {
      fail('headers', `has an invalid value for "${lower}" (must be a string without control characters)`);
    }
    out[lower] = value;
  }
  return Object.freeze(out);
}

/**
 * Checks client options the way `new JuspayClient(options)` does, without making a
 * client (no pool, nothing to close).
 * @throws {JuspayOptionError} naming the option and what is wrong with it.
 */
export function checkClientOptions(options: JuspayClientOptions): void {
  resolveClientOptions(options);
}

/**
 * Validates client options.
 * @throws {TypeError} naming the option and what is wrong with it.
 */
export function resolveClientOptions(options: JuspayClientOptions): ResolvedClientOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('JuspayClient: options must be an object with at least { apiKey }');
  }
  const { apiKey } = options;
  if (apiKey === undefined) fail('apiKey', 'is required');
  if (typeof apiKey !== 'string') fail('apiKey', 'must be a string');
  if (apiKey.trim() === '') fail('apiKey', 'must not be empty');
  // The key ends up in a header: refuse what a header cannot carry, without echoing it.
  if (!/^[\x21-\x7e]+$/.test(apiKey)) fail('apiKey', 'must be printable ASCII without spaces');

  const { baseUrl, environment } = resolveBaseUrl(options);
  const dispatcher = options.dispatcher;
  if (dispatcher !== undefined && typeof (dispatcher as { dispatch?: unknown }).dispatch !== 'function') {
    fail('dispatcher', 'must be an undici Dispatcher (Agent, Pool, ProxyAgent, MockAgent, ...)');
  }
  const fetchFunction = options.fetch;
  if (fetchFunction !== undefined && typeof fetchFunction !== 'function') {
    fail('fetch', 'must be a fetch function, e.g. globalThis.fetch');
  }
  if (fetchFunction !== undefined && dispatcher !== undefined) {
    fail('dispatcher', 'cannot be given with "fetch": a dispatcher is undici\'s, and fetch sends on its own');
  }
  if (options.beforeAttempt !== undefined && typeof options.beforeAttempt !== 'function') {
    fail('beforeAttempt', 'must be a function (sync or async)');
  }
  if (options.onEvent !== undefined && typeof options.onEvent !== 'function') {
    fail('onEvent', 'must be a function');
  }
  const headers = resolveHeaders(options.headers);
  return {
    apiKey,
    environment,
    baseUrl,
    timeoutMs: options.timeoutMs === undefined ? 10_000 : checkPositiveMs('timeoutMs', options.timeoutMs),
    deadlineMs: options.deadlineMs === undefined ? 30_000 : checkPositiveMs('deadlineMs', options.deadlineMs),
    maxRetries: options.maxRetries === undefined ? 2 : checkRetries('maxRetries', options.maxRetries),
    dispatcher,
    fetch: fetchFunction,
    headers,
    onEvent: options.onEvent,
    beforeAttempt: options.beforeAttempt,
    merchantId: resolveMerchantId(options.merchantId) ?? headers['x-merchantid'],
  };
}

function resolveMerchantId(merchantId: unknown): string | undefined {
  if (merchantId === undefined) return undefined;
  if (typeof merchantId !== 'string' || merchantId.trim() === '' || !HEADER_VALUE.test(merchantId)) {
    fail('merchantId', 'must be a non-empty string without control characters (it is sent as x-merchantid)');
  }
  return merchantId;
}

/** Per-call options of `deleteToken` and `listCards`. All optional. */
export interface CallOptions {
  /** Aborts the call, including a wait between retries; the call rejects with `signal.reason`. */
  signal?: AbortSignal | undefined;
  /** Overrides the client's `timeoutMs` for each attempt of this call. */
  timeoutMs?: number | undefined;
  /** Overrides the client's `maxRetries` for this call. */
  maxRetries?: number | undefined;
  /** The `x-request-id` to send (1-128 visible ASCII characters); default a fresh UUID. */
  requestId?: string | undefined;
}

/** Per-call options of `deleteToken`. All optional. */
export interface DeleteTokenOptions extends CallOptions {
  /**
   * An earlier call for the same card may have deleted it (a run that crashed, a job
   * tried again): Juspay's `INVALID_REQUEST` then resolves `{ status: 'SUCCESS',
   * alreadyGone: true }`, exactly as a lost answer within this call does. Default `false`.
   */
  mayAlreadyBeGone?: boolean | undefined;
}

/** Per-call options of `listCards`. All optional. */
export type ListCardsOptions = CallOptions;

/** Per-call options after validation, with the client's defaults filled in. */
export interface ResolvedCallOptions {
  signal: AbortSignal | undefined;
  timeoutMs: number;
  maxRetries: number;
  requestId: string | undefined;
  /** `deleteToken`'s `mayAlreadyBeGone` (always `false` for a list). */
  mayAlreadyBeGone: boolean;
}

const REQUEST_ID = /^[\x21-\x7e]{1,128}$/;

function checkSignal(signal: unknown, owner: string): AbortSignal | undefined {
  if (signal === undefined) return undefined;
  if (
    typeof signal !== 'object' ||
    signal === null ||
    typeof (signal as AbortSignal).aborted !== 'boolean' ||
    typeof (signal as AbortSignal).addEventListener !== 'function'
  ) {
    fail('signal', 'must be an AbortSignal', owner);
  }
  return signal as AbortSignal;
}

/**
 * Validates per-call options (a programming error when wrong).
 * @throws {TypeError} naming the option.
 */
export function resolveCallOptions(
  options: DeleteTokenOptions,
  defaults: ResolvedClientOptions,
  owner: 'deleteToken' | 'listCards' = 'deleteToken',
): ResolvedCallOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`${owner}: options must be an object`);
  }
  const { requestId } = options;
  if (requestId !== undefined && (typeof requestId !== 'string' || !REQUEST_ID.test(requestId))) {
    fail('requestId', 'must be 1-128 visible ASCII characters', owner);
  }
  const { mayAlreadyBeGone } = options;
  if (mayAlreadyBeGone !== undefined && typeof mayAlreadyBeGone !== 'boolean') {
    fail('mayAlreadyBeGone', 'must be true or false', owner);
  }
  if (mayAlreadyBeGone !== undefined && owner === 'listCards') {
    fail('mayAlreadyBeGone', 'is a deleteToken option (a list changes nothing)', owner);
  }
  return {
    signal: checkSignal(options.signal, owner),
    timeoutMs:
      options.timeoutMs === undefined
        ? defaults.timeoutMs
        : checkPositiveMs('timeoutMs', options.timeoutMs, owner),
    maxRetries:
      options.maxRetries === undefined
        ? defaults.maxRetries
        : checkRetries('maxRetries', options.maxRetries, owner),
    requestId,
    mayAlreadyBeGone: mayAlreadyBeGone === true,
  };
}
