/**
 * What both commands' runs share: one client on one paced limiter, the slots, the
 * tally, the report and the progress display, how a row's outcome is recorded, and how
 * a run stops (a signal, the key refused, a journal or report write that failed) and
 * ends (the summary's counts, the journal's stop line, the exit code).
 */
import { JuspayClient } from '@juspay-tokens/core';
import { Agent } from 'undici';
import type { RunArgs } from './args.js';
import type { Target } from './config.js';
import { pacedAttempts, type InFlightRow, type RowContext } from './delete-row.js';
import { JournalWriteError, type Journal } from './journal.js';
import { StartLimiter } from './limiter.js';
import { NOT_RUN, type OutcomeRecord } from './outcomes.js';
import { progressFor, type Notices, type Progress } from './progress.js';
import { Report, type ReportOutcome } from './report.js';
import type { InputRow } from './rows.js';
import { Slots } from './slots.js';
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
  /** What the operator should check, though the run went on (erase-customers: every listing unknown). */
  warning?: string | undefined;
}

/** What a run starts from. */
export interface RunSetup {
  args: RunArgs;
  target: Target;
  journal: Journal;
  /** Report rows expected (they grow as listings find cards) and, for erase-customers, customer rows. */
  tally: Tally;
  /** Aborts on Ctrl-C or SIGTERM. */
  interrupt: AbortSignal;
  stderr: NodeJS.WriteStream;
  notices: Notices;
}

/** A report row's writer. */
export type WriteRow = (outcome: ReportOutcome) => void;

const NOT_RUN_ROW: ReportOutcome = { outcome: NOT_RUN, code: undefined, requestId: undefined, attempts: 0 };

/** A run in progress. */
export class RunSession {
  readonly args: RunArgs;
  readonly journal: Journal;
  readonly tally: Tally;
  readonly report: Report;
  readonly notices: Notices;
  readonly slots: Slots;
  readonly progress: Progress;
  readonly client: JuspayClient;
  /** What a row's delete needs. */
  readonly rows: RowContext;
  readonly #stop = new AbortController();
  readonly #agent: Agent;
  readonly #interrupt: AbortSignal;
  readonly #onInterrupt = () => this.halt('signal');
  stoppedBy: StopReason | undefined;
  notRun = 0;

  constructor(setup: RunSetup) {
    const { args, journal, tally, interrupt } = setup;
    this.args = args;
    this.journal = journal;
    this.tally = tally;
    this.notices = setup.notices;
    // Opened now, before the first call: a report that cannot be written stops nothing midway.
    this.report = new Report(args.report, () => this.halt('report'));
    this.#interrupt = interrupt;
    interrupt.addEventListener('abort', this.#onInterrupt, { once: true });
    if (interrupt.aborted) this.halt('signal');
    this.#agent = new Agent({ connections: args.concurrency, keepAliveTimeout: 10_000 });
    const inFlight = new Map<string, InFlightRow>();
    this.client = pacedClient(setup.target, this.#agent, inFlight, this, new StartLimiter(args.rate));
    this.rows = { client: this.client, onAuthenticationFailure: () => this.halt('authentication'), inFlight };
    this.slots = new Slots(args.concurrency);
    this.progress = progressFor(tally, setup.stderr, setup.notices);
  }

  /** Aborts once the run stops: nothing new starts. */
  get stopping(): AbortSignal {
    return this.#stop.signal;
  }

  /** Stops the run: nothing new starts, calls in flight finish. The first reason wins. */
  halt(reason: StopReason): void {
    this.stoppedBy ??= reason;
    this.#stop.abort();
  }

  /** Records a row's outcome in the journal, the tally and the report; `sent` when a call went out. */
  record(row: InputRow, outcome: OutcomeRecord, write: WriteRow, sent = false): void {
    try {
      this.journal.finished(row, outcome);
    } catch (err) {
      if (!(err instanceof JournalWriteError)) throw err;
      this.halt('journal');
    }
    this.tally.add(outcome, sent);
    write(outcome);
  }

  /** A row the stopped run did not reach. */
  skipNotRun(write: WriteRow): void {
    this.notRun += 1;
    this.tally.skipNotRun();
    write(NOT_RUN_ROW);
  }

  /** The outcome of a call that threw what no row expects (a bug): the row failed. */
  unexpected(row: InputRow, err: unknown): OutcomeRecord {
    const reason = (err as Error).message;
    this.notices.write(`line ${row.line}: unexpected error: ${reason}\n`);
    return { outcome: 'failed', code: 'INTERNAL_ERROR', reason, requestId: undefined, attempts: 0 };
  }

  /** Waits for every call, releases everything, and says how the run ended. */
  async finish(unread: number): Promise<RunResult> {
    await this.slots.idle();
    await this.#close();
    // Rows left unread after a stop (without a report, reading ends there).
    const left = Math.max(0, unread);
    for (let i = 0; i < left; i++) this.tally.skipNotRun();
    this.notRun += left;
    if (this.stoppedBy !== undefined) this.#noteStop(this.stoppedBy);
    const exitCode = this.stoppedBy !== undefined ? 3 : this.tally.needsAttention ? 2 : 0;
    const writeError =
      this.stoppedBy === 'journal'
        ? this.journal.writeError
        : this.stoppedBy === 'report'
          ? this.report.error
          : undefined;
    return {
      summary: this.tally.summary(),
      stoppedBy: this.stoppedBy,
      notRun: this.notRun,
      exitCode,
      writeError,
    };
  }

  /** Releases what the run holds; safe after a failure midway. */
  async #close(): Promise<void> {
    this.#interrupt.removeEventListener('abort', this.#onInterrupt);
    this.progress.update();
    this.progress.stop();
    await this.report.close();
    await this.client.close();
    await this.#agent.close();
  }

  /** Releases everything after an error that ends the run (the error is the caller's to throw). */
  async abandon(): Promise<void> {
    this.halt('signal');
    await this.slots.idle();
    await this.#close();
  }

  #noteStop(reason: StopReason): void {
    try {
      this.journal.stopped(STOP_NOTES[reason]);
    } catch {
      // the journal is what failed: its error is already the run's
    }
  }
}

/** The client's own retries, every attempt paced by the run's limiter. */
function pacedClient(
  target: Target,
  agent: Agent,
  inFlight: Map<string, InFlightRow>,
  run: RunSession,
  limiter: StartLimiter,
): JuspayClient {
  return new JuspayClient({
    ...target.clientOptions,
    apiKey: target.clientOptions.apiKey ?? '',
    dispatcher: agent,
    beforeAttempt: pacedAttempts(limiter, run.journal, inFlight, run.stopping),
    onEvent: (event) => {
      if (event.type !== 'error') return;
      const entry = inFlight.get(event.requestId);
      if (entry !== undefined) entry.lastCode = event.code;
    },
  });
}
