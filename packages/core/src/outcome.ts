/**
 * The error mapping, in one place: what one attempt's result means. A response's HTTP
 * status and body, or a transport failure, become a success or an {@link AttemptFailure}
 * with its code, a safe message, and whether its effect is unknown (`ambiguous`).
 * The response shapes are those in `docs/juspay-api.md`.
 */
import type { AttemptResult } from './transport.js';
import type { UpstreamErrorCode } from './errors.js';
import type { JuspayOperation } from './events.js';
import type { Redactor } from './redact.js';
import { isRetryable, parseRetryAfterMs } from './retry.js';
import { bodySchemas, loadBodySchemas, schemasLoaded, type JuspayBody } from './schemas.js';
import { cleanText } from './text.js';

/** How much of a body that is not JSON an error keeps. */
export const MAX_KEPT_TEXT_BYTES = 2 * 1024;
/** The most characters of upstream text that reach `message` or `userMessage`. */
export const MAX_UPSTREAM_TEXT = 300;

/** A failed attempt: what its error will say. */
export interface AttemptFailure {
  ok: false;
  code: UpstreamErrorCode;
  message: string;
  /** The HTTP status, when response headers arrived. */
  status: number | undefined;
  /** The request left the process and no complete answer came back, or a 5xx came. */
  ambiguous: boolean;
  retryAfterMs: number | undefined;
  userMessage: string | undefined;
  upstreamRequestId: string | undefined;
  /** The upstream body, redacted: parsed JSON, or at most 2 KiB of its text. */
  body: unknown;
  cause: unknown;
}

/** What one attempt means. A success carries the parsed body (a list's `cards`; nothing for a delete). */
export type AttemptOutcome = { ok: true; status: number; body: unknown } | AttemptFailure;

// Connection failures that happen before any byte of the request is sent. The
// transport already knows whether it handed the request to a connection; these codes
// also settle it for dispatchers (such as MockAgent) that report a connect error late.
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

/** Upstream text made safe for a message or a log line (see `text.ts`), at most 300 characters. */
function cleanUpstreamText(text: string | undefined): string | undefined {
  return cleanText(text, MAX_UPSTREAM_TEXT);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function keptText(text: string): string {
  // A UTF-16 unit is at most 3 bytes of UTF-8: short text needs no encoding to know.
  if (text.length * 3 <= MAX_KEPT_TEXT_BYTES) return text;
  const bytes = new TextEncoder().encode(text);
  if (bytes.length <= MAX_KEPT_TEXT_BYTES) return text;
  return new TextDecoder().decode(bytes.subarray(0, MAX_KEPT_TEXT_BYTES));
}

/** Any field that says the call failed, whatever the HTTP status. */
function signalsError(body: JuspayBody): boolean {
  return body.error === true || body.status === 'FAILURE' || body.error_info !== undefined;
}

function reasonOf(body: JuspayBody | undefined): string | undefined {
  return (
    body?.user_message ||
    body?.error_info?.user_message ||
    body?.error_message ||
    body?.error_code ||
    body?.error_info?.code ||
    undefined
  );
}

function errorCodeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  const cause = (err as { cause?: unknown } | null)?.cause;
  const causeCode = (cause as { code?: unknown } | null)?.code;
  return typeof causeCode === 'string' ? causeCode : undefined;
}

/** Whether a parsed body has no field that could signal an error (the usual answers: no schema needed). */
function hasNoErrorField(json: Record<string, unknown>): boolean {
  return json.error === undefined && json.error_info === undefined && json.status !== 'FAILURE';
}

/** A 2xx answer's JSON object, or `undefined` when it is none (or over the limit). */
function successJson(status: number, read: ResponseRead): Record<string, unknown> | undefined {
  if (status < 200 || status >= 300 || read.tooLarge) return undefined;
  const json = parseJson(read.text);
  return typeof json === 'object' && json !== null && !Array.isArray(json)
    ? (json as Record<string, unknown>)
    : undefined;
}

