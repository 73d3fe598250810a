/**
 * Every answer the routes give, in one place: the error codes, one code -> HTTP status
 * table, the fixed answers (built once, frozen), and how a `JuspayError` becomes an
 * answer ({@link toRouteAnswer}, also for merchants' own routes).
 */
import { JuspayError, JuspayRateLimitError } from '../errors.js';
import type { SavedCard } from '../saved-cards.js';
import type { RouteResponse } from './types.js';

/** The largest request body the route accepts. */
export const MAX_ROUTE_BODY_BYTES = 16 * 1024;

/** The HTTP status of each error code the route answers with. */
export const ROUTE_ERROR_STATUS = Object.freeze({
  INVALID_INPUT: 400,
  INVALID_REQUEST: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  CROSS_SITE_REQUEST: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  REQUEST_TIMEOUT: 408,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  INTERNAL_ERROR: 500,
  UPSTREAM_AUTH_FAILED: 502,
  UPSTREAM_UNAVAILABLE: 502,
  UPSTREAM_RATE_LIMITED: 503,
  UPSTREAM_TIMEOUT: 504,
});

/** Error codes the route answers with. */
export type RouteErrorCode = keyof typeof ROUTE_ERROR_STATUS;

/** Longest `Retry-After` the route passes on, in seconds. */
const MAX_RETRY_AFTER_SECONDS = 60;
const NO_STORE = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };
/**
 * What every answer of the list route carries: never cached, by any cache (the list
 * depends on the session cookie), and never sniffed into something a page could run.
 */
const LIST_HEADERS = Object.freeze({ ...NO_STORE, vary: 'Cookie' });

/** A failure answer: the status from the table, a message safe to show a shopper. */
export function failure(
  code: RouteErrorCode,
  message: string,
  headers?: Record<string, string>,
): RouteResponse {
  return {
    status: ROUTE_ERROR_STATUS[code],
    headers: headers === undefined ? NO_STORE : { ...NO_STORE, ...headers },
    body: { error: { code, message } },
  };
}

/** Frozen through, so no caller can alter a shared answer for the next request. */
function fixed(answer: RouteResponse): RouteResponse {
  Object.freeze(answer.headers);
  if ('error' in answer.body) Object.freeze(answer.body.error);
  Object.freeze(answer.body);
  return Object.freeze(answer);
}

const UNAVAILABLE = 'The card service is unavailable. Please try again later.';

/** The answers that never vary, each spelled once. */
export const ANSWERS = Object.freeze({
  deleted: fixed({ status: 200, headers: { ...NO_STORE }, body: { status: 'SUCCESS' } }),
  alreadyGone: fixed({
    status: 200,
    headers: { ...NO_STORE },
    body: { status: 'SUCCESS', alreadyGone: true },
  }),
  methodNotAllowed: fixed(
    failure('METHOD_NOT_ALLOWED', 'Use POST to delete a saved card.', { allow: 'POST' }),
  ),
  crossSite: fixed(failure('CROSS_SITE_REQUEST', 'Cross-site requests are not allowed.')),
  signIn: fixed(failure('UNAUTHENTICATED', 'Sign in to manage your saved cards.')),
  unsupportedMedia: fixed(
    failure('UNSUPPORTED_MEDIA_TYPE', 'Send the request as application/json in UTF-8, uncompressed or gzip.'),
  ),
  // These two leave the body unread: close the connection rather than read the rest.
  tooLarge: fixed(
    failure('PAYLOAD_TOO_LARGE', `The request body must be at most ${MAX_ROUTE_BODY_BYTES} bytes.`, {
      connection: 'close',
    }),
  ),
  requestTimeout: fixed(
    failure('REQUEST_TIMEOUT', 'The request body took too long to arrive.', { connection: 'close' }),
  ),
  unreadable: fixed(failure('INVALID_INPUT', 'The request body could not be read.')),
  notAnObject: fixed(failure('INVALID_INPUT', 'The request body must be a JSON object.')),
  twoReferences: fixed(
    failure('INVALID_INPUT', 'Give card_reference once (cardReference is the same field).'),
  ),
  noReference: fixed(failure('INVALID_INPUT', 'card_reference is required.')),
  referenceNotString: fixed(failure('INVALID_INPUT', 'card_reference must be a string.')),
  forbidden: fixed(failure('FORBIDDEN', 'You can only delete your own saved cards.')),
  // For a handler that answers every request (the fetch package's `handler`).
  notFound: fixed(failure('NOT_FOUND', 'There is nothing at this path.')),
  internal: fixed(failure('INTERNAL_ERROR', 'Something went wrong. Please try again later.')),
  unavailable: fixed(failure('UPSTREAM_UNAVAILABLE', UNAVAILABLE)),
  upstreamTimeout: fixed(
    failure('UPSTREAM_TIMEOUT', 'The card service did not answer in time. Please try again.'),
  ),
});

