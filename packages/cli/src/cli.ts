/**
 * The `juspay-tokens` command. Exit codes: 0 every row deleted, already gone or a
 * duplicate; 2 some rows invalid or failed; 3 stopped early; 1 a usage or configuration
 * error, with nothing sent.
 */
import { ConfigError, targetFromEnv } from './config.js';
import { confirmDeletion, NotConfirmedError } from './confirm.js';
import { parseCommand, UsageError, type DeleteCardsArgs } from './args.js';
import { Journal, JournalError } from './journal.js';
import { parseFakeJuspayCommand, runFakeJuspay } from './fake-juspay.js';
import { describePlan, planRun } from './plan.js';
import { InputError } from './rows.js';
import { executeRun, type RunResult } from './run.js';

declare const __PACKAGE_VERSION__: string;

/** The run's streams and environment (the process's own, or a test's). */
interface Io {
  argv: string[];
  env: NodeJS.ProcessEnv;
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  interrupt: AbortSignal;
}

const KNOWN_ERRORS = [UsageError, ConfigError, InputError, JournalError, NotConfirmedError];

function resumeHint(args: DeleteCardsArgs): string {
  const report = args.report === undefined ? '' : ` --report ${args.report}`;
  const journal = args.journal === `${args.file}.journal` ? '' : ` --journal ${args.journal}`;
  return `juspay-tokens delete-cards ${args.file}${journal}${report} (the journal skips the rows already done)`;
}

function describeEnd(args: DeleteCardsArgs, result: RunResult): string {
  const { summary } = result;
  const lines = [
    `Done in ${(summary.elapsedMs / 1000).toFixed(1)} s: ${summary.total} rows.`,
    `  deleted ${summary.deleted}, already_gone ${summary.already_gone}, invalid_request ${summary.invalid_request}, invalid_input ${summary.invalid_input}, duplicate ${summary.duplicate}, failed ${summary.failed}, skipped ${summary.skipped}`,
    `  journal: ${args.journal}${args.report === undefined ? '' : `; report: ${args.report}`}`,
  ];
  if (result.stoppedBy === 'authentication') {
    lines.push(
      'Stopped: Juspay rejected the API key (AUTHENTICATION_FAILED). Check JUSPAY_API_KEY and JUSPAY_ENVIRONMENT (a sandbox key only works with sandbox, a production key with production).',
    );
  } else if (result.stoppedBy === 'signal') {
    lines.push(`Stopped on request: ${result.notRun} row(s) not run.`);
  }
  if (result.stoppedBy !== undefined || summary.failed > 0) lines.push(`To resume, run: ${resumeHint(args)}`);
  return `${lines.join('\n')}\n`;
}

async function deleteCards(args: DeleteCardsArgs, io: Io): Promise<number> {
  const target = targetFromEnv(io.env, !args.dryRun);
  const journal = await Journal.open(args.journal, !args.dryRun);
  try {
    const plan = await planRun(args.file, journal);
    if (args.dryRun) {
      if (args.json) io.stdout.write(`${JSON.stringify({ dryRun: true, host: target.host, ...plan })}\n`);
      else
        io.stdout.write(
          `${describePlan(args.file, plan, target.host, args.journal)}Dry run: nothing was sent.\n`,
        );
      return 0;
    }
    if (!args.yes) await confirmDeletion(plan.toSend, target.host, io);
    const result = await executeRun(args, target, journal, plan, io.interrupt, io.stderr);
    if (args.json) io.stdout.write(`${JSON.stringify(result.summary)}\n`);
    else io.stdout.write(describeEnd(args, result));
    if (args.json && result.stoppedBy !== undefined) io.stderr.write(describeEnd(args, result));
    return result.exitCode;
  } finally {
    journal.close();
  }
}

/** Runs the command; resolves with the exit code. */
export async function main(io: Io): Promise<number> {
  try {
    const command =
      io.argv[0] === 'fake-juspay' ? parseFakeJuspayCommand(io.argv.slice(1)) : parseCommand(io.argv);
    if (command.kind === 'help') {
      io.stdout.write(command.text);
      return 0;
    }
    if (command.kind === 'fake-juspay') return await runFakeJuspay(command.args, io, io.interrupt);
    if (command.kind === 'version') {
      io.stdout.write(`${__PACKAGE_VERSION__}\n`);
      return 0;
    }
    return await deleteCards(command.args, io);
  } catch (err) {
    if (!KNOWN_ERRORS.some((known) => err instanceof known)) throw err;
    io.stderr.write(`juspay-tokens: ${(err as Error).message}\n`);
    return 1;
  }
}

/**
 * Ctrl-C or SIGTERM once: stop starting rows (or stop the fake); twice: leave at once
 * (the journal is already on disk).
 */
function interruptions(stderr: NodeJS.WriteStream, fake: boolean): AbortSignal {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      stderr.write(`\n${signal} again: leaving now; run the same command to resume.\n`);
      process.exit(3);
    }
    stderr.write(
      fake
        ? `\n${signal}: stopping the fake Juspay.\n`
        : `\n${signal}: starting nothing new, letting calls in flight finish (${signal} again to leave now)...\n`,
    );
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return controller.signal;
}

const { stdin, stdout, stderr } = process;
main({
  argv: process.argv.slice(2),
  env: process.env,
  stdin,
  stdout,
  stderr,
  interrupt: interruptions(stderr, process.argv[2] === 'fake-juspay'),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    stderr.write(`juspay-tokens: unexpected error: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
