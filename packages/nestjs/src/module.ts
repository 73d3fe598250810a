/**
 * `JuspayModule`: a global module that provides the `JuspayClient`, serves the two
 * routes, gives `@JuspayContext()` and registers the exception filter.
 */
import { Global, Module, type DynamicModule, type Provider } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { JuspayClient } from '@juspay-tokens/core';
import { createJuspayRouteCore, type JuspayRouteCore } from '@juspay-tokens/core/route';
import { JuspayContextPipe } from './context.js';
import { JuspayExceptionFilter } from './exception-filter.js';
import {
  JUSPAY_MODULE_OPTIONS,
  JUSPAY_ROUTE_CORE,
  optionsProvider,
  type JuspayModuleAsyncOptions,
  type JuspayModuleOptions,
} from './options.js';
import { JuspayRoutes, OWNER } from './routes.js';

/** What both forms provide, once the options provider is known. */
function juspayModule(options: Provider, imports: DynamicModule['imports']): DynamicModule {
  return {
    module: JuspayModule,
    global: true,
    imports: imports ?? [],
    providers: [
      options,
      {
        provide: JUSPAY_ROUTE_CORE,
        // Checks the options when the application starts: a TypeError names the fix.
        useFactory: (resolved: JuspayModuleOptions) => createJuspayRouteCore(resolved, OWNER),
        inject: [JUSPAY_MODULE_OPTIONS],
      },
      {
        provide: JuspayClient,
        useFactory: (core: JuspayRouteCore<unknown>) => core.client,
        inject: [JUSPAY_ROUTE_CORE],
      },
      JuspayRoutes,
      JuspayContextPipe,
      { provide: APP_FILTER, useClass: JuspayExceptionFilter },
    ],
    exports: [JuspayClient, JUSPAY_ROUTE_CORE, JuspayContextPipe],
  };
}

/**
 * The NestJS module: import it once, in the root module. It provides the `JuspayClient`
 * (injectable anywhere; one built from `clientOptions` is closed when the application
 * shuts down, one passed as `client` is yours to close), serves
 * `GET /juspay/cards` and `POST /juspay/cards/delete` on Nest's Express or Fastify
 * platform, gives {@link JuspayContext} to controllers, and answers any `JuspayError` a
 * controller throws from the route's table.
 *
 * @example
 * @Module({
 *   imports: [
 *     JuspayModule.forRoot({
 *       clientOptions: { apiKey: process.env.JUSPAY_API_KEY!, merchantId: 'shop_1' },
 *       customerId: (req) => req.session.customerId,
 *     }),
 *   ],
 * })
 * export class AppModule {}
 */
@Global()
@Module({})
export class JuspayModule {
  /**
   * The module with options known up front.
   * @throws {TypeError} when the application starts, if the options are wrong; the message names the fix.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  static forRoot<Req = any>(options: JuspayModuleOptions<Req>): DynamicModule {
    return juspayModule({ provide: JUSPAY_MODULE_OPTIONS, useValue: options }, []);
  }

  /**
   * The module with options built by a factory from injected providers.
   *
   * @example
   * JuspayModule.forRootAsync({
   *   imports: [ConfigModule],
   *   inject: [ConfigService],
   *   useFactory: (config: ConfigService) => ({
   *     clientOptions: { apiKey: config.getOrThrow('JUSPAY_API_KEY') },
   *     customerId: (req) => req.session.customerId,
   *   }),
   * })
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  static forRootAsync<Req = any>(options: JuspayModuleAsyncOptions<Req>): DynamicModule {
    return juspayModule(optionsProvider(options), options.imports);
  }
}