/**
 * The body of a successful answer, or `undefined` when the answer is not one: a delete
 * succeeds with `status: "SUCCESS"`, a list with a `cards` array; neither with a field
 * that signals an error.
 */
function successBody(operation: JuspayOperation, json: Record<string, unknown> | undefined): unknown {
  if (json === undefined) return undefined;
  const shaped = operation === 'listCards' ? Array.isArray(json.cards) : json.status === 'SUCCESS';
  if (!shaped) return undefined;
  if (hasNoErrorField(json)) return json;
  const parsed = bodySchemas().parseJuspayBody(json);
  return parsed !== undefined && !signalsError(parsed) ? json : undefined;
}

/**
 * What {@link classifyAttempt} says when the answer needs the schemas and they are not
 * loaded yet: load them ({@link loadBodySchemas}) and classify again. Only a delete's
 * usual success (no error field) and a transport failure never need them.
 */
export const NEEDS_SCHEMAS = Symbol('needs the answer schemas');

export { loadBodySchemas };

// What a list answer holds that must never reach an error: the cards themselves, and
// their payment credential and identifying fields wherever they appear.
const CARD_FIELDS = new Set([
  'cards',
  'card_token',
  'card_fingerprint',
  'card_isin',
  'name_on_card',
  'card_number',
]);

/** A failed list answer's body without any card field, so no card detail reaches an error. */
function withoutCards(json: unknown): unknown {
  if (Array.isArray(json)) return json.map(withoutCards);
  if (typeof json !== 'object' || json === null) return json;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(json)) {
    if (!CARD_FIELDS.has(key)) out[key] = withoutCards(value);
  }
  return out;
}

/** A response's body as the transport read it. */
interface ResponseRead {
  text: string;
  tooLarge: boolean;
  limitBytes: number;
}

/** Which code a response that is not a success gets: the status first, then the body. */
function failureCode(
  status: number,
  body: JuspayBody | undefined,
  tooLarge: boolean,
): AttemptFailure['code'] {
  if (status === 401 || status === 403) return 'AUTHENTICATION_FAILED';
  if (status === 429) return 'RATE_LIMITED';
  if (status >= 500) return 'SERVER_ERROR';
  if (status >= 400) return 'INVALID_REQUEST';
  if (status < 200 || status >= 300 || tooLarge || body === undefined) return 'BAD_RESPONSE';
  if (body.error_info?.code === 'UNAUTHORIZED') return 'AUTHENTICATION_FAILED';
  return signalsError(body) ? 'INVALID_REQUEST' : 'BAD_RESPONSE';
}

function failureMessage(
  code: AttemptFailure['code'],
  status: number,
  reason: string | undefined,
  detail: { tooLarge: boolean; limitBytes: number; json: unknown },
): string {
  const because = reason === undefined ? '' : `: ${reason}`;
  const success = status >= 200 && status < 300;
  switch (code) {
    case 'AUTHENTICATION_FAILED':
      return `Juspay rejected the credentials${success ? '' : ` (HTTP ${status})`}${because}. Check the API key and the environment (sandbox or production).`;
    case 'RATE_LIMITED':
      return `Juspay rate-limited the request (HTTP 429)${because}`;
    case 'SERVER_ERROR':
      return `Juspay answered HTTP ${status}${because}`;
    case 'INVALID_REQUEST':
      return `Juspay refused the request${success ? '' : ` (HTTP ${status})`}${because}`;
    default:
      if (!success) return `Juspay answered with unexpected HTTP status ${status}`;
      if (detail.tooLarge)
        return `Juspay answered HTTP ${status} with a body over ${detail.limitBytes} bytes`;
      if (detail.json === undefined) return `Juspay answered HTTP ${status} with a body that is not JSON`;
      if (typeof detail.json !== 'object' || detail.json === null)
        return `Juspay answered HTTP ${status} with JSON that is not an object`;
      return `Juspay answered HTTP ${status} with a body of no known shape`;
  }
}

