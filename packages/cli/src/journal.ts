/**
 * The journal: an append-only JSON-lines file of what happened to each row, written
 * before a call goes out (`started`) and when its outcome is known, on disk within a
 * second and before exit. Running again with the same journal resumes. A lock file
 * keeps a second run out; a lock left by a dead process is taken over.
 */
import {
  closeSync,
  existsSync,
  fstatSync,
  fsync,
  fsyncSync,
  openSync,
  readSync,
  statSync,
  writeSync,
} from 'node:fs';
import { createReadStream } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { JournalIndex } from './journal-index.js';
import { takeLock, type HeldLock } from './lock.js';
import { isOutcome, type OutcomeRecord } from './outcomes.js';
import type { InputRow } from './rows.js';

/** What an earlier run left for a row. */
export interface Earlier {
  /** Its outcome, when one was recorded. */
  outcome: OutcomeRecord | undefined;
  /**
   * A call went out for it and may have deleted the card: recorded as started with no
   * outcome (the run died), or failed with an ambiguous outcome.
   */
  mayBeGone: boolean;
}

/** A journal another run holds, or one that cannot be opened; the message names the fix. */
export class JournalError extends Error {
  override name = 'JournalError';
}

/** A journal write that failed mid-run (a full disk, a removed folder): the run stops. */
export class JournalWriteError extends Error {
  override name = 'JournalWriteError';
}

/** What the journal's first line of a run records. */
export interface RunHeader {
  /** The command as given, without the key (which is never a flag). */
  command: string;
  /** The host calls go to. */
  host: string;
}

const FLUSH_EVERY_MS = 1000;

/** Where a journal can be: a file or nothing yet, in a folder that exists. */
function checkPlace(path: string): void {
  let isFile = true;
  try {
    isFile = statSync(path).isFile();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new JournalError(`cannot read the journal ${path}: ${(err as Error).message}`);
    }
    if (!existsSync(dirname(path))) {
      throw new JournalError(
        `the journal's folder ${dirname(path)} does not exist: create it or name another file with --journal`,
      );
    }
  }
  if (!isFile) throw new JournalError(`the journal ${path} is not a file: name a file with --journal`);
}

/** The journal's records; a line that does not parse as one is counted, never trusted. */
async function load(path: string): Promise<{ index: JournalIndex; unreadable: number }> {
  const index = new JournalIndex();
  let unreadable = 0;
  if (!existsSync(path)) return { index, unreadable };
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  for await (const text of lines) {
    if (text.trim() === '') continue;
    if (!apply(index, text)) unreadable += 1;
  }
  return { index, unreadable };
}

/** Applies one line to the index; `false` when it is not a record this CLI writes. */
function apply(index: JournalIndex, text: string): boolean {
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch {
    return false; // the last line of a run killed mid-write, or an edit
  }
  if (typeof record !== 'object' || record === null) return false;
  const { type, line, customerId, cardReference } = record as Record<string, unknown>;
  if (type === 'run' || type === 'stopped') return true;
  if (typeof line !== 'number' || !Number.isSafeInteger(line) || line < 2) return false;
  if (type === 'listed') return applyListing(index, record as Record<string, unknown>);
  if (typeof customerId !== 'string' || typeof cardReference !== 'string') return false;
  if (type === 'started') {
    index.started(customerId, cardReference);
    return true;
  }
  const fields = record as Record<string, unknown>;
  if (type !== 'outcome' || !isOutcome(fields.outcome)) return false;
  // A repeat says nothing of the pair's card; the pair's first row carries that.
  if (fields.outcome === 'duplicate') return true;
  index.finished(customerId, cardReference, {
    outcome: fields.outcome,
    code: typeof fields.code === 'string' ? fields.code : undefined,
    requestId: typeof fields.requestId === 'string' ? fields.requestId : undefined,
    attempts: typeof fields.attempts === 'number' ? fields.attempts : 0,
    ambiguous: fields.ambiguous === true,
  });
  return true;
}

/** A customer's listing (`erase-customers`): its id and every card reference, as strings. */
function applyListing(index: JournalIndex, record: Record<string, unknown>): boolean {
  const { customerId, cards } = record;
  if (typeof customerId !== 'string' || !Array.isArray(cards)) return false;
  if (!cards.every((card): card is string => typeof card === 'string')) return false;
  index.listed(customerId, cards);
  return true;
}

/** An open journal. */
export class Journal {
  readonly #path: string;
  readonly #index: JournalIndex;
  /** Lines of earlier runs that did not parse as records (skipped). */
  readonly unreadable: number;
  #fd: number | undefined;
  #lock: HeldLock | undefined;
  #dirty = false;
  #timer: NodeJS.Timeout | undefined;
  /** The first failed write: nothing more is written, nothing more is sent. */
  #failed: JournalWriteError | undefined;

  private constructor(path: string, loaded: { index: JournalIndex; unreadable: number }) {
    this.#path = path;
    this.#index = loaded.index;
    this.unreadable = loaded.unreadable;
  }

