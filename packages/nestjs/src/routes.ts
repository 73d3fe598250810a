/**
 * Mounts the two routes on the platform the application runs on, when it initialises:
 * after the session middleware or plugins the app registered (in `main.ts` or a module's
 * `configure()`), after Nest's body parser, before Nest's 404 and error handlers. The
 * routes are the Express and Fastify adapters' own, built into this package: nothing
 * here decides an answer.
 */
import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { JuspayMiddlewareOptions, JuspayRouteCore } from '@juspay-tokens/core/route';
import { juspay as expressRoutes } from '@juspay-tokens/express';
import { juspay as fastifyRoutes } from '@juspay-tokens/fastify';
import { JUSPAY_MODULE_OPTIONS, JUSPAY_ROUTE_CORE, type JuspayModuleOptions } from './options.js';

/** What the module needs of Nest's HTTP adapter (Express's or Fastify's). */
interface PlatformAdapter {
  getType(): string;
  getInstance(): unknown;
}

/** The Express app and the Fastify instance, as far as mounting goes. */
interface ExpressApp {
  use(...handlers: unknown[]): unknown;
}
interface FastifyApp {
  register(plugin: unknown, options: unknown): PromiseLike<unknown>;
}

const OWNER = '@juspay-tokens/nestjs';

/** Mounts the routes when the application initialises and closes the client it built on shutdown. */
@Injectable()
export class JuspayRoutes implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(HttpAdapterHost) private readonly host: HttpAdapterHost,
    @Inject(JUSPAY_MODULE_OPTIONS) private readonly options: JuspayModuleOptions,
    @Inject(JUSPAY_ROUTE_CORE) private readonly core: JuspayRouteCore<unknown>,
  ) {}

  async onModuleInit(): Promise<void> {
    // No HTTP adapter: a standalone application context or a microservice, no routes.
    const adapter = this.host.httpAdapter as PlatformAdapter | null | undefined;
    if (adapter == null) return;
    // The routes call Juspay through the module's client: the one the app can inject.
    const { clientOptions: _built, ...rest } = this.options;
    const options: JuspayMiddlewareOptions<unknown> = { ...rest, client: this.core.client };
    const type = adapter.getType();
    if (type === 'express') {
      (adapter.getInstance() as ExpressApp).use(expressRoutes(options as never));
    } else if (type === 'fastify') {
      await (adapter.getInstance() as FastifyApp).register(fastifyRoutes, options);
    } else {
      throw new TypeError(
        `${OWNER}: the "${type}" platform is not supported; use @nestjs/platform-express or @nestjs/platform-fastify`,
      );
    }
  }

  /** Closes the client the module built from `clientOptions`; a client passed in is the app's. */
  async onApplicationShutdown(): Promise<void> {
    if (this.options.client === undefined) await this.core.client.close();
  }
}

export { OWNER };
