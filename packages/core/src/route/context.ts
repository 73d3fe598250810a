/**
 * The bound calls: `req.juspay` / `ctx.juspay` / `request.juspay`, made for the request
 * being served. They carry the route's defences, so a merchant's own route that calls
 * them is as safe as the ready-made one.
 */
import { JuspayCrossSiteError, JuspayUnauthenticatedError } from '../errors.js';
import { refusesDelete } from './cross-site.js';
import { listOwnCards } from './list.js';
import type { RouteSettings } from './options.js';
import type { JuspayRequestContext, RouteRequest } from './types.js';

/** The `juspay` object of one request. */
export function boundContext<Req>(
  settings: RouteSettings<Req>,
  req: Req,
  request: Pick<RouteRequest, 'method' | 'headers'>,
): JuspayRequestContext {
  const { client } = settings;
  return {
    client,
    async deleteToken(cardReference, options) {
      // Checked when called, not when bound: nothing is sent for a forged request.
      if (refusesDelete(request.method, request.headers, settings.trusted)) throw new JuspayCrossSiteError();
      const customerId = await settings.customerOf(req);
      if (customerId === undefined) throw new JuspayUnauthenticatedError();
      const routingId = await settings.routingOf(req, customerId);
      return client.deleteToken({ cardReference, customerId, routingId }, options);
    },
    async listCards(options) {
      // A read that changes nothing and answers the merchant's code, not the page: no
      // cross-site check.
      const customerId = await settings.customerOf(req);
      if (customerId === undefined) throw new JuspayUnauthenticatedError();
      return listOwnCards(settings, req, customerId, options);
    },
  };
}
