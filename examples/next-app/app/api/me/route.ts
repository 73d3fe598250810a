import { describeShopper } from '@juspay-tokens/example-shop-kit/shop';
import { getShop } from '../../../lib/shop';

export const dynamic = 'force-dynamic';

export async function GET(): Promise<Response> {
  const { shop, session } = await getShop();
  const me = describeShopper(shop, (await session()).customerId);
  return Response.json(me, { headers: { 'cache-control': 'no-store' } });
}
