/**
 * The counts of a run, what the summary, the progress display and the exit code say.
 */
import { FINISHED, NEEDS_ATTENTION, type Outcome, type OutcomeRecord } from './outcomes.js';

/** The summary `--json` prints. */
export interface Summary {
  total: number;
  deleted: number;
  already_gone: number;
  invalid_request: number;
  invalid_input: number;
  duplicate: number;
  failed: number;
  /** Rows finished by an earlier run. */
  skipped: number;
  /** Rows a stopped run never reached (the resume sends them). */
  not_run: number;
  elapsedMs: number;
}

export class Tally {
  readonly #started = performance.now();
  readonly counts: Record<Outcome, number> = {
    deleted: 0,
    already_gone: 0,
    invalid_request: 0,
    invalid_input: 0,
    duplicate: 0,
    failed: 0,
  };
  skipped = 0;
  notRun = 0;
  /** Rows done so far, this run and skipped. */
  done = 0;
  /** Rows this run sent that have an outcome (what the rows/s counts). */
  sent = 0;
  /** Any row, in this run or an earlier one, ended invalid or failed. */
  needsAttention = false;

  constructor(readonly total: number) {}

  /** A row this run finished; `sent` when a call went out for it. */
  add(record: OutcomeRecord, sent = false): void {
    this.counts[record.outcome] += 1;
    this.done += 1;
    if (sent) this.sent += 1;
    if (NEEDS_ATTENTION.has(record.outcome)) this.needsAttention = true;
  }

  /** A row an earlier run finished. */
  skip(record: OutcomeRecord): void {
    this.skipped += 1;
    this.done += 1;
    if (NEEDS_ATTENTION.has(record.outcome) || !FINISHED.has(record.outcome)) this.needsAttention = true;
  }

  /** A row the stopped run never reached. */
  skipNotRun(): void {
    this.notRun += 1;
  }

  /** Every row counted was finished by an earlier run. */
  get allSkipped(): boolean {
    return this.total > 0 && this.skipped === this.total;
  }

  /** Milliseconds since the run started. */
  elapsedMs(): number {
    return Math.round(performance.now() - this.#started);
  }

  summary(): Summary {
    return {
      total: this.total,
      ...this.counts,
      skipped: this.skipped,
      not_run: this.notRun,
      elapsedMs: this.elapsedMs(),
    };
  }

  /** "deleted 10, already_gone 1, ..." */
  describe(): string {
    const parts = Object.entries(this.counts).map(([name, count]) => `${name} ${count}`);
    return [...parts, `skipped ${this.skipped}`].join(', ');
  }
}
