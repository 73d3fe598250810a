/**
 * The report an auditor reads: a CSV with one row per input row, in input order
 * (`line,customer_id,card_reference,outcome,code,reason,request_id,attempts`), written as
 * rows finish through a bounded reorder window, so it never holds the whole file. Every
 * cell is made safe to open in a spreadsheet.
 */
import { createWriteStream, openSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { stringify, type Stringifier } from 'csv-stringify';
import { NOT_RUN, type OutcomeRecord } from './outcomes.js';
import type { InputRow } from './rows.js';
import { safeCell } from './safe-text.js';

/** An outcome for the report: a journal outcome, or a row the run did not reach. */
export type ReportOutcome =
  | OutcomeRecord
  | { outcome: typeof NOT_RUN; code: undefined; requestId: undefined; attempts: 0; reason?: undefined };

/** One report row: the input row (a card row of a customer, in erase-customers) and its outcome. */
export interface ReportEntry {
  row: InputRow;
  outcome: ReportOutcome;
}

/** The report's header row. */
export const REPORT_COLUMNS = [
  'line',
  'customer_id',
  'card_reference',
  'outcome',
  'code',
  'reason',
  'request_id',
  'attempts',
];

/**
 * Rows handed out but not yet written: past this many, reading waits for the oldest
 * (a slow row, a long `Retry-After`) instead of holding every later row in memory.
 */
const REORDER_WINDOW = 4096;

/** A report that cannot be written; the message names it. */
export class ReportError extends Error {
  override name = 'ReportError';
}

export class Report {
  readonly #path: string | undefined;
  readonly #csv: Stringifier | undefined;
  readonly #file: WriteStream | undefined;
  /** Places handed out but not yet written, by order (each one or more rows); the head is `#next`. */
  readonly #pending = new Map<number, string[][] | undefined>();
  #issued = 0;
  #next = 0;
  #headWritten: (() => void) | undefined;
  /** The first write that failed. */
  error: ReportError | undefined;

  /**
   * Opens (creates or empties) the file now, before the first call.
   * @param path Where to write; `undefined` writes nothing.
   * @param onError Called once if a write fails later (a full disk).
   * @throws {ReportError} when the file cannot be opened (a missing folder, a folder).
   */
  constructor(path: string | undefined, onError: (error: ReportError) => void = () => {}) {
    this.#path = path;
    if (path === undefined) return;
    let fd: number;
    try {
      fd = openSync(path, 'w');
    } catch (err) {
      throw new ReportError(
        `cannot write the report ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): name a file in a folder that exists with --report`,
      );
    }
    this.#file = createWriteStream(path, { fd });
    this.#file.on('error', (err: NodeJS.ErrnoException) => {
      if (this.error !== undefined) return;
      this.error = new ReportError(`cannot write the report ${path} (${err.code ?? err.message})`);
      // Whatever is queued drains into nothing, so no one waits on the file again.
      this.#csv?.unpipe();
      this.#csv?.resume();
      onError(this.error);
      this.#headWritten?.();
    });
    this.#csv = stringify({ header: true, columns: REPORT_COLUMNS });
    this.#csv.pipe(this.#file);
  }

  /** Reserves the next row's place; call the returned function when its outcome is known. */
  reserve(row: InputRow): (outcome: ReportOutcome) => void {
    const group = this.reserveGroup();
    return (outcome) => group([{ row, outcome }]);
  }

  /**
   * Reserves the next place for several rows (a customer's cards, in erase-customers);
   * call the returned function once with all of them.
   */
  reserveGroup(): (entries: readonly ReportEntry[]) => void {
    if (this.#csv === undefined) return () => {};
    const index = this.#issued++;
    this.#pending.set(index, undefined);
    return (entries) => {
      this.#pending.set(
        index,
        entries.map(({ row, outcome }) => cellsOf(row, outcome)),
      );
      this.#drain();
    };
  }

  #drain(): void {
    for (
      let cells = this.#pending.get(this.#next);
      cells !== undefined;
      cells = this.#pending.get(this.#next)
    ) {
      if (this.error === undefined) for (const row of cells) this.#csv?.write(row);
      this.#pending.delete(this.#next++);
    }
    if (this.#issued - this.#next < REORDER_WINDOW) this.#headWritten?.();
  }

  /**
   * Resolves when the report can take another row: the file is not behind (a fast
   * producer, such as a resumed run) and the reorder window has room.
   */
  async ready(): Promise<void> {
    if (this.#csv === undefined || this.error !== undefined) return;
    if (this.#issued - this.#next >= REORDER_WINDOW) {
      await new Promise<void>((resolve) => (this.#headWritten = resolve));
      this.#headWritten = undefined;
    }
    if (this.#csv.writableNeedDrain && this.error === undefined) await once(this.#csv, 'drain');
  }

  /** Ends the file once every reserved row is written; resolves even when a write failed. */
  async close(): Promise<void> {
    if (this.#csv === undefined || this.#file === undefined) return;
    if (this.error !== undefined) {
      this.#csv.destroy();
      if (!this.#file.destroyed) this.#file.destroy();
      return;
    }
    const closed = once(this.#file, 'close').catch(() => {});
    this.#csv.end();
    await closed;
  }

  /** Where it is written, if anywhere. */
  get path(): string | undefined {
    return this.#path;
  }
}

function cellsOf(row: InputRow, outcome: ReportOutcome): string[] {
  return [
    String(row.line),
    safeCell(row.customerId),
    safeCell(row.cardReference),
    outcome.outcome,
    safeCell(outcome.code ?? ''),
    safeCell(outcome.reason ?? ''),
    outcome.requestId ?? '',
    String(outcome.attempts),
  ];
}
