// Pacing as the server sees it: no one-second window over --rate, a pause of every
// start on Retry-After, and a stop at once when Juspay rejects the key.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bulkRows, busiestSecond, csv, envFor, fake, runCli, startCli, workdir } from './helpers.js';

/** CPU time (user + system, in clock ticks) a process has used so far (Linux). */
function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return Number(fields[11]) + Number(fields[12]);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('pacing', () => {
  it('never starts more than --rate attempts in any one-second window at the server', async () => {
    const dir = workdir();
    const target = await fake({ rateLimit: { perSecond: 10 } });
    const file = csv(dir, bulkRows(target, 35));
    const run = await runCli(
      ['delete-cards', file, '--yes', '--json', '--rate', '10', '--concurrency', '8'],
      envFor(target),
      dir,
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ deleted: 35, failed: 0 });
    expect(target.requests).toHaveLength(35); // not one 429 from the fake's own limit
    expect(busiestSecond(target)).toBeLessThanOrEqual(10);
    // ...and it kept to the budget: 35 at 10 a second is about 3.5 s.
    const times = target.requests.map((r) => r.receivedAt);
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan(2_900);
  });

  it('spreads starts over the second: no 100 ms holds more than ceil(rate / 10 * 1.5) + 1, also after the server stalls', async () => {
    const dir = workdir();
    const target = await fake();
    const file = csv(dir, bulkRows(target, 70));
    // Mid-run the server holds its answers for 600 ms: a limiter that catches up afterwards bursts.
    let seen = 0;
    target.failWhen(() => (++seen >= 20 && seen < 28 ? { delayMs: 600 } : undefined));
    const run = await runCli(
      ['delete-cards', file, '--yes', '--json', '--rate', '20', '--concurrency', '8'],
      envFor(target),
      dir,
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ deleted: 70, failed: 0 });
    expect(busiestSecond(target)).toBeLessThanOrEqual(21);
    expect(busiestSecond(target, 100)).toBeLessThanOrEqual(Math.ceil((20 / 10) * 1.5) + 1);
  });

  it('catches nothing up after the CLI itself was stopped (SIGSTOP) for 500 ms mid-run', async () => {
    const dir = workdir();
    const target = await fake();
    const file = csv(dir, bulkRows(target, 60));
    const { child, done } = startCli(
      ['delete-cards', file, '--yes', '--json', '--rate', '20', '--concurrency', '8'],
      envFor(target),
      dir,
    );
    const until = performance.now() + 15_000;
    while (target.requests.length < 20 && performance.now() < until) await sleep(10);
    child.kill('SIGSTOP');
    await sleep(500);
    child.kill('SIGCONT');
    const run = await done;
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ deleted: 60, failed: 0 });
    // A limiter that catches up after the stall starts the missed ten at once.
    expect(busiestSecond(target)).toBeLessThanOrEqual(21);
    expect(busiestSecond(target, 100)).toBeLessThanOrEqual(Math.ceil((20 / 10) * 1.5) + 1);
  });

  it.each([429, 503])('pauses every start for the Retry-After of a %i, then finishes', async (status) => {
    const dir = workdir();
    const target = await fake();
    const file = csv(dir, bulkRows(target, 12));
    target.failNext({ status, headers: { 'retry-after': '1' } });
    const run = await runCli(
      ['delete-cards', file, '--yes', '--json', '--rate', '100', '--concurrency', '1'],
      envFor(target),
      dir,
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ deleted: 12, failed: 0 });
    const [first, second] = target.requests.map((r) => r.receivedAt);
    expect((second as number) - (first as number)).toBeGreaterThanOrEqual(950);
    expect(target.requests).toHaveLength(13);
  });

  it('stops at once on a rejected key (exit 3), sending at most the calls already in flight', async () => {
    const dir = workdir();
    const target = await fake();
    const file = csv(dir, bulkRows(target, 50));
    const run = await runCli(
      ['delete-cards', file, '--yes', '--json', '--concurrency', '4', '--rate', '100'],
      envFor(target, 'sk_wrong_key'),
      dir,
    );
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(
      /Juspay rejected the API key \(AUTHENTICATION_FAILED\)\. Check JUSPAY_API_KEY/,
    );
    expect(target.requests.length).toBeLessThanOrEqual(4);
    expect(JSON.parse(run.stdout)).toMatchObject({ failed: target.requests.length, deleted: 0 });
  });

  it('waits out --rate 1e-9 idle: no spinning on short timers, no TimeoutOverflowWarning, and a prompt stop', async () => {
    const dir = workdir();
    const target = await fake();
    const file = csv(dir, bulkRows(target, 3));
    const { child, done } = startCli(['delete-cards', file, '--yes', '--rate', '1e-9'], envFor(target), dir);
    const until = performance.now() + 15_000;
    while (target.requests.length === 0 && performance.now() < until) await sleep(10);
    expect(target.requests).toHaveLength(1); // the first start; the next is due in 31 years
    await sleep(300);
    const before = cpuTicks(child.pid as number);
    await sleep(1_000);
    // A process spinning on 1 ms timers used about 15 of 100 ticks a second here.
    expect(cpuTicks(child.pid as number) - before).toBeLessThan(8);
    child.kill('SIGTERM');
    const run = await done;
    // The stopped run exits: no waiting turn's timer is left behind.
    expect(run).toMatchObject({ code: 3, signal: null });
    expect(run.stderr).not.toMatch(/TimeoutOverflowWarning|does not fit into a 32-bit/);
    expect(run.stdout).toMatch(/not_run 2/);
  });

  it('ends a row whose Retry-After is past 2^31 ms at once, without timer warnings, and goes on with the rest', async () => {
    const dir = workdir();
    const target = await fake();
    const file = csv(dir, bulkRows(target, 3));
    target.failNext({ status: 429, headers: { 'retry-after': '3000000' } });
    const run = await runCli(
      ['delete-cards', file, '--yes', '--json', '--concurrency', '1'],
      envFor(target),
      dir,
    );
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({ deleted: 2, failed: 1 });
    expect(run.stderr).not.toMatch(/TimeoutOverflowWarning|does not fit into a 32-bit/);
  });
});
