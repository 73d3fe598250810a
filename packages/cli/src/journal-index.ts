/**
 * What earlier runs left, by exact `(customer_id, card_reference)` pair, wherever the
 * row now stands in the file: a {@link PairTable} gives each pair an id, and typed
 * arrays indexed by that id hold the rest, rather than an object per row (a `Map` of
 * records cost about 400 MB of RSS at a million rows).
 */
import { OUTCOMES, type OutcomeRecord } from './outcomes.js';
import { PairTable } from './pair-table.js';

const STARTED = 0x10;
const AMBIGUOUS = 0x20;
const OUTCOME_MASK = 0x0f;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** What the journal holds for a pair. */
export interface Recorded {
  /** A call went out for it (a `started` record). */
  started: boolean;
  /** Its last outcome, if one was recorded. */
  outcome: OutcomeRecord | undefined;
}

export class JournalIndex {
  readonly #pairs = new PairTable();
  #flags: Uint8Array = new Uint8Array(1024);
  #attempts: Uint8Array = new Uint8Array(1024);
  #codes: Uint8Array = new Uint8Array(1024);
  #requestIds = Buffer.alloc(1024 * 16);
  /** Error codes seen, by index + 1 (0: none). */
  readonly #codeNames: string[] = [];
  /** Each customer's last listing (`erase-customers`): its card references. */
  readonly #listings = new Map<string, readonly string[]>();

  /** A listing of the customer's cards (the last one recorded wins). */
  listed(customerId: string, cards: readonly string[]): void {
    this.#listings.set(customerId, cards);
  }

  /** The customer's last recorded listing, or `undefined` when none was. */
  listing(customerId: string): readonly string[] | undefined {
    return this.#listings.get(customerId);
  }

  /** The pair's id, growing the arrays to hold it. */
  #idFor(customerId: string, cardReference: string): number {
    const id = this.#pairs.idFor(customerId, cardReference);
    if (id < this.#flags.length) return id;
    const size = this.#flags.length * 2;
    const grow = (old: Uint8Array): Uint8Array => {
      const next = new Uint8Array(size);
      next.set(old);
      return next;
    };
    this.#flags = grow(this.#flags);
    this.#attempts = grow(this.#attempts);
    this.#codes = grow(this.#codes);
    const ids = Buffer.alloc(size * 16);
    this.#requestIds.copy(ids);
    this.#requestIds = ids;
    return id;
  }

  /** A call went out for the pair. */
  started(customerId: string, cardReference: string): void {
    const id = this.#idFor(customerId, cardReference);
    this.#flags[id] = (this.#flags[id] as number) | STARTED;
  }

  /** The pair's outcome (the last one recorded wins). */
  finished(customerId: string, cardReference: string, record: OutcomeRecord): void {
    const id = this.#idFor(customerId, cardReference);
    const started = (this.#flags[id] as number) & STARTED;
    const ambiguous = record.ambiguous === true ? AMBIGUOUS : 0;
    this.#flags[id] = started | ambiguous | (OUTCOMES.indexOf(record.outcome) + 1);
    this.#attempts[id] = Math.max(0, Math.min(255, record.attempts));
    this.#codes[id] = this.#codeIndex(record.code);
    const requestId =
      record.requestId !== undefined && UUID.test(record.requestId) ? record.requestId : undefined;
    if (requestId === undefined) this.#requestIds.fill(0, id * 16, id * 16 + 16);
    else this.#requestIds.write(requestId.replace(/-/g, ''), id * 16, 16, 'hex');
  }

  #codeIndex(code: string | undefined): number {
    if (code === undefined) return 0;
    let index = this.#codeNames.indexOf(code);
    if (index === -1 && this.#codeNames.length < 255) index = this.#codeNames.push(code) - 1;
    return index + 1;
  }

  /** What the journal holds for the pair, or `undefined` when it never named it. */
  lookup(customerId: string, cardReference: string): Recorded | undefined {
    const id = this.#pairs.idOf(customerId, cardReference);
    if (id === -1) return undefined;
    const flags = this.#flags[id] as number;
    const outcome = OUTCOMES[(flags & OUTCOME_MASK) - 1];
    return {
      started: (flags & STARTED) !== 0,
      outcome:
        outcome === undefined
          ? undefined
          : {
              outcome,
              code: this.#codeNames[(this.#codes[id] as number) - 1],
              requestId: this.#requestId(id),
              attempts: this.#attempts[id] as number,
              ambiguous: (flags & AMBIGUOUS) !== 0,
            },
    };
  }

  #requestId(id: number): string | undefined {
    const bytes = this.#requestIds.subarray(id * 16, id * 16 + 16);
    if (bytes.every((b) => b === 0)) return undefined;
    const hex = bytes.toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
}
