/**
 * `@juspay-tokens/express`: Express middleware for Juspay's saved cards: list them and
 * delete one, from the signed-in shopper's session.
 *
 * All behaviour lives in `@juspay-tokens/core`; this file only translates Express's
 * request and response.
 *
 * @packageDocumentation
 */
import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
import type { JuspayClient } from '@juspay-tokens/core';
import {
  createJuspayRouteCore,
  toRouteAnswer,
  type JuspayMiddlewareOptions,
  type JuspayRequestContext,
  type ParsedBody,
  type RouteResponse,
} from '@juspay-tokens/core/route';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /**
       * `deleteToken()` and `listCards()` bound to the signed-in customer, from `@juspay-tokens/express`.
       * Exists only on requests that passed through the `juspay()` middleware.
       */
      juspay: JuspayRequestContext;
    }
  }
}

export type { DeletedCard, JuspayRequestContext } from '@juspay-tokens/core/route';

/** Options of {@link juspay}: resolvers receive the Express `req`. */
export type JuspayExpressOptions = JuspayMiddlewareOptions<Request>;

/**
 * What {@link juspay} returns: pass it to `app.use()` as is. It is a pair of handlers (the
 * middleware, and an error handler that answers body-parser errors on the route's path
 * from the route's table), plus the `client` in use, to close on shutdown.
 */
export type JuspayExpressMiddleware = [RequestHandler, ErrorRequestHandler] & {
  /** The client the middleware calls Juspay with. */
  readonly client: JuspayClient;
};

function send(res: Response, answer: RouteResponse): void {
  res.statusCode = answer.status;
  for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(answer.body));
}

/** The statuses body parsers (body-parser, raw-body) give the errors the route answers. */
const PARSER_STATUSES = new Set([400, 413, 415]);

/** The status of a body parser's error, or `undefined` for any other error. */
function parserErrorStatus(err: unknown): number | undefined {
  const { status, statusCode } = (err ?? {}) as { status?: unknown; statusCode?: unknown };
  const value = status ?? statusCode;
  return typeof value === 'number' && PARSER_STATUSES.has(value) ? value : undefined;
}

/**
 * What a body parser in front (express.json(), express.raw(), ...) left: body-parser
 * marks a body it read with `req._body`; its errors carry a 4xx status.
 */
function parsedBody(req: Request, parseError: unknown): ParsedBody | undefined {
  if (parseError !== undefined) {
    const status = parserErrorStatus(parseError);
    if (status === 413) return { failure: 'too-large' };
    if (status === 415) return { failure: 'unsupported' };
    return { failure: 'malformed' };
  }
  const read = (req as { _body?: unknown })._body === true || req.readableEnded;
  return read ? { body: req.body as unknown } : undefined;
}

/**
 * Express middleware: sets `req.juspay` on every request and serves the two routes
 * (`GET /juspay/cards` and `POST /juspay/cards/delete` unless `route` says otherwise).
 * Works with Express 4 and 5.
 *
 * @example
 * app.use(session({ ... }));
 * app.use(juspay({ clientOptions: { apiKey }, customerId: (req) => req.session.customerId }));
 *
 * @throws {TypeError} at mount time when the options are wrong; the message names the fix.
 */
export function juspay(options: JuspayExpressOptions): JuspayExpressMiddleware {
  const core = createJuspayRouteCore(options, '@juspay-tokens/express');

  const inject = (req: Request) => {
    // Idempotent: a second juspay() in the chain leaves the first one's binding alone.
    if ((req as Partial<Request>).juspay === undefined) req.juspay = core.context(req, req);
  };

  const serve = (req: Request, res: Response, next: NextFunction, parseError?: unknown) => {
    // Express 4 ignores a rejected promise from a handler: settle every path here.
    core
      .handle(req, {
        method: req.method,
        path: req.path,
        headers: req.headers,
        stream: req,
        parsed: parsedBody(req, parseError),
      })
      .then((answer) => send(res, answer))
      .catch(next);
  };

  const middleware: RequestHandler = (req, res, next) => {
    inject(req);
    if (core.matches(req.path)) serve(req, res, next);
    else next();
  };

  // A body parser's error on the route's path (malformed JSON, undecodable gzip, an
  // unsupported charset, too large) is answered from the route's table, in JSON.
  const parseErrors: ErrorRequestHandler = (err, req, res, next) => {
    if (!core.matches(req.path) || parserErrorStatus(err) === undefined || res.headersSent) {
      next(err);
      return;
    }
    inject(req);
    serve(req, res, next, err);
  };

  return Object.assign([middleware, parseErrors] as [RequestHandler, ErrorRequestHandler], {
    client: core.client,
  });
}

/**
 * An Express error handler that answers any `JuspayError` from a merchant's own route
 * (the bound `req.juspay.deleteToken()` or `listCards()` rejected) in JSON from the
 * route's table, and passes every other error on unchanged. Mount it after your routes.
 *
 * @example
 * app.post('/account/close', async (req, res, next) => {
 *   try { await req.juspay.deleteToken('ref_123'); res.sendStatus(204); } catch (err) { next(err); }
 * });
 * app.use(juspayErrorHandler());
 */
export function juspayErrorHandler(): ErrorRequestHandler {
  return (err, _req, res, next) => {
    const answer = res.headersSent ? undefined : toRouteAnswer(err);
    if (answer === undefined) next(err);
    else send(res, answer);
  };
}
