/**
 * The error family of `@juspay-tokens/core`: one base class, one subclass per kind of
 * failure, each with a stable `code`, and {@link createJuspayError}, the one place that
 * picks the class for a code.
 *
 * `instanceof` follows the prototype chain as usual, and also answers `true` for an
 * error branded by another copy of this package (the CommonJS build, or a second
 * installed version), matched by its code.
 */

/** Stable machine-readable codes, one per error class. */
export type JuspayErrorCode =
  | 'INVALID_INPUT'
  | 'INVALID_REQUEST'
  | 'AUTHENTICATION_FAILED'
  | 'RATE_LIMITED'
  | 'SERVER_ERROR'
  | 'TIMEOUT'
  | 'NETWORK_ERROR'
  | 'BAD_RESPONSE'
  | 'UNAUTHENTICATED'
  | 'CROSS_SITE_REQUEST';

/** What every {@link JuspayError} constructor accepts besides the message. */
export interface JuspayErrorDetails {
  /** HTTP status of the response, when one arrived. */
  status?: number | undefined;
  /** Juspay's `user_message`, when given: safe to show a shopper. */
  userMessage?: string | undefined;
  /** Our `x-request-id` for the call (the same on every attempt). */
  requestId?: string | undefined;
  /** Juspay's own `error_info.request_id`, when present. */
  upstreamRequestId?: string | undefined;
  /** How many HTTP attempts the call made. */
  attempts?: number | undefined;
  /** Whether an earlier attempt may have reached Juspay, so the card may already be gone. */
  ambiguous?: boolean | undefined;
  /** The parsed upstream body, or at most 2 KiB of its text. */
  body?: unknown;
  /** The underlying error (transport errors). */
  cause?: unknown;
  /** Whether the retry policy retries this outcome (see `retry.ts`); default `false`. */
  retryable?: boolean | undefined;
}

const BRAND = Symbol.for('@juspay-tokens/core.JuspayError');

interface Branded {
  [BRAND]?: true;
  code?: unknown;
}

/**
 * Base class of every error `@juspay-tokens/core` and its adapters reject with.
 *
 * Match with `instanceof` on a subclass, or on the stable {@link JuspayError.code}.
 */
export class JuspayError extends Error {
  /** Stable machine-readable code; see {@link JuspayErrorCode}. */
  readonly code: JuspayErrorCode;
  /** HTTP status of the last response, when a response arrived. */
  readonly status: number | undefined;
  /** Juspay's `user_message`, when given. Safe to show a shopper. */
  readonly userMessage: string | undefined;
  /** Our `x-request-id` for the call: quote it when talking to Juspay support. */
  readonly requestId: string | undefined;
  /** Juspay's own request id (`error_info.request_id`), when present. */
  readonly upstreamRequestId: string | undefined;
  /** HTTP attempts made by the call (0 when nothing was sent). */
  readonly attempts: number;
  /**
   * Whether the retry policy retries this outcome: network errors and timeouts before a
   * 2xx, HTTP 429, 500, 502, 503 and 504. Set whether or not attempts were left.
   */
  readonly retryable: boolean;
  /**
   * `true` when an attempt of this call had an unknown outcome (a timeout or a reset
   * after the request was sent, or a 5xx): the card may already be deleted even though
   * this call failed. Check the shopper's cards before telling them it is still saved.
   */
  readonly ambiguous: boolean;
  /** The parsed upstream body, or at most 2 KiB of its text, when there was one. */
  readonly body: unknown;

  /** The code of this class; the base has none of its own. */
  static readonly CODE: JuspayErrorCode | undefined = undefined;

  constructor(code: JuspayErrorCode, message: string, details: JuspayErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = details.status;
    this.userMessage = details.userMessage;
    this.requestId = details.requestId;
    this.upstreamRequestId = details.upstreamRequestId;
    this.attempts = details.attempts ?? 0;
    this.retryable = details.retryable ?? false;
    this.ambiguous = details.ambiguous ?? false;
    this.body = details.body;
    Object.defineProperty(this, BRAND, { value: true });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    // The prototype chain first: it also answers for prototypes and merchants' subclasses.
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    if (!Object.hasOwn(this, 'CODE')) return false;
    if (typeof value !== 'object' || value === null) return false;
    const branded = value as Branded;
    if (branded[BRAND] !== true) return false;
    const code = this.CODE;
    return code === undefined || branded.code === code;
  }

  /** A plain summary for logs and `JSON.stringify`; never holds credentials. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      status: this.status,
      userMessage: this.userMessage,
      requestId: this.requestId,
      upstreamRequestId: this.upstreamRequestId,
      attempts: this.attempts,
      retryable: this.retryable,
      ambiguous: this.ambiguous,
      body: this.body,
    };
  }
}

/**
 * An error whose code is its class's `CODE`, so that each subclass below names its code
 * once. Not exported: merchants match the subclasses.
 */
abstract class CodedJuspayError extends JuspayError {
  constructor(message: string, details: JuspayErrorDetails = {}) {
    super((new.target as unknown as { CODE: JuspayErrorCode }).CODE, message, details);
  }
}

/** What an answer that may say how long to wait (`Retry-After`) carries besides the details. */
export type RetryAfterDetails = JuspayErrorDetails & { retryAfterMs?: number | undefined };

/** An upstream answer that may have said how long to wait: 429 and 5xx. */
abstract class RetryAfterJuspayError extends CodedJuspayError {
  /** How long the server asked us to wait (from `Retry-After`), when it said and the answer is retried. */
  readonly retryAfterMs: number | undefined;
  constructor(message: string, details: RetryAfterDetails = {}) {
    super(message, details);
    this.retryAfterMs = details.retryAfterMs;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), retryAfterMs: this.retryAfterMs };
  }
}

