import { describe, expect, it } from 'vitest';
import { JuspayTimeoutError, type BeforeAttempt } from '../src/index.js';
import { params, rejection, setup } from './helpers.js';

// beforeAttempt (a shared limiter's turn before every attempt) and mayAlreadyBeGone (an
// earlier call may have deleted the card): the client's retry policy stays the only one.

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('beforeAttempt', () => {
  it('is awaited before every attempt, retries included, with the previous Retry-After', async () => {
    const seen: Omit<BeforeAttempt, 'signal'>[] = [];
    const { client, fake } = await setup({
      beforeAttempt: ({ signal: _signal, ...info }) => {
        seen.push(info);
      },
    });
    fake.failNext({ status: 503, headers: { 'retry-after': '0' } });
    fake.failNext({ status: 500 });
    const result = await client.deleteToken(params);
    expect(result.attempts).toBe(3);
    expect(seen).toEqual([
      { operation: 'deleteToken', requestId: result.requestId, attempt: 1, retryAfterMs: undefined },
      { operation: 'deleteToken', requestId: result.requestId, attempt: 2, retryAfterMs: 0 },
      { operation: 'deleteToken', requestId: result.requestId, attempt: 3, retryAfterMs: undefined },
    ]);
  });

  it('leaves a Retry-After wait to the hook (one wait, not two), and still waits a backoff itself', async () => {
    const waits: number[] = [];
    let last = performance.now();
    const { client, fake } = await setup({
      beforeAttempt: async ({ retryAfterMs }) => {
        waits.push(performance.now() - last);
        if (retryAfterMs !== undefined) await wait(retryAfterMs);
        last = performance.now();
      },
    });
    fake.failNext({ status: 429, headers: { 'retry-after': '1' } });
    fake.failNext({ status: 500 });
    const started = performance.now();
    await expect(client.deleteToken(params)).resolves.toMatchObject({ attempts: 3 });
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeLessThan(1_900); // the 1 s Retry-After waited once
    expect(waits[1]).toBeLessThan(500); // the client did not sleep it before the hook
    expect(waits[2]).toBeGreaterThanOrEqual(50); // the backoff after the 500 it did
  });

  it('holds each attempt until it resolves: nothing is sent before, and the attempt’s timer starts after', async () => {
    let sentDuringWait = -1;
    const { client, fake } = await setup({
      timeoutMs: 200,
      maxRetries: 0,
      beforeAttempt: async () => {
        await wait(400); // longer than timeoutMs: the attempt's own time has not started
        sentDuringWait = fake.requests.length;
      },
    });
    await expect(client.deleteToken(params)).resolves.toMatchObject({ status: 'SUCCESS' });
    expect(sentDuringWait).toBe(0);
  });

  it('waits a first turn longer than deadlineMs, then ends a later wait past it with JuspayTimeoutError', async () => {
    let turns = 0;
    const { client, fake } = await setup({
      deadlineMs: 300,
      beforeAttempt: async ({ attempt }) => {
        turns += 1;
        await wait(attempt === 1 ? 500 : 5_000);
      },
    });
    fake.failNext({ status: 503, headers: { 'retry-after': '0' } });
    const started = performance.now();
    const err = await rejection(client.deleteToken(params));
    expect(err).toBeInstanceOf(JuspayTimeoutError);
    expect(err).toMatchObject({ code: 'TIMEOUT', attempts: 1, retryable: true });
    expect((err as Error).message).toMatch(/deadlineMs \(300 ms\) while beforeAttempt/);
    expect(performance.now() - started).toBeLessThan(2_500);
    expect(turns).toBe(2);
    expect(fake.requests).toHaveLength(1);
  });

  it('lets the call’s signal end a wait with its reason', async () => {
    const { client, fake } = await setup({ beforeAttempt: () => new Promise(() => undefined) });
    const reason = new Error('operator pressed Ctrl-C');
    const controller = new AbortController();
    setTimeout(() => controller.abort(reason), 50);
    expect(await rejection(client.deleteToken(params, { signal: controller.signal }))).toBe(reason);
    expect(fake.requests).toHaveLength(0);
  });

  it('ends the call with its rejection, unretried, sync or async', async () => {
    const stop = new Error('the limiter is closed');
    const { client, fake } = await setup({
      beforeAttempt: ({ attempt }) => {
        if (attempt === 2) throw stop;
      },
    });
    fake.failNext({ status: 503, headers: { 'retry-after': '0' } });
    expect(await rejection(client.deleteToken(params))).toBe(stop);
    expect(fake.requests).toHaveLength(1);
    const { client: other, fake: otherFake } = await setup({
      merchantId: 'm1',
      beforeAttempt: () => Promise.reject(stop),
    });
    expect(await rejection(other.listCards({ customerId: 'cust_1' }))).toBe(stop);
    expect(otherFake.requests).toHaveLength(0);
  });

  it('is refused when not a function', async () => {
    await expect(setup({ beforeAttempt: 'soon' as never })).rejects.toThrow(
      /option "beforeAttempt" must be a function/,
    );
  });
});

describe('mayAlreadyBeGone', () => {
  it('turns INVALID_REQUEST into alreadyGone, and changes nothing else', async () => {
    const { client, fake } = await setup();
    await client.deleteToken(params);
    const again = await client.deleteToken(params, { mayAlreadyBeGone: true });
    expect(again).toMatchObject({ status: 'SUCCESS', alreadyGone: true, attempts: 1 });
    await expect(client.deleteToken(params)).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    const fresh = await client.deleteToken({ ...params, cardReference: 'ref_2' }, { mayAlreadyBeGone: true });
    expect(fresh).toMatchObject({ alreadyGone: false });
    fake.failNext({ status: 401 });
    await expect(client.deleteToken(params, { mayAlreadyBeGone: true })).rejects.toMatchObject({
      code: 'AUTHENTICATION_FAILED',
    });
  });

  it('is a deleteToken option, true or false', async () => {
    const { client } = await setup({ merchantId: 'm1' });
    await expect(client.deleteToken(params, { mayAlreadyBeGone: 'yes' as never })).rejects.toThrow(
      /option "mayAlreadyBeGone" must be true or false/,
    );
    await expect(
      client.listCards({ customerId: 'cust_1' }, { mayAlreadyBeGone: true } as never),
    ).rejects.toThrow(/mayAlreadyBeGone" is a deleteToken option/);
  });
});
