/**
 * `@juspay-tokens/fastify`: a Fastify plugin for Juspay's Delete Token API.
 *
 * All behaviour lives in `@juspay-tokens/core/route`; this file only translates
 * Fastify's request and reply.
 *
 * @packageDocumentation
 */
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import {
  createJuspayRouteCore,
  type JuspayMiddlewareOptions,
  type JuspayRequestContext,
  type JuspayRouteCore,
  type RouteResponse,
} from '@juspay-tokens/core/route';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * `deleteToken()` bound to the signed-in customer, from `@juspay-tokens/fastify`.
     * Exists on every request of an app that registered the plugin.
     */
    juspay: JuspayRequestContext;
  }
}

export type { DeletedCard, JuspayRequestContext } from '@juspay-tokens/core/route';

/** Options of {@link juspay}: resolvers receive the Fastify `request`. */
export type JuspayFastifyOptions = JuspayMiddlewareOptions<FastifyRequest>;

const OWNER = '@juspay-tokens/fastify';
const ALL_METHODS = ['DELETE', 'GET', 'HEAD', 'PATCH', 'POST', 'PUT', 'OPTIONS'] as const;

function send(reply: FastifyReply, answer: RouteResponse): FastifyReply {
  return reply
    .code(answer.status)
    .headers(answer.headers)
    .type('application/json; charset=utf-8')
    .send(JSON.stringify(answer.body));
}

/**
 * Registers the route in a context of its own, where no content-type parser of the app
 * applies: one catch-all parser leaves the body unread, so the route core reads and
 * checks it itself and answers every failure from its table, in its order.
 */
async function registerRoute(app: FastifyInstance, core: JuspayRouteCore<FastifyRequest>) {
  const path = core.path;
  if (path === undefined) return;
  await app.register((scope, _options, done) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
    scope.route({
      method: [...ALL_METHODS],
      url: path,
      exposeHeadRoute: false,
      handler: async (request, reply) => {
        const answer = await core.handle(request, {
          method: request.method,
          headers: request.headers,
          stream: request.raw,
        });
        return send(reply, answer);
      },
    });
    done();
  });
}

/**
 * Fastify plugin: decorates every request with `request.juspay` and registers the delete
 * route (`POST /juspay/cards/delete` unless `route` says otherwise). Not encapsulated, so
 * `request.juspay` exists on every route of the app. A client it builds from
 * `clientOptions` is closed when the app closes.
 *
 * @example
 * await app.register(juspay, {
 *   clientOptions: { apiKey, environment: 'production' },
 *   customerId: (request) => request.session.get('customerId'),
 * });
 *
 * @throws {TypeError} at registration when the options are wrong; the message names the fix.
 */
export const juspay: FastifyPluginAsync<JuspayFastifyOptions> = async (app, options) => {
  const core = createJuspayRouteCore<FastifyRequest>(options, OWNER);
  if (options.client === undefined) app.addHook('onClose', () => core.client.close());
  if (!app.hasRequestDecorator('juspay'))
    app.decorateRequest('juspay', null as unknown as JuspayRequestContext);
  app.addHook('onRequest', (request, _reply, done) => {
    // Idempotent: when registered twice on a path, the outer registration's binding stays.
    if ((request.juspay as JuspayRequestContext | null) === null)
      request.juspay = core.context(request, request);
    done();
  });
  await registerRoute(app, core);
};

// What fastify-plugin sets: the plugin runs in the registering context, not a child.
Object.assign(juspay, {
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: OWNER,
  [Symbol.for('plugin-meta')]: { name: OWNER, fastify: '5.x' },
});

export default juspay;
