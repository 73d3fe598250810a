/**
 * Listing the signed-in customer's cards, for the list route and the bound
 * `listCards()` alike. Juspay answers a customer it does not know (a shopper who never
 * saved a card) with `INVALID_REQUEST`: that is no cards, and `onError` hears it.
 */
import type { ListCardsResult } from '../client.js';
import { JuspayError } from '../errors.js';
import type { ListCardsOptions } from '../options.js';
import { cardsAnswer, LIST_ANSWERS, listAnswer, routeCallFailure } from './answers.js';
import { isCrossSite } from './cross-site.js';
import type { RouteSettings } from './options.js';
import type { RouteRequest, RouteResponse } from './types.js';

/** The customer's cards; an unknown customer has none. Other failures reject as the client's. */
export async function listOwnCards<Req>(
  settings: RouteSettings<Req>,
  req: Req,
  customerId: string,
  options?: ListCardsOptions,
): Promise<ListCardsResult> {
  const routingId = await settings.routingOf(req, customerId);
  try {
    return await settings.client.listCards({ customerId, routingId }, options);
  } catch (err) {
    if (!(err instanceof JuspayError) || err.code !== 'INVALID_REQUEST') throw err;
    settings.report(err, req);
    return { cards: [], requestId: err.requestId ?? '', attempts: err.attempts };
  }
}

/** The list route, in the contract's order: 405, cross-site 403, 401, then the call. */
export async function handleList<Req>(
  settings: RouteSettings<Req>,
  req: Req,
  request: RouteRequest,
): Promise<RouteResponse> {
  if (request.method !== 'GET') return LIST_ANSWERS.methodNotAllowed;
  if (isCrossSite(request.headers, settings.trusted)) return LIST_ANSWERS.crossSite;
  const customerId = await settings.customerOf(req);
  if (customerId === undefined) return LIST_ANSWERS.signIn;
  let result: ListCardsResult;
  try {
    result = await listOwnCards(settings, req, customerId);
  } catch (err) {
    settings.report(err, req);
    return listAnswer(routeCallFailure(err));
  }
  return cardsAnswer(result.cards);
}
