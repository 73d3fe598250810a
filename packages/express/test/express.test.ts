import { createRequire } from 'node:module';
import { JuspayClient } from '@juspay-tokens/core';
import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { juspay, type JuspayExpressOptions } from '../src/index.js';

const require = createRequire(import.meta.url);
const customerId = () => 'cust_1';

describe('@juspay-tokens/express', () => {
  it('tests against both Express majors', () => {
    expect((require('express/package.json') as { version: string }).version).toMatch(/^5\./);
    expect((require('express4/package.json') as { version: string }).version).toMatch(/^4\./);
  });

  it.each<[string, unknown, RegExp]>([
    ['no options', undefined, /juspay\(\) needs options/],
    [
      'no client',
      { customerId },
      /pass "client: new JuspayClient\(\{ apiKey \}\)" or "clientOptions: \{ apiKey \}"/,
    ],
    [
      'both clients',
      { client: {}, clientOptions: { apiKey: 'k' }, customerId },
      /either "client" or "clientOptions", not both/,
    ],
    ['a client that is not one', { client: {}, customerId }, /"client" must be a JuspayClient/],
    [
      'no customerId',
      { clientOptions: { apiKey: 'k' } },
      /"customerId" must be a function .*req\.session\.customerId/,
    ],
    [
      'a bad route path',
      { clientOptions: { apiKey: 'k' }, customerId, route: { path: 'cards' } },
      /"route\.path" must be a string starting with "\/"/,
    ],
    [
      'a bad trusted origin',
      { clientOptions: { apiKey: 'k' }, customerId, trustedOrigins: ['shop.example'] },
      /trustedOrigins entry "shop\.example"/,
    ],
    [
      'a trusted origin with a path',
      { clientOptions: { apiKey: 'k' }, customerId, trustedOrigins: ['https://a.example/x'] },
      /must be an origin/,
    ],
    ['bad clientOptions', { clientOptions: { apiKey: '' }, customerId }, /"apiKey" must not be empty/],
  ])('throws at mount time for %s, naming the fix', (_label, options, message) => {
    expect(() => juspay(options as JuspayExpressOptions)).toThrow(TypeError);
    expect(() => juspay(options as JuspayExpressOptions)).toThrow(message);
  });

  it('injects once when mounted twice, and uses a client it was given without closing it', async () => {
    const client = new JuspayClient({ apiKey: 'k', baseUrl: 'http://127.0.0.1:9' });
    let secondCalled = false;
    const first = juspay({ client, customerId: () => undefined });
    const second = juspay({
      clientOptions: { apiKey: 'k' },
      customerId: () => {
        secondCalled = true;
        return 'x';
      },
    });
    expect(first.client).toBe(client);
    const app = express();
    app.use(first);
    app.use(second);
    app.post('/who', (req, res, next) => {
      req.juspay.deleteToken('ref').then(
        () => res.sendStatus(500),
        (err: { code: string }) => res.json({ code: err.code, same: req.juspay.client === client }),
      );
      void next;
    });
    const res = await request(app).post('/who');
    expect(res.body).toEqual({ code: 'UNAUTHENTICATED', same: true });
    expect(secondCalled).toBe(false);
    await second.client.close();
    await client.close();
  });
});
