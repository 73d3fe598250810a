/**
 * A real redis-server for the tests that need one: on a free loopback port, append-only
 * with every write synced (so a restart on the same folder, even after a kill, finds
 * every key again), ready once it says so. The tests start and stop it themselves.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where a test's Redis listens and keeps its data, so a restart finds it again. */
export interface RedisPlace {
  port: number;
  dir: string;
}

/** A running redis-server. */
export interface RunningRedis extends RedisPlace {
  /** `redis://127.0.0.1:<port>`. */
  url: string;
  /** Kills it (SIGKILL): a crash. */
  stop(): Promise<void>;
  /** Shuts it down cleanly (SIGTERM). */
  shutdown(): Promise<void>;
  /** Stops it answering on live connections (SIGSTOP). */
  pause(): void;
  /** Lets it answer again (SIGCONT). */
  resume(): void;
}

/** A loopback port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts a redis-server on a free port and a new folder, or on `place` to restart one. */
export async function startRedis(place?: RedisPlace): Promise<RunningRedis> {
  const port = place?.port ?? (await freePort());
  const dir = place?.dir ?? mkdtempSync(join(tmpdir(), 'juspay-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', ''];
  args.push('--appendonly', 'yes', '--appendfsync', 'always');
  const child: ChildProcess = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'inherit'] });
  await ready(child);
  const ended = (signals: NodeJS.Signals[]) =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      for (const signal of signals) child.kill(signal);
    });
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    stop: () => ended(['SIGCONT', 'SIGKILL']),
    shutdown: () => ended(['SIGCONT', 'SIGTERM']),
    pause: () => void child.kill('SIGSTOP'),
    resume: () => void child.kill('SIGCONT'),
  };
}

/** Resolves once the server accepts connections; rejects if it exits first. */
async function ready(child: ChildProcess): Promise<void> {
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${output}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) resolve();
    });
  });
  child.removeAllListeners('exit');
  child.stdout?.resume();
}
