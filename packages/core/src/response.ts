/**
 * The error mapping, in one place: how an HTTP status and body from Juspay become a
 * success or a {@link JuspayErrorCode}. Shapes are those in Juspay's docs and samples
 * (see `shared/reference/juspay-facts.md`).
 */
import { z } from 'zod';
import type { JuspayErrorCode, JuspayErrorDetails } from './errors.js';
import { isRetryableStatus, parseRetryAfterMs } from './retry.js';

/** Bodies larger than this are not read further. */
export const MAX_RESPONSE_BYTES = 64 * 1024;
/** How much of a body that is not JSON an error keeps. */
export const MAX_KEPT_TEXT_BYTES = 2 * 1024;

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

/** A response body as read: its text (cut at the size limit) and whether it was cut. */
export interface ReadBody {
  text: string;
  tooLarge: boolean;
}

/** What one HTTP response means. */
export type ResponseOutcome =
  | { ok: true }
  | {
      ok: false;
      code: JuspayErrorCode;
      message: string;
      details: JuspayErrorDetails;
      retryable: boolean;
      /** The request reached Juspay and its effect is unknown (5xx). */
      ambiguous: boolean;
      retryAfterMs: number | undefined;
    };

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

/**
 * Classifies one response. The HTTP status decides first; a 2xx succeeds only when its
 * body says `status: "SUCCESS"` and nothing in it signals an error.
 */
export function classifyResponse(
  status: number,
  headers: Record<string, string | string[] | undefined>,
  read: ReadBody,
): ResponseOutcome {
  const json = read.tooLarge ? undefined : parseJson(read.text);
  const parsed = json === undefined ? undefined : juspayBodySchema.safeParse(json);
  const body = parsed?.success === true ? parsed.data : undefined;

  if (status >= 200 && status < 300 && body?.status === 'SUCCESS' && !signalsError(body)) {
    return { ok: true };
  }

  const details: JuspayErrorDetails = {
    status,
    userMessage: body?.user_message ?? body?.error_info?.user_message,
    upstreamRequestId: body?.error_info?.request_id,
    body: json ?? (read.text === '' ? undefined : keptText(read.text)),
  };
  const reason = reasonOf(body);
  const because = reason === undefined ? '' : `: ${reason}`;
  const fail = (
    code: JuspayErrorCode,
    message: string,
    extra: { ambiguous?: boolean; retryAfterMs?: number | undefined } = {},
  ): ResponseOutcome => ({
    ok: false,
    code,
    message,
    details,
    retryable: isRetryableStatus(status),
    ambiguous: extra.ambiguous ?? false,
    retryAfterMs: extra.retryAfterMs,
  });

  if (status === 401 || status === 403) {
    return fail(
      'AUTHENTICATION_FAILED',
      `Juspay rejected the credentials (HTTP ${status})${because}. Check the API key and the environment (sandbox or production).`,
    );
  }
  if (status === 429) {
    const retryAfterMs = parseRetryAfterMs(headers['retry-after']);
    return fail('RATE_LIMITED', `Juspay rate-limited the request (HTTP 429)${because}`, { retryAfterMs });
  }
  if (status >= 500) {
    return fail('SERVER_ERROR', `Juspay answered HTTP ${status}${because}`, {
      ambiguous: true,
      retryAfterMs: parseRetryAfterMs(headers['retry-after']),
    });
  }
  if (status >= 400) {
    return fail('INVALID_REQUEST', `Juspay refused the request (HTTP ${status})${because}`);
  }
  if (status < 200 || status >= 300) {
    return fail('BAD_RESPONSE', `Juspay answered with unexpected HTTP status ${status}`);
  }
  if (read.tooLarge) {
    return fail(
      'BAD_RESPONSE',
      `Juspay answered HTTP ${status} with a body over ${MAX_RESPONSE_BYTES} bytes`,
    );
  }
  if (body === undefined) {
    return fail(
      'BAD_RESPONSE',
      json === undefined
        ? `Juspay answered HTTP ${status} with a body that is not JSON`
        : `Juspay answered HTTP ${status} with JSON that is not an object`,
    );
  }
  if (body.error_info?.code === 'UNAUTHORIZED') {
    return fail(
      'AUTHENTICATION_FAILED',
      `Juspay rejected the credentials${because}. Check the API key and the environment (sandbox or production).`,
    );
  }
  if (signalsError(body)) {
    return fail('INVALID_REQUEST', `Juspay refused the request${because}`);
  }
  return fail('BAD_RESPONSE', `Juspay answered HTTP ${status} with a body of no known shape`);
}
