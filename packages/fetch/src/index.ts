/**
 * `@juspay-tokens/fetch`: Juspay's saved cards as one Web-standard
 * `(Request) => Response` handler (list them, delete one, for the signed-in shopper), for
 * Next.js route handlers, Bun, Deno, Cloudflare Workers, Vercel's edge and Node.
 *
 * All behaviour lives in `@juspay-tokens/core`; this file only translates `Request` and
 * `Response`, and uses no Node API.
 *
 * @packageDocumentation
 */
import type { JuspayClient } from '@juspay-tokens/core';
import {
  createJuspayRouteCore,
  NOT_FOUND_ANSWER,
  toRouteAnswer,
  type DeletedCard,
  type JuspayMiddlewareOptions,
  type JuspayRequestContext,
  type MaybePromise,
  type RouteResponse,
} from '@juspay-tokens/core/route';

export type { DeletedCard, JuspayRequestContext } from '@juspay-tokens/core/route';

/** One request as the route core sees it: the `Request`, and what the caller passed beside it. */
interface FetchCall<Platform> {
  request: Request;
  platform: Platform;
}

/**
 * Options of {@link juspay}: those of every adapter (`client` or `clientOptions`,
 * `route`, `trustedOrigins`, `onDeletedTimeoutMs`, `bodyTimeoutMs`), with resolvers and
 * hooks that get the `Request` and the `platform` value given to `handle` (a Next.js
 * route context, a Worker's `env`, ...).
 */
export interface JuspayFetchOptions<Platform = unknown> extends Omit<
  JuspayMiddlewareOptions<Request>,
  'customerId' | 'routingId' | 'onError' | 'onDeleted'
> {
  /**
   * The signed-in customer's Juspay `customer_id`, from the session; `undefined`, `null`
   * or `''` when nobody is signed in. Sync or async. An exception it throws rejects
   * `handle` (the runtime's own error handling answers).
   */
  customerId: (request: Request, platform: Platform) => MaybePromise<string | undefined | null>;
  /** The `x-routing-id` to send; defaults to the customer id. Sync or async. */
  routingId?: ((request: Request, platform: Platform) => MaybePromise<string | undefined | null>) | undefined;
  /** Every upstream failure and unexpected error of the routes (for logging); its own exceptions are ignored. */
  onError?: ((err: unknown, request: Request, platform: Platform) => void) | undefined;
  /** Awaited after the route deleted a card, before it answers (see the core's `onDeleted`). */
  onDeleted?:
    ((request: Request, deleted: DeletedCard, platform: Platform) => MaybePromise<unknown>) | undefined;
}

/** What {@link juspay} returns. */
export interface JuspayFetch<Platform = unknown> {
  /**
   * Answers the two routes (`GET /juspay/cards`, `POST /juspay/cards/delete` unless
   * `route` says otherwise) and resolves `undefined` for any other path, so it composes:
   * `(await cards.handle(request)) ?? next(request)`. Rejects only with an exception from
   * a resolver.
   */
  handle(request: Request, platform?: Platform): Promise<Response | undefined>;
  /** Answers every request it is given: the two routes, and a 404 JSON answer for other paths (a Next.js route handler). */
  readonly handler: (request: Request, platform?: Platform) => Promise<Response>;
  /** The calls bound to this request (`deleteToken`, `listCards`), with the route's defences. */
  context(request: Request, platform?: Platform): JuspayRequestContext;
  /** The client the handler calls Juspay with (built from `clientOptions`, or the one given). */
  readonly client: JuspayClient;
  /**
   * The `Response` for a `JuspayError` (from the bound calls) in JSON from the route's
   * table. @throws anything that is not a `JuspayError`, unchanged.
   */
  errorResponse(err: unknown): Response;
}

/** A route answer as a `Response`: its status and headers, the body as JSON. */
function toResponse(answer: RouteResponse): Response {
  return new Response(JSON.stringify(answer.body), {
    status: answer.status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...answer.headers },
  });
}

/**
 * The `Response` for a `JuspayError` (a bound call that failed in a merchant's own
 * route), in JSON from the route's table; the same as the handler's `errorResponse`.
 * @throws anything that is not a `JuspayError`, unchanged.
 */
export function errorResponse(err: unknown): Response {
  const answer = toRouteAnswer(err);
  if (answer === undefined) throw err;
  return toResponse(answer);
}

/** The path of an absolute URL, without its query or fragment, as the request gave it. */
function pathOf(url: string): string {
  const start = url.indexOf('/', url.indexOf('//') + 2);
  if (start === -1) return '/';
  let end = url.length;
  const query = url.indexOf('?', start);
  if (query !== -1) end = query;
  const hash = url.indexOf('#', start);
  if (hash !== -1 && hash < end) end = hash;
  return url.slice(start, end);
}

/** The core's options for a fetch call, from the fetch package's `(request, platform)` ones. */
function coreOptions<Platform>(
  options: JuspayFetchOptions<Platform>,
): JuspayMiddlewareOptions<FetchCall<Platform>> {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(
      '@juspay-tokens/fetch: juspay() needs options: { clientOptions | client, customerId }',
    );
  }
  const { customerId, routingId, onError, onDeleted } = options;
  return {
    ...options,
    // Left as given when not a function, so the core's check names the option.
    customerId:
      typeof customerId === 'function' ? (call) => customerId(call.request, call.platform) : customerId,
    routingId: typeof routingId === 'function' ? (call) => routingId(call.request, call.platform) : routingId,
    onError:
      typeof onError === 'function' ? (err, call) => onError(err, call.request, call.platform) : onError,
    onDeleted:
      typeof onDeleted === 'function'
        ? (call, deleted) => onDeleted(call.request, deleted, call.platform)
        : onDeleted,
  };
}

/**
 * The Web-standard handler: both routes, with the same table, order and limits as the
 * Node adapters (the body read from the `Request`: 16 KiB, `bodyTimeoutMs`, JSON in
 * UTF-8, identity, gzip or deflate).
 *
 * @example
 * const cards = juspay({
 *   clientOptions: { apiKey: env.JUSPAY_API_KEY, merchantId: 'shop_1', environment: 'production' },
 *   customerId: async (request) => (await getSession(request)).customerId,
 * });
 * export default { fetch: (request) => cards.handler(request) };
 *
 * @throws {TypeError} when the options are wrong; the message names the fix.
 */
export function juspay<Platform = unknown>(options: JuspayFetchOptions<Platform>): JuspayFetch<Platform> {
  const core = createJuspayRouteCore(coreOptions(options), '@juspay-tokens/fetch');

  async function handle(request: Request, platform?: Platform): Promise<Response | undefined> {
    const path = pathOf(request.url);
    if (!core.matches(path)) return undefined;
    const call = { request, platform: platform as Platform };
    const { method, headers } = request;
    return toResponse(await core.handle(call, { method, path, headers, stream: request }));
  }

  return {
    handle,
    handler: async (request, platform) => (await handle(request, platform)) ?? toResponse(NOT_FOUND_ANSWER),
    context: (request, platform) => core.context({ request, platform: platform as Platform }, request),
    client: core.client,
    errorResponse,
  };
}
