import { createRequire } from 'node:module';
import { JuspayClient } from '@juspay-tokens/core';
import Koa from 'koa';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { juspay, type JuspayKoaOptions } from '../src/index.js';

const require = createRequire(import.meta.url);
const customerId = () => 'cust_1';

describe('@juspay-tokens/koa', () => {
  it('tests against both Koa majors', () => {
    expect((require('koa/package.json') as { version: string }).version).toMatch(/^3\./);
    expect((require('koa2/package.json') as { version: string }).version).toMatch(/^2\./);
  });

  it.each<[string, unknown, RegExp]>([
    ['no options', undefined, /@juspay-tokens\/koa: juspay\(\) needs options/],
    [
      'no client',
      { customerId },
      /pass "client: new JuspayClient\(\{ apiKey \}\)" or "clientOptions: \{ apiKey \}"/,
    ],
    ['both clients', { client: {}, clientOptions: { apiKey: 'k' }, customerId }, /not both/],
    ['no customerId', { clientOptions: { apiKey: 'k' } }, /"customerId" must be a function/],
    [
      'a non-function routingId',
      { clientOptions: { apiKey: 'k' }, customerId, routingId: 'r' },
      /"routingId" must be a function/,
    ],
    [
      'a non-function onError',
      { clientOptions: { apiKey: 'k' }, customerId, onError: true },
      /"onError" must be a function/,
    ],
    [
      'a bad route',
      { clientOptions: { apiKey: 'k' }, customerId, route: true },
      /"route" must be \{ path, listPath \} or false/,
    ],
  ])('throws at mount time for %s, naming the fix', (_label, options, message) => {
    expect(() => juspay(options as JuspayKoaOptions)).toThrow(TypeError);
    expect(() => juspay(options as JuspayKoaOptions)).toThrow(message);
  });

  it('sets ctx.juspay and ctx.request.juspay to one object, once when mounted twice', async () => {
    const client = new JuspayClient({ apiKey: 'k', baseUrl: 'http://127.0.0.1:9' });
    const first = juspay({ client, customerId: () => undefined });
    const second = juspay({ client, customerId });
    const app = new Koa();
    app.use(first);
    let injected: unknown;
    app.use(async (ctx, next) => {
      injected = ctx.juspay;
      await next();
    });
    app.use(second);
    app.use(async (ctx) => {
      const err = (await ctx.juspay.deleteToken('ref').catch((e: unknown) => e)) as { code: string };
      ctx.body = { code: err.code, same: ctx.juspay === ctx.request.juspay && ctx.juspay === injected };
    });
    const res = await request(app.callback()).post('/anything');
    expect(res.body).toEqual({ code: 'UNAUTHENTICATED', same: true });
    await client.close();
  });
});
