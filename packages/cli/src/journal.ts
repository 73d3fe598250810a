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
  readFileSync,
  readSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { createReadStream } from 'node:fs';
import { hostname } from 'node:os';
import { createInterface } from 'node:readline';
import { JournalIndex, pairHash } from './journal-index.js';
import type { InputRow } from './rows.js';

/** How a row ended. */
export type Outcome =
  'deleted' | 'already_gone' | 'invalid_request' | 'invalid_input' | 'duplicate' | 'failed';

/** Outcomes that finish a row: a rerun skips it. `failed` rows are tried again. */
export const FINISHED: ReadonlySet<Outcome> = new Set([
  'deleted',
  'already_gone',
  'invalid_request',
  'invalid_input',
  'duplicate',
]);

/** What the journal says of a row's outcome. */
export interface OutcomeRecord {
  outcome: Outcome;
  code: string | undefined;
  requestId: string | undefined;
  attempts: number;
  /** For `failed`: an attempt may have reached Juspay, so the card may be gone. */
  ambiguous?: boolean | undefined;
}

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

const FLUSH_EVERY_MS = 1000;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock file, or refuses with the pid that holds it; takes over a dead one's. */
function lock(path: string): void {
  for (let tries = 0; tries < 2; tries++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }));
      closeSync(fd);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new JournalError(`cannot create ${path}: ${(err as Error).message}`);
      }
    }
    let holder: { pid?: unknown } = {};
    try {
      holder = JSON.parse(readFileSync(path, 'utf8')) as { pid?: unknown };
    } catch {
      // A lock cut short by a crash while it was written: nobody holds it.
    }
    if (typeof holder.pid === 'number' && isAlive(holder.pid)) {
      throw new JournalError(
        `Another run (pid ${holder.pid}) is using this journal. Wait for it to finish or stop it; if no run is active, delete ${path}.`,
      );
    }
    unlinkSync(path);
  }
  throw new JournalError(`cannot take ${path}: another run keeps creating it`);
}

async function load(path: string): Promise<JournalIndex> {
  const index = new JournalIndex();
  if (!existsSync(path)) return index;
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  for await (const text of lines) {
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(text) as Record<string, unknown>;
    } catch {
      continue; // the last line of a run killed mid-write
    }
    const { line, customerId, cardReference } = record;
    if (typeof line !== 'number' || typeof customerId !== 'string' || typeof cardReference !== 'string')
      continue;
    const pair = pairHash(customerId, cardReference);
    if (record.type === 'started') index.started(line, pair);
    if (record.type === 'outcome' && typeof record.outcome === 'string') {
      index.finished(line, pair, {
        outcome: record.outcome as Outcome,
        code: typeof record.code === 'string' ? record.code : undefined,
        requestId: typeof record.requestId === 'string' ? record.requestId : undefined,
        attempts: typeof record.attempts === 'number' ? record.attempts : 0,
        ambiguous: record.ambiguous === true,
      });
    }
  }
  return index;
}

/** An open journal. */
export class Journal {
  readonly #path: string;
  readonly #index: JournalIndex;
  #fd: number | undefined;
  #lockPath: string | undefined;
  #dirty = false;
  #timer: NodeJS.Timeout | undefined;

  private constructor(path: string, index: JournalIndex) {
    this.#path = path;
    this.#index = index;
  }

  /**
   * Opens the journal at `path`, reading what earlier runs left.
   * @param write Take the lock and append (a real run); `false` for a dry run.
   * @throws {JournalError} when another run holds it.
   */
  static async open(path: string, write: boolean): Promise<Journal> {
    const lockPath = `${path}.lock`;
    if (write) lock(lockPath);
    try {
      const journal = new Journal(path, await load(path));
      if (write) journal.#startWriting(lockPath);
      return journal;
    } catch (err) {
      if (write) unlinkSync(lockPath);
      throw err;
    }
  }

  #startWriting(lockPath: string): void {
    this.#lockPath = lockPath;
    const needsNewline = existsSync(this.#path) && !readTail(this.#path).endsWith('\n');
    this.#fd = openSync(this.#path, 'a');
    if (needsNewline) writeSync(this.#fd, '\n');
    this.#timer = setInterval(() => this.#flush(), FLUSH_EVERY_MS);
    this.#timer.unref();
  }

  /** What earlier runs left for this row (matched by line and pair). */
  earlier(row: InputRow): Earlier {
    const found = this.#index.lookup(row.line, pairHash(row.customerId, row.cardReference));
    if (found === undefined) return { outcome: undefined, mayBeGone: false };
    const mayBeGone = found.started && (found.outcome === undefined || found.outcome.ambiguous === true);
    return { outcome: found.outcome, mayBeGone };
  }

  /** Records that a call for the row is about to go out. */
  started(row: InputRow, requestId: string): void {
    this.#append({ type: 'started', ...identity(row), requestId, at: new Date().toISOString() });
  }

  /** Records the row's outcome. */
  finished(row: InputRow, record: OutcomeRecord): void {
    this.#append({ type: 'outcome', ...identity(row), ...record, at: new Date().toISOString() });
  }

  #append(record: object): void {
    if (this.#fd === undefined) return;
    // A synchronous append: in the file (the OS's cache) before the call goes out, so
    // even kill -9 right after cannot lose it.
    writeSync(this.#fd, `${JSON.stringify(record)}\n`);
    this.#dirty = true;
  }

  #flush(): void {
    if (this.#fd === undefined || !this.#dirty) return;
    this.#dirty = false;
    fsync(this.#fd, () => {});
  }

  /** Flushes to disk, closes, and releases the lock. */
  close(): void {
    clearInterval(this.#timer);
    if (this.#fd !== undefined) {
      fsyncSync(this.#fd);
      closeSync(this.#fd);
      this.#fd = undefined;
    }
    if (this.#lockPath !== undefined && existsSync(this.#lockPath)) unlinkSync(this.#lockPath);
    this.#lockPath = undefined;
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
