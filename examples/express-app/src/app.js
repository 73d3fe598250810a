import { JuspayError } from '@juspay-tokens/core';
import { juspay, juspayErrorHandler } from '@juspay-tokens/express';
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
import { RedisStore } from 'connect-redis';
import express from 'express';
import session from 'express-session';

/**
 * Builds the Express shop without listening: sessions (in Redis when `REDIS_URL` is
 * set), the `juspay()` middleware serving both routes and writing an audit line for
 * every deletion, and the shop's own routes. The shop keeps no card records: the page
 * lists the shopper's cards from Juspay.
 *
 * @param {ReturnType<typeof import('@juspay-tokens/example-shop-kit/settings').readSettings>} settings
 * @param {import('@juspay-tokens/example-shop-kit/shop').ShopLog} [log]
 * @returns {Promise<import('@juspay-tokens/example-shop-kit/shop').OpenShop & { app: import('express').Express, handler: import('express').Express }>}
 */
export async function createShop(settings, log = console) {
  const shop = await openShop(settings, log);
  const app = express();
  app.use(
    session({
      store: shop.redis ? new RedisStore({ client: shop.redis, prefix: 'shop:sess:' }) : undefined,
      secret: settings.sessionSecret,
      resave: false,
      saveUninitialized: false,
      cookie: { httpOnly: true, sameSite: 'lax' },
    }),
  );

  // The integration: GET /juspay/cards and POST /juspay/cards/delete, req.juspay on
  // every request, and one audit line per card the route deletes.
  app.use(
    juspay({
      client: shop.client,
      customerId: (req) => req.session.customerId,
      onDeleted: (_req, deleted) => shop.audit(deleted),
      onError: (err) => log.warn('[juspay]', err instanceof JuspayError ? `${err.code} ${err.message}` : err),
    }),
  );

  app.get(PAGE_PATHS, (req, res) => {
    const asset = pageAsset(req.path);
    res.set(asset.headers).send(asset.body);
  });

  // The shop's own state-changing routes refuse cross-site requests, as the route does.
  const sameSiteOnly = (req, res, next) =>
    refuseCrossSite(req.headers) ? res.status(403).json(CROSS_SITE_ANSWER) : next();

  app.post('/login', sameSiteOnly, (req, res, next) => {
    // A real shop checks a password; the demo signs in its one shopper.
    req.session.regenerate((err) => {
      if (err) return next(err);
      req.session.customerId = DEMO_CUSTOMER;
      res.json({ customerId: DEMO_CUSTOMER });
    });
  });

  app.post('/logout', sameSiteOnly, (req, res, next) => {
    req.session.destroy((err) => (err ? next(err) : res.sendStatus(204)));
  });

  app.get('/api/me', (req, res) => {
    res.set('cache-control', 'no-store').json(describeShopper(shop, req.session.customerId));
  });

  // The shop's own route: "remove all my saved cards", through req.juspay.listCards()
  // and req.juspay.deleteToken(), which refuses a cross-site request before anything is
  // sent. Its JuspayErrors are answered by juspayErrorHandler() below.
  app.post('/api/cards/remove-all', sameSiteOnly, (req, res, next) => {
    removeAllCards(req.juspay, req.session.customerId, shop.audit).then(
      (outcome) => res.json(outcome),
      (err) => next(err),
    );
  });

  app.use(juspayErrorHandler());
  // The session store is down: answer, never crash or hang.
  app.use((err, _req, res, _next) => {
    log.warn('[shop]', err instanceof Error ? err.message : err);
    res.status(503).json(UNAVAILABLE_ANSWER);
  });

  return { ...shop, app, handler: app };
}
