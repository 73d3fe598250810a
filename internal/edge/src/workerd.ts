/**
 * Bundling the test worker with esbuild under the Workers conditions, and running it in
 * a real `workerd` (Cloudflare's runtime binary from the `workerd` npm package) with a
 * small config: one worker, one loopback socket, outbound fetch allowed to loopback.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));

/** The worker bundled as Wrangler would: ESM, the `workerd`/`worker`/`browser` conditions. */
export async function bundleWorker(minify = false): Promise<{ code: string; metafile: Metafile }> {
  const result = await build({
    entryPoints: [join(here, 'worker.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    conditions: ['workerd', 'worker', 'browser'],
    target: 'es2022',
    minify,
    metafile: true,
    logLevel: 'silent',
  });
  const [file] = result.outputFiles;
  if (file === undefined) throw new Error('esbuild wrote no bundle');
  return { code: file.text, metafile: result.metafile };
}

/** A port free on loopback right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

function config(bindings: Record<string, string>, port: number): string {
  const texts = Object.entries(bindings)
    .map(([name, value]) => `(name = ${JSON.stringify(name)}, text = ${JSON.stringify(value)})`)
    .join(', ');
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    (name = "internet", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  compatibilityDate = "2025-09-01",
  bindings = [${texts}],
  globalOutbound = "internet",
);
`;
}

/** A running workerd serving the bundled worker. */
export interface RunningWorker {
  url: string;
  /** What workerd printed (for a failing test's message). */
  output(): string;
  stop(): Promise<void>;
}

/** Starts workerd with the bundle and its text bindings; resolves once it answers. */
export async function startWorker(code: string, bindings: Record<string, string>): Promise<RunningWorker> {
  const dir = await mkdtemp(join(tmpdir(), 'juspay-workerd-'));
  await writeFile(join(dir, 'worker.js'), code);
  const port = await freePort();
  await writeFile(join(dir, 'config.capnp'), config(bindings, port));
  const bin = join(dirname(createRequire(import.meta.url).resolve('workerd/package.json')), 'bin', 'workerd');
  const child: ChildProcess = spawn(bin, ['serve', join(dir, 'config.capnp')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let printed = '';
  child.stdout?.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilServing(url, child, () => printed);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, output: () => printed, stop };
}

async function waitUntilServing(url: string, child: ChildProcess, printed: () => string): Promise<void> {
  const until = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`workerd exited (${child.exitCode}): ${printed()}`);
    try {
      await fetch(`${url}/__ready`, { signal: AbortSignal.timeout(1_000) });
      return;
    } catch {
      if (Date.now() > until) throw new Error(`workerd did not start: ${printed()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
