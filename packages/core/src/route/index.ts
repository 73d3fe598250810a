/**
 * `@juspay-tokens/core/route`: the route logic every adapter shares (the delete and list
 * routes, the bound calls, and {@link toRouteAnswer} for merchants' own routes). Served from its own
 * entry point so that an app that only uses `JuspayClient` never loads it.
 *
 * @packageDocumentation
 */
export { createJuspayRouteCore } from './handler.js';
export { DEFAULT_LIST_PATH, DEFAULT_ROUTE_PATH } from './options.js';
export {
  MAX_ROUTE_BODY_BYTES,
  NOT_FOUND_ANSWER,
  ROUTE_ERROR_STATUS,
  toRouteAnswer,
  type RouteErrorCode,
} from './answers.js';
export { isCrossSite } from './cross-site.js';
export type { RouteHeaders } from './headers.js';
export type {
  DeletedCard,
  JuspayMiddlewareOptions,
  JuspayRequestContext,
  JuspayRouteCore,
  MaybePromise,
  ParsedBody,
  RouteRequest,
  RouteResponse,
} from './types.js';
