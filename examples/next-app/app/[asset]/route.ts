// The page's script and stylesheet (/app.js, /app.css); any other name is 404.
import { pageAsset } from '@juspay-tokens/example-shop-kit/page';

export const dynamic = 'force-dynamic';

export async function GET(
  _request: Request,
  { params }: { params: Promise<{ asset: string }> },
): Promise<Response> {
  const asset = pageAsset(`/${(await params).asset}`);
  if (asset === undefined || (await params).asset === '') return new Response('Not Found', { status: 404 });
  return new Response(new Uint8Array(asset.body), { headers: asset.headers });
}
