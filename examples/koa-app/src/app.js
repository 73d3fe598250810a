import Router from '@koa/router';
import { JuspayError } from '@juspay-tokens/core';
import {
  CROSS_SITE_ANSWER,
  refuseCrossSite,
  UNAVAILABLE_ANSWER,
} from '@juspay-tokens/example-shop-kit/guard';
import { PAGE_PATHS, pageAsset } from '@juspay-tokens/example-shop-kit/page';
import {
  DEMO_CUSTOMER,
  describeShopper,
  openShop,
  removeAllCards,
} from '@juspay-tokens/example-shop-kit/shop';
import { juspay, juspayErrors } from '@juspay-tokens/koa';
import Koa from 'koa';
import session from 'koa-session';
import { redisSessionStore } from './session-store.js';

/**
 * Builds the Koa shop without listening: sessions (in Redis when `REDIS_URL` is set),
 * the `juspay()` middleware serving both routes and writing an audit line for every
 * deletion, and the shop's own routes. The shop keeps no card records: the page lists
 * the shopper's cards from Juspay.
 *
 * @param {ReturnType<typeof import('@juspay-tokens/example-shop-kit/settings').readSettings>} settings
 * @param {import('@juspay-tokens/example-shop-kit/shop').ShopLog} [log]
 * @returns {Promise<import('@juspay-tokens/example-shop-kit/shop').OpenShop & { app: Koa, handler: import('node:http').RequestListener }>}
 */
export async function createShop(settings, log = console) {
  const shop = await openShop(settings, log);
  const app = new Koa();
  app.keys = [settings.sessionSecret];

  // The session store is down: answer, never crash or hang.
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      log.warn('[shop]', err instanceof Error ? err.message : err);
      ctx.status = 503;
      ctx.body = UNAVAILABLE_ANSWER;
    }
  });
  app.use(
    session(
      { httpOnly: true, sameSite: 'lax', store: shop.redis ? redisSessionStore(shop.redis) : undefined },
      app,
    ),
  );

  // The integration: GET /juspay/cards and POST /juspay/cards/delete, ctx.juspay on
  // every request, and one audit line per card the route deletes.
  app.use(
    juspay({
      client: shop.client,
      customerId: (ctx) => ctx.session?.customerId,
      onDeleted: (_ctx, deleted) => shop.audit(deleted),
      onError: (err) => log.warn('[juspay]', err instanceof JuspayError ? `${err.code} ${err.message}` : err),
    }),
  );
  // JuspayErrors from the shop's own routes, answered in JSON from the route's table.
  app.use(juspayErrors());

  const router = new Router();
  router.get(PAGE_PATHS, (ctx) => {
    const asset = pageAsset(ctx.path);
    ctx.set(asset.headers);
    ctx.body = asset.body;
  });

  // The shop's own state-changing routes refuse cross-site requests, as the route does.
  const sameSiteOnly = (ctx, next) => {
    if (!refuseCrossSite(ctx.headers)) return next();
    ctx.status = 403;
    ctx.body = CROSS_SITE_ANSWER;
    return Promise.resolve();
  };

  router.post('/login', sameSiteOnly, (ctx) => {
    // A real shop checks a password; the demo signs in its one shopper.
    ctx.session.customerId = DEMO_CUSTOMER;
    ctx.body = { customerId: DEMO_CUSTOMER };
  });

  router.post('/logout', sameSiteOnly, (ctx) => {
    ctx.session = null;
    ctx.status = 204;
  });

  router.get('/api/me', (ctx) => {
    ctx.set('cache-control', 'no-store');
    ctx.body = describeShopper(shop, ctx.session?.customerId);
  });

  // The shop's own route: "remove all my saved cards", through ctx.juspay.listCards()
  // and ctx.juspay.deleteToken(), which refuses a cross-site request before anything is
  // sent. Its JuspayErrors are answered by juspayErrors() above.
  router.post('/api/cards/remove-all', sameSiteOnly, async (ctx) => {
    ctx.body = await removeAllCards(ctx.juspay, ctx.session?.customerId, shop.audit);
  });

  app.use(router.routes());
  app.use(router.allowedMethods());

  return { ...shop, app, handler: app.callback() };
}
