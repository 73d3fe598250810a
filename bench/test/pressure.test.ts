// Pressure soak for the client's time limits: 2,000 concurrent calls against an
// upstream that accepts connections and never answers, through the client's own pool
// (64 connections, so most calls wait for a connection). Every call must settle by
// its deadline, and nothing may be left behind: sockets, timers, heap.
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { JuspayClient, JuspayTimeoutError } from '@juspay-tokens/core';
import { describe, expect, it } from 'vitest';

const CALLS = 2_000;
const DEADLINE_MS = 2_000;
// "Settles at once": the margin covers 2,000 timers firing in the same turn on 2 cores.
// It is counted from when the event loop itself reached the deadline (a reference timer
// started after every call), so a machine too loaded to run timers on time (CI beside
// another job) does not count as the client settling late.
const SETTLE_MARGIN_MS = 100;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function resources(): { sockets: number; timers: number } {
  const info = process.getActiveResourcesInfo();
  return {
    sockets: info.filter((r) => r === 'TCPSocketWrap' || r === 'TCPServerWrap').length,
    timers: info.filter((r) => r === 'Timeout').length,
  };
}

/** A server that takes every connection and every byte, and never answers. */
async function startHangingUpstream(): Promise<{ url: string; server: Server; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('data', () => {});
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, server, sockets };
}

async function heapUsed(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
}

/**
 * Runs one round; returns how far past the deadline each call settled (ms, negative:
 * before), counted from when a reference timer of the same length, started after every
 * call, actually fired.
 */
async function round(url: string): Promise<{ overruns: number[]; timerLagMs: number }> {
  const client = new JuspayClient({ apiKey: 'soak_key', baseUrl: url, deadlineMs: DEADLINE_MS });
  const settledAt: number[] = [];
  const calls = Array.from({ length: CALLS }, async (_, i) => {
    try {
      await client.deleteToken({ cardReference: `ref_${i}`, customerId: 'cust_soak' });
      return 'resolved';
    } catch (err) {
      settledAt.push(performance.now());
      return err instanceof JuspayTimeoutError ? 'timeout' : String(err);
    }
  });
  const referenceSetAt = performance.now();
  const reference = new Promise<number>((resolve) =>
    setTimeout(() => resolve(performance.now()), DEADLINE_MS),
  );
  const settled = await Promise.all(calls);
  const firedAt = await reference;
  expect(settled.filter((s) => s !== 'timeout')).toEqual([]);
  // The queued attempts are dropped as connections free up; close() waits for that.
  await client.close();
  return {
    overruns: settledAt.map((at) => at - firedAt),
    timerLagMs: firedAt - referenceSetAt - DEADLINE_MS,
  };
}

describe('client time limits under a saturated pool', () => {
  it('settles 2,000 calls against a hanging upstream by the deadline, leaving nothing behind', async () => {
    const upstream = await startHangingUpstream();
    const before = resources();
    const heapBefore = await heapUsed();
    const overruns: number[] = [];
    const lags: number[] = [];
    for (let i = 0; i < 2; i++) {
      const result = await round(upstream.url);
      overruns.push(...result.overruns);
      lags.push(result.timerLagMs);
    }
    // The server side of every connection the client closed is gone too.
    await expect.poll(() => upstream.sockets.size, { timeout: 5_000 }).toBe(0);
    // Destroyed sockets release their handles on a later turn.
    await expect.poll(() => resources().sockets, { timeout: 5_000 }).toBeLessThanOrEqual(before.sockets);
    const heapAfter = await heapUsed();
    const after = resources();
    const late = overruns.filter((ms) => ms > SETTLE_MARGIN_MS);
    console.log(
      `pressure: ${overruns.length} calls settled at deadline + ${Math.min(...overruns).toFixed(1)}..${Math.max(...overruns).toFixed(1)} ms` +
        ` (the event loop's own timers ran ${lags.map((ms) => ms.toFixed(1)).join(', ')} ms late)` +
        `, heap ${((heapAfter - heapBefore) / 1024 / 1024).toFixed(2)} MB, sockets ${before.sockets} -> ${after.sockets}` +
        `, timers ${before.timers} -> ${after.timers}`,
    );
    expect(overruns).toHaveLength(2 * CALLS);
    expect(late).toEqual([]);
    expect(after.sockets).toBeLessThanOrEqual(before.sockets);
    expect(after.timers).toBeLessThanOrEqual(before.timers);
    expect(heapAfter - heapBefore).toBeLessThan(8 * 1024 * 1024);
    await new Promise((resolve) => upstream.server.close(resolve));
  });
});
