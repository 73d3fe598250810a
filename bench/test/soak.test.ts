// Fault soak: real Express and Koa apps with the route mounted, against the fake Juspay
// injecting a fault into about 20% of upstream calls, about 50 requests in flight.
// `pnpm test` runs a short version; `pnpm test:soak` a long one (SOAK_REQUESTS=20000).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { JuspayClient } from '@juspay-tokens/core';
import { startFakeJuspay, type FakeJuspayFault } from '@juspay-tokens/core/testing';
import { juspay as expressJuspay } from '@juspay-tokens/express';
import { juspay as koaJuspay } from '@juspay-tokens/koa';
import express from 'express';
import Koa from 'koa';
import { Agent, request } from 'undici';
import { describe, expect, it } from 'vitest';

const TOTAL = Number(process.env.SOAK_REQUESTS ?? 1_000);
const RUNS = 3;
const IN_FLIGHT = 50;
const SEED = Number(process.env.SOAK_SEED ?? 20261129);
const long = TOTAL > 5_000;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

interface Kind {
  fault?: FakeJuspayFault;
  status: number;
  code?: string;
  retryAfter?: string;
}

// What each fault must come back as, per the route's table.
const KINDS: Record<string, Kind> = {
  none: { status: 200 },
  slow: { fault: { delayMs: 30 }, status: 200 },
  reset: { fault: { reset: true }, status: 502, code: 'UPSTREAM_UNAVAILABLE' },
  hang: { fault: { delayMs: 5_000 }, status: 504, code: 'UPSTREAM_TIMEOUT' },
  s500: { fault: { status: 500 }, status: 502, code: 'UPSTREAM_UNAVAILABLE' },
  s502: { fault: { status: 502 }, status: 502, code: 'UPSTREAM_UNAVAILABLE' },
  s503: {
    fault: { status: 503, headers: { 'retry-after': '0' } },
    status: 502,
    code: 'UPSTREAM_UNAVAILABLE',
  },
  s504: { fault: { status: 504 }, status: 502, code: 'UPSTREAM_UNAVAILABLE' },
  r429after: {
    fault: { status: 429, headers: { 'retry-after': '1' } },
    status: 503,
    code: 'UPSTREAM_RATE_LIMITED',
    retryAfter: '1',
  },
  r429: { fault: { status: 429 }, status: 503, code: 'UPSTREAM_RATE_LIMITED', retryAfter: '1' },
  html: {
    fault: { status: 502, body: '<html><body><h1>502 Bad Gateway</h1></body></html>' },
    status: 502,
    code: 'UPSTREAM_UNAVAILABLE',
  },
  malformed: { fault: { status: 200, body: '{"status":"SUCC' }, status: 502, code: 'UPSTREAM_UNAVAILABLE' },
  oversized: {
    fault: { status: 200, body: { status: 'SUCCESS', pad: 'x'.repeat(70_000) } },
    status: 502,
    code: 'UPSTREAM_UNAVAILABLE',
  },
  failure: {
    fault: { status: 200, body: { status: 'FAILURE', error_message: '' } },
    status: 400,
    code: 'INVALID_REQUEST',
  },
};
const FAULTS = Object.keys(KINDS).filter((k) => k !== 'none' && k !== 'slow');