/** `404 {"error":{"code":"NOT_FOUND",...}}`: for a handler that answers every request, at a path that is not a route's. */
export const NOT_FOUND_ANSWER: RouteResponse = ANSWERS.notFound;

const UNKNOWN_CARD = 'The card could not be deleted: the card reference is not valid for this customer.';

function rateLimited(err: JuspayError): RouteResponse {
  const ms = err instanceof JuspayRateLimitError ? err.retryAfterMs : undefined;
  const seconds = ms === undefined ? 1 : Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, Math.ceil(ms / 1000)));
  return failure('UPSTREAM_RATE_LIMITED', 'The card service is busy. Please try again shortly.', {
    'retry-after': String(seconds),
  });
}

/**
 * The answer for a `JuspayError`, from the route's table: `INVALID_INPUT` and
 * `INVALID_REQUEST` 400, `UNAUTHENTICATED` 401, `CROSS_SITE_REQUEST` 403,
 * `AUTHENTICATION_FAILED` 502 `UPSTREAM_AUTH_FAILED`, `RATE_LIMITED` 503
 * `UPSTREAM_RATE_LIMITED` with `Retry-After`, `TIMEOUT` 504 `UPSTREAM_TIMEOUT`, any other
 * upstream failure 502 `UPSTREAM_UNAVAILABLE`. The message is safe to show a shopper:
 * never the key, a stack or upstream internals. For any other error, `undefined`: it is
 * not ours to answer.
 *
 * @example
 * const answer = toRouteAnswer(err);
 * if (answer === undefined) throw err;
 * return new Response(JSON.stringify(answer.body), { status: answer.status, headers: answer.headers });
 */
export function toRouteAnswer(err: unknown): RouteResponse | undefined {
  if (!(err instanceof JuspayError)) return undefined;
  switch (err.code) {
    case 'INVALID_INPUT':
      // The input rules' messages name the field and the rule, never the value.
      return failure('INVALID_INPUT', err.message);
    case 'INVALID_REQUEST':
      // Juspay's user_message is meant for shoppers; the client already stripped and cut it.
      return failure('INVALID_REQUEST', err.userMessage ?? UNKNOWN_CARD);
    case 'AUTHENTICATION_FAILED':
      // The shopper learns nothing about our credentials; onError tells the merchant.
      return failure('UPSTREAM_AUTH_FAILED', UNAVAILABLE);
    case 'RATE_LIMITED':
      return rateLimited(err);
    case 'TIMEOUT':
      return ANSWERS.upstreamTimeout;
    case 'UNAUTHENTICATED':
      return ANSWERS.signIn;
    case 'CROSS_SITE_REQUEST':
      return ANSWERS.crossSite;
    default:
      return ANSWERS.unavailable;
  }
}

/** The list route's fixed answers: the same as the delete route's, with the list's headers. */
export const LIST_ANSWERS = Object.freeze({
  methodNotAllowed: fixed(
    failure('METHOD_NOT_ALLOWED', 'Use GET to list saved cards.', { ...LIST_HEADERS, allow: 'GET' }),
  ),
  crossSite: fixed(listAnswer(ANSWERS.crossSite)),
  signIn: fixed(listAnswer(ANSWERS.signIn)),
});

/**
 * The answer a ready-made route gives when its own call to Juspay failed. The route
 * checked what the request supplied already, so an input error there means the customer
 * or routing id from the session broke the rules: the server's fault, not the shopper's.
 */
export function routeCallFailure(err: unknown): RouteResponse {
  if (err instanceof JuspayError && err.code === 'INVALID_INPUT') return ANSWERS.internal;
  return toRouteAnswer(err) ?? ANSWERS.internal;
}

/** The list route's answer with its own headers (no-store, nosniff, `Vary: Cookie`). */
export function listAnswer(answer: RouteResponse): RouteResponse {
  return { ...answer, headers: { ...answer.headers, ...LIST_HEADERS } };
}

/** The list route's success: always an object, never a bare array. */
export function cardsAnswer(cards: SavedCard[]): RouteResponse {
  return { status: 200, headers: LIST_HEADERS, body: { cards } };
}
