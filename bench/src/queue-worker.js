// A queue worker in its own process for the BullMQ bench: erasureWorker against the
// upstream, on the bench's redis-server; it reports "ready" to the parent over IPC.
import { erasureWorker } from '@juspay-tokens/bullmq';

const [port, upstream, max, duration, concurrency] = process.argv.slice(2);
const worker = erasureWorker({
  connection: { host: '127.0.0.1', port: Number(port), maxRetriesPerRequest: null },
  name: 'bench',
  clientOptions: { apiKey: 'bench_key', baseUrl: upstream },
  rate: { max: Number(max), duration: Number(duration) },
  concurrency: Number(concurrency),
});
worker.on('error', () => {});
await worker.waitUntilReady();
process.send?.({ ready: true });
process.on('disconnect', () => void worker.close().then(() => process.exit(0)));