/** A small seeded PRNG (mulberry32), so a failing run can be replayed with SOAK_SEED. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    ),
  );
}

function resources(): { sockets: number; servers: number; timers: number } {
  const counts: Record<string, number> = {};
  for (const name of process.getActiveResourcesInfo()) counts[name] = (counts[name] ?? 0) + 1;
  return {
    sockets: counts.TCPSocketWrap ?? 0,
    servers: counts.TCPServerWrap ?? 0,
    timers: counts.Timeout ?? 0,
  };
}

async function soakOnce(run: number, random: () => number) {
  const fake = await startFakeJuspay({ apiKey: 'soak_key' });
  fake.failWhen((req) => {
    const ref = (req.body as { card_reference?: string } | undefined)?.card_reference ?? '';
    fake.requests.length = 0; // the log is not needed here; keep memory flat
    return KINDS[ref.split('-')[1] ?? 'none']?.fault;
  });
  const clientOptions = {
    apiKey: 'soak_key',
    baseUrl: fake.url,
    timeoutMs: 1_000,
    maxRetries: 1,
    deadlineMs: 8_000,
  };
  const clients = [new JuspayClient(clientOptions), new JuspayClient(clientOptions)];
  const customerId = () => 'cust_soak';

  const expressApp = express();
  expressApp.use(expressJuspay({ client: clients[0], customerId }));
  const koaApp = new Koa();
  koaApp.use(koaJuspay({ client: clients[1], customerId }));
  const koaHandler = koaApp.callback();
  const apps = [await listen(expressApp), await listen((req, res) => void koaHandler(req, res))];

  const load = new Agent({ connections: IN_FLIGHT, keepAliveTimeout: 5_000 });
  const perRun = Math.ceil(TOTAL / RUNS);
  const tally: Record<string, Record<number, number>> = {};
  const mismatches: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < perRun) {
      const i = next++;
      const kind =
        random() < 0.2 ? FAULTS[Math.floor(random() * FAULTS.length)]! : random() < 0.1 ? 'slow' : 'none';
      const ref = `r${run}_${i}-${kind}`;
      fake.addCard({ customerId: 'cust_soak', cardReference: ref });
      const app = apps[i % 2]!;
      const res = await request(`${app.url}/juspay/cards/delete`, {
        dispatcher: load,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ card_reference: ref }),
      });
      const body = (await res.body.json()) as { status?: string; error?: { code: string } };
      const want = KINDS[kind]!;
      (tally[kind] ??= {})[res.statusCode] = ((tally[kind] ??= {})[res.statusCode] ?? 0) + 1;
      const ok =
        res.statusCode === want.status &&
        (want.code === undefined ? body.status === 'SUCCESS' : body.error?.code === want.code) &&
        (want.retryAfter === undefined || res.headers['retry-after'] === want.retryAfter);
      if (!ok)
        mismatches.push(
          `${kind} via ${i % 2 ? 'koa' : 'express'}: ${res.statusCode} ${JSON.stringify(body)}`,
        );
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  const seconds = (performance.now() - started) / 1000;

  await load.close();
  for (const { server } of apps) await new Promise((resolve) => server.close(resolve));
  for (const client of clients) await client.close();
  await fake.close();
  return { tally, mismatches, seconds, requests: perRun };
}

describe(`fault soak (${TOTAL} requests, seed ${SEED})`, () => {
  it(
    'answers every request per the route table, leaks no socket, timer or heap, and never rejects unhandled',
    async () => {
      const problems: unknown[] = [];
      const onProblem = (err: unknown) => problems.push(err);
      process.on('unhandledRejection', onProblem);
      process.on('uncaughtException', onProblem);
      const before = resources();
      const random = prng(SEED);
      const heaps: number[] = [];
      try {
        for (let run = 0; run < RUNS; run++) {
          const result = await soakOnce(run, random);
          expect(result.mismatches, `seed ${SEED}`).toEqual([]);
          await new Promise((resolve) => setTimeout(resolve, 50));
          gc();
          heaps.push(process.memoryUsage().heapUsed);
          if (long) {
            console.log(
              `soak run ${run + 1}: ${result.requests} requests in ${result.seconds.toFixed(1)} s`,
              result.tally,
            );
          }
        }
      } finally {
        process.off('unhandledRejection', onProblem);
        process.off('uncaughtException', onProblem);
      }
      expect(problems).toEqual([]);
      const after = resources();
      expect(after.sockets).toBeLessThanOrEqual(before.sockets);
      expect(after.servers).toBeLessThanOrEqual(before.servers);
      expect(after.timers).toBeLessThanOrEqual(before.timers);
      // The first run warms caches and JIT; later runs must not keep growing.
      const growthMb = (heaps[RUNS - 1]! - heaps[1]!) / 1024 / 1024;
      if (long)
        console.log(`heap after each run (MB): ${heaps.map((h) => (h / 1024 / 1024).toFixed(1)).join(', ')}`);
      expect(growthMb).toBeLessThan(5);
    },
    long ? 30 * 60_000 : 120_000,
  );
});