  /** Where it is. */
  get path(): string {
    return this.#path;
  }

  /**
   * Opens the journal at `path`, reading what earlier runs left.
   * @param run For a real run, what its first line records: the lock is taken and
   * records are appended; `undefined` for a dry run.
   * @throws {JournalError} when another run holds it, or it cannot be a journal.
   */
  static async open(path: string, run: RunHeader | undefined): Promise<Journal> {
    checkPlace(path);
    const lock = run === undefined ? undefined : takeLock(`${path}.lock`);
    try {
      const journal = new Journal(path, await load(path));
      if (run !== undefined) journal.#startWriting(lock, run);
      return journal;
    } catch (err) {
      lock?.release();
      if (err instanceof JournalError || err instanceof JournalWriteError) throw err;
      throw new JournalError(`cannot use the journal ${path}: ${(err as Error).message}`);
    }
  }

  #startWriting(lock: HeldLock | undefined, run: RunHeader): void {
    this.#lock = lock;
    const needsNewline = existsSync(this.#path) && !readTail(this.#path).endsWith('\n');
    this.#fd = openSync(this.#path, 'a');
    if (needsNewline) writeSync(this.#fd, '\n');
    this.#append({ type: 'run', ...run, pid: process.pid, at: new Date().toISOString() });
    this.#timer = setInterval(() => this.#flush(), FLUSH_EVERY_MS);
    this.#timer.unref();
  }

  /** What earlier runs left for this row (matched by its exact pair). */
  earlier(row: InputRow): Earlier {
    const found = this.#index.lookup(row.customerId, row.cardReference);
    if (found === undefined) return { outcome: undefined, mayBeGone: false };
    const mayBeGone = found.started && (found.outcome === undefined || found.outcome.ambiguous === true);
    return { outcome: found.outcome, mayBeGone };
  }

  /** The customer's last recorded listing (`erase-customers`), or `undefined`. */
  listing(customerId: string): readonly string[] | undefined {
    return this.#index.listing(customerId);
  }

  /** Records a customer's listing: the card references Juspay answered with. */
  listed(row: InputRow, cards: readonly string[], requestId: string): void {
    const { line, customerId } = row;
    this.#append({ type: 'listed', line, customerId, cards, requestId, at: new Date().toISOString() });
  }

  /** Records that a call for the row is about to go out. */
  started(row: InputRow, requestId: string): void {
    this.#append({ type: 'started', ...identity(row), requestId, at: new Date().toISOString() });
  }

  /** Records the row's outcome. */
  finished(row: InputRow, record: OutcomeRecord): void {
    this.#append({ type: 'outcome', ...identity(row), ...record, at: new Date().toISOString() });
  }

  /** Records why the run stopped early. */
  stopped(reason: string): void {
    this.#append({ type: 'stopped', reason, at: new Date().toISOString() });
  }

  /**
   * A synchronous append: in the file (the OS's cache) before the call goes out, so
   * even kill -9 right after cannot lose it.
   * @throws {JournalWriteError} when the write fails; later appends fail the same way.
   */
  #append(record: object): void {
    if (this.#fd === undefined) return;
    if (this.#failed !== undefined) throw this.#failed;
    const line = Buffer.from(`${JSON.stringify(record)}\n`, 'utf8');
    try {
      // A full disk may take part of a line and then refuse the rest: only the whole
      // line counts as written.
      let written = writeSync(this.#fd, line);
      if (written < line.length) written += writeSync(this.#fd, line, written);
      if (written < line.length) throw Object.assign(new Error('short write'), { code: 'ENOSPC' });
    } catch (err) {
      this.#failed = new JournalWriteError(
        `cannot write the journal ${this.#path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): free some space or name another file with --journal, then run the same command to resume`,
      );
      throw this.#failed;
    }
    this.#dirty = true;
  }

  #flush(): void {
    if (this.#fd === undefined || !this.#dirty) return;
    this.#dirty = false;
    fsync(this.#fd, (err) => {
      if (err !== null)
        this.#failed ??= new JournalWriteError(
          `cannot write the journal ${this.#path} (${err.code ?? err.message})`,
        );
    });
  }

  /** The failed write that stopped the run, if one did. */
  get writeError(): JournalWriteError | undefined {
    return this.#failed;
  }

  /** Flushes to disk, closes, and releases the lock. */
  close(): void {
    clearInterval(this.#timer);
    if (this.#fd !== undefined) {
      try {
        fsyncSync(this.#fd);
      } catch (err) {
        this.#failed ??= new JournalWriteError(
          `cannot write the journal ${this.#path}: ${(err as Error).message}`,
        );
      }
      closeSync(this.#fd);
      this.#fd = undefined;
    }
    this.#lock?.release();
    this.#lock = undefined;
  }
}

function identity(row: InputRow) {
  return { line: row.line, customerId: row.customerId, cardReference: row.cardReference };
}

/** The file's last character ('' when empty), read without loading the file. */
function readTail(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return '\n';
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    return last.toString('latin1');
  } finally {
    closeSync(fd);
  }
}
