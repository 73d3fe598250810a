// Type-level tests, checked by `pnpm typecheck` against the built .d.ts (the package
// imports itself by name, as a merchant's app would).
import Router from '@koa/router';
import { JuspayClient, type DeleteTokenResult } from '@juspay-tokens/core';
import { juspay, type JuspayRequestContext } from '@juspay-tokens/koa';
import Koa, { type Context, type ParameterizedContext } from 'koa';

interface ShopState {
  customerId?: string;
}

const app = new Koa<ShopState>();
const middleware = juspay<ShopState>({
  clientOptions: { apiKey: 'k' },
  customerId: (ctx) => ctx.state.customerId,
  routingId: async (ctx) => Promise.resolve(ctx.get('x-cart-id')),
  onError: (err, ctx) => console.warn(err, ctx.path),
});
app.use(middleware);
const owned: JuspayClient = middleware.client;

declare const ctx: Context;
const context: JuspayRequestContext = ctx.juspay;
const same: JuspayRequestContext = ctx.request.juspay;
const result: Promise<DeleteTokenResult> = ctx.juspay.deleteToken('ref_1', {
  signal: AbortSignal.timeout(1000),
});

// Reaches ParameterizedContext users such as @koa/router.
const router = new Router<ShopState>();
router.post('/account/close', async (routed) => {
  await routed.juspay.deleteToken('ref_1');
  routed.status = 204;
});
declare const parameterized: ParameterizedContext<ShopState>;
void parameterized.juspay.deleteToken('ref_2');

// @ts-expect-error deleteToken takes the card reference, not params
void ctx.juspay.deleteToken({ cardReference: 'r', customerId: 'c' });
// @ts-expect-error the state has no such field
juspay<ShopState>({ clientOptions: { apiKey: 'k' }, customerId: (c) => c.state.userId as string });
// @ts-expect-error customerId is required
juspay({ client: new JuspayClient({ apiKey: 'k' }) });

export { context, same, result, owned };
