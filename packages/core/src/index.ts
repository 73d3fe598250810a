/**
 * `@juspay-tokens/core`: a typed, retrying client for Juspay's Delete Token API, its
 * error classes, and tracing. The route logic the adapters share is served from
 * `@juspay-tokens/core/route`.
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
  JuspayCrossSiteError,
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
export { checkDeleteTokenParams, MAX_ID_LENGTH, type DeleteTokenParams } from './input.js';
export { backoffDelayMs } from './retry.js';
export { ENVIRONMENT_BASE_URLS, type JuspayClientOptions, type JuspayEnvironment } from './options.js';
export { TRACING_CHANNEL, type DeleteTokenTraceContext } from './tracing.js';
export { VERSION } from './version.js';
// The route's types, for adapters and merchants' own typing (no runtime cost): its code
// lives behind `@juspay-tokens/core/route`.
export type {
  DeletedCard,
  JuspayMiddlewareOptions,
  JuspayRequestContext,
  MaybePromise,
  RouteErrorCode,
} from './route/index.js';
