import { describe, expect, it } from 'vitest';
import { JuspayTimeoutError } from '../src/index.js';
import { params, rejection, setup } from './helpers.js';

describe('timeouts and abort', () => {
  it('times out an attempt whose headers do not come', async () => {
    const { client, fake } = await setup({ timeoutMs: 200, maxRetries: 0 });
    fake.failNext({ delayMs: 5_000 });
    const started = Date.now();
    const err = await rejection(client.deleteToken(params));
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(err).toBeInstanceOf(JuspayTimeoutError);
    expect(err).toMatchObject({ code: 'TIMEOUT', ambiguous: true, retryable: true, attempts: 1 });
    expect((err as Error).message).toContain('timeoutMs (200 ms)');
  });

  it('times out an attempt whose body stalls after the headers', async () => {
    const { client, fake, events } = await setup({ timeoutMs: 300, maxRetries: 0 });
    fake.failNext({ status: 200, body: { status: 'SUCCESS' }, bodyDelayMs: 5_000 });
    const err = await rejection(client.deleteToken(params));
    expect(err).toBeInstanceOf(JuspayTimeoutError);
    expect(events.map((e) => e.type)).toEqual(['request', 'response', 'error']);
  });

  it('takes a per-call timeoutMs over the client one', async () => {
    const { client, fake } = await setup({ timeoutMs: 10_000, maxRetries: 0 });
    fake.failNext({ delayMs: 5_000 });
    const err = await rejection(client.deleteToken(params, { timeoutMs: 150 }));
    expect(err).toBeInstanceOf(JuspayTimeoutError);
    expect((err as Error).message).toContain('150 ms');
  });

  it('rejects with the signal reason when aborted during a request', async () => {
    const { client, fake } = await setup();
    fake.failNext({ delayMs: 5_000 });
    const controller = new AbortController();
    const pending = client.deleteToken(params, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const err = await rejection(pending);
    expect(err).toBeInstanceOf(DOMException);
    expect((err as DOMException).name).toBe('AbortError');
    expect(fake.requests).toHaveLength(1);
  });

  it('rejects with a custom abort reason', async () => {
    const { client, fake } = await setup();
    fake.failNext({ delayMs: 5_000 });
    const controller = new AbortController();
    const reason = new Error('shopper left');
    const pending = client.deleteToken(params, { signal: controller.signal });
    setTimeout(() => controller.abort(reason), 50);
    expect(await rejection(pending)).toBe(reason);
  });

  it('rejects with the signal reason when aborted during a wait between retries', async () => {
    const controller = new AbortController();
    const { client, fake } = await setup({
      onEvent: (event) => {
        if (event.type === 'retry') controller.abort();
      },
    });
    fake.failNext({ status: 503, headers: { 'retry-after': '20' } });
    const started = Date.now();
    const err = await rejection(client.deleteToken(params, { signal: controller.signal }));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((err as DOMException).name).toBe('AbortError');
    expect(fake.requests).toHaveLength(1);
  });

  it('sends nothing when the signal is already aborted', async () => {
    const { client, fake } = await setup();
    const err = await rejection(client.deleteToken(params, { signal: AbortSignal.abort() }));
    expect((err as DOMException).name).toBe('AbortError');
    expect(fake.requests).toHaveLength(0);
  });
});
