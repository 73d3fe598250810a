/**
 * `@juspay-tokens/core`: a typed, retrying client for Juspay's saved cards (list them,
 * delete one through the Delete Token API), its error classes, and tracing. The route logic the adapters share is served from
 * `@juspay-tokens/core/route`.
 *
 * @packageDocumentation
 */
export {
  JuspayClient,
  type DeleteTokenOptions,
  type DeleteTokenResult,
  type ListCardsOptions,
  type ListCardsResult,
} from './client.js';
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
  JuspayOperation,
  JuspayRequestEvent,
  JuspayResponseEvent,
  JuspayRetryEvent,
} from './events.js';
export {
  checkDeleteTokenParams,
  checkListCardsParams,
  MAX_ID_LENGTH,
  type DeleteTokenParams,
  type ListCardsParams,
} from './input.js';
export { backoffDelayMs } from './retry.js';
export {
  checkClientOptions,
  ENVIRONMENT_BASE_URLS,
  JuspayOptionError,
  type BeforeAttempt,
  type CallOptions,
  type JuspayClientOptions,
  type JuspayEnvironment,
} from './options.js';
export type { SavedCard } from './saved-cards.js';
export {
  LIST_TRACING_CHANNEL,
  TRACING_CHANNEL,
  type DeleteTokenTraceContext,
  type ListCardsTraceContext,
} from './tracing.js';
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
