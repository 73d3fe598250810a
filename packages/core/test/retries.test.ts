import { describe, expect, it } from 'vitest';
import {
  JuspayError,
  JuspayNetworkError,
  JuspayRateLimitError,
  JuspayServerError,
  JuspayTimeoutError,
} from '../src/index.js';
import { backoffDelayMs, parseRetryAfterMs } from '../src/retry.js';
import { params, rejection, setup } from './helpers.js';

// Retry-After: 0 replaces the backoff, so retried statuses cost no wall time here.
const now = { 'retry-after': '0' };

describe('retries', () => {
  it.each([429, 500, 502, 503, 504])(
    'retries HTTP %i and succeeds with the same request id',
    async (status) => {
      const { client, fake } = await setup();
      fake.failNext({ status, headers: now, times: 2 });
      const result = await client.deleteToken(params);
      expect(result.attempts).toBe(3);
      expect(fake.requests).toHaveLength(3);
      const ids = new Set(fake.requests.map((r) => r.headers['x-request-id']));
      expect(ids).toEqual(new Set([result.requestId]));
      expect(fake.cards('cust_1')).toEqual(['ref_2']);
    },
  );

  it.each([400, 401, 403, 404, 409, 422, 501, 505])('does not retry HTTP %i', async (status) => {
    const { client, fake } = await setup();
    fake.failNext({ status, headers: now, times: 3 });
    const err = await rejection(client.deleteToken(params));
    expect((err as JuspayError).attempts).toBe(1);
    expect(fake.requests).toHaveLength(1);
  });

  it('does not retry a 2xx failure body', async () => {
    const { client, fake } = await setup();
    fake.failNext({ status: 200, body: { status: 'FAILURE' }, times: 3 });
    await rejection(client.deleteToken(params));
    expect(fake.requests).toHaveLength(1);
  });

  it('gives up after maxRetries + 1 attempts with the last error', async () => {
    const { client, fake } = await setup({ maxRetries: 2 });
    fake.failNext({ status: 503, headers: now, times: 2 });
    fake.failNext({ status: 502, headers: now, times: 5 });
    const err = await rejection(client.deleteToken(params));
    expect(err).toBeInstanceOf(JuspayServerError);
    expect(err).toMatchObject({ status: 502, attempts: 3, ambiguous: true });
    expect(fake.requests).toHaveLength(3);
  });

  it('makes exactly one attempt with maxRetries: 0 (client or per call)', async () => {
    const { client, fake } = await setup({ maxRetries: 0 });
    fake.failNext({ status: 503, headers: now, times: 5 });
    await rejection(client.deleteToken(params));
    expect(fake.requests).toHaveLength(1);
    const other = await setup();
    other.fake.failNext({ status: 503, headers: now, times: 5 });
    await rejection(other.client.deleteToken(params, { maxRetries: 0 }));
    expect(other.fake.requests).toHaveLength(1);
  });

  it('retries a connection reset with backoff, and the outcome is ambiguous', async () => {
    const { client, fake, events } = await setup({ maxRetries: 1 });
    fake.failNext({ reset: true });
    const result = await client.deleteToken(params);
    expect(result.attempts).toBe(2);
    const retry = events.find((e) => e.type === 'retry');
    expect(retry).toMatchObject({ attempt: 1, reason: 'NETWORK_ERROR' });
    // about 250 ms, with jitter
    expect((retry as { delayMs: number }).delayMs).toBeGreaterThanOrEqual(200);
    expect((retry as { delayMs: number }).delayMs).toBeLessThanOrEqual(300);
  });

  it('stays ambiguous when a lost answer is followed by a server error', async () => {
    const { client, fake } = await setup({ maxRetries: 1 });
    fake.failNext({ reset: true, afterDelete: true });
    fake.failNext({ status: 502, headers: now });
    const err = await rejection(client.deleteToken(params));
    expect(err).toBeInstanceOf(JuspayServerError);
    expect(err).toMatchObject({ ambiguous: true, attempts: 2 });
    expect(fake.cards('cust_1')).toEqual(['ref_2']);
  });

  it('is not ambiguous when every attempt was rate-limited', async () => {
    const { client, fake } = await setup({ maxRetries: 1 });
    fake.failNext({ status: 429, headers: now, times: 2 });
    const err = await rejection(client.deleteToken(params));
    expect(err).toBeInstanceOf(JuspayRateLimitError);
    expect(err).toMatchObject({ ambiguous: false, attempts: 2 });
  });

  it('retries a per-attempt timeout', async () => {
    const { client, fake } = await setup({ timeoutMs: 150, maxRetries: 1 });
    fake.failNext({ delayMs: 2_000 });
    const result = await client.deleteToken(params);
    expect(result.attempts).toBe(2);
    expect(fake.requests).toHaveLength(2);
  });

  it('honours Retry-After in seconds', async () => {
    const { client, fake, events } = await setup();
    fake.failNext({ status: 503, headers: { 'retry-after': '1' } });
    const started = Date.now();
    await client.deleteToken(params);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(events.find((e) => e.type === 'retry')).toMatchObject({ delayMs: 1000, reason: 'SERVER_ERROR' });
  });

  it('honours Retry-After as an HTTP date', async () => {
    const { client, fake, events } = await setup();
    const at = new Date(Date.now() + 2_000).toUTCString();
    fake.failNext({ status: 429, headers: { 'retry-after': at } });
    await client.deleteToken(params);
    const retry = events.find((e) => e.type === 'retry') as { delayMs: number };
    expect(retry.delayMs).toBeGreaterThan(0);
    expect(retry.delayMs).toBeLessThanOrEqual(2_000);
  });

  it('gives up at once when Retry-After is past the deadline', async () => {
    const { client, fake, events } = await setup({ deadlineMs: 5_000 });
    fake.failNext({ status: 503, headers: { 'retry-after': '60' } });
    const started = Date.now();
    const err = await rejection(client.deleteToken(params));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(err).toBeInstanceOf(JuspayServerError);
    expect(err).toMatchObject({ attempts: 1 });
    expect(events.some((e) => e.type === 'retry')).toBe(false);
    expect(fake.requests).toHaveLength(1);
  });

  it('ends with the last error when the next backoff would pass the deadline', async () => {
    const { client, fake } = await setup({ deadlineMs: 100 });
    fake.failNext({ reset: true, times: 3 });
    const err = await rejection(client.deleteToken(params));
    expect(err).toBeInstanceOf(JuspayNetworkError);
    expect(fake.requests).toHaveLength(1);
  });

  it('ends an attempt cut short by the deadline with a timeout', async () => {
    const { client, fake } = await setup({ deadlineMs: 300, timeoutMs: 5_000 });
    fake.failNext({ delayMs: 3_000 });
    const started = Date.now();
    const err = await rejection(client.deleteToken(params));
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(err).toBeInstanceOf(JuspayTimeoutError);
    expect((err as Error).message).toContain('deadlineMs (300 ms)');
    expect(err).toMatchObject({ ambiguous: true, attempts: 1 });
  });
});

