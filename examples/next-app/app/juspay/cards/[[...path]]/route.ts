// Both routes of @juspay-tokens/fetch in one catch-all route handler: GET /juspay/cards
// lists the shopper's cards, POST /juspay/cards/delete deletes one; every other method
// gets the routes' own 405 (Next.js calls GET for HEAD, which the list answers 405 too).
import { getShop } from '../../../../lib/shop';

export const dynamic = 'force-dynamic';

const handler = async (request: Request) => (await getShop()).cards.handler(request);

export { handler as GET, handler as POST, handler as PUT, handler as PATCH, handler as DELETE };
