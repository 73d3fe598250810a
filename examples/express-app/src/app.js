import { fileURLToPath } from 'node:url';
import { JuspayError } from '@juspay-tokens/core';
import { juspay } from '@juspay-tokens/express';
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
import { RedisStore } from 'connect-redis';
import express from 'express';
import session from 'express-session';

const page = fileURLToPath(import.meta.resolve('@juspay-tokens/example-shop-kit/page'));

/**
 * Builds the Express shop without listening: sessions (in Redis when `REDIS_URL` is
 * set), the `juspay()` middleware keeping the shop's card records in step, and the
 * shop's own routes.
 *
 * @param {ReturnType<typeof import('@juspay-tokens/example-shop-kit/settings').readSettings>} settings
 * @param {{ warn(...args: unknown[]): void }} [log]
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

  // The integration: the delete route, req.juspay on every request, and the shop's
  // records kept in step with every card the route deletes.
  app.use(
    juspay({
      client: shop.client,
      customerId: (req) => req.session.customerId,
      onDeleted: (_req, deleted) => shop.records.remove(deleted.customerId, deleted.cardReference),
      onError: (err) => log.warn('[juspay]', err instanceof JuspayError ? `${err.code} ${err.message}` : err),
    }),
  );

  app.get('/', (_req, res) => res.sendFile(page));

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

  app.get('/api/me', (req, res, next) => {
    describeShopper(shop, req.session.customerId)
      .then((me) => res.json(me))
      .catch((err) => next(err));
  });

  // The shop's own route: "remove all my saved cards", through req.juspay.deleteToken(),
  // which refuses a cross-site request before anything is sent.
  app.post('/api/cards/remove-all', (req, res, next) => {
    removeAllCards(req.juspay, shop.records, req.session.customerId).then(
      (outcome) => res.json(outcome),
      (err) => {
        if (!(err instanceof JuspayError)) return next(err); // Express 4 drops rejections: hand them on
        res.status(statusOfRefusal(err.code)).json({ error: { code: err.code, message: err.message } });
      },
    );
  });

  // The session store or the records store is down: answer, never crash or hang.
  app.use((err, _req, res, _next) => {
    log.warn('[shop]', err instanceof Error ? err.message : err);
    res.status(503).json(UNAVAILABLE_ANSWER);
  });

  return { ...shop, app, handler: app };
}
