/**
 * The counts of a run, what the summary, the progress display and the exit code say.
 */
import { FINISHED, type Outcome, type OutcomeRecord } from './journal.js';

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
  elapsedMs: number;
}

/** Outcomes that make the exit code 2, in this run or an earlier one. */
const NEEDS_ATTENTION: ReadonlySet<Outcome> = new Set(['invalid_input', 'invalid_request', 'failed']);

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
  /** Rows done so far, this run and skipped. */
  done = 0;
  /** Any row, in this run or an earlier one, ended invalid or failed. */
  needsAttention = false;

  constructor(readonly total: number) {}

  /** A row this run finished. */
  add(record: OutcomeRecord): void {
    this.counts[record.outcome] += 1;
    this.done += 1;
    if (NEEDS_ATTENTION.has(record.outcome)) this.needsAttention = true;
  }

  /** A row an earlier run finished. */
  skip(record: OutcomeRecord): void {
    this.skipped += 1;
    this.done += 1;
    if (NEEDS_ATTENTION.has(record.outcome) || !FINISHED.has(record.outcome)) this.needsAttention = true;
  }

  /** Milliseconds since the run started. */
  elapsedMs(): number {
    return Math.round(performance.now() - this.#started);
  }

  summary(): Summary {
    return { total: this.total, ...this.counts, skipped: this.skipped, elapsedMs: this.elapsedMs() };
  }

  /** "deleted 10, already_gone 1, ..." */
  describe(): string {
    const parts = Object.entries(this.counts).map(([name, count]) => `${name} ${count}`);
    return [...parts, `skipped ${this.skipped}`].join(', ');
  }
}
