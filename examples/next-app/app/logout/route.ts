import { crossSiteRefusal } from '../../lib/guard';
import { getShop } from '../../lib/shop';

export const dynamic = 'force-dynamic';

export async function POST(request: Request): Promise<Response> {
  const refused = crossSiteRefusal(request);
  if (refused) return refused;
  (await (await getShop()).session()).destroy();
  return new Response(null, { status: 204 });
}