/** The params broke the input rules; nothing was sent. `code`: `INVALID_INPUT`. */
export class JuspayInputError extends CodedJuspayError {
  static override readonly CODE = 'INVALID_INPUT';
  /** The param at fault (`cardReference`, `customerId`, `routingId` or `params`). */
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), field: this.field };
  }
}

/**
 * Juspay refused the request: HTTP 400/404/422, or a body with `error: true`,
 * `status: "FAILURE"` or `error_info`. Typically the card reference or customer is
 * unknown (or the card was already deleted). `code`: `INVALID_REQUEST`.
 */
export class JuspayInvalidRequestError extends CodedJuspayError {
  static override readonly CODE = 'INVALID_REQUEST';
}

/** Juspay rejected the API key (HTTP 401/403 or `UNAUTHORIZED`). `code`: `AUTHENTICATION_FAILED`. */
export class JuspayAuthenticationError extends CodedJuspayError {
  static override readonly CODE = 'AUTHENTICATION_FAILED';
}

/** Juspay (or a gateway before it) answered 429. `code`: `RATE_LIMITED`. */
export class JuspayRateLimitError extends RetryAfterJuspayError {
  static override readonly CODE = 'RATE_LIMITED';
}

/** Juspay answered with a 5xx. `code`: `SERVER_ERROR`. */
export class JuspayServerError extends RetryAfterJuspayError {
  static override readonly CODE = 'SERVER_ERROR';
}

/** An attempt ran past `timeoutMs`, or the call past `deadlineMs`. `code`: `TIMEOUT`. */
export class JuspayTimeoutError extends CodedJuspayError {
  static override readonly CODE = 'TIMEOUT';
}

/** The connection failed: refused, reset, DNS failure, socket closed. `code`: `NETWORK_ERROR`. */
export class JuspayNetworkError extends CodedJuspayError {
  static override readonly CODE = 'NETWORK_ERROR';
}

/**
 * A response we cannot trust as an answer: a 2xx body that is not JSON, of no known
 * shape or over 64 KiB, or a 1xx/3xx status. `code`: `BAD_RESPONSE`.
 */
export class JuspayResponseError extends CodedJuspayError {
  static override readonly CODE = 'BAD_RESPONSE';
}

/**
 * Raised by the framework adapters: the bound `deleteToken()` or `listCards()` was
 * called with no customer in the session. `code`: `UNAUTHENTICATED`.
 */
export class JuspayUnauthenticatedError extends CodedJuspayError {
  static override readonly CODE = 'UNAUTHENTICATED';
  constructor(
    message = 'No customer is signed in: the bound deleteToken() and listCards() need a customer from the session.',
  ) {
    super(message);
  }
}

/**
 * Raised by the framework adapters: the bound `deleteToken()` was called while serving a
 * cross-site request, or a GET, HEAD or OPTIONS (which a link or an image on any site
 * can trigger). Nothing was sent. `code`: `CROSS_SITE_REQUEST`.
 */
export class JuspayCrossSiteError extends CodedJuspayError {
  static override readonly CODE = 'CROSS_SITE_REQUEST';
  constructor(
    message = 'Refused to delete a card while serving a cross-site or GET/HEAD/OPTIONS request: nothing was sent.',
  ) {
    super(message);
  }
}

/** The codes an upstream outcome (an answer, a timeout, a transport failure) can have. */
export type UpstreamErrorCode = Exclude<
  JuspayErrorCode,
  'INVALID_INPUT' | 'UNAUTHENTICATED' | 'CROSS_SITE_REQUEST'
>;

const CLASS_OF_CODE: Record<
  UpstreamErrorCode,
  new (message: string, details: RetryAfterDetails) => JuspayError
> = {
  INVALID_REQUEST: JuspayInvalidRequestError,
  AUTHENTICATION_FAILED: JuspayAuthenticationError,
  RATE_LIMITED: JuspayRateLimitError,
  SERVER_ERROR: JuspayServerError,
  TIMEOUT: JuspayTimeoutError,
  NETWORK_ERROR: JuspayNetworkError,
  BAD_RESPONSE: JuspayResponseError,
};

/**
 * The error for an upstream outcome: the class of its code, with the details given
 * (`retryable` as the retry policy decided it).
 */
export function createJuspayError(
  code: UpstreamErrorCode,
  message: string,
  details: RetryAfterDetails,
): JuspayError {
  return new CLASS_OF_CODE[code](message, details);
}
