import { fileURLToPath } from 'node:url';
import { JuspayClient, JuspayError } from '@juspay-tokens/core';
import { startFakeJuspay } from '@juspay-tokens/core/testing';
import { juspay } from '@juspay-tokens/express';
import express from 'express';
import session from 'express-session';

/** The demo shopper, and the cards the offline fake starts with. */
export const DEMO_CUSTOMER = 'demo_customer';
export const DEMO_CARDS = ['card_ref_visa_4242', 'card_ref_mastercard_5454', 'card_ref_rupay_6521'];

const page = fileURLToPath(new URL('../public/index.html', import.meta.url));

/**
 * Builds the shop: an Express app with sessions, the `juspay()` middleware, and one route
 * of the merchant's own. Offline (no API key) it starts a fake Juspay in this process.
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

  const app = express();
  app.use(
    session({
      secret: settings.sessionSecret,
      resave: false,
      saveUninitialized: false,
      cookie: { httpOnly: true, sameSite: 'lax' },
    }),
  );

  // The integration: the delete route, and req.juspay on every request.
  app.use(
    juspay({
      client,
      customerId: (req) => req.session.customerId,
      onError: (err) => log.warn('[juspay]', err instanceof JuspayError ? `${err.code} ${err.message}` : err),
    }),
  );

  app.use(express.json());
  app.get('/', (_req, res) => res.sendFile(page));

  app.post('/login', (req, res, next) => {
    // A real shop checks a password; the demo signs in its one shopper.
    req.session.regenerate((err) => {
      if (err) return next(err);
      req.session.customerId = DEMO_CUSTOMER;
      res.json({ customerId: DEMO_CUSTOMER });
    });
  });

  app.post('/logout', (req, res, next) => {
    req.session.destroy((err) => (err ? next(err) : res.sendStatus(204)));
  });

  app.get('/api/me', (req, res) => {
    const customerId = req.session.customerId;
    res.json({
      mode: fake ? 'offline' : 'live',
      customerId: customerId ?? null,
      // Offline, the fake knows the cards; live, the shopper types a card reference.
      cards: customerId && fake ? fake.cards(customerId) : null,
    });
  });

  // The merchant's own route: "remove all my saved cards", calling Juspay through req.juspay.
  app.post('/api/cards/remove-all', async (req, res, next) => {
    try {
      const refs = req.body?.card_references;
      if (!Array.isArray(refs) || refs.length === 0 || refs.length > 20) {
        return res.status(400).json({
          error: {
            code: 'INVALID_INPUT',
            message: 'Send card_references: a list of 1-20 card references.',
          },
        });
      }
      const deleted = [];
      const failed = [];
      for (const ref of refs) {
        try {
          await req.juspay.deleteToken(ref);
          deleted.push(ref);
        } catch (err) {
          if (!(err instanceof JuspayError)) throw err;
          if (err.code === 'UNAUTHENTICATED') {
            return res
              .status(401)
              .json({ error: { code: err.code, message: 'Sign in to manage your saved cards.' } });
          }
          failed.push({
            cardReference: ref,
            code: err.code,
            message: err.userMessage ?? 'Could not delete this card.',
          });
        }
      }
      res.json({ deleted, failed });
    } catch (err) {
      next(err); // Express 4 would drop a rejected promise: always hand errors to next
    }
  });

  return {
    app,
    /** The Node request listener to serve. */
    handler: app,
    fake,
    client,
    mode: fake ? 'offline' : 'live',
    async close() {
      await client.close();
      await fake?.close();
    },
  };
}
