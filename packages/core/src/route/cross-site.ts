/**
 * The cross-site rule, in one place: used by the ready-made route and by the bound
 * `deleteToken()` alike (as hono keeps its CSRF check in a module of its own).
 *
 * A request is cross-site when the browser says so (`Sec-Fetch-Site: cross-site`), or
 * when its `Origin` is neither trusted nor the request's own host. A trusted origin
 * passes even with `Sec-Fetch-Site: cross-site`; a request with neither header (a
 * server, a job, curl) passes.
 */
import { firstHeader, type RouteHeaders } from './headers.js';

/** Methods a link, an image or a preflight on any site can trigger: never allowed to delete. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Whether `origin` names the same host (and port, under its scheme's default) as the `Host` header. */
function sameHost(origin: string, host: string | undefined): boolean {
  let originUrl: URL;
  try {
    originUrl = new URL(origin);
  } catch {
    return false; // garbage
  }
  // "null" (sandboxed frames, file:) and opaque origins are never the request's own.
  if (originUrl.origin === 'null' || host === undefined) return false;
  try {
    // Parse the Host header under the Origin's scheme so default ports compare equal.
    return new URL(`${originUrl.protocol}//${host}`).host === originUrl.host;
  } catch {
    return false;
  }
}

/** Whether a request came from another site, by the rule above. */
export function isCrossSite(headers: RouteHeaders, trusted: ReadonlySet<string>): boolean {
  const origin = firstHeader(headers, 'origin');
  if (origin !== undefined && trusted.has(origin)) return false;
  if (firstHeader(headers, 'sec-fetch-site') === 'cross-site') return true;
  return origin !== undefined && !sameHost(origin, firstHeader(headers, 'host'));
}

/** Whether the bound `deleteToken()` must refuse to act for this request: cross-site, or a safe method. */
export function refusesDelete(method: string, headers: RouteHeaders, trusted: ReadonlySet<string>): boolean {
  return SAFE_METHODS.has(method.toUpperCase()) || isCrossSite(headers, trusted);
}

/**
 * Normalises one `trustedOrigins` entry at mount time.
 * @throws {TypeError} naming the entry and the expected shape.
 */
export function normaliseOrigin(owner: string, value: unknown): string {
  if (typeof value !== 'string') throw new TypeError(`${owner}: trustedOrigins must hold origin strings`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`${owner}: trustedOrigins entry ${JSON.stringify(value)} is not a URL origin`);
  }
  if (
    (url.protocol !== 'https:' && url.protocol !== 'http:') ||
    url.pathname !== '/' ||
    url.search ||
    url.hash
  ) {
    throw new TypeError(
      `${owner}: trustedOrigins entry ${JSON.stringify(value)} must be an origin like "https://shop.example" (scheme, host and port only)`,
    );
  }
  return url.origin;
}
