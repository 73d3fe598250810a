import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeJuspay, type FakeJuspay, type FakeJuspayOptions } from '@juspay-tokens/core/testing';
import { afterEach } from 'vitest';

/** The built command, run as an operator would: a child process. */
export const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
export const API_KEY = 'sk_cli_Secr3t_never_shown';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

/** A scratch folder, removed after the test. */
export function workdir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'juspay-cli-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes a CSV into `dir` and returns its path. */
export function csv(dir: string, text: string, name = 'cards.csv'): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** A fake Juspay for the test, closed after it. */
export async function fake(options: FakeJuspayOptions = {}): Promise<FakeJuspay> {
  const started = await startFakeJuspay({ apiKey: API_KEY, ...options });
  cleanups.push(() => started.close());
  return started;
}

/** The environment of a run against `target` (no key when `apiKey` is undefined). */
export function envFor(
  target: FakeJuspay | undefined,
  apiKey: string | undefined = API_KEY,
): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    ...(apiKey === undefined ? {} : { JUSPAY_API_KEY: apiKey }),
    ...(target === undefined ? {} : { JUSPAY_BASE_URL: target.url }),
  };
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts the command; `done` settles when it exits. */
export function startCli(
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
): { child: ChildProcess; done: Promise<CliRun> } {
  const child = spawn(process.execPath, [CLI, ...args], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<CliRun>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return { child, done };
}

/** Runs the command to its end. */
export function runCli(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<CliRun> {
  return startCli(args, env, cwd).done;
}

/** Rows for `count` cards of one customer, with the cards added to the fake. */
export function bulkRows(target: FakeJuspay, count: number, customerId = 'bulk'): string {
  const lines = ['customer_id,card_reference'];
  for (let i = 0; i < count; i++) {
    target.addCard({ customerId, cardReference: `card_${i}` });
    lines.push(`${customerId},card_${i}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The most requests the fake received in any sliding window of `windowMs` (default one second). */
export function busiestSecond(target: FakeJuspay, windowMs = 1000): number {
  const times = target.requests.map((r) => r.receivedAt).sort((a, b) => a - b);
  let most = 0;
  for (let start = 0, end = 0; end < times.length; end++) {
    while ((times[end] as number) - (times[start] as number) >= windowMs) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

/** Parses the journal's JSON lines. */
export function journalLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
