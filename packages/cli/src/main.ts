/**
 * The `juspay-tokens` commands, once the entry (`cli.ts`) is listening for signals.
 * Exit codes: 0 every row deleted, already gone or a duplicate; 2 some rows invalid or
 * failed; 3 stopped early; 1 a usage or configuration error, with nothing sent.
 */
import { ConfigError, targetFromEnv } from './config.js';
import { confirmDeletion, NotConfirmedError } from './confirm.js';
import { parseCommand, UsageError, type DeleteCardsArgs } from './args.js';
import { Journal, JournalError } from './journal.js';
import { parseFakeJuspayCommand, runFakeJuspay } from './fake-juspay.js';
import { LockError } from './lock.js';
import { checkOutputs } from './outputs.js';
import { describePlan, planRun } from './plan.js';
import type { Notices } from './progress.js';
import { ReportError } from './report.js';
import { checkInput, InputError } from './rows.js';
import { executeRun } from './run.js';
import { describeEnd } from './summary.js';

declare const __PACKAGE_VERSION__: string;

/** The run's streams and environment (the process's own, or a test's). */
export interface Io {
  argv: string[];
  env: NodeJS.ProcessEnv;
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  /** Aborts on the first SIGINT or SIGTERM. */
  interrupt: AbortSignal;
  /** Messages during a run (the signal notices among them). */
  notices: Notices;
}

const KNOWN_ERRORS = [
  UsageError,
  ConfigError,
  InputError,
  JournalError,
  LockError,
  NotConfirmedError,
  ReportError,
];

async function deleteCards(args: DeleteCardsArgs, io: Io): Promise<number> {
  const target = targetFromEnv(io.env, !args.dryRun);
  // The input first: a path that is not a readable file leaves no journal or lock.
  checkInput(args.file);
  checkOutputs(args);
  const header = args.dryRun ? undefined : { command: `delete-cards ${args.file}`, host: target.host };
  const journal = await Journal.open(args.journal, header);
  try {
    const plan = await planRun(args.file, journal);
    if (args.dryRun) {
      if (args.json) io.stdout.write(`${JSON.stringify({ dryRun: true, host: target.host, ...plan })}\n`);
      else
        io.stdout.write(
          `${describePlan(args.file, plan, target.host, args.journal)}Dry run: nothing was sent.\n`,
        );
      return plan.invalidInput > 0 ? 2 : 0;
    }
    if (!args.yes && !io.interrupt.aborted) await confirmDeletion(plan.toSend, target.host, io);
    const result = await executeRun(args, target, journal, plan, io.interrupt, io.stderr, io.notices);
    const end = describeEnd(args, result, journal.unreadable);
    if (args.json) io.stdout.write(`${JSON.stringify(result.summary)}\n`);
    else io.stdout.write(end);
    if (args.json && result.stoppedBy !== undefined) io.stderr.write(end);
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
