/** The shop's own state-changing routes refuse cross-site requests, as the Juspay routes do. */
import {
  CROSS_SITE_ANSWER,
  refuseCrossSite,
  UNAVAILABLE_ANSWER,
} from '@juspay-tokens/example-shop-kit/guard';

/** A 403 in the routes' own shape when `request` came from another site, else `undefined`. */
export function crossSiteRefusal(request: Request): Response | undefined {
  return refuseCrossSite(request.headers) ? Response.json(CROSS_SITE_ANSWER, { status: 403 }) : undefined;
}

/** The session store or the shop failed: answer, never crash or hang. */
export function unavailable(err: unknown): Response {
  console.warn('[shop]', err instanceof Error ? err.message : err);
  return Response.json(UNAVAILABLE_ANSWER, { status: 503 });
}
