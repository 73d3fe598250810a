/**
 * Reading the request: its media type and encoding, its size, the body itself (from a
 * parser that ran before the route, or from the stream, within a time limit), and the
 * card reference it asks for.
 */
import type { Readable } from 'node:stream';
import { describeIdProblem } from '../input.js';
import { ANSWERS, failure, MAX_ROUTE_BODY_BYTES } from './answers.js';
import { firstHeader, type RouteHeaders } from './headers.js';
import { NODE_ENCODINGS, readNodeStream } from './node-body.js';
import type { RouteRequest, RouteResponse } from './types.js';
import { readWebBody, readWebStream, WEB_ENCODINGS, type BodyRead, type WebBody } from './web-body.js';

function encodingOf(headers: RouteHeaders): string {
  return (firstHeader(headers, 'content-encoding') ?? 'identity').trim().toLowerCase();
}

/** Whether the body comes as a Node stream (the Node adapters) rather than a Web one. */
function isNodeStream(stream: RouteRequest['stream']): stream is Readable {
  return stream !== null && typeof (stream as Partial<Readable>).pipe === 'function';
}

/** Whether the body comes as a `Request` (the fetch and Hono adapters). */
function isWebBody(stream: RouteRequest['stream']): stream is WebBody {
  return stream !== null && typeof (stream as Partial<WebBody>).text === 'function';
}

/** The body's `Content-Length`, when it declares one. */
function declaredLength(headers: RouteHeaders): number | undefined {
  const value = firstHeader(headers, 'content-length');
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}

/** The encodings the route can decode for this request's body. */
function encodingsOf(request: Pick<RouteRequest, 'stream'>): ReadonlySet<string> {
  return isNodeStream(request.stream) ? NODE_ENCODINGS : WEB_ENCODINGS;
}

/** content-type's parser, loaded by the first delete that gets this far. */
let contentType: typeof import('content-type') | undefined;

/** Whether the body is JSON in UTF-8, in an encoding the route can decode. */
export async function isAcceptedMedia(request: Pick<RouteRequest, 'headers' | 'stream'>): Promise<boolean> {
  const { headers } = request;
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
    encodingsOf(request).has(encodingOf(headers))
  );
}

/** Whether `Content-Length` already says the body is over the limit. */
export function isDeclaredTooLarge(headers: RouteHeaders): boolean {
  const length = Number(firstHeader(headers, 'content-length'));
  return Number.isFinite(length) && length > MAX_ROUTE_BODY_BYTES;
}

/** Reads the body from the request's stream, Node's or the Web's (an ended Node stream reads as nothing). */
function readStream(request: RouteRequest, timeoutMs: number): Promise<BodyRead | { value: undefined }> {
  const { stream, headers } = request;
  const encoding = encodingOf(headers);
  if (isWebBody(stream)) return readWebBody(stream, declaredLength(headers), encoding, timeoutMs);
  if (!isNodeStream(stream)) return readWebStream(stream, encoding, timeoutMs);
  if (stream.readableEnded) return Promise.resolve({ value: undefined });
  return readNodeStream(stream, headers, encoding, timeoutMs);
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
  else {
    const read = await readStream(request, timeoutMs);
    if (!('value' in read)) return read;
    value = read.value;
  }
  // A raw or text parser that ran before us leaves a Buffer or a string.
  if (value instanceof Uint8Array) value = new TextDecoder().decode(value);
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
