// The queue and the worker in this process, on a real redis-server and the fake Juspay
// over loopback: each job's outcome, the flow of an erasure, deduplication, and what each
// kind of failure does to a job.
import { JuspayInputError } from '@juspay-tokens/core';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { API_KEY, deletesAt, queueOn, startFake, startRedis, until, workerOn } from './helpers.js';

const QUICK = { backoff: { type: 'fixed', delay: 50 } } as const;

describe('deleteCard jobs', () => {
  it('delete the card with one client attempt and complete with the outcome, the request id and the attempts', async () => {
    const [redis, fake] = await Promise.all([startRedis(), startFake()]);
    fake.addCard({ customerId: 'cust_1', cardReference: 'ref_1' });
    const queue = queueOn(redis);
    workerOn(redis, fake);
    const job = await queue.deleteCard({ customerId: 'cust_1', cardReference: 'ref_1' });
    await until(async () => (await job.getState()) === 'completed');
    const done = await queue.getJob(job.id as string);
    expect(done?.returnvalue).toEqual({
      outcome: 'deleted',
      requestId: deletesAt(fake)[0]?.headers['x-request-id'],
      attempts: 1,
    });
    expect(fake.cards('cust_1')).toEqual([]);
    expect(deletesAt(fake)).toHaveLength(1);
  });

  it('refuse params that break the input rules with JuspayInputError, adding nothing', async () => {
    const redis = await startRedis();
    const queue = queueOn(redis);
    await expect(queue.deleteCard({ customerId: '', cardReference: 'ref_1' })).rejects.toBeInstanceOf(
      JuspayInputError,
    );
    await expect(queue.deleteCard({ customerId: 'c', cardReference: 'a\nb' })).rejects.toThrow(
      /cardReference/,
    );
    await expect(queue.eraseCustomer({ customerId: ' cust' })).rejects.toBeInstanceOf(JuspayInputError);
    expect(await queue.count()).toBe(0);
  });

  it('are not added twice for a pair already waiting, never merge two pairs, and are added again once done', async () => {
    const [redis, fake] = await Promise.all([startRedis(), startFake()]);
    const queue = queueOn(redis);
    const pairs = [
      ['a:b', 'c'],
      ['a', 'b:c'],
      ['x","y', 'z'],
      ['x', 'y","z'],
      ['ü 名前', 'ref:ü'],
      ['a', 'b'],
    ] as const;
    const first = await Promise.all(
      pairs.map(([customerId, cardReference]) =>
        queue.deleteCard({ customerId, cardReference, routingId: 'r' }),
      ),
    );
    const again = await queue.deleteCard({ customerId: 'a', cardReference: 'b', routingId: 'r' });
    expect(new Set(first.map((job) => job.id)).size).toBe(pairs.length);
    expect(again.id).toBe(first[5]?.id);
    expect(await queue.count()).toBe(pairs.length);
    for (const [customerId, cardReference] of pairs) fake.addCard({ customerId, cardReference });
    workerOn(redis, fake);
    await until(async () => (await queue.getCompletedCount()) === pairs.length);
    const later = await queue.deleteCard({ customerId: 'a', cardReference: 'b' });
    expect(later.id).not.toBe(again.id);
    await until(async () => (await queue.getCompletedCount()) === pairs.length + 1);
    expect((await queue.getJob(later.id as string))?.returnvalue).toMatchObject({
      outcome: 'invalid_request',
    });
  });

  it('carry an ambiguous attempt into the next: a lost answer then INVALID_REQUEST completes already_gone', async () => {
    const [redis, fake] = await Promise.all([startRedis(), startFake()]);
    fake.addCard({ customerId: 'cust_1', cardReference: 'ref_1' });
    fake.failNext({ afterDelete: true, reset: true });
    const queue = queueOn(redis);
    workerOn(redis, fake);
    const job = await queue.deleteCard({ customerId: 'cust_1', cardReference: 'ref_1' }, QUICK);
    await until(async () => (await job.getState()) === 'completed');
    const done = await queue.getJob(job.id as string);
    expect(done?.returnvalue).toMatchObject({ outcome: 'already_gone', attempts: 2 });
    expect(done?.data).toMatchObject({ ambiguous: true });
    expect(deletesAt(fake)).toHaveLength(2);
  });

  it('fail at once on an answer the client does not retry (a 501), and are kept', async () => {
    const [redis, fake] = await Promise.all([startRedis(), startFake()]);
    fake.addCard({ customerId: 'cust_1', cardReference: 'ref_1' });
    fake.failNext({ status: 501 });
    const queue = queueOn(redis);
    workerOn(redis, fake);
    const job = await queue.deleteCard({ customerId: 'cust_1', cardReference: 'ref_1' }, QUICK);
    await until(async () => (await job.getState()) === 'failed');
    const failed = await queue.getJob(job.id as string);
    expect(failed?.attemptsMade).toBe(1);
    expect(failed?.failedReason).toMatch(/^SERVER_ERROR/);
    expect(deletesAt(fake)).toHaveLength(1);
  });

  it('retry a retryable failure after the backoff, one request per job attempt', async () => {
    const [redis, fake] = await Promise.all([startRedis(), startFake()]);
    fake.addCard({ customerId: 'cust_1', cardReference: 'ref_1' });
    fake.failNext({ status: 502, times: 2 });
    const queue = queueOn(redis);
    workerOn(redis, fake);
    const job = await queue.deleteCard({ customerId: 'cust_1', cardReference: 'ref_1' }, QUICK);
    await until(async () => (await job.getState()) === 'completed');
    // 502s are ambiguous, so the third attempt may find the card gone; here it was still there.
    expect((await queue.getJob(job.id as string))?.returnvalue).toMatchObject({
      outcome: 'deleted',
      attempts: 3,
    });
    expect(deletesAt(fake)).toHaveLength(3);
  });

  it('pause every start of the queue for a Retry-After, then finish', async () => {
    const [redis, fake] = await Promise.all([startRedis(), startFake()]);
    for (const ref of ['r1', 'r2', 'r3']) fake.addCard({ customerId: 'c', cardReference: ref });
    fake.failNext({ status: 429, headers: { 'retry-after': '1' } });
    const queue = queueOn(redis);
    for (const ref of ['r1', 'r2', 'r3'])
      await queue.deleteCard({ customerId: 'c', cardReference: ref }, QUICK);
    workerOn(redis, fake, { concurrency: 1 });
    await until(async () => (await queue.getCompletedCount()) === 3);
    const [limited, next] = deletesAt(fake);
    expect((next?.receivedAt ?? 0) - (limited?.receivedAt ?? 0)).toBeGreaterThanOrEqual(950);
    expect(fake.cards('c')).toEqual([]);
    expect(await queue.getFailedCount()).toBe(0);
  });

  it('retry only onDeleted when it throws: the card is not sent twice', async () => {
    const [redis, fake] = await Promise.all([startRedis(), startFake()]);
    fake.addCard({ customerId: 'cust_1', cardReference: 'ref_1' });
    const queue = queueOn(redis);
    const told: unknown[] = [];
    workerOn(redis, fake, {
      onDeleted: (_job, deleted) => {
        told.push(deleted);
        if (told.length === 1) throw new Error('audit log down');
      },
    });
    const job = await queue.deleteCard({ customerId: 'cust_1', cardReference: 'ref_1' }, QUICK);
    await until(async () => (await job.getState()) === 'completed');
    expect(told).toHaveLength(2);
    expect(told[1]).toEqual({
      customerId: 'cust_1',
      cardReference: 'ref_1',
      requestId: expect.any(String),
      alreadyGone: false,
    });
    expect(deletesAt(fake)).toHaveLength(1);
    expect((await queue.getJob(job.id as string))?.returnvalue).toMatchObject({
      outcome: 'deleted',
      attempts: 2,
    });
  });
});

