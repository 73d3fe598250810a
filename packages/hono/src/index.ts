/**
 * `@juspay-tokens/hono`: Hono middleware for Juspay's saved cards (list them, delete one,
 * for the signed-in shopper), on Node (`@hono/node-server`), Bun, Deno and Workers.
 *
 * A thin translation over `@juspay-tokens/fetch`: resolvers get the Hono `Context`.
 *
 * @packageDocumentation
 */
import type { JuspayClient } from '@juspay-tokens/core';
import type { DeletedCard, JuspayRequestContext, MaybePromise } from '@juspay-tokens/core/route';
import { toRouteAnswer } from '@juspay-tokens/core/route';
import { errorResponse, juspay as juspayFetch, type JuspayFetchOptions } from '@juspay-tokens/fetch';
import type { Context, Env, ErrorHandler, MiddlewareHandler } from 'hono';

declare module 'hono' {
  interface ContextVariableMap {
    /**
     * `deleteToken()` and `listCards()` bound to the signed-in customer, from
     * `@juspay-tokens/hono`. Set once the `juspay()` middleware ran.
     */
    juspay: JuspayRequestContext;
  }
}

export type { DeletedCard, JuspayRequestContext } from '@juspay-tokens/core/route';

/**
 * Options of {@link juspay}: those of every adapter (`client` or `clientOptions`,
 * `route`, `trustedOrigins`, `onDeletedTimeoutMs`, `bodyTimeoutMs`), with resolvers and
 * hooks that get the Hono `Context`.
 */
export interface JuspayHonoOptions<E extends Env = Env> extends Omit<
  JuspayFetchOptions,
  'customerId' | 'routingId' | 'onError' | 'onDeleted'
> {
  /** The signed-in customer's Juspay `customer_id`; `undefined`, `null` or `''` when nobody is signed in. Sync or async. */
  customerId: (c: Context<E>) => MaybePromise<string | undefined | null>;
  /** The `x-routing-id` to send; defaults to the customer id. */
  routingId?: ((c: Context<E>) => MaybePromise<string | undefined | null>) | undefined;
  /** Every upstream failure and unexpected error of the routes (for logging). */
  onError?: ((err: unknown, c: Context<E>) => void) | undefined;
  /** Awaited after the route deleted a card, before it answers. */
  onDeleted?: ((c: Context<E>, deleted: DeletedCard) => MaybePromise<unknown>) | undefined;
}

/** What {@link juspay} returns: a Hono middleware, plus the `client` in use, to close on shutdown. */
export type JuspayHonoMiddleware<E extends Env = Env> = MiddlewareHandler<E> & {
  /** The client the middleware calls Juspay with. */
  readonly client: JuspayClient;
};

/** The fetch package's options, its resolvers given the Hono `Context` as their platform. */
function fetchOptions<E extends Env>(options: JuspayHonoOptions<E>): JuspayFetchOptions<Context<E>> {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(
      '@juspay-tokens/hono: juspay() needs options: { clientOptions | client, customerId }',
    );
  }
  const { customerId, routingId, onError, onDeleted } = options;
  return {
    ...options,
    customerId: typeof customerId === 'function' ? (_request, c) => customerId(c) : customerId,
    routingId: typeof routingId === 'function' ? (_request, c) => routingId(c) : routingId,
    onError: typeof onError === 'function' ? (err, _request, c) => onError(err, c) : onError,
    onDeleted: typeof onDeleted === 'function' ? (_request, deleted, c) => onDeleted(c, deleted) : onDeleted,
  };
}

/** A body stream that fails when read: what a body parser in front left unreadable. */
function unreadable(): ReadableStream<Uint8Array> {
  return new ReadableStream({ pull: (controller) => controller.error(new Error('unreadable body')) });
}

/**
 * The request to hand the route: the raw one, or, when middleware before ours already
 * read its body (`c.req.json()`, a validator), the same request with the body Hono
 * cached, so the route still applies its own limits and rules.
 */
async function routeRequest(c: Context): Promise<Request> {
  const { raw } = c.req;
  if (!raw.bodyUsed || raw.method === 'GET' || raw.method === 'HEAD') return raw;
  let body: string | ReadableStream<Uint8Array>;
  try {
    body = await c.req.text();
  } catch {
    body = unreadable();
  }
  // A stream body needs `duplex: 'half'` (not in every RequestInit type yet).
  const init = { method: raw.method, headers: raw.headers, body, duplex: 'half' };
  return new Request(raw.url, init as RequestInit);
}

/**
 * Hono middleware: sets `c.var.juspay` and serves the two routes (`GET /juspay/cards`
 * and `POST /juspay/cards/delete` unless `route` says otherwise), with the same answers
 * as every adapter; other paths go on to `next()`.
 *
 * @example
 * app.use(juspay({ clientOptions, customerId: (c) => c.get('session')?.customerId }));
 * app.onError(juspayErrorHandler);
 *
 * @throws {TypeError} at mount time when the options are wrong; the message names the fix.
 */
export function juspay<E extends Env = Env>(options: JuspayHonoOptions<E>): JuspayHonoMiddleware<E> {
  const cards = juspayFetch(fetchOptions(options));
  const middleware: MiddlewareHandler<E> = async (c, next) => {
    // Idempotent: a second juspay() in the chain leaves the first one's binding alone.
    if ((c.var as { juspay?: unknown }).juspay === undefined) {
      c.set('juspay', cards.context(c.req.raw, c));
    }
    const answer = await cards.handle(await routeRequest(c), c);
    if (answer === undefined) {
      await next();
      return;
    }
    return answer;
  };
  return Object.assign(middleware, { client: cards.client });
}

/**
 * For `app.onError`: answers a `JuspayError` (a bound call that failed in your own route)
 * in JSON from the route's table, and every other error as Hono's default handler would
 * (an `HTTPException`'s own response, else a logged 500).
 *
 * @example
 * app.onError(juspayErrorHandler);
 */
export const juspayErrorHandler: ErrorHandler = (err, c) => {
  if (toRouteAnswer(err) !== undefined) return errorResponse(err);
  if ('getResponse' in err && typeof err.getResponse === 'function') {
    const res = (err as { getResponse(): Response }).getResponse();
    return c.newResponse(res.body, res);
  }
  console.error(err);
  return c.text('Internal Server Error', 500);
};
