import { readFile } from 'node:fs/promises';
import Router from '@koa/router';
import { JuspayError } from '@juspay-tokens/core';
import {
  CROSS_SITE_ANSWER,
  refuseCrossSite,
  UNAVAILABLE_ANSWER,
} from '@juspay-tokens/example-shop-kit/guard';
import {
  DEMO_CUSTOMER,
  describeShopper,
  openShop,
  removeAllCards,
  statusOfRefusal,
} from '@juspay-tokens/example-shop-kit/shop';
import { juspay } from '@juspay-tokens/koa';
import Koa from 'koa';
import session from 'koa-session';
import { redisSessionStore } from './session-store.js';

const page = new URL(import.meta.resolve('@juspay-tokens/example-shop-kit/page'));

/**
 * Builds the Koa shop without listening: sessions (in Redis when `REDIS_URL` is set),
 * the `juspay()` middleware keeping the shop's card records in step, and the shop's own
 * routes.
 *
 * @param {ReturnType<typeof import('@juspay-tokens/example-shop-kit/settings').readSettings>} settings
 * @param {{ warn(...args: unknown[]): void }} [log]
 * @returns {Promise<import('@juspay-tokens/example-shop-kit/shop').OpenShop & { app: Koa, handler: import('node:http').RequestListener }>}
 */
export async function createShop(settings, log = console) {
  const shop = await openShop(settings, log);
  const app = new Koa();
  app.keys = [settings.sessionSecret];

  // The session store or the records store is down: answer, never crash or hang.
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

  // The integration: the delete route, ctx.juspay on every request, and the shop's
  // records kept in step with every card the route deletes.
  app.use(
    juspay({
      client: shop.client,
      customerId: (ctx) => ctx.session?.customerId,
      onDeleted: (_ctx, deleted) => shop.records.remove(deleted.customerId, deleted.cardReference),
      onError: (err) => log.warn('[juspay]', err instanceof JuspayError ? `${err.code} ${err.message}` : err),
    }),
  );

  const router = new Router();
  router.get('/', async (ctx) => {
    ctx.type = 'html';
    ctx.body = await readFile(page);
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

  router.get('/api/me', async (ctx) => {
    ctx.body = await describeShopper(shop, ctx.session?.customerId);
  });

  // The shop's own route: "remove all my saved cards", through ctx.juspay.deleteToken(),
  // which refuses a cross-site request before anything is sent.
  router.post('/api/cards/remove-all', async (ctx) => {
    try {
      ctx.body = await removeAllCards(ctx.juspay, shop.records, ctx.session?.customerId);
    } catch (err) {
      if (!(err instanceof JuspayError)) throw err;
      ctx.status = statusOfRefusal(err.code);
      ctx.body = { error: { code: err.code, message: err.message } };
    }
  });

  app.use(router.routes());
  app.use(router.allowedMethods());

  return { ...shop, app, handler: app.callback() };
}
