/**
 * What earlier runs left, by input line, in typed arrays rather than an object per row:
 * a resumed run of a million rows must fit in the same memory as a fresh one (a `Map`
 * of records cost about 400 MB of RSS at a million rows).
 */
import type { Outcome, OutcomeRecord } from './journal.js';

const OUTCOMES: readonly Outcome[] = [
  'deleted',
  'already_gone',
  'invalid_request',
  'invalid_input',
  'duplicate',
  'failed',
];
const STARTED = 0x10;
const AMBIGUOUS = 0x20;
const OUTCOME_MASK = 0x0f;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** FNV-1a of the pair: tells a line that still holds the same pair from an edited one. */
export function pairHash(customerId: string, cardReference: string): number {
  let hash = 0x811c9dc5;
  const text = `${customerId}\u0000${cardReference}`;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0 || 1; // 0 means "nothing recorded"
}

export class JournalIndex {
  #flags = new Uint8Array(1024);
  #attempts = new Uint8Array(1024);
  #pairs = new Uint32Array(1024);
  #codes = new Uint8Array(1024);
  #requestIds = Buffer.alloc(1024 * 16);
  /** Error codes seen, by index + 1 (0: none). */
  readonly #codeNames: string[] = [];

  #ensure(line: number): void {
    if (line < this.#flags.length) return;
    let size = this.#flags.length;
    while (size <= line) size *= 2;
    const grow = <T extends Uint8Array | Uint32Array>(old: T, make: (n: number) => T): T => {
      const next = make(size);
      next.set(old);
      return next;
    };
    this.#flags = grow(this.#flags, (n) => new Uint8Array(n));
    this.#attempts = grow(this.#attempts, (n) => new Uint8Array(n));
    this.#pairs = grow(this.#pairs, (n) => new Uint32Array(n));
    this.#codes = grow(this.#codes, (n) => new Uint8Array(n));
    const ids = Buffer.alloc(size * 16);
    this.#requestIds.copy(ids);
    this.#requestIds = ids;
  }

  /** Positions the line on `pair`; a different pair forgets what the line held. */
  #line(line: number, pair: number): void {
    this.#ensure(line);
    if (this.#pairs[line] === pair) return;
    this.#pairs[line] = pair;
    this.#flags[line] = 0;
    this.#attempts[line] = 0;
    this.#codes[line] = 0;
  }

  started(line: number, pair: number): void {
    this.#line(line, pair);
    this.#flags[line] = (this.#flags[line] as number) | STARTED;
  }

  finished(line: number, pair: number, record: OutcomeRecord): void {
    this.#line(line, pair);
    const started = (this.#flags[line] as number) & STARTED;
    const ambiguous = record.ambiguous === true ? AMBIGUOUS : 0;
    this.#flags[line] = started | ambiguous | (OUTCOMES.indexOf(record.outcome) + 1);
    this.#attempts[line] = Math.min(255, record.attempts);
    this.#codes[line] = this.#codeIndex(record.code);
    const id = record.requestId !== undefined && UUID.test(record.requestId) ? record.requestId : undefined;
    if (id === undefined) this.#requestIds.fill(0, line * 16, line * 16 + 16);
    else this.#requestIds.write(id.replace(/-/g, ''), line * 16, 16, 'hex');
  }

  #codeIndex(code: string | undefined): number {
    if (code === undefined) return 0;
    let index = this.#codeNames.indexOf(code);
    if (index === -1 && this.#codeNames.length < 255) index = this.#codeNames.push(code) - 1;
    return index + 1;
  }

  /** What the journal holds for `line` if it still names `pair`. */
  lookup(line: number, pair: number): { started: boolean; outcome: OutcomeRecord | undefined } | undefined {
    if (line >= this.#flags.length || this.#pairs[line] !== pair) return undefined;
    const flags = this.#flags[line] as number;
    const outcome = OUTCOMES[(flags & OUTCOME_MASK) - 1];
    return {
      started: (flags & STARTED) !== 0,
      outcome:
        outcome === undefined
          ? undefined
          : {
              outcome,
              code: this.#codeNames[(this.#codes[line] as number) - 1],
              requestId: this.#requestId(line),
              attempts: this.#attempts[line] as number,
              ambiguous: (flags & AMBIGUOUS) !== 0,
            },
    };
  }

  #requestId(line: number): string | undefined {
    const bytes = this.#requestIds.subarray(line * 16, line * 16 + 16);
    if (bytes.every((b) => b === 0)) return undefined;
    const hex = bytes.toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
}
