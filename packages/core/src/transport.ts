/**
 * What the retry loop asks of a transport: send one attempt and settle it within its
 * time limit, whatever happens underneath. There are two: undici's dispatch handler
 * (`undici-transport.ts`, the default on Node) and the Web `fetch`
 * (`fetch-transport.ts`, with `new JuspayClient({ fetch })` and on runtimes without
 * undici). The retry loop and the outcome classifier are the same for both.
 */

/** The request an attempt sends, prepared once per call. */
export interface AttemptRequest {
  /** `https://host[:port]`. */
  origin: string;
  /** The path and query. */
  path: string;
  method: 'POST' | 'GET';
  headers: Record<string, string>;
  body?: string;
}

/** What an attempt brought back. */
export type AttemptResult =
  | {
      kind: 'response';
      status: number;
      headers: Record<string, string | string[] | undefined>;
      /** The body as text, cut at the attempt's size limit. */
      text: string;
      /** Whether the body was over the limit (and not read further). */
      tooLarge: boolean;
      /** The size limit the body was read under, in bytes. */
      limitBytes: number;
    }
  | {
      kind: 'failed';
      /** The transport error, or `undefined` when the attempt's own time limit fired. */
      error: unknown;
      /**
       * Whether the request may have reached Juspay: undici knows when it handed the
       * request to a connection; fetch cannot tell, so it is `true` there (the error's
       * code may still prove nothing was sent).
       */
      sent: boolean;
      /** The HTTP status, when the headers arrived before the failure. */
      status: number | undefined;
    }
  | { kind: 'aborted'; reason: unknown };

/** How one attempt is to be sent. */
export interface AttemptSpec {
  request: AttemptRequest;
  /** The attempt's time limit: it settles by then, whatever the transport is doing. */
  timeoutMs: number;
  /** The caller's signal: the attempt settles `aborted` the moment it fires. */
  signal: AbortSignal | undefined;
  /** The most of the answer that is read. */
  limitBytes: number;
  /** Called when the response headers arrive (for the `response` event). */
  onStatus: ((status: number) => void) | undefined;
}

/** One way of sending attempts. */
export interface Transport {
  /** Sends one attempt; the promise never rejects and settles within `timeoutMs`. */
  send(spec: AttemptSpec): Promise<AttemptResult>;
  /** Releases what the transport opened (calls in flight finish first). */
  close(): Promise<void>;
}

/** The reason an attempt is aborted with when its time is up (never leaves the client). */
export class AttemptTimedOut extends Error {
  override name = 'AttemptTimedOut';
}

/** The most of a delete answer that is read: a larger body is not read further. */
export const MAX_DELETE_RESPONSE_BYTES = 64 * 1024;
/** The most of a list answer that is read (a shopper with many saved cards). */
export const MAX_LIST_RESPONSE_BYTES = 1024 * 1024;
