import type { IncomingMessage, ServerResponse } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import {
  middlewareOptions,
  serveHarness,
  type ContractSession,
  type MakeHarness,
} from '@juspay-tokens/route-contract';
import { getIronSession, type IronSession } from 'iron-session';
import request from 'supertest';
import { juspay, type JuspayFetch } from '../src/index.js';

const SESSION = {
  password: 'contract-secret-contract-secret-32+',
  cookieName: 'shop',
  cookieOptions: { secure: false },
};

/**
 * A fetch app on Node, as a shop would write one: an iron-session cookie session, our
 * handler first, the shop's own routes after it. `sessions` gives the resolvers the
 * session of the request they are asked about.
 */
function shopApp(cards: JuspayFetch, sessions: WeakMap<Request, IronSession<ContractSession>>) {
  return async (req: Request): Promise<Response> => {
    const cookies = new Response(null);
    const session = await getIronSession<ContractSession>(req, cookies, SESSION);
    sessions.set(req, session);
    try {
      const answer = (await cards.handle(req)) ?? (await shopRoutes(cards, req, session));
      cookies.headers.getSetCookie().forEach((cookie) => answer.headers.append('set-cookie', cookie));
      return answer;
    } catch {
      // What a runtime does with an exception: a bare 500.
      return new Response('Internal Server Error', { status: 500 });
    }
  };
}

/** The harness's own routes (see the contract kit's `Harness`). */
async function shopRoutes(
  cards: JuspayFetch,
  req: Request,
  session: IronSession<ContractSession>,
): Promise<Response> {
  const url = new URL(req.url);
  switch (url.pathname) {
    case '/test/login':
      session.customerId = url.searchParams.get('customer') ?? undefined;
      session.routingId = url.searchParams.get('routing') ?? undefined;
      await session.save();
      return new Response(null, { status: 204 });
    case '/test/logout':
      session.destroy();
      return new Response(null, { status: 204 });
    case '/merchant/delete':
      try {
        await cards.context(req).deleteToken(url.searchParams.get('card') ?? '');
        return new Response(null, { status: 204 });
      } catch (err) {
        return cards.errorResponse(err);
      }
    case '/merchant/list':
      try {
        return Response.json(await cards.context(req).listCards());
      } catch (err) {
        return cards.errorResponse(err);
      }
    case '/merchant/fail':
      throw new Error('a bug in merchant code');
    case '/after':
      return new Response('after', { headers: { 'x-after': 'yes' } });
    default:
      return new Response('Not Found', { status: 404 });
  }
}

/** The fetch handler served on Node through `@hono/node-server`'s request listener. */
export const fetchHarness: MakeHarness = (options) => {
  const sessions = new WeakMap<Request, IronSession<ContractSession>>();
  const cards = juspay(middlewareOptions<Request>(options, (req) => sessions.get(req)));
  const listener = getRequestListener(shopApp(cards, sessions));
  const serve = (req: IncomingMessage, res: ServerResponse) => void listener(req, res);
  return {
    agent: request.agent(serve),
    ...serveHarness(serve, () => cards.client.close()),
  };
};
