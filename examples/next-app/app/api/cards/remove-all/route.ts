// The shop's own route: "remove all my saved cards", through the bound listCards() and
// deleteToken() of @juspay-tokens/fetch (which refuse a cross-site request before anything
// is sent); their JuspayErrors are answered by errorResponse() from the routes' table.
import { JuspayError } from '@juspay-tokens/core';
import { removeAllCards } from '@juspay-tokens/example-shop-kit/shop';
import { crossSiteRefusal, unavailable } from '../../../../lib/guard';
import { getShop } from '../../../../lib/shop';

export const dynamic = 'force-dynamic';

export async function POST(request: Request): Promise<Response> {
  const refused = crossSiteRefusal(request);
  if (refused) return refused;
  const { shop, cards, session } = await getShop();
  try {
    const customerId = (await session()).customerId;
    return Response.json(await removeAllCards(cards.context(request), customerId, shop.audit));
  } catch (err) {
    return err instanceof JuspayError ? cards.errorResponse(err) : unavailable(err);
  }
}
