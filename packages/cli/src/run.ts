/**
 * `delete-cards`: plan, confirm, then delete row by row at most `--concurrency` at a
 * time and `--rate` attempts a second, recording every outcome in the journal and the
 * report, until the file ends or the run is stopped.
 */
import { JuspayClient } from '@juspay-tokens/core';
import { Agent } from 'undici';
import type { DeleteCardsArgs } from './args.js';
import type { Target } from './config.js';
import { deleteRow, pacedAttempts, type InFlightRow, type RowContext } from './delete-row.js';
import { JournalWriteError, type Journal } from './journal.js';
import { StartLimiter } from './limiter.js';
import { RowPlanner, type Plan } from './plan.js';
import { NOT_RUN, type OutcomeRecord } from './outcomes.js';
import { progressFor, type Notices } from './progress.js';
import { Report, type ReportOutcome } from './report.js';
import { readRows, type InputRow } from './rows.js';
import { Tally, type Summary } from './tally.js';

/** Why a run stopped before the end of the file. */
export type StopReason = 'signal' | 'authentication' | 'journal' | 'report';

/** What the journal's last line says of each stop. */
const STOP_NOTES: Readonly<Record<StopReason, string>> = {
  signal: 'stopped on request (SIGINT or SIGTERM)',
  authentication: 'Juspay rejected the API key (AUTHENTICATION_FAILED)',
  journal: 'a journal write failed',
  report: 'a report write failed',
};

/** What a run ended with. */
export interface RunResult {
  summary: Summary;
  stoppedBy: StopReason | undefined;
  /** Rows that never ran because the run stopped. */
  notRun: number;
  exitCode: 0 | 2 | 3;
  /** The write that failed, when the journal or the report stopped the run. */
  writeError: Error | undefined;
}

const NOT_RUN_ROW: ReportOutcome = { outcome: NOT_RUN, code: undefined, requestId: undefined, attempts: 0 };

/** At most `limit` tasks at once. */
class Slots {
  #free: number;
  readonly #waiting: (() => void)[] = [];
  readonly #running = new Set<Promise<void>>();
  constructor(limit: number) {
    this.#free = limit;
  }
  /** Starts `task` once a slot is free; resolves when it has started, not when it ends. */
  async start(task: () => Promise<void>): Promise<void> {
    if (this.#free === 0) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#free -= 1;
    const running = task().finally(() => {
      this.#running.delete(running);
      this.#free += 1;
      this.#waiting.shift()?.();
    });
    this.#running.add(running);
  }
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running]);
  }
}

/** The run's moving parts. */
interface Run {
  args: DeleteCardsArgs;
  journal: Journal;
  tally: Tally;
  report: Report;
  stop: AbortController;
  stoppedBy: StopReason | undefined;
  notRun: number;
  halt(reason: StopReason): void;
}

function record(
  run: Run,
  row: InputRow,
  outcome: OutcomeRecord,
  write: (o: ReportOutcome) => void,
  sent = false,
): void {
  try {
    run.journal.finished(row, outcome);
  } catch (err) {
    if (!(err instanceof JournalWriteError)) throw err;
    run.halt('journal');
  }
  run.tally.add(outcome, sent);
  write(outcome);
}

function notRun(run: Run, write: (o: ReportOutcome) => void): void {
  run.notRun += 1;
  run.tally.skipNotRun();
  write(NOT_RUN_ROW);
}

/**
 * Deletes the rows of `args.file`. `interrupt` aborting (Ctrl-C, SIGTERM) starts
 * nothing new and lets calls in flight finish.
 */
