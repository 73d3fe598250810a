// The slots both commands run their calls in: never more than the limit at once, and
// work a running task queues (a listing's card deletes) goes ahead of new rows.
import { describe, expect, it } from 'vitest';
import { Slots } from '../src/slots.js';

/** A task that runs until `release()`; it records when it started. */
function gate(log: string[], name: string, counts: { now: number; most: number }) {
  let release!: () => void;
  const ended = new Promise<void>((resolve) => (release = resolve));
  const task = async () => {
    log.push(name);
    counts.now += 1;
    counts.most = Math.max(counts.most, counts.now);
    await ended;
    counts.now -= 1;
  };
  return { task, release };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('Slots', () => {
  it('runs at most the limit, hands a freed slot to queued work before the next row, and idles when all ended', async () => {
    const slots = new Slots(2);
    const log: string[] = [];
    const counts = { now: 0, most: 0 };
    const a = gate(log, 'a', counts);
    const b = gate(log, 'b', counts);
    const c = gate(log, 'c', counts);
    const queued = gate(log, 'queued', counts);
    await slots.start(a.task);
    await slots.start(b.task);
    const third = slots.start(c.task); // waits: both slots taken
    const queuedEnded = slots.queue(queued.task); // waits too, but ahead of c
    await tick();
    expect(log).toEqual(['a', 'b']);
    a.release();
    await tick();
    expect(log).toEqual(['a', 'b', 'queued']);
    b.release();
    await third;
    expect(log).toEqual(['a', 'b', 'queued', 'c']);
    queued.release();
    await queuedEnded;
    c.release();
    await slots.idle();
    expect(counts).toEqual({ now: 0, most: 2 });
  });

  it('never lets a queued task and a waiting row share one freed slot', async () => {
    const slots = new Slots(1);
    const log: string[] = [];
    const counts = { now: 0, most: 0 };
    const first = gate(log, 'first', counts);
    await slots.start(first.task);
    const row = gate(log, 'row', counts);
    const waiting = slots.start(row.task);
    first.release();
    await tick();
    // The slot went to the waiting row; a task queued now waits for it.
    const late = gate(log, 'late', counts);
    const lateEnded = slots.queue(late.task);
    await waiting;
    await tick();
    expect(counts.most).toBe(1);
    row.release();
    await tick();
    late.release();
    await lateEnded;
    await slots.idle();
    expect(log).toEqual(['first', 'row', 'late']);
    expect(counts.most).toBe(1);
  });
});
