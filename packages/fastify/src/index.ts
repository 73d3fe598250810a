/**
 * `@juspay-tokens/fastify`: a Fastify plugin for Juspay's saved cards: list them and
 * delete one, from the signed-in shopper's session.
 *
 * All behaviour lives in `@juspay-tokens/core/route`; this file only translates
 * Fastify's request and reply.
 *
 * @packageDocumentation
 */
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import {
  createJuspayRouteCore,
  toRouteAnswer,
  type JuspayMiddlewareOptions,
  type JuspayRequestContext,
  type RouteResponse,
} from '@juspay-tokens/core/route';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * `deleteToken()` and `listCards()` bound to the signed-in customer, from
     * `@juspay-tokens/fastify`. Exists on every request of an app that registered the plugin.
     */
    juspay: JuspayRequestContext;
  }
}

export type { DeletedCard, JuspayRequestContext } from '@juspay-tokens/core/route';

/** Options of {@link juspay}: resolvers receive the Fastify `request`. */
export type JuspayFastifyOptions = JuspayMiddlewareOptions<FastifyRequest>;

const OWNER = '@juspay-tokens/fastify';

function send(reply: FastifyReply, answer: RouteResponse): FastifyReply {
  return reply
    .code(answer.status)
    .headers(answer.headers)
    .type('application/json; charset=utf-8')
    .send(JSON.stringify(answer.body));
}

function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/**
 * Fastify plugin: decorates every request with `request.juspay` and serves the two
 * routes (`GET /juspay/cards` and `POST /juspay/cards/delete` unless `route` says
 * otherwise). Not encapsulated, so `request.juspay` exists on every route of the app. A
 * client it builds from `clientOptions` is closed when the app closes.
 *
 * The routes are answered from an `onRequest` hook, after the hooks of the plugins
 * registered before it (register the session plugin first) and before Fastify's router
 * and content-type parsers: so every method, a trailing slash and any `Content-Type`
 * get the route's own answer in its order, and registering the plugin twice is harmless
 * (the first registration answers).
 *
 * @example
 * await app.register(juspay, {
 *   clientOptions: { apiKey, environment: 'production' },
 *   customerId: (request) => request.session.get('customerId'),
 * });
 *
 * @throws {TypeError} at registration when the options are wrong; the message names the fix.
 */
// Async so that an options error fails the registration (a rejection), as Fastify expects.
// eslint-disable-next-line @typescript-eslint/require-await
export const juspay: FastifyPluginAsync<JuspayFastifyOptions> = async (app, options) => {
  const core = createJuspayRouteCore<FastifyRequest>(options, OWNER);
  if (options.client === undefined) app.addHook('onClose', () => core.client.close());
  if (!app.hasRequestDecorator('juspay'))
    app.decorateRequest('juspay', null as unknown as JuspayRequestContext);
  app.addHook('onRequest', async (request, reply) => {
    // Idempotent: when registered twice, the first registration's binding stays.
    if ((request.juspay as JuspayRequestContext | null) === null)
      request.juspay = core.context(request, request);
    const path = pathOf(request.url);
    if (!core.matches(path)) return;
    const answer = await core.handle(request, {
      method: request.method,
      path,
      headers: request.headers,
      stream: request.raw,
    });
    return send(reply, answer);
  });
};

// What fastify-plugin sets: the plugin runs in the registering context, not a child.
Object.assign(juspay, {
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: OWNER,
  [Symbol.for('plugin-meta')]: { name: OWNER, fastify: '5.x' },
});

/**
 * A Fastify error handler that answers any `JuspayError` from a merchant's own route (the
 * bound `request.juspay.deleteToken()` or `listCards()` rejected) in JSON from the route's
 * table; every other error goes on to Fastify's default handler.
 *
 * @example
 * app.setErrorHandler(juspayErrorHandler);
 */
export function juspayErrorHandler(error: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  const answer = toRouteAnswer(error);
  // Thrown from an error handler, it goes to the parent's: Fastify's default one.
  if (answer === undefined) throw error;
  return send(reply, answer);
}

export default juspay;
