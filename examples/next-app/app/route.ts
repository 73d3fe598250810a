// The shop kit's page, the same one every example serves.
import { pageAsset } from '@juspay-tokens/example-shop-kit/page';

export const dynamic = 'force-dynamic';

export function GET(): Response {
  const page = pageAsset('/');
  return new Response(new Uint8Array(page.body), { headers: page.headers });
}
