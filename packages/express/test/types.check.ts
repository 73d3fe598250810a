// Type-level tests, checked by `pnpm typecheck` against the built .d.ts (the package
// imports itself by name, as a merchant's app would).
import { JuspayClient, type DeleteTokenResult } from '@juspay-tokens/core';
import { juspay, type JuspayRequestContext } from '@juspay-tokens/express';
import express, { type Request } from 'express';

declare const req: Request;
const context: JuspayRequestContext = req.juspay;
const result: Promise<DeleteTokenResult> = req.juspay.deleteToken('ref_1', { timeoutMs: 500, maxRetries: 0 });
const client: JuspayClient = req.juspay.client;

const app = express();
const middleware = juspay({
  client: new JuspayClient({ apiKey: 'k' }),
  customerId: (r) => r.header('x-customer'),
  routingId: async (r) => Promise.resolve(r.ip),
  route: { path: '/cards/delete' },
  trustedOrigins: ['https://shop.example'],
  onError: (err, r) => console.warn(err, r.path),
});
app.use(middleware);
app.use(juspay({ clientOptions: { apiKey: 'k' }, customerId: () => undefined, route: false }));
const owned: JuspayClient = middleware.client;

// @ts-expect-error deleteToken takes the card reference, not params
void req.juspay.deleteToken({ cardReference: 'r', customerId: 'c' });
// @ts-expect-error customerId is required
juspay({ clientOptions: { apiKey: 'k' } });
// @ts-expect-error the resolver returns an id, not a number
juspay({ clientOptions: { apiKey: 'k' }, customerId: () => 42 });
// @ts-expect-error route is { path } or false
juspay({ clientOptions: { apiKey: 'k' }, customerId: () => 'c', route: true });
// @ts-expect-error the client is read-only
req.juspay.client = client;

export { context, result, owned };
