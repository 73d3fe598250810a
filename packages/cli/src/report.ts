/**
 * The report an auditor reads: a CSV with one row per input row, in input order
 * (`line,customer_id,card_reference,outcome,code,request_id,attempts`), written as rows
 * finish through a small reorder buffer, so it never holds the whole file.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { stringify, type Stringifier } from 'csv-stringify';
import type { OutcomeRecord } from './journal.js';
import type { InputRow } from './rows.js';

/** An outcome for the report: a journal outcome, or a row the run did not reach. */
export type ReportOutcome =
  OutcomeRecord | { outcome: 'not_run'; code: undefined; requestId: undefined; attempts: 0 };

const COLUMNS = ['line', 'customer_id', 'card_reference', 'outcome', 'code', 'request_id', 'attempts'];

export class Report {
  readonly #csv: Stringifier | undefined;
  readonly #file: WriteStream | undefined;
  /** Rows handed out but not yet written, by order; the head is `#next`. */
  readonly #pending = new Map<number, string[] | undefined>();
  #issued = 0;
  #next = 0;

  /** @param path Where to write; `undefined` writes nothing. */
  constructor(path: string | undefined) {
    if (path === undefined) return;
    this.#file = createWriteStream(path);
    this.#csv = stringify({ header: true, columns: COLUMNS });
    this.#csv.pipe(this.#file);
  }

  /** Reserves the next row's place; call the returned function when its outcome is known. */
  reserve(row: InputRow): (outcome: ReportOutcome) => void {
    if (this.#csv === undefined) return () => {};
    const index = this.#issued++;
    this.#pending.set(index, undefined);
    return (outcome) => {
      this.#pending.set(index, [
        String(row.line),
        row.customerId,
        row.cardReference,
        outcome.outcome,
        outcome.code ?? '',
        outcome.requestId ?? '',
        String(outcome.attempts),
      ]);
      this.#drain();
    };
  }

  #drain(): void {
    for (
      let cells = this.#pending.get(this.#next);
      cells !== undefined;
      cells = this.#pending.get(this.#next)
    ) {
      this.#csv?.write(cells);
      this.#pending.delete(this.#next++);
    }
  }

  /** Resolves when the file can take more (backpressure for a fast producer, such as a resumed run). */
  async ready(): Promise<void> {
    if (this.#csv?.writableNeedDrain === true) await once(this.#csv, 'drain');
  }

  /** Ends the file once every reserved row is written. */
  async close(): Promise<void> {
    if (this.#csv === undefined || this.#file === undefined) return;
    this.#csv.end();
    await once(this.#file, 'close');
  }
}
