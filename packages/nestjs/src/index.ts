/**
 * `@juspay-tokens/nestjs`: a NestJS module for Juspay's saved cards: the client as a
 * provider, the list and delete routes on Nest's Express and Fastify platforms,
 * `@JuspayContext()` bound to the signed-in shopper, and an exception filter that
 * answers `JuspayError`s from the route's table.
 *
 * All behaviour lives in `@juspay-tokens/core`; the routes are the Express and Fastify
 * adapters' own.
 *
 * @packageDocumentation
 */
export { JuspayContext, JuspayContextPipe } from './context.js';
export { JuspayExceptionFilter } from './exception-filter.js';
export { JuspayModule } from './module.js';
export {
  JUSPAY_MODULE_OPTIONS,
  JUSPAY_ROUTE_CORE,
  type JuspayModuleAsyncOptions,
  type JuspayModuleOptions,
} from './options.js';
export { JuspayClient } from '@juspay-tokens/core';
export type { DeletedCard, JuspayRequestContext } from '@juspay-tokens/core/route';
