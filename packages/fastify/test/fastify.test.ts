import { createRequire } from 'node:module';
import { JuspayClient } from '@juspay-tokens/core';
import { startFakeJuspay } from '@juspay-tokens/core/testing';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { juspay, type JuspayFastifyOptions } from '../src/index.js';

const require = createRequire(import.meta.url);
const customerId = () => 'cust_1';

describe('@juspay-tokens/fastify', () => {
  it('tests against Fastify 5', () => {
    expect((require('fastify/package.json') as { version: string }).version).toMatch(/^5\./);
  });

  it.each<[string, unknown, RegExp]>([
    ['no options', undefined, /@juspay-tokens\/fastify: /],
    ['no client', { customerId }, /pass "client: new JuspayClient\(\{ apiKey \}\)" or "clientOptions/],
    ['no customerId', { clientOptions: { apiKey: 'k' } }, /"customerId" must be a function/],
    [
      'a bad route path',
      { clientOptions: { apiKey: 'k' }, customerId, route: { path: 'x' } },
      /"route\.path"/,
    ],
    [
      'a bad onDeleted',
      { clientOptions: { apiKey: 'k' }, customerId, onDeleted: 'x' },
      /"onDeleted" must be a function/,
    ],
    [
      'a bad bodyTimeoutMs',
      { clientOptions: { apiKey: 'k' }, customerId, bodyTimeoutMs: 0 },
      /"bodyTimeoutMs"/,
    ],
  ])('fails registration for %s, naming the fix', async (_label, options, message) => {
    const app = Fastify();
    await expect(app.register(juspay, options as JuspayFastifyOptions).ready()).rejects.toThrow(message);
    await app.close();
  });

  it('is not encapsulated: request.juspay exists on every route of the app that registered it', async () => {
    const fake = await startFakeJuspay({
      cards: ['ref_1', 'ref_2'].map((cardReference) => ({ customerId: 'cust_1', cardReference })),
    });
    const app = Fastify();
    await app.register(juspay, { clientOptions: { apiKey: fake.apiKey, baseUrl: fake.url }, customerId });
    app.post('/root', async (request) => request.juspay.deleteToken('ref_1'));
    await app.register(async (child) => {
      child.post('/child', async (request) => request.juspay.deleteToken('ref_2'));
    });
    for (const url of ['/root', '/child']) {
      const res = await app.inject({ method: 'POST', url });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ status: 'SUCCESS', alreadyGone: false });
    }
    expect(fake.cards('cust_1')).toEqual([]);
    await app.close();
    await fake.close();
  });

  it('closes a client it built when the app closes, and leaves one it was given open', async () => {
    const given = new JuspayClient({ apiKey: 'k', baseUrl: 'http://127.0.0.1:9' });
    const withGiven = Fastify();
    await withGiven.register(juspay, { client: given, customerId, route: false });
    const withBuilt = Fastify();
    await withBuilt.register(juspay, {
      clientOptions: { apiKey: 'k', baseUrl: 'http://127.0.0.1:9' },
      customerId,
    });
    let built: JuspayClient | undefined;
    withBuilt.get('/client', async (request) => {
      built = request.juspay.client;
      return 'ok';
    });
    await withBuilt.inject({ method: 'GET', url: '/client' });
    await Promise.all([withGiven.close(), withBuilt.close()]);
    await expect(built?.deleteToken({ cardReference: 'r', customerId: 'c' })).rejects.toThrow(/after close/);
    await expect(
      given.deleteToken({ cardReference: 'r', customerId: 'c' }, { maxRetries: 0 }),
    ).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
    await given.close();
  });

  it('keeps the first binding when registered twice on one path', async () => {
    const first = new JuspayClient({ apiKey: 'k', baseUrl: 'http://127.0.0.1:9' });
    const app = Fastify();
    await app.register(juspay, { client: first, customerId, route: false });
    await app.register(async (child) => {
      await child.register(juspay, { clientOptions: { apiKey: 'k' }, customerId, route: { path: '/other' } });
      child.get('/same', async (request) => ({ same: request.juspay.client === first }));
    });
    expect((await app.inject({ method: 'GET', url: '/same' })).json()).toEqual({ same: true });
    await app.close();
    await first.close();
  });

  it('starts at once when registered twice on the same paths, and the first registration answers', async () => {
    const fake = await startFakeJuspay({ cards: [{ customerId: 'cust_1', cardReference: 'ref_1' }] });
    const first = new JuspayClient({ apiKey: fake.apiKey, baseUrl: fake.url });
    const app = Fastify();
    await app.register(juspay, { client: first, customerId });
    await app.register(juspay, { clientOptions: { apiKey: 'other', baseUrl: fake.url }, customerId });
    await app.ready();
    const res = await app.inject({
      method: 'POST',
      url: '/juspay/cards/delete',
      headers: { 'content-type': 'application/json' },
      payload: '{"card_reference":"ref_1"}',
    });
    expect(res.statusCode).toBe(200);
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]?.headers.authorization).toBe(
      `Basic ${Buffer.from(`${fake.apiKey}:`).toString('base64')}`,
    );
    await app.close();
    await first.close();
    await fake.close();
  });

  it('answers from the route table whatever content-type parsers the app added', async () => {
    const app = Fastify();
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, _body, done) =>
      done(new Error('the app parser must not run on the route')),
    );
    await app.register(juspay, { clientOptions: { apiKey: 'k' }, customerId });
    const res = await app.inject({
      method: 'POST',
      url: '/juspay/cards/delete',
      headers: { 'content-type': 'application/json' },
      payload: '{"card_reference": ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'INVALID_INPUT' } });
    await app.close();
  });
});
