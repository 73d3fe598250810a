import { readFile } from 'node:fs/promises';
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import { JuspayClient, JuspayError } from '@juspay-tokens/core';
import { startFakeJuspay } from '@juspay-tokens/core/testing';
import { juspay } from '@juspay-tokens/koa';
import Koa from 'koa';
import session from 'koa-session';

/** The demo shopper, and the cards the offline fake starts with. */
export const DEMO_CUSTOMER = 'demo_customer';
export const DEMO_CARDS = ['card_ref_visa_4242', 'card_ref_mastercard_5454', 'card_ref_rupay_6521'];

const page = new URL('../public/index.html', import.meta.url);

/**
 * Builds the shop: a Koa app with sessions, the `juspay()` middleware, and one route of
 * the merchant's own. Offline (no API key) it starts a fake Juspay in this process.
 *
 * @param {ReturnType<typeof import('./settings.js').readSettings>} settings
 * @param {{ warn(...args: unknown[]): void }} [log]
 */
export async function createShop(settings, log = console) {
  const fake =
    settings.juspay.mode === 'offline'
      ? await startFakeJuspay({
          apiKey: 'offline_demo_key',
          cards: DEMO_CARDS.map((cardReference) => ({ customerId: DEMO_CUSTOMER, cardReference })),
        })
      : undefined;
  let client;
  try {
    const { mode: _mode, ...live } = /** @type {any} */ (settings.juspay);
    client = new JuspayClient(fake ? { apiKey: fake.apiKey, baseUrl: fake.url } : live);
  } catch (err) {
    await fake?.close();
    throw err;
  }

  const app = new Koa();
  app.keys = [settings.sessionSecret];
  app.use(session({ httpOnly: true, sameSite: 'lax' }, app));

  // The integration: the delete route, and ctx.juspay on every request. Mounted before
  // the body parser, so the route reads and checks its own body.
  app.use(
    juspay({
      client,
      customerId: (ctx) => ctx.session?.customerId,
      onError: (err) => log.warn('[juspay]', err instanceof JuspayError ? `${err.code} ${err.message}` : err),
    }),
  );
  app.use(bodyParser());

  const router = new Router();
  router.get('/', async (ctx) => {
    ctx.type = 'html';
    ctx.body = await readFile(page);
  });

  router.post('/login', (ctx) => {
    // A real shop checks a password; the demo signs in its one shopper.
    ctx.session.customerId = DEMO_CUSTOMER;
    ctx.body = { customerId: DEMO_CUSTOMER };
  });

  router.post('/logout', (ctx) => {
    ctx.session = null;
    ctx.status = 204;
  });

  router.get('/api/me', (ctx) => {
    const customerId = ctx.session?.customerId;
    ctx.body = {
      mode: fake ? 'offline' : 'live',
      customerId: customerId ?? null,
      // Offline, the fake knows the cards; live, the shopper types a card reference.
      cards: customerId && fake ? fake.cards(customerId) : null,
    };
  });

  // The merchant's own route: "remove all my saved cards", calling Juspay through ctx.juspay.
  router.post('/api/cards/remove-all', async (ctx) => {
    const refs = ctx.request.body?.card_references;
    if (!Array.isArray(refs) || refs.length === 0 || refs.length > 20) {
      ctx.status = 400;
      ctx.body = {
        error: { code: 'INVALID_INPUT', message: 'Send card_references: a list of 1-20 card references.' },
      };
      return;
    }
    const deleted = [];
    const failed = [];
    for (const ref of refs) {
      try {
        await ctx.juspay.deleteToken(ref);
        deleted.push(ref);
      } catch (err) {
        if (!(err instanceof JuspayError)) throw err;
        if (err.code === 'UNAUTHENTICATED') {
          ctx.status = 401;
          ctx.body = { error: { code: err.code, message: 'Sign in to manage your saved cards.' } };
          return;
        }
        failed.push({
          cardReference: ref,
          code: err.code,
          message: err.userMessage ?? 'Could not delete this card.',
        });
      }
    }
    ctx.body = { deleted, failed };
  });

  app.use(router.routes());
  app.use(router.allowedMethods());

  return {
    app,
    /** The Node request listener to serve. */
    handler: app.callback(),
    fake,
    client,
    mode: fake ? 'offline' : 'live',
    async close() {
      await client.close();
      await fake?.close();
    },
  };
}
