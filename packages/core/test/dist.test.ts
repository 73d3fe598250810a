import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// These run the built package (pnpm test builds first) in fresh Node processes, the way
// a merchant's app loads it: by package name, through the exports map.
const run = promisify(execFile);
const packageDir = fileURLToPath(new URL('..', import.meta.url));

async function node(args: string[], timeout = 10_000): Promise<string> {
  const { stdout } = await run(process.execPath, args, { cwd: packageDir, timeout });
  return stdout.trim();
}

const scenario = `
  const fake = await startFakeJuspay({ apiKey: 'k', cards: [{ customerId: 'c', cardReference: 'r' }] });
  const client = new JuspayClient({ apiKey: 'k', baseUrl: fake.url });
  const ok = await client.deleteToken({ cardReference: 'r', customerId: 'c' });
  const err = await client.deleteToken({ cardReference: 'r', customerId: 'c' }).catch((e) => e);
  await client.close();
  await fake.close();
  console.log(JSON.stringify([ok.status, err instanceof JuspayInvalidRequestError, err instanceof JuspayError, err instanceof Error, err.code]));
`;
const expected = JSON.stringify(['SUCCESS', true, true, true, 'INVALID_REQUEST']);

describe('the built package', () => {
  it('imports both entry points as ESM and works', async () => {
    const out = await node([
      '--input-type=module',
      '-e',
      `import { JuspayClient, JuspayError, JuspayInvalidRequestError } from '@juspay-tokens/core';
       import { startFakeJuspay } from '@juspay-tokens/core/testing';
       ${scenario}`,
    ]);
    expect(out).toBe(expected);
  });

  it('requires both entry points as CommonJS and works', async () => {
    const out = await node([
      '-e',
      `const { JuspayClient, JuspayError, JuspayInvalidRequestError } = require('@juspay-tokens/core');
       const { startFakeJuspay } = require('@juspay-tokens/core/testing');
       (async () => { ${scenario} })();`,
    ]);
    expect(out).toBe(expected);
  });

  it('matches instanceof across the ESM and CommonJS builds', async () => {
    const out = await node([
      '--input-type=module',
      '-e',
      `import { createRequire } from 'node:module';
       import * as esm from '@juspay-tokens/core';
       const cjs = createRequire(import.meta.url)('@juspay-tokens/core');
       const fromCjs = new cjs.JuspayTimeoutError('t');
       const fromEsm = new esm.JuspayServerError('s');
       console.log(JSON.stringify([
         esm.JuspayClient !== cjs.JuspayClient,
         fromCjs instanceof esm.JuspayTimeoutError, fromCjs instanceof esm.JuspayError,
         fromEsm instanceof cjs.JuspayServerError, fromEsm instanceof cjs.JuspayError,
         fromCjs instanceof esm.JuspayServerError, fromEsm instanceof cjs.JuspayTimeoutError,
         new Error('x') instanceof esm.JuspayError, ({ code: 'TIMEOUT' }) instanceof esm.JuspayTimeoutError,
       ]));`,
    ]);
    expect(JSON.parse(out)).toEqual([true, true, true, true, true, false, false, false, false]);
  });

  it('lets a process that made calls and closed the client exit on its own', async () => {
    // No timer, socket or pool left behind: Node exits without process.exit().
    const started = Date.now();
    const out = await node(
      [
        '--input-type=module',
        '-e',
        `import { JuspayClient } from '@juspay-tokens/core';
         import { startFakeJuspay } from '@juspay-tokens/core/testing';
         const fake = await startFakeJuspay({ apiKey: 'k', cards: [{ customerId: 'c', cardReference: 'r' }] });
         const client = new JuspayClient({ apiKey: 'k', baseUrl: fake.url, timeoutMs: 60000, deadlineMs: 120000 });
         await client.deleteToken({ cardReference: 'r', customerId: 'c' });
         fake.failNext({ status: 503, headers: { 'retry-after': '0' } });
         await client.deleteToken({ cardReference: 'r', customerId: 'c' }).catch(() => {});
         fake.failNext({ delayMs: 60000 });
         await client.deleteToken({ cardReference: 'r', customerId: 'c' }, { timeoutMs: 100, maxRetries: 0 }).catch(() => {});
         await client.close();
         await fake.close();
         console.log('closed');`,
      ],
      20_000,
    );
    expect(out).toBe('closed');
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('loads @opentelemetry/api only through the ./otel entry, as ESM and as CommonJS', async () => {
    const cjs = await node([
      '-e',
      `require('@juspay-tokens/core'); require('@juspay-tokens/core/route');
       const loaded = () => Object.keys(require.cache).some((k) => k.includes('@opentelemetry'));
       const before = loaded();
       const { instrumentJuspay } = require('@juspay-tokens/core/otel');
       const stop = instrumentJuspay(); stop();
       console.log(JSON.stringify([before, loaded(), typeof stop]));`,
    ]);
    expect(cjs).toBe(JSON.stringify([false, true, 'function']));
    const esm = await node([
      '--input-type=module',
      '-e',
      `const { instrumentJuspay } = await import('@juspay-tokens/core/otel'); instrumentJuspay()(); console.log('ok');`,
    ]);
    expect(esm).toBe('ok');
  });

  it('loads undici on the first call, zod only for an answer that needs it, raw-body on the first body read', async () => {
    const out = await node([
      '-e',
      `const loaded = (name) => Object.keys(require.cache).some((k) => k.includes('/node_modules/' + name + '/'));
       const seen = () => ['undici', 'zod', 'raw-body', 'content-type'].filter(loaded).join(',') || 'none';
       const steps = {};
       (async () => {
         const { JuspayClient } = require('@juspay-tokens/core');
         require('@juspay-tokens/core/route');
         const { startFakeJuspay } = require('@juspay-tokens/core/testing');
         steps.imported = seen();
         const fake = await startFakeJuspay({ apiKey: 'k', merchantId: 'm', cards: [{ customerId: 'c', cardReference: 'r' }] });
         const client = new JuspayClient({ apiKey: 'k', baseUrl: fake.url, merchantId: 'm' });
         steps.built = seen();
         await client.deleteToken({ cardReference: 'r', customerId: 'c' });
         steps.deleted = seen();
         await client.deleteToken({ cardReference: 'r', customerId: 'c' }).catch(() => {});
         steps.failed = seen();
         await client.close();
         await fake.close();
         console.log(JSON.stringify(steps));
       })();`,
    ]);
    expect(JSON.parse(out)).toEqual({
      imported: 'none',
      built: 'none',
      deleted: 'undici',
      failed: 'undici,zod',
    });
  });

  it('holds the time limits and the signal while the first call waits for undici to load', async () => {
    const out = await node([
      '--input-type=module',
      '-e',
      `import { JuspayClient } from '@juspay-tokens/core';
       import { startFakeJuspay } from '@juspay-tokens/core/testing';
       const fake = await startFakeJuspay({ apiKey: 'k', cards: [{ customerId: 'c', cardReference: 'r' }] });
       const client = new JuspayClient({ apiKey: 'k', baseUrl: fake.url, maxRetries: 0 });
       const started = performance.now();
       const params = { cardReference: 'r', customerId: 'c' };
       const [err, aborted] = await Promise.all([
         client.deleteToken(params, { signal: AbortSignal.timeout(2) }).catch((e) => e),
         client.deleteToken(params, { timeoutMs: 1 }).catch((e) => e),
       ]);
       const ms = performance.now() - started;
       await new Promise((resolve) => setTimeout(resolve, 100));
       console.log(JSON.stringify([err.name, aborted.code, fake.requests.length, fake.cards('c'), ms < 1000]));
       await client.close();
       await fake.close();`,
    ]);
    expect(JSON.parse(out)).toEqual(['TimeoutError', 'TIMEOUT', 0, ['r'], true]);
  });
});
