/**
 * The counts of a run, what the summary, the progress display and the exit code say.
 */
import {
  CUSTOMER_OUTCOMES,
  FINISHED,
  NEEDS_ATTENTION,
  type Outcome,
  type OutcomeRecord,
} from './outcomes.js';

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
  /** `erase-customers` only: customer rows in the file. */
  customers?: number;
  /** `erase-customers` only: customers whose listing was empty (or unknown to Juspay). */
  no_cards?: number;
  /** `erase-customers` only: customers whose listing failed. */
  list_failed?: number;
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
    no_cards: 0,
    list_failed: 0,
  };
  skipped = 0;
  notRun = 0;
  /** Rows done so far, this run and skipped. */
  done = 0;
  /** Rows this run sent that have an outcome (what the rows/s counts). */
  sent = 0;
  /** Any row, in this run or an earlier one, ended invalid or failed. */
  needsAttention = false;

  /**
   * @param total Rows the report will hold (for `erase-customers`, one per customer row
   * to begin with: {@link Tally.grow} adds a listing's further cards).
   * @param customers `erase-customers` only: the customer rows in the file.
   */
  constructor(
    public total: number,
    readonly customers?: number,
  ) {}

  /** A customer row turned into `rows` report rows (its cards) instead of one. */
  grow(rows: number): void {
    this.total += rows - 1;
  }

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
    const { no_cards, list_failed, ...cards } = this.counts;
    const summary = {
      total: this.total,
      ...cards,
      skipped: this.skipped,
      not_run: this.notRun,
      elapsedMs: this.elapsedMs(),
    };
    if (this.customers === undefined) return summary;
    return { ...summary, customers: this.customers, no_cards, list_failed };
  }

  /** "deleted 10, already_gone 1, ..." (the customers' outcomes only for `erase-customers`). */
  describe(): string {
    const parts = Object.entries(this.counts)
      .filter(([name]) => this.customers !== undefined || !CUSTOMER_OUTCOMES.has(name as Outcome))
      .map(([name, count]) => `${name} ${count}`);
    return [...parts, `skipped ${this.skipped}`].join(', ');
  }
}
