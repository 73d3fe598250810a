import type { JuspayErrorCode } from './errors.js';

/** An attempt is about to be sent. */
export interface JuspayRequestEvent {
  type: 'request';
  requestId: string;
  /** 1 for the first attempt of a call. */
  attempt: number;
  method: 'POST';
  url: string;
  routingId: string;
}

/** An HTTP response arrived (any status). */
export interface JuspayResponseEvent {
  type: 'response';
  requestId: string;
  attempt: number;
  status: number;
  /** From sending the attempt to the response headers. */
  durationMs: number;
}

/** A failed attempt will be retried after `delayMs`. */
export interface JuspayRetryEvent {
  type: 'retry';
  requestId: string;
  /** The attempt that failed. */
  attempt: number;
  delayMs: number;
  /** The failed attempt's error code. */
  reason: JuspayErrorCode;
}

/** An attempt failed (fired once per failed attempt). */
export interface JuspayErrorEvent {
  type: 'error';
  requestId: string;
  attempt: number;
  code: JuspayErrorCode;
}

/** What `onEvent` receives. No event ever holds the API key or the `authorization` header. */
export type JuspayEvent = JuspayRequestEvent | JuspayResponseEvent | JuspayRetryEvent | JuspayErrorEvent;
