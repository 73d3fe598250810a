// What the queue's tests start and stop: a real redis-server on a free loopback port
// (append-only, every write synced, so a restart on the same folder finds every job
// again), the fake Juspay, worker processes, and queues and workers in the test process.
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startFakeJuspay, type FakeJuspay, type FakeJuspayRequest } from '@juspay-tokens/core/testing';
import { startRedis as startRedisServer } from '@juspay-tokens/test-redis';
import { afterEach } from 'vitest';
import {
  erasureQueue,
  erasureWorker,
  type ErasureQueue,
  type ErasureWorker,
  type ErasureWorkerOptions,
} from '../src/index.js';

export const API_KEY = 'test_key_bullmq_0123456789';
export const MERCHANT_ID = 'shop_1';
const WORKER_SCRIPT = fileURLToPath(new URL('./fixtures/worker.mjs', import.meta.url));

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A running redis-server the test started. */
export interface TestRedis {
  port: number;
  connection: { host: string; port: number; maxRetriesPerRequest: null };
  /** Stops it cleanly. */
  stop(): Promise<void>;
  /** Starts it again on the same port and folder: every job is still there. */
  start(): Promise<void>;
}

/** Starts a redis-server on a free port, stopped and its folder removed after the test. */
export async function startRedis(): Promise<TestRedis> {
  let server = await startRedisServer();
  const place = { port: server.port, dir: server.dir };
  cleanups.push(async () => {
    await server.stop();
    rmSync(place.dir, { recursive: true, force: true });
  });
  return {
    port: place.port,
    connection: { host: '127.0.0.1', port: place.port, maxRetriesPerRequest: null },
    stop: () => server.shutdown(),
    start: async () => {
      server = await startRedisServer(place);
    },
  };
}

/** The fake Juspay, closed after the test. */
export async function startFake(): Promise<FakeJuspay> {
  const fake = await startFakeJuspay({ apiKey: API_KEY, merchantId: MERCHANT_ID });
  cleanups.push(() => fake.close());
  return fake;
}

/** An erasure queue on the test's Redis (a name of its own per test), closed after it. */
export function queueOn(redis: TestRedis, name = 'erasure'): ErasureQueue {
  const queue = erasureQueue({ connection: redis.connection, name });
  cleanups.push(() => queue.close());
  return queue;
}

/** A worker in this process, against the fake, closed after the test. */
export function workerOn(
  redis: TestRedis,
  fake: FakeJuspay,
  options: Partial<ErasureWorkerOptions> = {},
  apiKey = API_KEY,
): ErasureWorker {
  const worker = erasureWorker({
    connection: redis.connection,
    name: 'erasure',
    clientOptions: { apiKey, baseUrl: fake.url, merchantId: MERCHANT_ID },
    rate: { max: 1000, duration: 1000 },
    ...options,
  });
  worker.on('error', () => {});
  cleanups.push(() => worker.close());
  return worker;
}

/** A worker in a process of its own; it prints `ready` once it runs. */
export interface WorkerProcess {
  child: ChildProcess;
  ready: Promise<void>;
  exited: Promise<void>;
}

/** Starts `erasureWorker` in a child process (the built package), killed after the test. */
export function spawnWorker(
  redis: TestRedis,
  fake: FakeJuspay,
  settings: Record<string, string | number>,
): WorkerProcess {
  const env = {
    PATH: process.env.PATH,
    REDIS_PORT: String(redis.port),
    JUSPAY_BASE_URL: fake.url,
    JUSPAY_API_KEY: API_KEY,
    JUSPAY_MERCHANT_ID: MERCHANT_ID,
    ...Object.fromEntries(Object.entries(settings).map(([key, value]) => [key, String(value)])),
  };
  const child = spawn(process.execPath, [WORKER_SCRIPT], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    let output = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      if (output.includes('ready')) resolve();
    });
    child.once('exit', (code, signal) =>
      reject(new Error(`worker exited (${code ?? signal}) before it was ready`)),
    );
  });
  ready.catch(() => {});
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  return { child, ready, exited };
}

/** The delete requests the fake received, as `customer/card`. */
export function deletesAt(fake: FakeJuspay): FakeJuspayRequest[] {
  return fake.requests.filter((request) => request.method === 'POST');
}

/** Polls `check` every 25 ms until it is true, or fails after `ms`. */
export async function until(
  check: () => boolean | Promise<boolean>,
  ms = 20_000,
  what = 'the condition',
): Promise<void> {
  const end = performance.now() + ms;
  while (!(await check())) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
