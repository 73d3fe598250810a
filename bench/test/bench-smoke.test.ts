// Keeps `pnpm bench` working: a tiny run (seconds) whose numbers mean nothing. Speed is
// never asserted in tests; this only checks that every table row was measured.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

it('runs the benchmark harness end to end (smoke)', async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'juspay-bench-')), 'results.json');
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [fileURLToPath(new URL('../src/bench.js', import.meta.url))],
    {
      env: { ...process.env, BENCH_SMOKE: '1', BENCH_RESULTS: out },
      timeout: 240_000,
    },
  );
  expect(stdout).toContain('| JuspayClient.deleteToken vs raw undici.request, concurrency 32 |');
  expect(stdout).toContain('| first call after a cold import: delete / list');
  expect(stdout).toContain('| Worker bundle (fetch handler');
  expect(stdout).toContain('| juspay-tokens erase-customers attempts/s');
  expect(stdout).toContain('| 4 erasure worker processes (@juspay-tokens/bullmq');
  const results = JSON.parse(readFileSync(out, 'utf8')) as {
    client: Record<string, { juspayVsUndici: { median: number } }>;
    apps: Record<string, { routeVsHandWritten: { median: number } }>;
    memory: { heapGrowthMb: number };
    imports: { ratios: Record<string, number> };
    firstCall: Record<string, number>;
    worker: { gzipKb: number; minifiedKb: number };
    cli: { budgetRatio: { median: number }; eraseBudgetRatio: { median: number } };
    queue: { budgetRatio: { median: number } };
  };
  for (const ratio of [
    results.client.c1!.juspayVsUndici.median,
    results.client.c32!.juspayVsUndici.median,
    results.apps.express!.routeVsHandWritten.median,
    results.apps.koa!.routeVsHandWritten.median,
    results.apps.expressList!.routeVsHandWritten.median,
    results.apps.fastifyList!.routeVsHandWritten.median,
    results.apps.nest!.routeVsHandWritten.median,
    results.apps.nestList!.routeVsHandWritten.median,
    results.apps.fetch!.routeVsHandWritten.median,
    results.apps.fetchList!.routeVsHandWritten.median,
    results.imports.ratios.express!,
    results.imports.ratios.koa!,
    results.imports.ratios.fastify!,
    results.imports.ratios.hono!,
    results.worker.gzipKb,
    results.worker.minifiedKb,
    results.cli.budgetRatio.median,
    results.cli.eraseBudgetRatio.median,
    results.queue.budgetRatio.median,
    ...Object.values(results.firstCall),
  ]) {
    expect(Number.isFinite(ratio) && ratio > 0).toBe(true);
  }
  expect(Object.keys(results.firstCall)).toHaveLength(4);
  expect(Number.isFinite(results.memory.heapGrowthMb)).toBe(true);
}, 300_000);
