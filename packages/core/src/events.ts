import type { JuspayErrorCode } from './errors.js';

/** The client's calls: what every event, trace and `beforeAttempt` names. */
export type JuspayOperation = 'deleteToken' | 'listCards';

/** An attempt is about to be sent. */
export interface JuspayRequestEvent {
  type: 'request';
  operation: JuspayOperation;
  requestId: string;
  /** 1 for the first attempt of a call. */
  attempt: number;
  /** `POST` for `deleteToken`, `GET` for `listCards`. */
  method: 'POST' | 'GET';
  /** The URL without its query (a list's customer id is not repeated here). */
  url: string;
  routingId: string;
}

/** An HTTP response arrived (any status). */
export interface JuspayResponseEvent {
  type: 'response';
  operation: JuspayOperation;
  requestId: string;
  attempt: number;
  status: number;
  /** From sending the attempt to the response headers. */
  durationMs: number;
}

/** A failed attempt will be retried after `delayMs`. */
export interface JuspayRetryEvent {
  type: 'retry';
  operation: JuspayOperation;
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
  operation: JuspayOperation;
  requestId: string;
  attempt: number;
  code: JuspayErrorCode;
}

/** What `onEvent` receives. No event ever holds the API key or the `authorization` header. */
export type JuspayEvent = JuspayRequestEvent | JuspayResponseEvent | JuspayRetryEvent | JuspayErrorEvent;
