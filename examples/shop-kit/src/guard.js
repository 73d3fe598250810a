import { isCrossSite } from '@juspay-tokens/core/route';

const NOBODY_TRUSTED = new Set();

/**
 * The same rule the Juspay route applies, for the shop's own routes that change state
 * without calling Juspay (sign-in, sign-out): a request from another site, by
 * `Sec-Fetch-Site` or `Origin`, is refused. One guard, shared by both examples.
 *
 * @param {import('@juspay-tokens/core/route').RouteHeaders} headers Node's headers or a Web `Headers`
 * @returns {boolean} whether to refuse
 */
export function refuseCrossSite(headers) {
  return isCrossSite(headers, NOBODY_TRUSTED);
}

/** The answer for a refused request, in the route's own shape. */
export const CROSS_SITE_ANSWER = Object.freeze({
  error: Object.freeze({ code: 'CROSS_SITE_REQUEST', message: 'Cross-site requests are not allowed.' }),
});

/** The answer when the session store is down. */
export const UNAVAILABLE_ANSWER = Object.freeze({
  error: Object.freeze({
    code: 'SERVICE_UNAVAILABLE',
    message: 'The shop is unavailable. Please try again shortly.',
  }),
});
