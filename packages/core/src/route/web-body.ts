/**
 * Reading a body from a Web stream (`Request.body`, for the fetch and Hono adapters):
 * decoded with `DecompressionStream`, at most 16 KiB once decoded, within a time limit.
 * Uses no Node API, so it runs on every runtime.
 */
import { ANSWERS, MAX_ROUTE_BODY_BYTES } from './answers.js';
import type { RouteResponse } from './types.js';

/** The body as text, or the answer that ends the request. */
export type BodyRead = { value: string } | RouteResponse;

/** `DecompressionStream` formats, by `Content-Encoding`. */
const FORMATS: Readonly<Record<string, 'gzip' | 'deflate' | undefined>> = {
  identity: undefined,
  gzip: 'gzip',
  'x-gzip': 'gzip',
  deflate: 'deflate',
};

/** The encodings a Web stream's body may come in (no Brotli: `DecompressionStream` has none on every runtime). */
export const WEB_ENCODINGS: ReadonlySet<string> = new Set(Object.keys(FORMATS));

/** A `Request` (or anything with its `body` and `text()`), as the fetch and Hono adapters hand it over. */
export type WebBody = Pick<Request, 'body' | 'text'>;

/**
 * Reads a `Request`'s body. An unencoded body whose `Content-Length` is declared (and
 * already known to be within the limit) is read with `text()`: a runtime may serve that
 * without building a stream (Node's `@hono/node-server` does, at about twice the
 * throughput); anything else is read from `request.body` as a stream, under the limit.
 */
export async function readWebBody(
  request: WebBody,
  declaredLength: number | undefined,
  encoding: string,
  timeoutMs: number,
): Promise<BodyRead> {
  if (declaredLength === undefined || FORMATS[encoding] !== undefined) {
    return readWebStream(request.body, encoding, timeoutMs);
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<BodyRead>((resolve) => {
    timer = setTimeout(() => resolve(ANSWERS.requestTimeout), timeoutMs);
  });
  const reading = request.text().then(
    // The runtime frames the body by its declared length; a string longer than the limit
    // in characters is longer in bytes too.
    (value): BodyRead => (value.length > MAX_ROUTE_BODY_BYTES ? ANSWERS.tooLarge : { value }),
    (): BodyRead => ANSWERS.unreadable,
  );
  try {
    return await Promise.race([reading, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Reads `body` (`null`: no body) decoding `encoding` (one of {@link WEB_ENCODINGS}). Past
 * the size limit 413, undecodable 400, past `timeoutMs` 408; the stream is cancelled and
 * the timer released on every path.
 */
export async function readWebStream(
  body: ReadableStream<Uint8Array> | null,
  encoding: string,
  timeoutMs: number,
): Promise<BodyRead> {
  if (body === null) return { value: '' };
  const format = FORMATS[encoding];
  // `as never`: @types/node's versions disagree on the decoder's byte type (the root
  // typecheck needs it, the package's own does not).
  const source =
    format === undefined
      ? body
      : // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
        body.pipeThrough<Uint8Array>(new DecompressionStream(format) as never);
  const reader = source.getReader();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<BodyRead>((resolve) => {
    timer = setTimeout(() => resolve(ANSWERS.requestTimeout), timeoutMs);
  });
  try {
    return await Promise.race([readAll(reader), timedOut]);
  } finally {
    clearTimeout(timer);
    void reader.cancel().catch(() => undefined);
  }
}

/** Reads to the end, or stops at the limit. */
async function readAll(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<BodyRead> {
  const decoder = new TextDecoder();
  let text = '';
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { value: text + decoder.decode() };
      size += value.byteLength;
      if (size > MAX_ROUTE_BODY_BYTES) return ANSWERS.tooLarge;
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    // A broken connection or a corrupt encoding.
    return ANSWERS.unreadable;
  }
}
