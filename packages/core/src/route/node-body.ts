/**
 * Reading a body from a Node stream (the Node adapters): decoded with `node:zlib`, read
 * with raw-body. The edge build replaces this file with `node-body.edge.ts`.
 */
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { ANSWERS, MAX_ROUTE_BODY_BYTES } from './answers.js';
import { firstHeader, type RouteHeaders } from './headers.js';
import type { BodyRead } from './web-body.js';

/** The body's decoders, by `Content-Encoding`. */
const DECODERS: Readonly<Record<string, (() => NodeJS.ReadWriteStream) | undefined>> = {
  identity: undefined,
  gzip: createGunzip,
  'x-gzip': createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};

/** The encodings a Node stream's body may come in. */
export const NODE_ENCODINGS: ReadonlySet<string> = new Set(Object.keys(DECODERS));

/** raw-body, loaded by the first request whose body the route reads itself. */
let rawBody: typeof import('raw-body') | undefined;

/** A raw-body failure as an answer: over the limit, or unreadable (broken, undecodable). */
function readFailure(err: unknown): BodyRead {
  const status = (err as { status?: unknown } | null)?.status;
  return status === 413 ? ANSWERS.tooLarge : ANSWERS.unreadable;
}

/**
 * Reads the body from the stream, decoding it (`encoding` is one of
 * {@link NODE_ENCODINGS}), at most 16 KiB once decoded, within `timeoutMs`. The timer is
 * released on every path; past it, the answer is 408 and the connection closes (which
 * also ends the read).
 */
export async function readNodeStream(
  stream: Readable,
  headers: RouteHeaders,
  encoding: string,
  timeoutMs: number,
): Promise<BodyRead> {
  // Until it is piped, the stream holds its data: loading raw-body first loses nothing.
  rawBody ??= (await import('raw-body')).default;
  const decoder = DECODERS[encoding]?.();
  const source = decoder === undefined ? stream : stream.pipe(decoder);
  const reading = rawBody(source, {
    // The declared length is the encoded one: it only checks an unencoded body.
    length: decoder === undefined ? firstHeader(headers, 'content-length') : undefined,
    limit: MAX_ROUTE_BODY_BYTES,
    encoding: 'utf-8',
  }).then(
    (value): BodyRead => ({ value }),
    (err: unknown) => readFailure(err),
  );
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<BodyRead>((resolve) => {
    timer = setTimeout(() => resolve(ANSWERS.requestTimeout), timeoutMs);
  });
  try {
    return await Promise.race([reading, timedOut]);
  } finally {
    clearTimeout(timer);
    if (decoder !== undefined) stream.unpipe(decoder);
  }
}
