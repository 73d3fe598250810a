/**
 * The error mapping, in one place: what one attempt's result means. A response's HTTP
 * status and body, or a transport failure, become a success or an {@link AttemptFailure}
 * with its code, a safe message, and whether its effect is unknown (`ambiguous`).
 * The response shapes are those in `docs/juspay-api.md`.
 */
import { z } from 'zod';
import type { AttemptResult } from './attempt.js';
import type { JuspayErrorCode } from './errors.js';
import type { Redactor } from './redact.js';
import { parseRetryAfterMs } from './retry.js';

/** Bodies larger than this are not read further. */
export const MAX_RESPONSE_BYTES = 64 * 1024;
/** How much of a body that is not JSON an error keeps. */
export const MAX_KEPT_TEXT_BYTES = 2 * 1024;
/** The most characters of upstream text that reach `message` or `userMessage`. */
export const MAX_UPSTREAM_TEXT = 300;

const optionalString = z.string().optional().catch(undefined);

const errorInfoSchema = z.looseObject({
  code: optionalString,
  request_id: optionalString,
  user_message: optionalString,
});

const juspayBodySchema = z.looseObject({
  status: z.unknown().optional(),
  error: z.unknown().optional(),
  error_message: optionalString,
  error_code: optionalString,
  user_message: optionalString,
  error_info: errorInfoSchema.optional().catch(undefined),
});

type JuspayBody = z.infer<typeof juspayBodySchema>;

/** A failed attempt: what its error will say. */
export interface AttemptFailure {
  ok: false;
  code: Exclude<JuspayErrorCode, 'INVALID_INPUT' | 'UNAUTHENTICATED' | 'CROSS_SITE_REQUEST'>;
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

/** What one attempt means. */
export type AttemptOutcome = { ok: true; status: number } | AttemptFailure;

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

// ANSI escape sequences first (so no "[31m" is left behind), then any other control.
const ANSI_SEQUENCE = /\u001b\[[0-?]*[ -/]*[@-~]/g;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]+/g;

/**
 * Upstream text made safe for a message or a log line: no control characters (so no
 * forged lines or terminal escapes), trimmed, and at most 300 characters.
 */
export function cleanUpstreamText(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const clean = text.replace(ANSI_SEQUENCE, '').replace(CONTROL, ' ').trim();
  if (clean === '') return undefined;
  if (clean.length <= MAX_UPSTREAM_TEXT) return clean;
  // Cut on a code point boundary: never half a surrogate pair.
  return Array.from(clean).slice(0, MAX_UPSTREAM_TEXT).join('').slice(0, MAX_UPSTREAM_TEXT);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function keptText(text: string): string {
  if (Buffer.byteLength(text) <= MAX_KEPT_TEXT_BYTES) return text;
  return Buffer.from(text).subarray(0, MAX_KEPT_TEXT_BYTES).toString('utf8');
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

function isSuccess(status: number, text: string, tooLarge: boolean): boolean {
  if (status < 200 || status >= 300 || tooLarge) return false;
  const json = parseJson(text) as Record<string, unknown> | null | undefined;
  if (typeof json !== 'object' || json === null || json.status !== 'SUCCESS') return false;
  // The usual answer, {"status":"SUCCESS"}, needs no schema: no field that could signal an error.
  if (json.error === undefined && json.error_info === undefined) return true;
  const parsed = juspayBodySchema.safeParse(json);
  return parsed.success && !signalsError(parsed.data);
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
  detail: { tooLarge: boolean; json: unknown },
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
        return `Juspay answered HTTP ${status} with a body over ${MAX_RESPONSE_BYTES} bytes`;
      if (detail.json === undefined) return `Juspay answered HTTP ${status} with a body that is not JSON`;
      if (typeof detail.json !== 'object' || detail.json === null)
        return `Juspay answered HTTP ${status} with JSON that is not an object`;
      return `Juspay answered HTTP ${status} with a body of no known shape`;
  }
}

/**
 * Classifies a complete response. The HTTP status decides first; a 2xx succeeds only
 * when its body says `status: "SUCCESS"` and nothing in it signals an error. Anything
 * taken from the body into the failure is redacted and cleaned.
 */
export function classifyResponse(
  status: number,
  headers: Record<string, string | string[] | undefined>,
  read: { text: string; tooLarge: boolean },
  redactor: Redactor,
): AttemptOutcome {
  if (isSuccess(status, read.text, read.tooLarge)) return { ok: true, status };

  // The failure path parses again, redacting every string as it goes.
  const json = read.tooLarge ? undefined : redactor.json(read.text);
  const parsed = json === undefined ? undefined : juspayBodySchema.safeParse(json);
  const body = parsed?.success === true ? parsed.data : undefined;
  const code = failureCode(status, body, read.tooLarge);
  const retried = code === 'RATE_LIMITED' || code === 'SERVER_ERROR';
  return {
    ok: false,
    code,
    message: failureMessage(code, status, cleanUpstreamText(reasonOf(body)), {
      tooLarge: read.tooLarge,
      json,
    }),
    status,
    ambiguous: status >= 500,
    retryAfterMs: retried ? parseRetryAfterMs(headers['retry-after']) : undefined,
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

/** What one attempt's result means. */
export function classifyAttempt(
  result: Exclude<AttemptResult, { kind: 'aborted' }>,
  redactor: Redactor,
  limits: AttemptLimits,
): AttemptOutcome {
  if (result.kind === 'response') return classifyResponse(result.status, result.headers, result, redactor);
  return classifyTransportFailure(result, limits);
}