/**
 * Classifies a complete response. The HTTP status decides first; a 2xx succeeds only
 * when its body has the operation's success shape and nothing in it signals an error.
 * Anything taken from the body into the failure is redacted and cleaned (and, for a
 * list, stripped of every card field).
 */
function classifyResponse(
  operation: JuspayOperation,
  status: number,
  headers: Record<string, string | string[] | undefined>,
  read: ResponseRead,
  redactor: Redactor,
): AttemptOutcome | typeof NEEDS_SCHEMAS {
  const answer = successJson(status, read);
  // The usual delete answer, classified without a schema.
  if (operation === 'deleteToken' && answer?.status === 'SUCCESS' && hasNoErrorField(answer)) {
    return { ok: true, status, body: answer };
  }
  if (!schemasLoaded()) return NEEDS_SCHEMAS;
  const success = successBody(operation, answer);
  if (success !== undefined) return { ok: true, status, body: success };

  // The failure path parses again, redacting every string as it goes.
  const redacted = read.tooLarge ? undefined : redactor.json(read.text);
  const json = operation === 'listCards' ? withoutCards(redacted) : redacted;
  const body = json === undefined ? undefined : bodySchemas().parseJuspayBody(json);
  const code = failureCode(status, body, read.tooLarge);
  return {
    ok: false,
    code,
    message: failureMessage(code, status, cleanUpstreamText(reasonOf(body)), {
      tooLarge: read.tooLarge,
      limitBytes: read.limitBytes,
      json,
    }),
    status,
    ambiguous: status >= 500,
    // Only an answer that is retried says how long to wait.
    retryAfterMs: isRetryable(code, status, operation)
      ? parseRetryAfterMs(headers['retry-after'])
      : undefined,
    userMessage: cleanUpstreamText(body?.user_message ?? body?.error_info?.user_message),
    upstreamRequestId: cleanUpstreamText(body?.error_info?.request_id),
    body: json ?? (read.text === '' ? undefined : keptText(redactor.text(read.text))),
    cause: undefined,
  };
}

/** The time limits an attempt ran under, for a timeout's message. */
export interface AttemptLimits {
  timeoutMs: number;
  deadlineMs: number;
  /** Whether the call's deadline, not `timeoutMs`, bounded this attempt. */
  cutByDeadline: boolean;
}

/** Classifies an attempt that got no complete response: it timed out or the transport failed. */
function classifyTransportFailure(
  result: Extract<AttemptResult, { kind: 'failed' }>,
  limits: AttemptLimits,
): AttemptFailure {
  const timeoutReason = limits.cutByDeadline
    ? `the call ran past deadlineMs (${limits.deadlineMs} ms)`
    : `the attempt ran past timeoutMs (${limits.timeoutMs} ms)`;
  const code = errorCodeOf(result.error);
  const timedOut = result.error === undefined || (code !== undefined && TIMEOUT_CODES.has(code));
  const sent = result.sent && (code === undefined || !NOT_SENT_CODES.has(code));
  return {
    ok: false,
    code: timedOut ? 'TIMEOUT' : 'NETWORK_ERROR',
    message: timedOut
      ? `Juspay did not answer in time: ${timeoutReason}`
      : `Could not reach Juspay (${code ?? 'connection failed'})`,
    status: result.status,
    ambiguous: sent,
    retryAfterMs: undefined,
    userMessage: undefined,
    upstreamRequestId: undefined,
    body: undefined,
    cause: result.error,
  };
}

/** What one attempt's result means for `operation`. */
export function classifyAttempt(
  operation: JuspayOperation,
  result: Exclude<AttemptResult, { kind: 'aborted' }>,
  redactor: Redactor,
  limits: AttemptLimits,
): AttemptOutcome | typeof NEEDS_SCHEMAS {
  if (result.kind === 'response') {
    return classifyResponse(operation, result.status, result.headers, result, redactor);
  }
  return classifyTransportFailure(result, limits);
}
