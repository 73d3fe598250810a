import { middlewareOptions, serveHarness, type MakeHarness } from '@juspay-tokens/route-contract';
import type expressModule from 'express';
import type { Request } from 'express';
import session from 'express-session';
import request from 'supertest';
import { juspay, juspayErrorHandler } from '../src/index.js';

declare module 'express-session' {
  interface SessionData {
    customerId?: string;
    routingId?: string;
  }
}

/** A real Express app (of the given major) with express-session, for the route contract. */
export function expressHarness(express: typeof expressModule): MakeHarness {
  return (options) => {
    const app = express();
    app.use(session({ secret: 'contract-secret', resave: false, saveUninitialized: false }));
    if (options.bodyParser) app.use(express.json());
    const middleware = juspay(middlewareOptions<Request>(options, (req) => req.session));
    app.use(middleware);
    app.get('/test/login', (req, res) => {
      req.session.customerId = req.query.customer as string;
      if (typeof req.query.routing === 'string') req.session.routingId = req.query.routing;
      res.sendStatus(204);
    });
    app.get('/test/logout', (req, res, next) =>
      req.session.destroy((err) => (err ? next(err) : res.sendStatus(204))),
    );
    // Merchant code: Express 4 ignores a rejected promise, so each hands its error to next().
    app.all('/merchant/delete', (req, res, next) => {
      req.juspay.deleteToken(req.query.card as string).then(() => res.sendStatus(204), next);
    });
    app.all('/merchant/list', (req, res, next) => {
      req.juspay.listCards().then((listed) => res.json(listed), next);
    });
    app.get('/merchant/fail', () => {
      throw new Error('a bug in merchant code');
    });
    app.use((_req, res, next) => {
      res.setHeader('x-after', 'yes');
      next();
    });
    app.get('/after', (_req, res) => {
      res.send('after');
    });
    app.use(juspayErrorHandler());
    return { agent: request.agent(app), ...serveHarness(app, () => middleware.client.close()) };
  };
}
