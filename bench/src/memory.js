// Heap and RSS after many client calls vs after warm-up, in a fresh process with
// --expose-gc. Reports to the parent over IPC.
import { JuspayClient } from '@juspay-tokens/core';

const [upstream, apiKey, callsArg] = process.argv.slice(2);
const calls = Number(callsArg);
const client = new JuspayClient({ apiKey, baseUrl: upstream });

async function run(total, concurrency) {
  let next = 0;
  const worker = async () => {
    while (next < total) {
      next += 1;
      await client.deleteToken({ cardReference: 'ref_bench', customerId: 'cust_bench' });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

function settle() {
  for (let i = 0; i < 3; i++) globalThis.gc?.();
  const { heapUsed, rss } = process.memoryUsage();
  return { heapUsed, rss };
}

await run(Math.min(5_000, calls), 32);
const warm = settle();
await run(calls, 32);
const after = settle();
await client.close();
process.send?.({ calls, warm, after });
process.disconnect?.();
