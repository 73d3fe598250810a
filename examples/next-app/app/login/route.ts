import { DEMO_CUSTOMER } from '@juspay-tokens/example-shop-kit/shop';
import { crossSiteRefusal } from '../../lib/guard';
import { getShop } from '../../lib/shop';

export const dynamic = 'force-dynamic';

/** A real shop checks a password; the demo signs in its one shopper. */
export async function POST(request: Request): Promise<Response> {
  const refused = crossSiteRefusal(request);
  if (refused) return refused;
  const session = await (await getShop()).session();
  session.customerId = DEMO_CUSTOMER;
  await session.save();
  return Response.json({ customerId: DEMO_CUSTOMER });
}
