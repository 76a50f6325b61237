import { closeSync, openSync, readFileSync, statSync, unlinkSync, utimesSync, writeSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { threadId } from 'node:worker_threads';

/** Raised when another process owns the database file. Not retried: one process owns a DuckDB file. */
export class DatabaseLockedError extends Error {
  constructor(
    readonly databasePath: string,
    readonly ownerPid: number | undefined,
    detail: string,
  ) {
    super(
      `DuckDB database "${databasePath}" is locked by another process${ownerPid !== undefined ? ` (PID ${ownerPid})` : ''}: ` +
        `one process owns a DuckDB file for writing. Stop that process or point the sink at another file. (${detail})`,
    );
    this.name = 'DatabaseLockedError';
  }
}

const HEARTBEAT_MS = 1_000;
/** A lock of this process not refreshed for this long belongs to a dead worker thread. */
const STALE_MS = 10_000;

interface LockOwner {
  readonly pid: number;
  readonly threadId: number;
  readonly token: string;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(path: string): LockOwner | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockOwner;
  } catch {
    return undefined; // vanished, or being written: look again
  }
}

/**
 * Serialises every writing use of one DuckDB file across the worker threads of this process and
 * refuses other processes. DuckDB's own file lock is a POSIX record lock, which is per process:
 * two worker threads that open the same file each get their own DuckDB instance, neither is
 * refused, and writes are silently lost (measured: see the README). So every writer of the file
 * (the committers, or the writers themselves without exactly-once) takes this lock, attaches the
 * file, writes, detaches it (which checkpoints it) and releases the lock.
 *
 * The lock is a file `<database>.riffle-lock` created exclusively, holding the owner's pid, thread
 * and a token. The owner touches it every second; a lock of this process left untouched for 10 s
 * belongs to a terminated worker thread and is taken over, as is the lock of a dead process. The
 * lock of another live process is a {@link DatabaseLockedError} at once.
 */
export class DatabaseLock {
  readonly lockPath: string;

  constructor(readonly databasePath: string) {
    this.lockPath = `${databasePath}.riffle-lock`;
  }

  /**
   * Waits (asynchronously, polling) until this thread owns the lock and resolves with its release
   * function. Rejects with {@link DatabaseLockedError} when another live process owns it, or after
   * `timeoutMs` of waiting for other threads of this process.
   */
  async acquire(timeoutMs = 120_000): Promise<() => void> {
    const me: LockOwner = { pid: process.pid, threadId, token: randomUUID() };
    const deadline = Date.now() + timeoutMs;
    let delay = 2;
    for (;;) {
      if (this.tryCreate(me)) return this.holding(me);
      const owner = readOwner(this.lockPath);
      if (owner !== undefined) {
        if (owner.pid !== process.pid) {
          if (processAlive(owner.pid)) throw new DatabaseLockedError(this.databasePath, owner.pid, `lock file ${this.lockPath}`);
          this.removeIfStill(owner);
          continue;
        }
        if (this.ageMs() > STALE_MS) {
          this.removeIfStill(owner);
          continue;
        }
      }
      if (Date.now() > deadline) throw new Error(`DuckDB database "${this.databasePath}": timed out after ${timeoutMs} ms waiting for the lock held by thread ${owner?.threadId}`);
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(50, delay * 2);
    }
  }

  private tryCreate(me: LockOwner): boolean {
    let fd: number;
    try {
      fd = openSync(this.lockPath, 'wx');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw e;
    }
    try {
      writeSync(fd, JSON.stringify(me));
    } finally {
      closeSync(fd);
    }
    return true;
  }

  private holding(me: LockOwner): () => void {
    const heartbeat = setInterval(() => {
      const now = new Date();
      try {
        utimesSync(this.lockPath, now, now);
      } catch {
        // removed under us (taken over as stale): the release below notices
      }
    }, HEARTBEAT_MS);
    heartbeat.unref();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      clearInterval(heartbeat);
      this.removeIfStill(me);
    };
  }

  private ageMs(): number {
    try {
      return Date.now() - statSync(this.lockPath).mtimeMs;
    } catch {
      return 0;
    }
  }

  private removeIfStill(owner: LockOwner): void {
    const now = readOwner(this.lockPath);
    if (now?.token !== owner.token) return;
    try {
      unlinkSync(this.lockPath);
    } catch {
      // already gone
    }
  }
}

/** Rewrites DuckDB's "Could not set lock" error as a {@link DatabaseLockedError}; other errors pass. */
export function explainLockError(databasePath: string, error: unknown): unknown {
  const message = error instanceof Error ? error.message : String(error);
  if (!/Could not set lock on file/i.test(message)) return error;
  const pid = /PID (\d+)/.exec(message);
  return new DatabaseLockedError(databasePath, pid ? Number(pid[1]) : undefined, message);
}
