import type { IncomingMessage, ServerResponse } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import {
  middlewareOptions,
  serveHarness,
  type ContractSession,
  type MakeHarness,
} from '@juspay-tokens/route-contract';
import { Hono, type Context } from 'hono';
import { getIronSession, type IronSession } from 'iron-session';
import request from 'supertest';
import { juspay, juspayErrorHandler } from '../src/index.js';

const SESSION = {
  password: 'contract-secret-contract-secret-32+',
  cookieName: 'shop',
  cookieOptions: { secure: false },
};

type ShopEnv = { Variables: { session: IronSession<ContractSession> } };

/** A real Hono app with an iron-session cookie session, served on Node through `@hono/node-server`. */
export const honoHarness: MakeHarness = (options) => {
  const app = new Hono<ShopEnv>();
  app.use(async (c, next) => {
    const cookies = new Response(null);
    c.set('session', await getIronSession<ContractSession>(c.req.raw, cookies, SESSION));
    await next();
    cookies.headers.getSetCookie().forEach((cookie) => c.res.headers.append('set-cookie', cookie));
  });
  // Hono's "body parser in front": middleware that reads the JSON body first, as a validator does.
  if (options.bodyParser) {
    app.use(async (c, next) => {
      if (c.req.method === 'POST') await c.req.json().catch(() => undefined);
      await next();
    });
  }
  const middleware = juspay<ShopEnv>(middlewareOptions<Context<ShopEnv>>(options, (c) => c.get('session')));
  app.use(middleware);
  app.use(async (c, next) => {
    await next();
    c.header('x-after', 'yes');
  });
  app.get('/test/login', async (c) => {
    const session = c.get('session');
    session.customerId = c.req.query('customer');
    session.routingId = c.req.query('routing');
    await session.save();
    return c.body(null, 204);
  });
  app.get('/test/logout', (c) => {
    c.get('session').destroy();
    return c.body(null, 204);
  });
  app.all('/merchant/delete', async (c) => {
    await c.var.juspay.deleteToken(c.req.query('card') ?? '');
    return c.body(null, 204);
  });
  app.all('/merchant/list', async (c) => c.json(await c.var.juspay.listCards()));
  app.get('/merchant/fail', () => {
    throw new Error('a bug in merchant code');
  });
  app.get('/after', (c) => c.text('after'));
  app.onError(juspayErrorHandler);
  const listener = getRequestListener(app.fetch);
  const serve = (req: IncomingMessage, res: ServerResponse) => void listener(req, res);
  return {
    agent: request.agent(serve),
    ...serveHarness(serve, () => middleware.client.close()),
  };
};