describe('a rejected key', () => {
  it('pauses the worker and says so; the job fails nowhere and waits for a worker with a good key', async () => {
    const [redis, fake] = await Promise.all([startRedis(), startFake()]);
    fake.addCard({ customerId: 'cust_1', cardReference: 'ref_1' });
    const queue = queueOn(redis);
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const bad = workerOn(redis, fake, {}, 'wrong_key');
      const job = await queue.deleteCard({ customerId: 'cust_1', cardReference: 'ref_1' });
      await until(() => bad.isPaused(), 10_000, 'the worker to pause');
      await until(async () => (await job.getState()) === 'delayed', 10_000, 'the job to wait');
      expect(warnings.map((warning) => warning.message).join('\n')).toMatch(/AUTHENTICATION_FAILED.*paused/);
      expect(fake.cards('cust_1')).toEqual(['ref_1']);
      workerOn(redis, fake);
      await job.promote();
      await until(async () => (await job.getState()) === 'completed', 10_000, 'the good worker');
      expect((await queue.getJob(job.id as string))?.returnvalue).toMatchObject({ outcome: 'deleted' });
      expect(await queue.getFailedCount()).toBe(0);
    } finally {
      process.off('warning', onWarning);
    }
  });
});

describe('eraseCustomer jobs', () => {
  it('list the cards, delete each as its own child job, and complete with the summary', async () => {
    const [redis, fake] = await Promise.all([startRedis(), startFake()]);
    for (const ref of ['c1', 'c2', 'c3']) fake.addCard({ customerId: 'cust_1', cardReference: ref });
    fake.addCard({ customerId: 'cust_2', cardReference: 'gone' });
    fake.failWhen((request) =>
      (request.body as { card_reference?: string } | undefined)?.card_reference === 'c2'
        ? { status: 501 }
        : undefined,
    );
    const queue = queueOn(redis);
    workerOn(redis, fake);
    const erase = await queue.eraseCustomer({ customerId: 'cust_1' }, QUICK);
    const unknown = await queue.eraseCustomer({ customerId: 'nobody' }, QUICK);
    await until(
      async () => (await erase.getState()) === 'completed' && (await unknown.getState()) === 'completed',
    );
    expect((await queue.getJob(erase.id as string))?.returnvalue).toEqual({
      cards: 3,
      deleted: 2,
      already_gone: 0,
      invalid_request: 0,
      failed: 1,
    });
    expect((await queue.getJob(unknown.id as string))?.returnvalue).toEqual({
      cards: 0,
      deleted: 0,
      already_gone: 0,
      invalid_request: 0,
      failed: 0,
    });
    expect(fake.cards('cust_1')).toEqual(['c2']);
    expect(fake.cards('cust_2')).toEqual(['gone']);
    const failed = await queue.getFailed();
    expect(
      failed.map((job) => [
        job.name,
        job.data.customerId,
        (job.data as { cardReference?: string }).cardReference,
      ]),
    ).toEqual([['deleteCard', 'cust_1', 'c2']]);
    const lists = fake.requests.filter((request) => request.method === 'GET');
    expect(lists.every((request) => request.headers['x-merchantid'] === 'shop_1')).toBe(true);
  });

  it('keep nothing secret in Redis: no key, no authorization, in any key or value', async () => {
    const [redis, fake] = await Promise.all([startRedis(), startFake()]);
    for (const ref of ['c1', 'c2']) fake.addCard({ customerId: 'cust_1', cardReference: ref });
    fake.failNext({ status: 503 });
    const queue = queueOn(redis);
    workerOn(redis, fake);
    const erase = await queue.eraseCustomer({ customerId: 'cust_1' }, QUICK);
    await until(async () => (await erase.getState()) === 'completed');
    const everything = await dumpRedis(redis.port);
    expect(everything).toContain('cust_1');
    expect(everything).not.toContain(API_KEY);
    expect(everything).not.toContain(Buffer.from(`${API_KEY}:`).toString('base64'));
    expect(everything.toLowerCase()).not.toContain('authorization');
  });
});

/** Every key and every value in the Redis, as one string. */
async function dumpRedis(port: number): Promise<string> {
  const redis = new Redis({ host: '127.0.0.1', port });
  try {
    const parts: string[] = [];
    for (const key of await redis.keys('*')) {
      parts.push(key);
      const type = await redis.type(key);
      if (type === 'string') parts.push((await redis.get(key)) ?? '');
      if (type === 'hash') parts.push(JSON.stringify(await redis.hgetall(key)));
      if (type === 'list') parts.push(...(await redis.lrange(key, 0, -1)));
      if (type === 'set') parts.push(...(await redis.smembers(key)));
      if (type === 'zset') parts.push(...(await redis.zrange(key, 0, -1)));
      if (type === 'stream') parts.push(JSON.stringify(await redis.xrange(key, '-', '+')));
    }
    return parts.join('\n');
  } finally {
    redis.disconnect();
  }
}
