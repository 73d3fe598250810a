import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { startFakeJuspay, type FakeJuspay } from '@juspay-tokens/core/testing';
import { createShop as createExpressShop } from '@juspay-tokens/example-express-app/app';
import { createShop as createKoaShop } from '@juspay-tokens/example-koa-app/app';
import { DEMO_CARDS, DEMO_MERCHANT } from '@juspay-tokens/example-shop-kit/demo';
import { readSettings } from '@juspay-tokens/example-shop-kit/settings';
import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium: `.ci/run` installs it with apt-get. */
export const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));

export const EXAMPLES = {
  Express: createExpressShop,
  Koa: createKoaShop,
} as const;

/** Every example shop, started with `env` (offline unless it says otherwise): the two in-process ones and the Next.js one. */
export const SHOPS: Readonly<Record<string, (env?: Record<string, string>) => Promise<RunningShop>>> = {
  Express: (env) => startShop(createExpressShop, env),
  Koa: (env) => startShop(createKoaShop, env),
  'Next.js': (env) => startNextShop(env),
};

/** A request the shop received, as the tests see it from the server's side. */
export interface Answered {
  method: string;
  path: string;
  origin: string | undefined;
  status: number;
}

export interface RunningShop {
  url: string;
  port: number;
  fake: FakeJuspay | undefined;
  /** Every request the shop received, in order of arrival. */
  answered: Answered[];
  close(): Promise<void>;
}

/** Serves a Node request listener on a loopback port. */
export async function listen(
  handler: RequestListener,
  host = '127.0.0.1',
): Promise<{ server: Server; port: number }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

/** Starts one of the example shops with `env` (offline unless it says otherwise). */
export async function startShop(
  create: (typeof EXAMPLES)[keyof typeof EXAMPLES],
  env: Record<string, string> = {},
): Promise<RunningShop> {
  const shop = await create(readSettings({ SESSION_SECRET: 'e2e-secret', ...env }), {
    warn: () => {},
    info: () => {},
  });
  const answered: Answered[] = [];
  const { server, port } = await listen((req, res) => {
    const entry: Answered = {
      method: req.method ?? '',
      path: (req.url ?? '').split('?')[0] ?? '',
      origin: req.headers.origin,
      status: 0,
    };
    answered.push(entry);
    // The status once answered (0 when the browser went away first).
    res.on('close', () => (entry.status = res.headersSent ? res.statusCode : 0));
    (shop.handler as RequestListener)(req, res);
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    fake: shop.fake,
    answered,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await shop.close();
    },
  };
}

const NEXT_APP = dirname(
  createRequire(import.meta.url).resolve('@juspay-tokens/example-next-app/package.json'),
);
const NEXT_BIN = createRequire(join(NEXT_APP, 'package.json')).resolve('next/dist/bin/next');

/**
 * The Next.js shop as it runs in production: `next start` (built by `pnpm test:e2e`)
 * against a fake Juspay in this process, behind a loopback proxy that records every
 * request and passes the browser's Host header on unchanged (Next.js's own
 * `request.url` always names localhost, so the cross-site rule must read Host).
 */
export async function startNextShop(env: Record<string, string> = {}): Promise<RunningShop> {
  const fake = await startFakeJuspay({
    apiKey: 'next_e2e_key',
    merchantId: DEMO_MERCHANT,
    cards: DEMO_CARDS,
  });
  const nextPort = await freePort();
  const child = spawn(
    process.execPath,
    [NEXT_BIN, 'start', '--port', String(nextPort), '--hostname', '127.0.0.1'],
    {
      cwd: NEXT_APP,
      env: {
        ...process.env,
        NEXT_TELEMETRY_DISABLED: '1',
        SESSION_SECRET: 'e2e-secret-for-the-next-shop-32-chars+',
        JUSPAY_API_KEY: fake.apiKey,
        JUSPAY_BASE_URL: fake.url,
        JUSPAY_MERCHANT_ID: DEMO_MERCHANT,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so that stopping it stops any server process it started.
      detached: true,
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const answered: Answered[] = [];
  const { server, port } = await listen((req, res) => proxy(req, res, nextPort, answered));
  const close = async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    if (child.exitCode === null && child.signalCode === null) {
      process.kill(-(child.pid as number), 'SIGTERM');
      await once(child, 'exit');
    }
    await fake.close();
  };
  try {
    await waitForAnswer(`http://127.0.0.1:${nextPort}/api/me`, child, () => output);
  } catch (err) {
    await close();
    throw err;
  }
  return { url: `http://127.0.0.1:${port}`, port, fake, answered, close };
}

/** Forwards one request to the Next.js server as it came (Host included), recording it. */
function proxy(req: IncomingMessage, res: ServerResponse, port: number, answered: Answered[]): void {
  const entry: Answered = {
    method: req.method ?? '',
    path: (req.url ?? '').split('?')[0] ?? '',
    origin: req.headers.origin,
    status: 0,
  };
  answered.push(entry);
  const upstream = httpRequest(
    { host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers },
    (answer) => {
      entry.status = answer.statusCode ?? 0;
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on('error', () => res.destroy());
  req.pipe(upstream);
}

async function waitForAnswer(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const until = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode}): ${output()}`);
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(2_000) })).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`next start did not answer: ${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** A headless Chromium. */
export function launchBrowser(): Promise<Browser> {
  if (CHROMIUM === undefined)
    throw new Error('Chromium is not installed: apt-get install chromium (see CONTRIBUTING.md)');
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

const CLI = join(
  dirname(createRequire(import.meta.url).resolve('@juspay-tokens/cli/package.json')),
  'dist/cli.js',
);

/** A `juspay-tokens fake-juspay` started as a child process, as an operator would run it. */
export async function startFakeJuspayCommand(
  args: string[],
): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [CLI, 'fake-juspay', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`fake-juspay exited with ${code}: ${output}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+) /.exec(output);
      if (match?.[1] !== undefined) resolve(match[1]);
    });
  });
  child.removeAllListeners('exit');
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

// The tests' redis-server (a crash is `stop()`, a restart is `startRedis(place)`).
export { startRedis, type RedisPlace } from '@juspay-tokens/test-redis';

async function freePort(): Promise<number> {
  const { server, port } = await listen(() => {});
  await new Promise((resolve) => server.close(resolve));
  return port;
}
