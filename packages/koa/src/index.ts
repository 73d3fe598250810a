/**
 * `@juspay-tokens/koa`: Koa middleware for Juspay's saved cards: list them and delete
 * one, from the signed-in shopper's session.
 *
 * All behaviour lives in `@juspay-tokens/core`; this file only translates Koa's context.
 *
 * @packageDocumentation
 */
import type { DefaultContext, DefaultState, Middleware, ParameterizedContext } from 'koa';
import type { JuspayClient } from '@juspay-tokens/core';
import {
  createJuspayRouteCore,
  toRouteAnswer,
  type RouteResponse,
  type JuspayMiddlewareOptions,
  type JuspayRequestContext,
  type ParsedBody,
} from '@juspay-tokens/core/route';

declare module 'koa' {
  interface ExtendableContext {
    /**
     * `deleteToken()` and `listCards()` bound to the signed-in customer, from `@juspay-tokens/koa`.
     * Exists only once the `juspay()` middleware ran.
     */
    juspay: JuspayRequestContext;
  }
  interface Request {
    /** The same object as `ctx.juspay`. */
    juspay: JuspayRequestContext;
  }
}

export type { DeletedCard, JuspayRequestContext } from '@juspay-tokens/core/route';

/** Options of {@link juspay}: resolvers receive the Koa `ctx`. */
export type JuspayKoaOptions<StateT = DefaultState, ContextT = DefaultContext> = JuspayMiddlewareOptions<
  ParameterizedContext<StateT, ContextT>
>;

/** What {@link juspay} returns: a Koa middleware, plus the `client` in use, to close on shutdown. */
export type JuspayKoaMiddleware<StateT = DefaultState, ContextT = DefaultContext> = Middleware<
  StateT,
  ContextT
> & {
  /** The client the middleware calls Juspay with. */
  readonly client: JuspayClient;
};

/**
 * What a body parser in front (@koa/bodyparser, koa-body) left in `ctx.request.body`. Such
 * a parser throws its own errors before this middleware runs, hence the README's advice
 * to mount `juspay()` first.
 */
function parsedBody(request: { body?: unknown }, streamEnded: boolean): ParsedBody | undefined {
  return request.body !== undefined || streamEnded ? { body: request.body } : undefined;
}

/** Writes a route answer: Koa defaults to 404, so the status is set explicitly. */
function write(ctx: ParameterizedContext, answer: RouteResponse): void {
  ctx.status = answer.status;
  ctx.set(answer.headers);
  ctx.body = answer.body;
}

/**
 * Koa middleware: sets `ctx.juspay` (and `ctx.request.juspay`) and serves the two routes
 * (`GET /juspay/cards` and `POST /juspay/cards/delete` unless `route` says otherwise).
 * Other paths go on to the next middleware. Works with Koa 2 and 3.
 *
 * @example
 * app.use(session(app));
 * app.use(juspay({ clientOptions: { apiKey }, customerId: (ctx) => ctx.session?.customerId }));
 *
 * @throws {TypeError} at mount time when the options are wrong; the message names the fix.
 */
export function juspay<StateT = DefaultState, ContextT = DefaultContext>(
  options: JuspayKoaOptions<StateT, ContextT>,
): JuspayKoaMiddleware<StateT, ContextT> {
  const core = createJuspayRouteCore(options, '@juspay-tokens/koa');

  const middleware: Middleware<StateT, ContextT> = async (ctx, next) => {
    // Idempotent: a second juspay() in the chain leaves the first one's binding alone.
    if ((ctx as Partial<typeof ctx>).juspay === undefined) {
      const context = core.context(ctx, ctx);
      ctx.juspay = context;
      ctx.request.juspay = context;
    }
    if (!core.matches(ctx.path)) {
      await next();
      return;
    }
    const answer = await core.handle(ctx, {
      method: ctx.method,
      path: ctx.path,
      headers: ctx.headers,
      stream: ctx.req,
      parsed: parsedBody(ctx.request as { body?: unknown }, ctx.req.readableEnded),
    });
    write(ctx, answer);
  };

  return Object.assign(middleware, { client: core.client });
}

/**
 * Koa middleware that answers any `JuspayError` thrown by the middleware after it (a
 * merchant's own route whose `ctx.juspay.deleteToken()` or `listCards()` rejected) in JSON
 * from the route's table, and rethrows every other error unchanged. Mount it before your
 * routes.
 *
 * @example
 * app.use(juspayErrors());
 * router.post('/account/close', async (ctx) => { await ctx.juspay.deleteToken('ref_123'); ctx.status = 204; });
 */
export function juspayErrors<StateT = DefaultState, ContextT = DefaultContext>(): Middleware<
  StateT,
  ContextT
> {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      const answer = toRouteAnswer(err);
      if (answer === undefined) throw err;
      write(ctx, answer);
    }
  };
}