export async function executeRun(
  args: DeleteCardsArgs,
  target: Target,
  journal: Journal,
  plan: Plan,
  interrupt: AbortSignal,
  stderr: NodeJS.WriteStream,
  notices: Notices,
): Promise<RunResult> {
  const stop = new AbortController();
  const halt = (reason: StopReason) => {
    run.stoppedBy ??= reason;
    stop.abort();
  };
  const run: Run = {
    args,
    journal,
    tally: new Tally(plan.total),
    // Opened now, before the first call: a report that cannot be written stops nothing midway.
    report: new Report(args.report, () => halt('report')),
    stop,
    stoppedBy: undefined,
    notRun: 0,
    halt,
  };
  const onInterrupt = () => halt('signal');
  interrupt.addEventListener('abort', onInterrupt, { once: true });
  if (interrupt.aborted) halt('signal');

  const agent = new Agent({ connections: args.concurrency, keepAliveTimeout: 10_000 });
  // The client's own retries, every attempt paced by the run's limiter.
  const inFlight = new Map<string, InFlightRow>();
  const limiter = new StartLimiter(args.rate);
  const client = new JuspayClient({
    ...target.clientOptions,
    apiKey: target.clientOptions.apiKey ?? '',
    dispatcher: agent,
    beforeAttempt: pacedAttempts(limiter, journal, inFlight, run.stop.signal),
    onEvent: (event) => {
      if (event.type !== 'error') return;
      const entry = inFlight.get(event.requestId);
      if (entry !== undefined) entry.lastCode = event.code;
    },
  });
  const context: RowContext = {
    client,
    onAuthenticationFailure: () => halt('authentication'),
    inFlight,
  };
  const progress = progressFor(run.tally, stderr, notices);
  const slots = new Slots(args.concurrency);
  const planner = new RowPlanner(journal);
  try {
    for await (const row of readRows(args.file)) {
      const write = run.report.reserve(row);
      const decided = planner.plan(row);
      if (decided.kind === 'skip') {
        run.tally.skip(decided.earlier);
        write(decided.earlier);
      } else if (decided.kind === 'invalid_input') {
        const outcome = { outcome: 'invalid_input', code: 'INVALID_INPUT', reason: decided.problem } as const;
        record(run, row, { ...outcome, requestId: undefined, attempts: 0 }, write);
      } else if (decided.kind === 'duplicate') {
        const reason = 'the same customer_id and card_reference as an earlier row';
        record(
          run,
          row,
          { outcome: 'duplicate', code: undefined, reason, requestId: undefined, attempts: 0 },
          write,
        );
      } else if (run.stop.signal.aborted) {
        notRun(run, write);
      } else {
        await slots.start(async () => {
          const outcome = await deleteRow(row, decided.mayBeGone, context).catch((err: unknown) => {
            if (err instanceof JournalWriteError) {
              halt('journal');
              return undefined; // its started record did not reach the journal: it was not sent
            }
            notices.write(`line ${row.line}: unexpected error: ${(err as Error).message}\n`);
            const reason = (err as Error).message;
            return {
              outcome: 'failed',
              code: 'INTERNAL_ERROR',
              reason,
              requestId: undefined,
              attempts: 0,
            } as const;
          });
          if (outcome === undefined) notRun(run, write);
          else record(run, row, outcome, write, true);
          progress.update();
        });
      }
      progress.update();
      await run.report.ready();
      // After a stop the rest of the file is only read to complete the report.
      if (run.stop.signal.aborted && args.report === undefined) break;
    }
    await slots.idle();
  } finally {
    interrupt.removeEventListener('abort', onInterrupt);
    progress.update();
    progress.stop();
    await run.report.close();
    await client.close();
    await agent.close();
  }
  if (run.stoppedBy !== undefined && args.report === undefined) {
    const unread = plan.total - run.tally.done - run.tally.notRun;
    for (let i = 0; i < unread; i++) run.tally.skipNotRun();
    run.notRun += unread;
  }
  if (run.stoppedBy !== undefined) {
    try {
      journal.stopped(STOP_NOTES[run.stoppedBy]);
    } catch {
      // the journal is what failed: its error is already the run's
    }
  }
  const exitCode = run.stoppedBy !== undefined ? 3 : run.tally.needsAttention ? 2 : 0;
  const writeError =
    run.stoppedBy === 'journal'
      ? journal.writeError
      : run.stoppedBy === 'report'
        ? run.report.error
        : undefined;
  return { summary: run.tally.summary(), stoppedBy: run.stoppedBy, notRun: run.notRun, exitCode, writeError };
}
