/**
 * The `juspay-tokens` commands, once the entry (`cli.ts`) is listening for signals.
 * Exit codes: 0 every row deleted, already gone or a duplicate; 2 some rows invalid or
 * failed; 3 stopped early; 1 a usage or configuration error, with nothing sent.
 */
import { ConfigError, targetFromEnv } from './config.js';
import {
  confirmDeletion,
  DELETE_WORDS,
  ERASE_WORDS,
  NotConfirmedError,
  type ConfirmWords,
} from './confirm.js';
import { parseCommand, UsageError, type RunArgs, type RunCommand } from './args.js';
import { Journal, JournalError } from './journal.js';
import { parseFakeJuspayCommand, runFakeJuspay } from './fake-juspay.js';
import { LockError } from './lock.js';
import { checkOutputs } from './outputs.js';
import { executeErase } from './erase-run.js';
import { planErase } from './erase-plan.js';
import { describePlan, planRun, type Plan } from './plan.js';
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

/** What differs between the two commands that run through a file. */
interface FileCommand {
  plan: (file: string, journal: Journal) => Promise<Plan>;
  execute: typeof executeRun;
  /** What the confirmation asks the operator to go on with. */
  asks: ConfirmWords;
}

const FILE_COMMANDS: Readonly<Record<RunCommand, FileCommand>> = {
  'delete-cards': { plan: planRun, execute: executeRun, asks: DELETE_WORDS },
  'erase-customers': { plan: planErase, execute: executeErase, asks: ERASE_WORDS },
};

async function runFile(args: RunArgs, io: Io): Promise<number> {
  const erase = args.command === 'erase-customers';
  const target = targetFromEnv(io.env, !args.dryRun, erase && !args.dryRun);
  // The input first: a path that is not a readable file leaves no journal or lock.
  checkInput(args.file);
  checkOutputs(args);
  const header = args.dryRun ? undefined : { command: `${args.command} ${args.file}`, host: target.host };
  const journal = await Journal.open(args.journal, header);
  const command = FILE_COMMANDS[args.command];
  try {
    const plan = await command.plan(args.file, journal);
    if (args.dryRun) return dryRun(args, plan, target.host, io);
    if (!args.yes && !io.interrupt.aborted) await confirmDeletion(plan.toSend, target.host, io, command.asks);
    const setup = { args, target, journal, interrupt: io.interrupt, stderr: io.stderr, notices: io.notices };
    const result = await command.execute(setup, plan);
    const end = describeEnd(args, result, journal.unreadable);
    if (args.json) io.stdout.write(`${JSON.stringify(result.summary)}\n`);
    else io.stdout.write(end);
    if (args.json && (result.stoppedBy !== undefined || result.warning !== undefined)) io.stderr.write(end);
    return result.exitCode;
  } finally {
    journal.close();
  }
}

/** Prints the plan; exits 2 when any row is invalid. */
function dryRun(args: RunArgs, plan: Plan, host: string, io: Io): number {
  const erase = args.command === 'erase-customers';
  if (args.json) {
    const { toSend, ...rest } = plan;
    const counts = erase ? { toList: toSend, ...rest } : plan;
    io.stdout.write(`${JSON.stringify({ dryRun: true, host, ...counts })}\n`);
  } else {
    const text = describePlan(args.file, plan, host, args.journal, erase);
    io.stdout.write(`${text}Dry run: nothing was sent.\n`);
  }
  return plan.invalidInput > 0 ? 2 : 0;
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
    return await runFile(command.args, io);
  } catch (err) {
    if (!KNOWN_ERRORS.some((known) => err instanceof known)) throw err;
    io.stderr.write(`juspay-tokens: ${(err as Error).message}\n`);
    return 1;
  }
}
