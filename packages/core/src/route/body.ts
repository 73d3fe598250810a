/**
 * Reading the request: its media type and encoding, its size, the body itself (from a
 * parser that ran before the route, or from the stream, within a time limit), and the
 * card reference it asks for.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { describeIdProblem } from '../input.js';
import { ANSWERS, failure, MAX_ROUTE_BODY_BYTES } from './answers.js';
import type { RouteRequest, RouteResponse } from './types.js';
import { firstHeader } from './headers.js';

/** The body's decoders, by `Content-Encoding`. */
const DECODERS: Readonly<Record<string, (() => NodeJS.ReadWriteStream) | undefined>> = {
  identity: undefined,
  gzip: createGunzip,
  'x-gzip': createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};

function encodingOf(headers: IncomingHttpHeaders): string {
  return (firstHeader(headers, 'content-encoding') ?? 'identity').trim().toLowerCase();
}

/** content-type's parser, loaded by the first delete that gets this far. */
let contentType: typeof import('content-type') | undefined;

/** Whether the body is JSON in UTF-8, in an encoding the route can decode. */
export async function isAcceptedMedia(headers: IncomingHttpHeaders): Promise<boolean> {
  contentType ??= await import('content-type');
  let media: { type: string; parameters: Record<string, string> };
  try {
    media = contentType.parse(firstHeader(headers, 'content-type') ?? '');
  } catch {
    return false;
  }
  const charset = media.parameters.charset?.toLowerCase();
  return (
    (media.type === 'application/json' || /^application\/[^/]+\+json$/.test(media.type)) &&
    (charset === undefined || charset === 'utf-8' || charset === 'utf8') &&
    Object.hasOwn(DECODERS, encodingOf(headers))
  );
}

/** Whether `Content-Length` already says the body is over the limit. */
export function isDeclaredTooLarge(headers: IncomingHttpHeaders): boolean {
  const length = Number(firstHeader(headers, 'content-length'));
  return Number.isFinite(length) && length > MAX_ROUTE_BODY_BYTES;
}

/** raw-body, loaded by the first request whose body the route reads itself. */
let rawBody: typeof import('raw-body') | undefined;

/** A raw-body failure as an answer: over the limit, or unreadable (broken, undecodable). */
function readFailure(err: unknown): RouteResponse {
  const status = (err as { status?: unknown } | null)?.status;
  return status === 413 ? ANSWERS.tooLarge : ANSWERS.unreadable;
}

/**
 * Reads the body from the stream, decoding it, at most 16 KiB once decoded, within
 * `timeoutMs`. The timer is released on every path; past it, the answer is 408 and the
 * connection closes (which also ends the read).
 */
async function readStream(
  stream: Readable,
  headers: IncomingHttpHeaders,
  timeoutMs: number,
): Promise<{ value: string } | RouteResponse> {
  // Until it is piped, the stream holds its data: loading raw-body first loses nothing.
  rawBody ??= (await import('raw-body')).default;
  const decoder = DECODERS[encodingOf(headers)]?.();
  const source = decoder === undefined ? stream : stream.pipe(decoder);
  const reading = rawBody(source, {
    // The declared length is the encoded one: it only checks an unencoded body.
    length: decoder === undefined ? firstHeader(headers, 'content-length') : undefined,
    limit: MAX_ROUTE_BODY_BYTES,
    encoding: 'utf-8',
  }).then(
    (value) => ({ value }),
    (err: unknown) => readFailure(err),
  );
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<RouteResponse>((resolve) => {
    timer = setTimeout(() => resolve(ANSWERS.requestTimeout), timeoutMs);
  });
  try {
    return await Promise.race([reading, timedOut]);
  } finally {
    clearTimeout(timer);
    if (decoder !== undefined) stream.unpipe(decoder);
  }
}

/**
 * The body as a value: what a parser that ran before the route left (its failures
 * answered from the table), else read from the stream. Text is parsed as JSON.
 */
export async function readBody(
  request: RouteRequest,
  timeoutMs: number,
): Promise<{ value: unknown } | RouteResponse> {
  const { parsed } = request;
  let value: unknown;
  if (parsed !== undefined && 'failure' in parsed) {
    if (parsed.failure === 'too-large') return ANSWERS.tooLarge;
    if (parsed.failure === 'unsupported') return ANSWERS.unsupportedMedia;
    return ANSWERS.notAnObject;
  }
  if (parsed !== undefined) value = parsed.body;
  else if (!request.stream.readableEnded) {
    const read = await readStream(request.stream, request.headers, timeoutMs);
    if (!('value' in read)) return read;
    value = read.value;
  }
  // A raw or text parser that ran before us leaves a Buffer or a string.
  if (Buffer.isBuffer(value)) value = value.toString('utf8');
  if (typeof value !== 'string') return { value };
  try {
    return { value: JSON.parse(value) as unknown };
  } catch {
    return ANSWERS.notAnObject;
  }
}

/**
 * The card reference a body asks to delete for `customer`: 400 when it is missing or
 * breaks the input rules, 403 when the body names another customer.
 */
export function cardReferenceFrom(
  body: unknown,
  customer: string,
): { cardReference: string } | RouteResponse {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return ANSWERS.notAnObject;
  const fields = body as Record<string, unknown>;
  const snake = fields.card_reference;
  const camel = fields.cardReference;
  if (snake !== undefined && camel !== undefined && snake !== camel) return ANSWERS.twoReferences;
  const cardReference = snake ?? camel;
  if (cardReference === undefined) return ANSWERS.noReference;
  if (typeof cardReference !== 'string') return ANSWERS.referenceNotString;
  const problem = describeIdProblem(cardReference);
  if (problem !== undefined) return failure('INVALID_INPUT', `card_reference ${problem}.`);
  for (const key of ['customer_id', 'customerId']) {
    if (fields[key] !== undefined && fields[key] !== customer) return ANSWERS.forbidden;
  }
  return { cardReference };
}
