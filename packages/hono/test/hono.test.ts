import { startFakeJuspay, type FakeJuspay } from '@juspay-tokens/core/testing';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { juspay, juspayErrorHandler } from '../src/index.js';

const API_KEY = 'sk_hono_Secr3t';
let fake: FakeJuspay;
beforeAll(async () => {
  fake = await startFakeJuspay({ apiKey: API_KEY, merchantId: 'm1' });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.reset();
  fake.addCard({ customerId: 'c1', cardReference: 'r1' });
});

function app() {
  const hono = new Hono();
  const middleware = juspay({
    clientOptions: { apiKey: API_KEY, baseUrl: fake.url, merchantId: 'm1', maxRetries: 0 },
    customerId: (c) => c.req.header('x-customer'),
  });
  hono.use(middleware);
  hono.onError(juspayErrorHandler);
  return { hono, middleware };
}

describe('@juspay-tokens/hono', () => {
  it('keeps the first c.var.juspay when mounted twice, and calls next() for other paths', async () => {
    const { hono, middleware } = app();
    const second = juspay({ clientOptions: { apiKey: 'other' }, customerId: () => 'c2' });
    hono.use(second);
    hono.get('/which', (c) => c.json({ same: c.var.juspay.client === middleware.client }));
    const res = await hono.request('/which');
    expect(await res.json()).toEqual({ same: true });
    await middleware.client.close();
    await second.client.close();
  });

  it('answers an HTTPException as Hono would, and another error as a logged 500', async () => {
    const { hono, middleware } = app();
    hono.get('/teapot', () => {
      throw new HTTPException(418, { message: 'short and stout' });
    });
    hono.get('/bug', () => {
      throw new Error('a bug');
    });
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const teapot = await hono.request('/teapot');
    expect(teapot.status).toBe(418);
    expect(await teapot.text()).toBe('short and stout');
    const bug = await hono.request('/bug');
    expect(bug.status).toBe(500);
    expect(await bug.text()).toBe('Internal Server Error');
    expect(logged).toHaveBeenCalledTimes(1);
    logged.mockRestore();
    await middleware.client.close();
  });

  it('answers the routes with the Hono Context given to the resolvers', async () => {
    const { hono, middleware } = app();
    const res = await hono.request('/juspay/cards', { headers: { 'x-customer': 'c1' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ cards: [{ cardReference: 'r1' }] });
    await middleware.client.close();
  });

  it('refuses wrong options when built', () => {
    expect(() => juspay(undefined as never)).toThrow(/@juspay-tokens\/hono/);
  });
});
