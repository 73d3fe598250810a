import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import { middlewareOptions, serveHarness, type MakeHarness } from '@juspay-tokens/route-contract';
import type KoaModule from 'koa';
import type { ParameterizedContext } from 'koa';
import session from 'koa-session';
import request from 'supertest';
import { juspay, juspayErrors } from '../src/index.js';

interface ShopSession {
  customerId?: string;
  routingId?: string;
}

function shopSession(ctx: object): ShopSession | undefined {
  return (ctx as { session?: ShopSession | null }).session ?? undefined;
}

/** A real Koa app (of the given major) with koa-session and @koa/router, for the route contract. */
export function koaHarness(Koa: typeof KoaModule): MakeHarness {
  return (options) => {
    const app = new Koa();
    app.keys = ['contract-secret'];
    app.silent = true;
    app.use(session(app));
    if (options.bodyParser) app.use(bodyParser());
    const middleware = juspay(middlewareOptions<ParameterizedContext>(options, shopSession));
    app.use(middleware);
    app.use(async (ctx, next) => {
      ctx.set('x-after', 'yes');
      await next();
    });
    app.use(juspayErrors());
    const router = new Router();
    router.get('/test/login', (ctx) => {
      const shop = shopSession(ctx) as ShopSession;
      shop.customerId = String(ctx.query.customer);
      if (typeof ctx.query.routing === 'string') shop.routingId = ctx.query.routing;
      ctx.status = 204;
    });
    router.get('/test/logout', (ctx) => {
      ctx.session = null;
      ctx.status = 204;
    });
    router.all('/merchant/delete', async (ctx) => {
      await ctx.juspay.deleteToken(String(ctx.query.card));
      ctx.status = 204;
    });
    router.all('/merchant/list', async (ctx) => {
      ctx.body = await ctx.juspay.listCards();
    });
    router.get('/merchant/fail', () => {
      throw new Error('a bug in merchant code');
    });
    router.get('/after', (ctx) => {
      ctx.body = 'after';
    });
    app.use(router.routes());
    const handler = app.callback();
    return {
      agent: request.agent(handler),
      ...serveHarness(
        (req, res) => void handler(req, res),
        () => middleware.client.close(),
      ),
    };
  };
}