describe('retry policy helpers', () => {
  it('grows about 250, 500, 1000 ms and caps at 2 s, within +-20 %', () => {
    expect(backoffDelayMs(1, () => 0.5)).toBe(250);
    expect(backoffDelayMs(2, () => 0.5)).toBe(500);
    expect(backoffDelayMs(3, () => 0.5)).toBe(1000);
    expect(backoffDelayMs(4, () => 0.5)).toBe(2000);
    expect(backoffDelayMs(9, () => 1)).toBe(2000);
    expect(backoffDelayMs(1, () => 0)).toBe(200);
    expect(backoffDelayMs(1, () => 1)).toBe(300);
  });

  it('reads Retry-After seconds and HTTP dates, and ignores nonsense', () => {
    const now = Date.parse('Sun, 29 Nov 2026 08:00:00 GMT');
    expect(parseRetryAfterMs('3', now)).toBe(3000);
    expect(parseRetryAfterMs(' 0 ', now)).toBe(0);
    expect(parseRetryAfterMs('Sun, 29 Nov 2026 08:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfterMs('Sun, 29 Nov 2026 07:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfterMs(undefined, now)).toBeUndefined();
    expect(parseRetryAfterMs('-1', now)).toBeUndefined();
    expect(parseRetryAfterMs('1.5', now)).toBeUndefined();
    expect(parseRetryAfterMs('soon', now)).toBeUndefined();
    expect(parseRetryAfterMs('2026', now)).toBe(2026000);
    expect(parseRetryAfterMs(['4', '9'], now)).toBe(4000);
  });
});
