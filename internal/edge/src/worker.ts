/**
 * A small Cloudflare Worker: the fetch handler from the built packages, under the
 * `workerd` export condition (the core's edge build: fetch, no undici, no `node:`). The
 * signed-in shopper is a plain `customer` cookie here: this worker tests the runtime,
 * not a session library.
 */
import { juspay, type JuspayFetch } from '@juspay-tokens/fetch';

interface Env {
  JUSPAY_API_KEY: string;
  JUSPAY_BASE_URL: string;
  JUSPAY_MERCHANT_ID: string;
}

let cards: JuspayFetch<Env> | undefined;

function customerOf(request: Request): string | undefined {
  const cookie = request.headers.get('cookie') ?? '';
  return /(?:^|;\s*)customer=([^;]+)/.exec(cookie)?.[1];
}

export default {
  fetch(request: Request, env: Env): Promise<Response> {
    // One handler (one client) per isolate, built from the Worker's bindings.
    cards ??= juspay<Env>({
      clientOptions: {
        apiKey: env.JUSPAY_API_KEY,
        baseUrl: env.JUSPAY_BASE_URL,
        merchantId: env.JUSPAY_MERCHANT_ID,
        timeoutMs: 300,
        deadlineMs: 900,
        maxRetries: 1,
      },
      customerId: (req) => customerOf(req),
    });
    return cards.handler(request, env);
  },
};
