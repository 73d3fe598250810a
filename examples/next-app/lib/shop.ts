/**
 * The shop behind every route handler, built once per process: the shop kit's Juspay
 * client (against an embedded fake Juspay when offline) and audit line, the
 * `@juspay-tokens/fetch` handler, and the signed-in shopper from an iron-session cookie.
 */
import { JuspayError } from '@juspay-tokens/core';
import { readSettings } from '@juspay-tokens/example-shop-kit/settings';
import { openShop, type OpenShop } from '@juspay-tokens/example-shop-kit/shop';
import { juspay, type JuspayFetch } from '@juspay-tokens/fetch';
import { getIronSession, type IronSession } from 'iron-session';
import { cookies } from 'next/headers';

/** What the session cookie holds: the signed-in Juspay customer, nothing else. */
export interface ShopSession {
  customerId?: string;
}

export interface NextShop {
  shop: OpenShop;
  cards: JuspayFetch;
  /** The signed-in shopper's session, from the request being served (Next.js's `cookies()`). */
  session: () => Promise<IronSession<ShopSession>>;
}

/** Sealed into the cookie: several instances share a shop when they share SESSION_SECRET. */
function sessionOptions(secret: string) {
  if (secret.length < 32) {
    throw new Error(
      'SESSION_SECRET must be at least 32 characters for the Next.js shop (iron-session seals the cookie with it).',
    );
  }
  return {
    password: secret,
    cookieName: 'shop_session',
    // As in the other demo shops, which run on plain http://localhost: a shop served over
    // HTTPS adds `secure: true`.
    cookieOptions: { httpOnly: true, sameSite: 'lax' as const, secure: false },
  };
}

async function createShop(): Promise<NextShop> {
  const settings = readSettings(process.env);
  const options = sessionOptions(settings.sessionSecret);
  for (const warning of settings.warnings) console.warn(warning);
  // Sessions are sealed into the cookie: instances that share SESSION_SECRET share them, no Redis needed.
  const shop = await openShop(settings, console, { sessions: 'in a sealed cookie (iron-session)' });
  console.info(shop.describe());
  const session = async () => getIronSession<ShopSession>(await cookies(), options);
  const cards = juspay({
    client: shop.client,
    customerId: async () => (await session()).customerId,
    onDeleted: (_request, deleted) => shop.audit(deleted),
    onError: (err) =>
      console.warn('[juspay]', err instanceof JuspayError ? `${err.code} ${err.message}` : err),
  });
  return { shop, cards, session };
}

const globals = globalThis as { juspayNextShop?: Promise<NextShop> };

/** The process's shop (route handlers may be loaded as separate modules: one shop for all). */
export function getShop(): Promise<NextShop> {
  globals.juspayNextShop ??= createShop();
  return globals.juspayNextShop;
}
