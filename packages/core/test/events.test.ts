import { describe, expect, it } from 'vitest';
import { params, rejection, setup } from './helpers.js';

describe('onEvent', () => {
  it('reports request and response for a success', async () => {
    const { client, fake, events } = await setup();
    const result = await client.deleteToken(params);
    expect(events).toEqual([
      {
        type: 'request',
        operation: 'deleteToken',
        requestId: result.requestId,
        attempt: 1,
        method: 'POST',
        url: `${fake.url}/v4/card/delete`,
        routingId: 'cust_1',
      },
      {
        type: 'response',
        operation: 'deleteToken',
        requestId: result.requestId,
        attempt: 1,
        status: 200,
        durationMs: expect.any(Number),
      },
    ]);
  });

  it('reports every attempt, each failure once, and each retry with its reason', async () => {
    const { client, fake, events } = await setup();
    fake.failNext({ status: 503, headers: { 'retry-after': '0' } });
    fake.failNext({ status: 429, headers: { 'retry-after': '0' } });
    await client.deleteToken({ ...params, routingId: 'route_9' });
    expect(events.map((e) => `${e.type}:${e.attempt}`)).toEqual([
      'request:1',
      'response:1',
      'error:1',
      'retry:1',
      'request:2',
      'response:2',
      'error:2',
      'retry:2',
      'request:3',
      'response:3',
    ]);
    expect(events.filter((e) => e.type === 'error').map((e) => e.code)).toEqual([
      'SERVER_ERROR',
      'RATE_LIMITED',
    ]);
    expect(events.filter((e) => e.type === 'retry').map((e) => [e.reason, e.delayMs])).toEqual([
      ['SERVER_ERROR', 0],
      ['RATE_LIMITED', 0],
    ]);
    expect(new Set(events.map((e) => e.requestId)).size).toBe(1);
    expect(events.find((e) => e.type === 'request')).toMatchObject({ routingId: 'route_9' });
  });

  it('reports a network failure without a response event', async () => {
    const { client, fake, events } = await setup({ maxRetries: 0 });
    fake.failNext({ reset: true });
    await rejection(client.deleteToken(params));
    expect(events.map((e) => e.type)).toEqual(['request', 'error']);
    expect(events[1]).toMatchObject({ code: 'NETWORK_ERROR' });
  });

  it('emits nothing for input errors', async () => {
    const { client, events } = await setup();
    await rejection(client.deleteToken({ cardReference: '', customerId: 'x' }));
    expect(events).toEqual([]);
  });

  it('never lets a throwing or rejecting hook break a call', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const throwing = await setup({
        onEvent: () => {
          throw new Error('hook exploded');
        },
      });
      await expect(throwing.client.deleteToken(params)).resolves.toMatchObject({ status: 'SUCCESS' });
      const rejecting = await setup({
        onEvent: () => Promise.reject(new Error('async hook exploded')) as never,
      });
      await expect(rejecting.client.deleteToken(params)).resolves.toMatchObject({ status: 'SUCCESS' });
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
