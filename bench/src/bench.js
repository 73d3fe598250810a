// pnpm bench: side-by-side benchmarks, reported as ratios against a baseline measured in
// the same run with rounds interleaved (A B A B ...), so machine drift cancels out.
// BENCH_SMOKE=1 runs a tiny version (seconds) that only checks the harness works.
import { execFile, fork, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { promisify } from 'node:util';
import diagnosticsChannel from 'node:diagnostics_channel';
import autocannon from 'autocannon';
import { JuspayClient, TRACING_CHANNEL } from '@juspay-tokens/core';
import { Agent, request } from 'undici';
import { queueBench } from './queue.js';
import { formatRatio, median, summarise } from './stats.js';

const smoke = process.env.BENCH_SMOKE === '1';
const config = smoke
  ? {
      rounds: 2,
      clientCalls: 100,
      appSeconds: 0.3,
      memoryCalls: 1_000,
      importRounds: 1,
      cliRows: 2_500,
      cliRounds: 1,
      cliBigRows: 20_000,
      queue: { jobs: 150, max: 50, rounds: 1 },
    }
  : {
      rounds: 7,
      clientCalls: 10_000,
      appSeconds: 3,
      memoryCalls: 100_000,
      importRounds: 9,
      cliRows: 10_000,
      cliRounds: 3,
      cliBigRows: 1_000_000,
      queue: { jobs: 1_200, max: 200, rounds: 3 },
    };
const here = (file) => fileURLToPath(new URL(file, import.meta.url));
const API_KEY = 'bench_key';
const children = [];

/** Forks a script and waits for its first IPC message. */
function start(script, args, execArgv = []) {
  const child = fork(here(script), args, { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once('message', (message) => resolve(message));
    child.once('exit', (code) => reject(new Error(`${script} ${args[0] ?? ''} exited with ${code}`)));
  });
}

function stopAll() {
  for (const child of children) if (child.connected) child.disconnect();
}

/** Runs `total` calls of `call` with at most `concurrency` in flight; returns calls per second. */
async function throughput(call, total, concurrency) {
  let next = 0;
  let failures = 0;
  const worker = async () => {
    while (next < total) {
      next += 1;
      if (!(await call())) failures += 1;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  if (failures > 0) throw new Error(`${failures} calls failed`);
  return total / seconds;
}

/** Interleaved rounds of named contenders; returns per-round results. */
async function interleave(contenders, measure) {
  const names = Object.keys(contenders);
  const rounds = [];
  for (let round = 0; round < config.rounds; round++) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    const result = {};
    for (const name of order) {
      // Each contender starts from a collected heap: the one before it leaves it no garbage to collect.
      globalThis.gc?.();
      result[name] = await measure(contenders[name]);
    }
    rounds.push(result);
  }
  return rounds;
}

function ratios(rounds, subject, baseline) {
  return summarise(rounds.map((r) => r[subject] / r[baseline]));
}

/**
 * The transport's own limit: one `dispatch()` on the Agent with the least handler that
 * still reads the JSON answer. No validation, no timer, no events, no retries.
 */
function bareDispatch(
  agent,
  origin,
  path,
  headers,
  body,
  method = 'POST',
  ok = (json) => json.status === 'SUCCESS',
) {
  return new Promise((resolve) => {
    const chunks = [];
    let status = 0;
    agent.dispatch(
      { origin, path, method, headers: headers(), body: body?.() },
      {
        onRequestStart() {},
        onResponseStart(_controller, statusCode) {
          status = statusCode;
        },
        onResponseData(_controller, chunk) {
          chunks.push(chunk);
        },
        onResponseEnd() {
          const json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          resolve(status === 200 && ok(json));
        },
        onResponseError() {
          resolve(false);
        },
      },
    );
  });
}

/** Runs `fn` with an (empty) subscriber on the client's TracingChannel, as an APM would attach. */
async function withTracing(fn) {
  const channel = diagnosticsChannel.tracingChannel(TRACING_CHANNEL);
  const handlers = { start() {}, end() {}, asyncStart() {}, asyncEnd() {}, error() {} };
  channel.subscribe(handlers);
  try {
    return await fn();
  } finally {
    channel.unsubscribe(handlers);
  }
}

async function clientBench(upstream) {
  const client = new JuspayClient({ apiKey: API_KEY, baseUrl: upstream, merchantId: 'bench_merchant' });
  const agent = new Agent({ keepAliveTimeout: 10_000, connections: 64 });
  const url = `${upstream}/v4/card/delete`;
  const authorization = `Basic ${Buffer.from(`${API_KEY}:`).toString('base64')}`;
  // The same six headers the client sends (its user-agent's length included).
  const userAgent = `juspay-tokens/0.0.0 node/${process.versions.node}`;
  const headers = () => ({
    'user-agent': userAgent,
    authorization,
    'content-type': 'application/json',
    accept: 'application/json',
    'x-routing-id': 'cust_bench',
    'x-request-id': crypto.randomUUID(),
  });
  const body = () => JSON.stringify({ card_reference: 'ref_bench', customer_id: 'cust_bench' });
  const listHeaders = () => ({
    'user-agent': userAgent,
    authorization,
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
    'x-merchantid': 'bench_merchant',
    'x-routing-id': 'cust_bench',
    'x-request-id': crypto.randomUUID(),
  });
  const { origin, pathname } = new URL(url);
  const juspay = async () =>
    (await client.deleteToken({ cardReference: 'ref_bench', customerId: 'cust_bench' })).status === 'SUCCESS';
  const contenders = {
    juspay,
    // The same calls, measured with a subscriber attached for the whole round.
    'juspay-traced': Object.assign(() => juspay(), { traced: true }),
    dispatch: () => bareDispatch(agent, origin, pathname, headers, body),
    // The list: the client (schema, safe fields) against a bare GET that parses the JSON.
    list: async () => (await client.listCards({ customerId: 'cust_bench' })).cards.length === 3,
    'dispatch-list': () =>
      bareDispatch(
        agent,
        origin,
        '/cards?customer_id=cust_bench',
        listHeaders,
        undefined,
        'GET',
        (json) => json.cards.length === 3,
      ),
    undici: async () => {
      const res = await request(url, { dispatcher: agent, method: 'POST', headers: headers(), body: body() });
      const json = await res.body.json();
      return res.statusCode === 200 && json.status === 'SUCCESS';
    },
    fetch: async () => {
      const res = await fetch(url, { method: 'POST', headers: headers(), body: body() });
      const json = await res.json();
      return res.status === 200 && json.status === 'SUCCESS';
    },
  };
  const results = {};
  for (const concurrency of [1, 32]) {
    const measure = (call, total) =>
      call.traced
        ? withTracing(() => throughput(call, total, concurrency))
        : throughput(call, total, concurrency);
    for (const call of Object.values(contenders)) await measure(call, Math.min(2000, config.clientCalls));
    const rounds = await interleave(contenders, (call) => measure(call, config.clientCalls));
    results[`c${concurrency}`] = {
      opsPerSecond: Object.fromEntries(
        Object.keys(contenders).map((n) => [n, median(rounds.map((r) => r[n]))]),
      ),
      juspayVsUndici: ratios(rounds, 'juspay', 'undici'),
      juspayVsDispatch: ratios(rounds, 'juspay', 'dispatch'),
      listVsDispatch: ratios(rounds, 'list', 'dispatch-list'),
      tracedVsUntraced: ratios(rounds, 'juspay-traced', 'juspay'),
      fetchVsUndici: ratios(rounds, 'fetch', 'undici'),
    };
  }
  await client.close();
  await agent.close();
  return results;
}

async function appBench(upstream) {
  const names = [
    'express-juspay',
    'express-hand',
    'koa-juspay',
    'koa-hand',
    'fastify-juspay',
    'fastify-hand',
    'nest-juspay',
    'nest-hand',
    'fetch-juspay',
    'fetch-hand',
  ];
  const urls = {};
  for (const name of names) urls[name] = (await start('apps.js', [name, upstream, API_KEY])).url;
  const requests = {
    delete: {
      path: '/juspay/cards/delete',
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"card_reference":"ref_bench"}',
    },
    list: { path: '/juspay/cards', method: 'GET' },
  };
  const loader = (route) => async (name) => {
    const { path, ...shape } = requests[route];
    const result = await autocannon({
      url: `${urls[name]}${path}`,
      ...shape,
      connections: 32,
      duration: config.appSeconds,
    });
    if (result.non2xx > 0 || result.errors > 0) {
      throw new Error(`${name} ${route}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
    }
    return result.requests.average;
  };
  const load = loader('delete');
  for (const name of names.filter((n) => !n.startsWith('koa'))) await loader('list')(name); // warm-up
  for (const name of names) await load(name); // warm-up
  const results = {};
  for (const framework of ['express', 'koa', 'fastify', 'nest', 'fetch']) {
    const contenders = { juspay: `${framework}-juspay`, hand: `${framework}-hand` };
    const rounds = await interleave(contenders, load);
    results[framework] = {
      requestsPerSecond: {
        juspay: median(rounds.map((r) => r.juspay)),
        hand: median(rounds.map((r) => r.hand)),
      },
      routeVsHandWritten: ratios(rounds, 'juspay', 'hand'),
    };
  }
  // The list route, where merchants most often write their own.
  for (const framework of ['express', 'fastify', 'nest', 'fetch']) {
    const contenders = { juspay: `${framework}-juspay`, hand: `${framework}-hand` };
    const rounds = await interleave(contenders, loader('list'));
    results[`${framework}List`] = {
      requestsPerSecond: {
        juspay: median(rounds.map((r) => r.juspay)),
        hand: median(rounds.map((r) => r.hand)),
      },
      routeVsHandWritten: ratios(rounds, 'juspay', 'hand'),
    };
  }
  return results;
}

async function memoryBench(upstream) {
  const result = await start('memory.js', [upstream, API_KEY, String(config.memoryCalls)], ['--expose-gc']);
  const mb = (bytes) => bytes / 1024 / 1024;
  return {
    calls: result.calls,
    heapWarmMb: mb(result.warm.heapUsed),
    heapAfterMb: mb(result.after.heapUsed),
    heapGrowthMb: mb(result.after.heapUsed - result.warm.heapUsed),
    rssGrowthMb: mb(result.after.rss - result.warm.rss),
  };
}

const CLI = here('../../packages/cli/dist/cli.js');

/** Writes a CSV of `rows` distinct pairs; returns its path. */
function writeRows(dir, rows) {
  const path = join(dir, `rows-${rows}.csv`);
  const lines = ['customer_id,card_reference'];
  for (let i = 0; i < rows; i++) lines.push(`cust_${i % 50_000},card_ref_${i}`);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

/** Writes a CSV of `customers` distinct customer ids; returns its path. */
function writeCustomers(dir, customers) {
  const path = join(dir, `customers-${customers}.csv`);
  const lines = ['customer_id'];
  for (let i = 0; i < customers; i++) lines.push(`erase_${i}`);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

/** Runs the CLI to its end; resolves with its --json summary and its peak RSS (VmHWM). */
function runCli(file, upstream, flags, command = 'delete-cards') {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, command, file, '--yes', '--json', ...flags], {
      env: {
        PATH: process.env.PATH,
        JUSPAY_API_KEY: API_KEY,
        JUSPAY_BASE_URL: upstream,
        JUSPAY_MERCHANT_ID: 'bench_merchant',
      },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let stdout = '';
    let peakKb = 0;
    const poll = setInterval(() => {
      try {
        const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (match) peakKb = Math.max(peakKb, Number(match[1]));
      } catch {
        // gone already
      }
    }, 100);
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.on('close', (code) => {
      clearInterval(poll);
      if (code !== 0) reject(new Error(`juspay-tokens exited with ${code}`));
      else resolve({ summary: JSON.parse(stdout), peakMb: peakKb / 1024 });
    });
  });
}

/**
 * Attempts started per second, from the journal's `started` (and `listed`) records: the mean count of
 * one-second windows laid every 10 ms over the run (a limiter may spend a window's budget
 * at once, so windows are sampled evenly rather than at each start).
 */
function startsPerSecond(journal) {
  const starts = readFileSync(journal, 'utf8')
    .split('\n')
    // A listing's record is written when it was answered: a start shifted by the latency.
    .filter((line) => line.includes('"type":"started"') || line.includes('"type":"listed"'))
    .map((line) => Date.parse(JSON.parse(line).at))
    .sort((a, b) => a - b);
  const counts = [];
  for (let x = starts[0], i = 0, j = 0; x + 1_000 <= starts.at(-1); x += 10) {
    while (starts[i] < x) i++;
    while (j < starts.length && starts[j] < x + 1_000) j++;
    counts.push(j - i);
  }
  return counts.length === 0 ? Number.NaN : counts.reduce((a, b) => a + b, 0) / counts.length;
}

/**
 * The bulk command: rows per second against the fake with 20 ms latency at
 * --rate 1000 --concurrency 64, as a ratio to that budget; and the peak RSS of a
 * million-row file against the minimal upstream.
 */
async function cliBench(minimalUpstream) {
  const dir = mkdtempSync(join(tmpdir(), 'juspay-bench-cli-'));
  try {
    const { url: slow } = await start('upstream.js', ['fake', '20']);
    const file = writeRows(dir, config.cliRows);
    const ratios = [];
    for (let round = 0; round < config.cliRounds; round++) {
      rmSync(`${file}.journal`, { force: true });
      const { summary } = await runCli(file, slow, ['--rate', '1000', '--concurrency', '64']);
      if (summary.deleted !== config.cliRows) throw new Error(`only ${summary.deleted} rows deleted`);
      ratios.push(startsPerSecond(`${file}.journal`) / 1000);
    }
    // erase-customers: a listing and three deletes per customer, on the same budget.
    const customers = writeCustomers(dir, config.cliRows / 4);
    const eraseRatios = [];
    for (let round = 0; round < config.cliRounds; round++) {
      rmSync(`${customers}.journal`, { force: true });
      const { summary } = await runCli(
        customers,
        slow,
        ['--rate', '1000', '--concurrency', '64'],
        'erase-customers',
      );
      if (summary.deleted !== (config.cliRows / 4) * 3)
        throw new Error(`only ${summary.deleted} cards erased`);
      eraseRatios.push(startsPerSecond(`${customers}.journal`) / 1000);
    }
    const big = writeRows(dir, config.cliBigRows);
    const { peakMb, summary } = await runCli(big, minimalUpstream, [
      '--rate',
      '1000000',
      '--concurrency',
      '128',
    ]);
    return {
      rows: config.cliRows,
      budgetRatio: summarise(ratios),
      eraseBudgetRatio: summarise(eraseRatios),
      bigRows: config.cliBigRows,
      bigPeakRssMb: peakMb,
      bigRowsPerSecond: config.cliBigRows / (summary.elapsedMs / 1000),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Four erasure worker processes against the fake with 20 ms latency, on one limiter budget. */
async function queueRows() {
  const { url } = await start('upstream.js', ['fake', '20']);
  const { ratios, ...rest } = await queueBench(url, config.queue);
  return { ...rest, budgetRatio: summarise(ratios) };
}

/** Whole-process wall time of `node` running `code` (ESM), in milliseconds. */
async function processMs(code) {
  const started = performance.now();
  await promisify(execFile)(process.execPath, ['--input-type=module', '-e', code], { cwd: here('..') });
  return performance.now() - started;
}

/** The adapters whose import is measured against their framework alone. */
const IMPORT_PAIRS = {
  express: ['express', '@juspay-tokens/express'],
  koa: ['koa', '@juspay-tokens/koa'],
  fastify: ['fastify', '@juspay-tokens/fastify'],
  hono: ['hono', '@juspay-tokens/hono'],
};

/**
 * Import time as whole processes (Node's own start-up included, as a cold start pays
 * it), median of several interleaved runs: each framework alone, then with its adapter;
 * and the core alone against the core with its route.
 */
async function importBench() {
  const imports = (specs) => specs.map((s) => `await import('${s}');`).join(' ');
  const contenders = { node: [], '@juspay-tokens/core': ['@juspay-tokens/core'] };
  for (const [framework, adapter] of Object.values(IMPORT_PAIRS)) {
    contenders[framework] = [framework];
    contenders[`${framework} + ${adapter}`] = [framework, adapter];
  }
  const samples = Object.fromEntries(Object.keys(contenders).map((n) => [n, []]));
  for (let round = 0; round < config.importRounds; round++) {
    for (const [name, specs] of Object.entries(contenders))
      samples[name].push(await processMs(imports(specs)));
  }
  const ms = Object.fromEntries(Object.entries(samples).map(([n, s]) => [n, median(s)]));
  const ratios = Object.fromEntries(
    Object.entries(IMPORT_PAIRS).map(([key, [framework, adapter]]) => [
      key,
      ms[`${framework} + ${adapter}`] / ms[framework],
    ]),
  );
  return { medianMs: ms, ratios };
}

/**
 * What loading moved to the first call: in a fresh process that imported only the core,
 * the first delete (undici loads), a second one, the first list (zod loads) and a second
 * list, in milliseconds, against the minimal upstream; medians over the import rounds.
 */
async function firstCallBench(upstream) {
  const code = `
    const { JuspayClient } = await import('@juspay-tokens/core');
    const client = new JuspayClient({ apiKey: '${API_KEY}', baseUrl: '${upstream}', merchantId: 'bench_merchant' });
    const params = { cardReference: 'ref_bench', customerId: 'cust_bench' };
    const timed = async (call) => { const t = performance.now(); await call(); return performance.now() - t; };
    const out = [];
    for (let i = 0; i < 2; i++) out.push(await timed(() => client.deleteToken(params)));
    for (let i = 0; i < 2; i++) out.push(await timed(() => client.listCards({ customerId: 'cust_bench' })));
    await client.close();
    process.stdout.write(JSON.stringify(out));`;
  const runs = [];
  for (let round = 0; round < config.importRounds; round++) {
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', code], {
      cwd: here('..'),
    });
    runs.push(JSON.parse(stdout));
  }
  const at = (i) => median(runs.map((r) => r[i]));
  return { firstDeleteMs: at(0), secondDeleteMs: at(1), firstListMs: at(2), secondListMs: at(3) };
}

/** A framework's name in the tables. */
const LABELS = { nest: 'nest (Express platform)', fetch: 'fetch handler (on Node, @hono/node-server)' };
const label = (framework) => LABELS[framework] ?? framework;

/**
 * The size a merchant's Worker pays for: the edge test's worker (the fetch handler, the
 * core's fetch build, zod/mini, content-type) bundled as Wrangler does, minified, gzipped.
 */
async function workerBundleBench() {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [here('../../internal/edge/src/worker.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    conditions: ['workerd', 'worker', 'browser'],
    target: 'es2022',
    minify: true,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  return { minifiedKb: code.length / 1024, gzipKb: gzipSync(code).length / 1024 };
}

function table(results) {
  const { client, apps, memory, imports } = results;
  const verdict = (ok) => (ok ? 'met' : '**missed**');
  const lines = [
    `# juspay-tokens benchmarks${smoke ? ' (smoke run: numbers mean nothing)' : ''}`,
    '',
    `Node ${process.version}, ${results.rounds} interleaved rounds; ratios are median (min-max) of per-round ratios.`,
    '',
    '| comparison | ratio | target |',
    '| --- | --- | --- |',
  ];
  for (const c of ['c1', 'c32']) {
    const r = client[c];
    const n = c.slice(1);
    lines.push(
      `| JuspayClient.deleteToken vs raw undici.request, concurrency ${n} | ${formatRatio(r.juspayVsUndici)} | >= 0.95x: ${verdict(r.juspayVsUndici.median >= 0.95)} |`,
    );
    lines.push(
      `| JuspayClient.deleteToken vs bare dispatcher.dispatch(), concurrency ${n} | ${formatRatio(r.juspayVsDispatch)} | >= 0.9x: ${verdict(r.juspayVsDispatch.median >= 0.9)} |`,
    );
    lines.push(
      `| JuspayClient.listCards vs bare dispatcher.dispatch() GET, concurrency ${n} | ${formatRatio(r.listVsDispatch)} | >= 0.9x: ${verdict(r.listVsDispatch.median >= 0.9)} |`,
    );
    lines.push(
      `| deleteToken with a tracing subscriber vs without, concurrency ${n} | ${formatRatio(r.tracedVsUntraced)} | (reported) |`,
    );
    lines.push(
      `| global fetch vs raw undici.request, concurrency ${n} | ${formatRatio(r.fetchVsUndici)} | (reference) |`,
    );
  }
  for (const f of ['express', 'koa', 'fastify', 'nest', 'fetch']) {
    lines.push(
      `| ${label(f)} juspay route vs hand-written route (autocannon, 32 connections) | ${formatRatio(apps[f].routeVsHandWritten)} | >= 1.0x: ${verdict(apps[f].routeVsHandWritten.median >= 1)} |`,
    );
  }
  for (const f of ['express', 'fastify', 'nest', 'fetch']) {
    const list = apps[`${f}List`];
    lines.push(
      `| ${label(f)} list route vs hand-written list route (autocannon, 32 connections) | ${formatRatio(list.routeVsHandWritten)} | >= 1.0x: ${verdict(list.routeVsHandWritten.median >= 1)} |`,
    );
  }
  lines.push(
    `| heap growth after ${memory.calls} calls vs warm-up | ${memory.heapGrowthMb.toFixed(2)} MB (RSS ${memory.rssGrowthMb.toFixed(1)} MB) | < 5 MB: ${verdict(memory.heapGrowthMb < 5)} |`,
  );
  for (const [key, [framework, adapter]] of Object.entries(IMPORT_PAIRS)) {
    const ratio = imports.ratios[key];
    const withAdapter = imports.medianMs[`${framework} + ${adapter}`];
    lines.push(
      `| process importing ${framework} + ${adapter} vs ${framework} alone (whole processes, median of ${config.importRounds}) | ${ratio.toFixed(2)}x (${withAdapter.toFixed(0)} ms vs ${imports.medianMs[framework].toFixed(0)} ms) | <= 1.25x: ${verdict(ratio <= 1.25)} |`,
    );
  }
  lines.push(
    `| process importing @juspay-tokens/core vs node alone | ${imports.medianMs['@juspay-tokens/core'].toFixed(0)} ms vs ${imports.medianMs.node.toFixed(0)} ms | (reported) |`,
  );
  const { firstCall } = results;
  lines.push(
    `| first call after a cold import: delete / list (the second of each) | ${firstCall.firstDeleteMs.toFixed(1)} ms / ${firstCall.firstListMs.toFixed(1)} ms (${firstCall.secondDeleteMs.toFixed(1)} ms / ${firstCall.secondListMs.toFixed(1)} ms) | (reported: undici loads on the first call, zod on the first list) |`,
  );
  const { worker } = results;
  lines.push(
    `| Worker bundle (fetch handler + core's fetch build, esbuild --minify, workerd conditions), gzip | ${worker.gzipKb.toFixed(1)} KB (${worker.minifiedKb.toFixed(0)} KB minified) | < 25 KB: ${verdict(worker.gzipKb < 25)} |`,
  );
  const { cli } = results;
  lines.push(
    `| juspay-tokens delete-cards rows/s vs the --rate 1000 budget (--concurrency 64, fake with 20 ms latency, ${cli.rows} rows) | ${formatRatio(cli.budgetRatio)} | >= 0.95x: ${verdict(cli.budgetRatio.median >= 0.95)} |`,
  );
  lines.push(
    `| juspay-tokens erase-customers attempts/s (a listing and 3 deletes per customer) vs the --rate 1000 budget (--concurrency 64, same fake, ${cli.rows / 4} customers) | ${formatRatio(cli.eraseBudgetRatio)} | >= 0.95x: ${verdict(cli.eraseBudgetRatio.median >= 0.95)} |`,
  );
  lines.push(
    `| juspay-tokens delete-cards peak RSS, ${cli.bigRows} rows (${cli.bigRowsPerSecond.toFixed(0)} rows/s unpaced) | ${cli.bigPeakRssMb.toFixed(0)} MB | < 300 MB: ${verdict(cli.bigPeakRssMb < 300)} |`,
  );
  const { queue } = results;
  lines.push(
    `| ${queue.workers} erasure worker processes (@juspay-tokens/bullmq, concurrency 32 each): job starts/s vs BullMQ's limiter budget (${queue.max}/s, ${queue.jobs} jobs, fake with 20 ms latency) | ${formatRatio(queue.budgetRatio)} | >= 0.9x: ${verdict(queue.budgetRatio.median >= 0.9)} |`,
  );
  lines.push('');
  lines.push('| throughput (medians) | ops/s |');
  lines.push('| --- | --- |');
  for (const c of ['c1', 'c32']) {
    for (const [name, v] of Object.entries(client[c].opsPerSecond))
      lines.push(`| client ${name}, concurrency ${c.slice(1)} | ${v.toFixed(0)} |`);
  }
  for (const f of ['express', 'koa', 'fastify', 'nest', 'fetch']) {
    for (const [name, v] of Object.entries(apps[f].requestsPerSecond))
      lines.push(`| ${f} ${name} route | ${v.toFixed(0)} |`);
  }
  for (const f of ['express', 'fastify', 'nest', 'fetch']) {
    for (const [name, v] of Object.entries(apps[`${f}List`].requestsPerSecond))
      lines.push(`| ${f} ${name} list route | ${v.toFixed(0)} |`);
  }
  return lines.join('\n');
}

try {
  const { url: upstream } = await start('upstream.js', ['minimal']);
  const results = { smoke, node: process.version, rounds: config.rounds, config };
  if (process.env.BENCH_ONLY === 'cli') {
    console.log(JSON.stringify(await cliBench(upstream), null, 2));
    process.exit(0);
  }
  results.client = await clientBench(upstream);
  if (process.env.BENCH_ONLY === 'queue') {
    console.log(JSON.stringify(await queueRows(), null, 2));
    process.exit(0);
  }
  if (process.env.BENCH_ONLY === 'client') {
    console.log(JSON.stringify(results.client, null, 2));
    process.exit(0);
  }
  results.apps = await appBench(upstream);
  results.memory = await memoryBench(upstream);
  results.imports = await importBench();
  results.firstCall = await firstCallBench(upstream);
  results.worker = await workerBundleBench();
  results.cli = await cliBench(upstream);
  results.queue = await queueRows();
  console.log(table(results));
  const out = process.env.BENCH_RESULTS ?? here('../results.json');
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nWrote ${out}`);
} finally {
  stopAll();
}
