/**
 * The journal's lock file: one run at a time per journal. Taking a free lock is one
 * atomic step (a hard link of a filled-in file: the lock is never seen half written).
 * Taking over a lock whose process is dead is done under a second, short-lived lock (a
 * folder made with `mkdir`, which only one process can make), re-reading the holder
 * there: two runs that found the same dead holder can never both go on (the take-over
 * deleting a lock the other run had just written was the defect this replaces).
 */
import {
  linkSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/** A lock another live run holds, or one that cannot be made; the message names the fix. */
export class LockError extends Error {
  override name = 'LockError';
}

/** A take-over folder older than this was left by a process that died in the middle of one. */
const TAKEOVER_STALE_MS = 10_000;
const TAKEOVER_TRIES = 50;

interface Holder {
  pid?: unknown;
  nonce?: unknown;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(path: string): Holder | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Holder;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return {}; // cut short by a crash while it was written by an older version: nobody holds it
  }
}

function heldByLiveRun(holder: Holder): holder is Holder & { pid: number } {
  return typeof holder.pid === 'number' && holder.pid !== process.pid && isAlive(holder.pid);
}

function refuse(path: string, pid: number): never {
  throw new LockError(
    `Another run (pid ${pid}) is using this journal. Wait for it to finish or stop it; if no run is active, delete ${path}.`,
  );
}

/** Sleeps a few milliseconds without a timer (the lock is taken before the run starts). */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** A held lock; `release()` removes it if it is still this run's. */
export interface HeldLock {
  release(): void;
}

/**
 * Takes the lock at `path`, or refuses naming the pid that holds it; takes over the lock
 * of a process that is no longer running.
 * @throws {LockError}
 */
export function takeLock(path: string): HeldLock {
  const nonce = randomUUID();
  const draft = `${path}.${nonce}.tmp`;
  try {
    writeFileSync(
      draft,
      JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString(), nonce }),
      { flag: 'wx' },
    );
  } catch (err) {
    throw new LockError(`cannot create ${path}: ${(err as Error).message}`);
  }
  try {
    for (let tries = 0; tries < TAKEOVER_TRIES; tries++) {
      if (tryLink(draft, path)) return held(path, nonce);
      const holder = readHolder(path);
      if (holder === undefined) continue; // released meanwhile: try again
      if (heldByLiveRun(holder)) refuse(path, holder.pid);
      if (takeOver(path, draft, holder)) return held(path, nonce);
      pause(20);
    }
    throw new LockError(`cannot take ${path}: other runs keep taking it`);
  } finally {
    unlinkQuietly(draft);
  }
}

function tryLink(draft: string, path: string): boolean {
  try {
    linkSync(draft, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new LockError(`cannot create ${path}: ${(err as Error).message}`);
  }
}

/**
 * Replaces a dead holder's lock with `draft`, if this process wins the take-over folder
 * and the lock still names that holder; `false` to look again.
 */
function takeOver(path: string, draft: string, dead: Holder): boolean {
  const guard = `${path}.takeover`;
  try {
    mkdirSync(guard);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST')
      throw new LockError(`cannot take ${path}: ${(err as Error).message}`);
    removeIfStale(guard);
    return false;
  }
  try {
    const now = readHolder(path);
    if (now === undefined || now.pid !== dead.pid || now.nonce !== dead.nonce) return false;
    renameSync(draft, path);
    return true;
  } finally {
    rmdirSync(guard);
  }
}

function removeIfStale(guard: string): void {
  try {
    if (Date.now() - statSync(guard).mtimeMs > TAKEOVER_STALE_MS) rmdirSync(guard);
  } catch {
    // gone meanwhile
  }
}

function held(path: string, nonce: string): HeldLock {
  return {
    release: () => {
      if (readHolder(path)?.nonce === nonce) unlinkQuietly(path);
    },
  };
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
