/**
 * The `juspay-tokens` entry: it listens for SIGINT and SIGTERM before anything else
 * loads, so a signal during start-up still ends the run with exit 3 and a summary, then
 * loads the commands (`main.ts`).
 */
import type { Io } from './main.js';

const { stdin, stdout, stderr } = process;
const fake = process.argv[2] === 'fake-juspay';
const controller = new AbortController();
const notices: Io['notices'] = { write: (text) => stderr.write(text) };

/**
 * Ctrl-C or SIGTERM once: stop starting rows (or stop the fake); twice: leave at once
 * (the journal is already on disk).
 */
function onSignal(signal: NodeJS.Signals): void {
  if (controller.signal.aborted) {
    notices.write(`\n${signal} again: leaving now; run the same command to resume.\n`);
    process.exit(3);
  }
  notices.write(
    fake
      ? `\n${signal}: stopping the fake Juspay.\n`
      : `\n${signal}: starting nothing new, letting calls in flight finish (${signal} again to leave now)...\n`,
  );
  controller.abort();
}
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

try {
  const { main } = await import('./main.js');
  process.exitCode = await main({
    argv: process.argv.slice(2),
    env: process.env,
    stdin,
    stdout,
    stderr,
    interrupt: controller.signal,
    notices,
  });
} catch (err) {
  stderr.write(`juspay-tokens: unexpected error: ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
}
