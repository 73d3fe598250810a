// Type-level tests, checked by `pnpm typecheck` against the built .d.ts (the package
// imports itself by name, as a merchant's app would).
import { JuspayClient, type ListCardsResult } from '@juspay-tokens/core';
import { errorResponse, juspay, type JuspayFetch, type JuspayRequestContext } from '@juspay-tokens/fetch';

interface Env {
  SHOPPER: string;
}

const cards: JuspayFetch<Env> = juspay<Env>({
  clientOptions: { apiKey: 'k', merchantId: 'm' },
  customerId: (request, env) => request.headers.get('x-customer') ?? env.SHOPPER,
  routingId: async (request) => Promise.resolve(request.headers.get('x-cart-id')),
  onError: (err, request) => console.warn(err, request.url),
  onDeleted: (_request, deleted, env) =>
    console.info(deleted.cardReference, deleted.alreadyGone, env.SHOPPER),
});
const owned: JuspayClient = cards.client;
declare const request: Request;
const maybe: Promise<Response | undefined> = cards.handle(request, { SHOPPER: 'c1' });
const always: Promise<Response> = cards.handler(request);
const context: JuspayRequestContext = cards.context(request);
const listed: Promise<ListCardsResult> = context.listCards();
const answer: Response = errorResponse(new Error('x'));

// @ts-expect-error the resolvers get a Request
juspay({ clientOptions: { apiKey: 'k' }, customerId: (request: string) => request });
// @ts-expect-error customerId is required
juspay({ clientOptions: { apiKey: 'k' } });
// @ts-expect-error the platform is the handler's
void cards.handle(request, { OTHER: 1 });

export { owned, maybe, always, listed, answer };
