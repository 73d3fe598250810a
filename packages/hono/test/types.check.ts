// Type-level tests, checked by `pnpm typecheck` against the built .d.ts (the package
// imports itself by name, as a merchant's app would).
import { JuspayClient, type DeleteTokenResult } from '@juspay-tokens/core';
import { juspay, juspayErrorHandler, type JuspayRequestContext } from '@juspay-tokens/hono';
import { Hono, type Context } from 'hono';

type ShopEnv = { Variables: { customerId?: string } };

const app = new Hono<ShopEnv>();
const middleware = juspay<ShopEnv>({
  clientOptions: { apiKey: 'k' },
  customerId: (c) => c.get('customerId'),
  onDeleted: (c, deleted) => console.info(c.req.path, deleted.requestId),
});
app.use(middleware);
app.onError(juspayErrorHandler);
const owned: JuspayClient = middleware.client;

// c.var.juspay is typed through ContextVariableMap on every Context.
declare const c: Context;
const context: JuspayRequestContext = c.var.juspay;
const same: JuspayRequestContext = c.get('juspay');
const result: Promise<DeleteTokenResult> = c.var.juspay.deleteToken('ref_1');

// @ts-expect-error a card reference is a string
void c.var.juspay.deleteToken(42);
// @ts-expect-error customerId is required
juspay({ clientOptions: { apiKey: 'k' } });

export { owned, context, same, result };
