// Worker processes on one real redis-server against the fake Juspay: one budget for
// all, a worker killed with kill -9 mid-request, and Redis restarted mid-run. Every card
// ends with exactly one completed job.
import type { FakeJuspay } from '@juspay-tokens/core/testing';
import { describe, expect, it } from 'vitest';
import type { ErasureQueue } from '../src/index.js';
import { deletesAt, queueOn, spawnWorker, startFake, startRedis, until } from './helpers.js';

/** Adds `count` cards of one customer to the fake and a deleteCard job for each. */
async function cardsToErase(fake: FakeJuspay, queue: ErasureQueue, count: number): Promise<string[]> {
  const refs = Array.from({ length: count }, (_, i) => `card_${i}`);
  for (const cardReference of refs) fake.addCard({ customerId: 'bulk', cardReference });
  await queue.addBulk(
    refs.map((cardReference) => ({
      name: 'deleteCard',
      data: { customerId: 'bulk', cardReference },
      opts: { attempts: 10, backoff: { type: 'fixed', delay: 100 } },
    })),
  );
  return refs;
}

/** Every card has exactly one completed job, `deleted` or `already_gone`, and none failed. */
async function expectEachCardDoneOnce(queue: ErasureQueue, refs: string[]): Promise<void> {
  const completed = await queue.getCompleted(0, -1);
  const byCard = completed.map((job) => (job.data as { cardReference: string }).cardReference).sort();
  expect(byCard).toEqual([...refs].sort());
  for (const job of completed)
    expect(['deleted', 'already_gone']).toContain((job.returnvalue as { outcome: string }).outcome);
  expect(await queue.getFailedCount()).toBe(0);
}

describe('worker processes', () => {
  it('share one budget: no more than max starts reach Juspay in any window of the limiter', async () => {
    const [redis, fake] = await Promise.all([startRedis(), startFake()]);
    const queue = queueOn(redis);
    const settings = { RATE_MAX: 10, RATE_DURATION: 1000, CONCURRENCY: 8 };
    const workers = Array.from({ length: 4 }, () => spawnWorker(redis, fake, settings));
    await Promise.all(workers.map((worker) => worker.ready));
    const refs = await cardsToErase(fake, queue, 40);
    await until(async () => (await queue.getCompletedCount()) === 40, 30_000, 'every job');
    const arrivals = deletesAt(fake).map((request) => request.receivedAt);
    expect(arrivals).toHaveLength(40);
    // The limiter counts starts in fixed windows unseen from here; a window shorter than
    // the limiter's (by more than an arrival's jitter) never holds more than max arrivals
    // (10 a second from 32 slots). The first window's 10 are left out: their arrivals lag their starts while
    // each process opens its first connection (seen: 0 to 136 ms, then 800, 1802, 2802).
    const later = arrivals.slice(10);
    let busiest = 0;
    for (const [i, start] of later.entries()) {
      busiest = Math.max(busiest, later.slice(i).filter((at) => at < start + 800).length);
    }
    expect(busiest).toBeLessThanOrEqual(10);
    expect((arrivals.at(-1) ?? 0) - (later[0] ?? 0)).toBeGreaterThanOrEqual(1_800);
    await expectEachCardDoneOnce(queue, refs);
  });

  it('lose no card when a worker is killed with kill -9 mid-request: its jobs are taken over as stalled', async () => {
    const [redis, fake] = await Promise.all([startRedis(), startFake()]);
    const queue = queueOn(redis);
    const stall = { LOCK_DURATION: 1500, STALLED_INTERVAL: 500, CONCURRENCY: 3 };
    const doomed = spawnWorker(redis, fake, stall);
    await doomed.ready;
    // The doomed worker's deletes go through, but their answers never come back in time.
    let holding = true;
    fake.failWhen(() => (holding ? { afterDelete: true, delayMs: 10_000 } : undefined));
    const refs = await cardsToErase(fake, queue, 8);
    await until(() => deletesAt(fake).length === 3, 10_000, 'three deletes in flight');
    doomed.child.kill('SIGKILL');
    await doomed.exited;
    holding = false;
    const heir = spawnWorker(redis, fake, stall);
    await heir.ready;
    await until(async () => (await queue.getCompletedCount()) === 8, 30_000, 'every job');
    await expectEachCardDoneOnce(queue, refs);
    const outcomes = (await queue.getCompleted(0, -1)).map(
      (job) => (job.returnvalue as { outcome: string }).outcome,
    );
    expect(outcomes.filter((outcome) => outcome === 'already_gone')).toHaveLength(3);
    expect(fake.cards('bulk')).toEqual([]);
  });

  it('lose no job when Redis restarts mid-run', async () => {
    const [redis, fake] = await Promise.all([startRedis(), startFake()]);
    const queue = queueOn(redis);
    const settings = {
      RATE_MAX: 20,
      RATE_DURATION: 1000,
      CONCURRENCY: 4,
      LOCK_DURATION: 2000,
      STALLED_INTERVAL: 1000,
    };
    const workers = [spawnWorker(redis, fake, settings), spawnWorker(redis, fake, settings)];
    await Promise.all(workers.map((worker) => worker.ready));
    const refs = await cardsToErase(fake, queue, 40);
    await until(() => deletesAt(fake).length >= 10, 10_000, 'ten deletes');
    await redis.stop();
    await new Promise((resolve) => setTimeout(resolve, 500));
    await redis.start();
    await until(async () => (await queue.getCompletedCount()) === 40, 45_000, 'every job');
    await expectEachCardDoneOnce(queue, refs);
    expect(fake.cards('bulk')).toEqual([]);
  });
});
