import fastifyCookie from '@fastify/cookie';
import fastifySecureSession from '@fastify/secure-session';
import fastifySession from '@fastify/session';
import { middlewareOptions, type MakeHarness } from '@juspay-tokens/route-contract';
import Fastify, { type FastifyRequest } from 'fastify';
import request from 'supertest';
import { juspay, juspayErrorHandler } from '../src/index.js';

const SECRET = 'contract-secret-of-at-least-32-characters';
const SECURE_SESSION_KEY = Buffer.alloc(32, 'contract-key');

/** The two session plugins the contract runs against; both read as `request.session.get()`. */
export type SessionKind = 'session' | 'secure-session';

interface ContractSessionStore {
  get(key: 'customerId' | 'routingId'): string | undefined;
  set(key: 'customerId' | 'routingId', value: string): void;
}

function sessionOf(request: FastifyRequest): ContractSessionStore {
  return (request as unknown as { session: ContractSessionStore }).session;
}

/** A real Fastify 5 app with a real session plugin, for the route contract. */
export function fastifyHarness(kind: SessionKind): MakeHarness {
  return async (options) => {
    const app = Fastify();
    if (kind === 'session') {
      await app.register(fastifyCookie);
      await app.register(fastifySession, {
        secret: SECRET,
        saveUninitialized: false,
        cookie: { secure: false, sameSite: 'lax' },
      });
    } else {
      // A key rather than secret + salt: deriving one costs about 350 ms per app.
      await app.register(fastifySecureSession, {
        key: SECURE_SESSION_KEY,
        cookie: { path: '/', httpOnly: true, sameSite: 'lax' },
      });
    }
    // Fastify parses JSON bodies by default; "no parser" means the app removed them all.
    if (!options.bodyParser) app.removeAllContentTypeParsers();
    const session = (request: FastifyRequest) => {
      const store = sessionOf(request);
      return { customerId: store.get('customerId'), routingId: store.get('routingId') };
    };
    await app.register(juspay, middlewareOptions<FastifyRequest>(options, session));
    app.get<{ Querystring: { customer: string; routing?: string } }>(
      '/test/login',
      async (request, reply) => {
        sessionOf(request).set('customerId', request.query.customer);
        if (typeof request.query.routing === 'string')
          sessionOf(request).set('routingId', request.query.routing);
        return reply.code(204).send();
      },
    );
    app.get('/test/logout', async (request, reply) => {
      const store = (
        request as unknown as { session: { destroy?: () => Promise<void>; delete?: () => void } }
      ).session;
      if (kind === 'session') await store.destroy?.();
      else store.delete?.();
      return reply.code(204).send();
    });
    app.setErrorHandler(juspayErrorHandler);
    app.all<{ Querystring: { card: string } }>('/merchant/delete', async (request, reply) => {
      await request.juspay.deleteToken(request.query.card);
      return reply.code(204).send();
    });
    app.all('/merchant/list', async (request) => request.juspay.listCards());
    app.get('/merchant/fail', async () => {
      throw new Error('a bug in merchant code');
    });
    // Registered after the plugin: still runs for other paths.
    app.addHook('onRequest', async (_request, reply) => {
      reply.header('x-after', 'yes');
    });
    app.get('/after', async () => 'after');
    await app.ready();
    return {
      agent: request.agent(app.server),
      listen: () => app.listen({ port: 0, host: '127.0.0.1' }),
      close: () => app.close(),
    };
  };
}
