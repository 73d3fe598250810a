// What the queue's tests start and stop: a real redis-server on a free loopback port
// (append-only, so a restart on the same folder finds every job again), the fake Juspay,
// worker processes, and queues and workers in the test process.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeJuspay, type FakeJuspay, type FakeJuspayRequest } from '@juspay-tokens/core/testing';
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

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A running redis-server the test started. */
export interface TestRedis {
  port: number;
  connection: { host: string; port: number; maxRetriesPerRequest: null };
  /** Stops it (a clean shutdown: the append-only file is flushed). */
  stop(): Promise<void>;
  /** Starts it again on the same port and folder. */
  start(): Promise<void>;
}

/** Starts a redis-server on a free port, stopped and removed after the test. */
export async function startRedis(): Promise<TestRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'juspay-bullmq-redis-'));
  let child: ChildProcess | undefined;
  const start = async () => {
    const args = [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'yes',
      '--appendfsync',
      'always',
    ];
    const server = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'inherit'] });
    child = server;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${output}`)));
      server.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) resolve();
      });
    });
    server.removeAllListeners('exit');
    server.stdout?.resume();
  };
  const stop = () =>
    new Promise<void>((resolve) => {
      const server = child;
      if (server === undefined || server.exitCode !== null || server.signalCode !== null) return resolve();
      server.once('exit', () => resolve());
      server.kill('SIGTERM');
    });
  await start();
  cleanups.push(async () => {
    await stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return { port, connection: { host: '127.0.0.1', port, maxRetriesPerRequest: null }, stop, start };
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
