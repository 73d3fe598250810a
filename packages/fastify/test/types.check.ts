// Type-level tests, checked by `pnpm typecheck` against the built .d.ts (the package
// imports itself by name, as a merchant's app would).
import { JuspayClient, type DeleteTokenResult } from '@juspay-tokens/core';
import { juspay, type JuspayFastifyOptions, type JuspayRequestContext } from '@juspay-tokens/fastify';
import Fastify, { type FastifyRequest } from 'fastify';

declare const request: FastifyRequest;
const context: JuspayRequestContext = request.juspay;
const result: Promise<DeleteTokenResult> = request.juspay.deleteToken('ref_1', { timeoutMs: 500 });
const client: JuspayClient = request.juspay.client;

const app = Fastify();
const options: JuspayFastifyOptions = {
  client: new JuspayClient({ apiKey: 'k' }),
  customerId: (r) => r.headers['x-customer'] as string | undefined,
  routingId: async (r) => Promise.resolve(r.ip),
  route: { path: '/cards/delete' },
  trustedOrigins: ['https://shop.example'],
  onError: (err, r) => r.log.warn(err),
  onDeleted: async (r, deleted) => r.log.info({ alreadyGone: deleted.alreadyGone }, deleted.cardReference),
  bodyTimeoutMs: 5_000,
};
void app.register(juspay, options);
void app.register(juspay, { clientOptions: { apiKey: 'k' }, customerId: () => undefined, route: false });

// @ts-expect-error deleteToken takes the card reference, not params
void request.juspay.deleteToken({ cardReference: 'r', customerId: 'c' });
// @ts-expect-error customerId is required
void app.register(juspay, { clientOptions: { apiKey: 'k' } });
// @ts-expect-error the resolver returns an id, not a number
void app.register(juspay, { clientOptions: { apiKey: 'k' }, customerId: () => 42 });
// @ts-expect-error the client is read-only
request.juspay.client = client;

export { context, result };
