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
import type { Journal, OutcomeRecord } from './journal.js';
import { StartLimiter } from './limiter.js';
import { RowPlanner, type Plan } from './plan.js';
import { progressFor } from './progress.js';
import { Report, type ReportOutcome } from './report.js';
import { readRows, type InputRow } from './rows.js';
import { Tally, type Summary } from './tally.js';

/** Why a run stopped before the end of the file. */
export type StopReason = 'signal' | 'authentication';

/** What a run ended with. */
export interface RunResult {
  summary: Summary;
  stoppedBy: StopReason | undefined;
  /** Rows that never ran because the run stopped. */
  notRun: number;
  exitCode: 0 | 2 | 3;
}

const NOT_RUN: ReportOutcome = { outcome: 'not_run', code: undefined, requestId: undefined, attempts: 0 };

/** At most `limit` tasks at once. */
class Slots {
  #free: number;
  readonly #waiting: (() => void)[] = [];
  readonly #running = new Set<Promise<void>>();
  constructor(limit: number) {
    this.#free = limit;
  }
  async run(task: () => Promise<void>): Promise<void> {
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
}

function record(run: Run, row: InputRow, outcome: OutcomeRecord, write: (o: ReportOutcome) => void): void {
  run.journal.finished(row, outcome);
  run.tally.add(outcome);
  write(outcome);
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
): Promise<RunResult> {
  const run: Run = {
    args,
    journal,
    tally: new Tally(plan.total),
    report: new Report(args.report),
    stop: new AbortController(),
    stoppedBy: undefined,
    notRun: 0,
  };
  const halt = (reason: StopReason) => {
    run.stoppedBy ??= reason;
    run.stop.abort();
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
  const progress = progressFor(run.tally, stderr);
  const slots = new Slots(args.concurrency);
  const planner = new RowPlanner(journal);
  try {
    for await (const row of readRows(args.file)) {
      const write = run.report.reserve(row);
      const decided = planner.plan(row);
      if (decided.kind === 'skip') {
        run.tally.skip(decided.earlier);
        write(decided.earlier);
      } else if (decided.kind === 'invalid_input' || decided.kind === 'duplicate') {
        const code = decided.kind === 'invalid_input' ? 'INVALID_INPUT' : undefined;
        record(run, row, { outcome: decided.kind, code, requestId: undefined, attempts: 0 }, write);
      } else if (run.stop.signal.aborted) {
        run.notRun += 1;
        write(NOT_RUN);
      } else {
        await slots.run(async () => {
          const outcome = await deleteRow(row, decided.mayBeGone, context).catch((err: unknown) => {
            stderr.write(`line ${row.line}: unexpected error: ${(err as Error).message}\n`);
            return { outcome: 'failed', code: 'INTERNAL_ERROR', requestId: undefined, attempts: 0 } as const;
          });
          if (outcome === undefined) {
            run.notRun += 1;
            write(NOT_RUN);
          } else record(run, row, outcome, write);
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
    run.notRun = plan.total - run.tally.done;
  }
  const exitCode = run.stoppedBy !== undefined ? 3 : run.tally.needsAttention ? 2 : 0;
  return { summary: run.tally.summary(), stoppedBy: run.stoppedBy, notRun: run.notRun, exitCode };
}
