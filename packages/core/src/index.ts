/**
 * `@juspay-tokens/core`: a typed, retrying client for Juspay's Delete Token API, its
 * error classes, and the HTTP route logic the Express and Koa adapters share.
 *
 * @packageDocumentation
 */
export { JuspayClient, type DeleteTokenOptions, type DeleteTokenResult } from './client.js';
export {
  JuspayAuthenticationError,
  JuspayError,
  JuspayInputError,
  JuspayInvalidRequestError,
  JuspayNetworkError,
  JuspayRateLimitError,
  JuspayResponseError,
  JuspayServerError,
  JuspayTimeoutError,
  JuspayUnauthenticatedError,
  type JuspayErrorCode,
  type JuspayErrorDetails,
} from './errors.js';
export type {
  JuspayErrorEvent,
  JuspayEvent,
  JuspayRequestEvent,
  JuspayResponseEvent,
  JuspayRetryEvent,
} from './events.js';
export { MAX_ID_LENGTH, type DeleteTokenParams } from './input.js';
export { ENVIRONMENT_BASE_URLS, type JuspayClientOptions, type JuspayEnvironment } from './options.js';
export { TRACING_CHANNEL, type DeleteTokenTraceContext } from './tracing.js';
export { VERSION } from './version.js';
export {
  createJuspayRouteCore,
  DEFAULT_ROUTE_PATH,
  isBodyParserError,
  MAX_ROUTE_BODY_BYTES,
  type JuspayMiddlewareOptions,
  type JuspayRequestContext,
  type JuspayRouteCore,
  type MaybePromise,
  type RouteErrorCode,
  type RouteRequest,
  type RouteResponse,
} from './route.js';
