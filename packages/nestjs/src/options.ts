/**
 * What `JuspayModule.forRoot()` and `forRootAsync()` take, and the injection tokens the
 * module's providers are found by.
 */
import type {
  FactoryProvider,
  InjectionToken,
  ModuleMetadata,
  OptionalFactoryDependency,
} from '@nestjs/common';
import type { JuspayMiddlewareOptions } from '@juspay-tokens/core/route';

/**
 * The options of `JuspayModule.forRoot()`: those of every adapter (`client` or
 * `clientOptions`, `customerId`, `routingId`, `route`, `trustedOrigins`, `onError`,
 * `onDeleted`, `onDeletedTimeoutMs`, `bodyTimeoutMs`). `Req` is the platform's request
 * the resolvers get: Express's `req` on `@nestjs/platform-express`, Fastify's `request`
 * on `@nestjs/platform-fastify`.
 */
// `any` by default, as Nest's own `@Req()` is: the resolvers read the app's session.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JuspayModuleOptions<Req = any> = JuspayMiddlewareOptions<Req>;

/**
 * The options of `JuspayModule.forRootAsync()`: a factory for {@link JuspayModuleOptions}
 * (sync or async), the providers it takes (`inject`), and the modules they come from
 * (`imports`), as Nest's own `forRootAsync` modules take them.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface JuspayModuleAsyncOptions<Req = any> extends Pick<ModuleMetadata, 'imports'> {
  /** Builds the options from the injected providers, e.g. a `ConfigService`. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  useFactory: (...args: any[]) => JuspayModuleOptions<Req> | Promise<JuspayModuleOptions<Req>>;
  /** The providers passed to `useFactory`, in order. */
  inject?: (InjectionToken | OptionalFactoryDependency)[] | undefined;
}

/** The token of the module's options, as given to `forRoot()` or built by `forRootAsync()`. */
export const JUSPAY_MODULE_OPTIONS = Symbol.for('@juspay-tokens/nestjs:options');

/** The token of the route core the module's routes and `@JuspayContext()` share. */
export const JUSPAY_ROUTE_CORE = Symbol.for('@juspay-tokens/nestjs:route-core');

/** The options provider of either form. */
export function optionsProvider(options: JuspayModuleAsyncOptions): FactoryProvider {
  return { provide: JUSPAY_MODULE_OPTIONS, useFactory: options.useFactory, inject: options.inject ?? [] };
}
