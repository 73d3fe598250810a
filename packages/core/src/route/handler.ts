/**
 * The ready-made delete route as a pipeline that reads top to bottom, in the contract's
 * order: 405, cross-site 403, 401, 415, 413, 400 (body), 403 (`customer_id`), then the
 * call; and which of the two routes a request is for. Every answer comes from
 * `answers.ts`; adapters only translate.
 */
import { ANSWERS, routeCallFailure } from './answers.js';
import { cardReferenceFrom, isAcceptedMedia, isDeclaredTooLarge, readBody } from './body.js';
import { boundContext } from './context.js';
import { isCrossSite } from './cross-site.js';
import { handleList } from './list.js';
import { tellDeleted } from './on-deleted.js';
import { resolveRouteOptions, type RouteSettings } from './options.js';
import type { JuspayMiddlewareOptions, JuspayRouteCore, RouteRequest, RouteResponse } from './types.js';

/** Deletes the card, tells `onDeleted`, and answers; upstream failures go to `onError`. */
async function deleteCard<Req>(
  settings: RouteSettings<Req>,
  req: Req,
  cardReference: string,
  customerId: string,
): Promise<RouteResponse> {
  const routingId = await settings.routingOf(req, customerId);
  let result;
  try {
    result = await settings.client.deleteToken({ cardReference, customerId, routingId });
  } catch (err) {
    settings.report(err, req);
    return routeCallFailure(err);
  }
  const { requestId, alreadyGone } = result;
  await tellDeleted(settings, req, { cardReference, customerId, requestId, alreadyGone });
  return alreadyGone ? ANSWERS.alreadyGone : ANSWERS.deleted;
}

async function handleDelete<Req>(
  settings: RouteSettings<Req>,
  req: Req,
  request: RouteRequest,
): Promise<RouteResponse> {
  if (request.method !== 'POST') return ANSWERS.methodNotAllowed;
  if (isCrossSite(request.headers, settings.trusted)) return ANSWERS.crossSite;
  const customerId = await settings.customerOf(req);
  if (customerId === undefined) return ANSWERS.signIn;
  if (!(await isAcceptedMedia(request))) return ANSWERS.unsupportedMedia;
  if (isDeclaredTooLarge(request.headers)) return ANSWERS.tooLarge;
  const body = await readBody(request, settings.bodyTimeoutMs);
  if (!('value' in body)) return body;
  const target = cardReferenceFrom(body.value, customerId);
  if (!('cardReference' in target)) return target;
  return deleteCard(settings, req, target.cardReference, customerId);
}

/**
 * Checks the middleware options at mount time and builds what an adapter needs: the
 * client, the path, the per-request `juspay` object and the route.
 * @param owner The adapter's package name, used in error messages.
 * @throws {TypeError} naming the option and the fix.
 */
export function createJuspayRouteCore<Req>(
  options: JuspayMiddlewareOptions<Req>,
  owner: string,
): JuspayRouteCore<Req> {
  const settings = resolveRouteOptions(options, owner);
  const { path, listPath } = settings;
  return {
    client: settings.client,
    path,
    listPath,
    matches: (requestPath) => isAt(requestPath, path) || isAt(requestPath, listPath),
    context: (req, request) => boundContext(settings, req, request),
    handle: (req, request) =>
      isAt(request.path, listPath)
        ? handleList(settings, req, request)
        : handleDelete(settings, req, request),
  };
}

/** Whether a request path is `route` (a trailing slash is tolerated). */
function isAt(requestPath: string, route: string | undefined): boolean {
  return (
    route !== undefined &&
    (requestPath === route || (requestPath.length === route.length + 1 && requestPath === `${route}/`))
  );
}
