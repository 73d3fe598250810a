// Four erasure worker processes on one redis-server against BullMQ's global limiter:
// job starts per second (BullMQ's own processedOn stamps) as a ratio to the budget.
import { fork, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { erasureQueue } from '@juspay-tokens/bullmq';

const WORKER = fileURLToPath(new URL('./queue-worker.js', import.meta.url));

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

/** A redis-server on a free port with its data in a scratch folder; resolves once it is ready. */
async function startRedis() {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'juspay-bench-redis-'));
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', ''],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await new Promise((resolve, reject) => {
    let output = '';
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${output}`)));
    child.stdout.on('data', (chunk) => {
      output += chunk;
      if (output.includes('Ready to accept connections')) resolve();
    });
  });
  child.removeAllListeners('exit');
  child.stdout.resume();
  return {
    port,
    stop() {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function startWorker(args) {
  const child = fork(WORKER, args.map(String), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ready = new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`queue worker exited with ${code}`)));
  });
  return { child, ready };
}

/**
 * Job starts per second over `jobs` deleteCard jobs, as a ratio to `max` per second: the
 * first window's jobs are left out (they start at once), and the rest are counted over
 * the time from the first start to the last.
 */
function startsRatio(starts, max, duration) {
  const sorted = [...starts].sort((a, b) => a - b);
  const span = (sorted.at(-1) - sorted[0]) / duration;
  return (sorted.length - max) / span / max;
}

/** One round: four worker processes, `max` per second between them, `jobs` cards. */
export async function queueBench(upstream, { jobs, max, rounds }) {
  const redis = await startRedis();
  const workers = Array.from({ length: 4 }, () => startWorker([redis.port, upstream, max, 1000, 32]));
  const queue = erasureQueue({ connection: { host: '127.0.0.1', port: redis.port }, name: 'bench' });
  try {
    await Promise.all(workers.map((worker) => worker.ready));
    const ratios = [];
    for (let round = 0; round < rounds; round++) {
      await queue.obliterate({ force: true });
      const added = await queue.addBulk(
        Array.from({ length: jobs }, (_, i) => ({
          name: 'deleteCard',
          data: { customerId: `queue_${round}`, cardReference: `card_${i}` },
          opts: { attempts: 10 },
        })),
      );
      while ((await queue.getCompletedCount()) < added.length) {
        if ((await queue.getFailedCount()) > 0) throw new Error('a bench job failed');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const done = await queue.getCompleted(0, -1);
      ratios.push(
        startsRatio(
          done.map((job) => job.processedOn),
          max,
          1000,
        ),
      );
    }
    return { jobs, max, workers: workers.length, ratios };
  } finally {
    await queue.close();
    for (const worker of workers) worker.child.disconnect();
    await Promise.all(workers.map((worker) => new Promise((resolve) => worker.child.once('exit', resolve))));
    redis.stop();
  }
}
