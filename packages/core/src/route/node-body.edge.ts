/**
 * The edge build's stand-in for `node-body.ts`: there are no Node streams there (the
 * fetch adapter hands the route a Web stream), so nothing imports `node:zlib` or raw-body.
 */
import type { RouteHeaders } from './headers.js';
import type { BodyRead } from './web-body.js';

/** No encoding is read from a Node stream in this build. */
export const NODE_ENCODINGS: ReadonlySet<string> = new Set();

/** Never called in this build: a Node stream is a programming error here. */
export function readNodeStream(
  _stream: unknown,
  _headers: RouteHeaders,
  _encoding: string,
  _timeoutMs: number,
): Promise<BodyRead> {
  return Promise.reject(
    new TypeError('@juspay-tokens/core/route: this runtime build reads Web streams only (Request.body)'),
  );
}
