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

/** Runs one round; returns how far past the deadline each call settled (ms, negative: before). */
async function round(url: string): Promise<number[]> {
  const client = new JuspayClient({ apiKey: 'soak_key', baseUrl: url, deadlineMs: DEADLINE_MS });
  const overruns: number[] = [];
  const settled = await Promise.all(
    Array.from({ length: CALLS }, async (_, i) => {
      const started = performance.now();
      try {
        await client.deleteToken({ cardReference: `ref_${i}`, customerId: 'cust_soak' });
        return 'resolved';
      } catch (err) {
        overruns.push(performance.now() - started - DEADLINE_MS);
        return err instanceof JuspayTimeoutError ? 'timeout' : String(err);
      }
    }),
  );
  expect(settled.filter((s) => s !== 'timeout')).toEqual([]);
  // The queued attempts are dropped as connections free up; close() waits for that.
  await client.close();
  return overruns;
}

describe('client time limits under a saturated pool', () => {
  it('settles 2,000 calls against a hanging upstream by the deadline, leaving nothing behind', async () => {
    const upstream = await startHangingUpstream();
    const before = resources();
    const heapBefore = await heapUsed();
    const overruns: number[] = [];
    for (let i = 0; i < 2; i++) overruns.push(...(await round(upstream.url)));
    // The server side of every connection the client closed is gone too.
    await expect.poll(() => upstream.sockets.size, { timeout: 5_000 }).toBe(0);
    // Destroyed sockets release their handles on a later turn.
    await expect.poll(() => resources().sockets, { timeout: 5_000 }).toBeLessThanOrEqual(before.sockets);
    const heapAfter = await heapUsed();
    const after = resources();
    const late = overruns.filter((ms) => ms > SETTLE_MARGIN_MS);
    console.log(
      `pressure: ${overruns.length} calls settled at deadline + ${Math.min(...overruns).toFixed(1)}..${Math.max(...overruns).toFixed(1)} ms` +
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
