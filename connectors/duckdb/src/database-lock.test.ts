import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { DuckDBInstance } from '@duckdb/node-api';
import { DeliveryGuarantee } from '@riffle/core';
import { DuckDbSink } from './duckdb-sink.js';
import { DatabaseLock, DatabaseLockedError } from './database-lock.js';
import { NO_CONTEXT, TestingCommitRequest, initContext, query, tempDir } from './test-support.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function runWorker(entry: URL, data: unknown): Promise<void> {
  const bootstrap = `const { register } = await import('tsx/esm/api'); register(); await import(${JSON.stringify(entry.href)});`;
  const worker = new Worker(bootstrap, { eval: true, workerData: data, type: 'module' } as ConstructorParameters<typeof Worker>[1]);
  return new Promise((resolve, reject) => {
    let done = false;
    worker.on('message', (m) => (done = m === 'done'));
    worker.on('error', reject);
    worker.on('exit', (code) => (done && code === 0 ? resolve() : reject(new Error(`worker exited with ${code} before finishing`))));
  });
}

/**
 * Starts a child process that opens `database` with DuckDB and keeps it open until killed. The
 * instance stays referenced: once unreachable, the child's garbage collector may close it, which
 * released the lock before the test's write (a flake in CI).
 */
async function holdInOtherProcess(database: string): Promise<ChildProcess> {
  const script = `import('@duckdb/node-api').then(async ({ DuckDBInstance }) => {
    const db = await DuckDBInstance.create(${JSON.stringify(database)});
    const connection = await db.connect();
    await connection.run('CREATE TABLE IF NOT EXISTS held (a INTEGER)');
    // Reachable for good: a collected instance closes the database and lets go of its file lock.
    globalThis.held = { db, connection };
    process.stdout.write('ready\\n');
    setInterval(() => {}, 1000);
  });`;
  const child = spawn(process.execPath, ['-e', script], { cwd: import.meta.dirname, stdio: ['ignore', 'pipe', 'inherit'] });
  cleanups.push(() => child.kill('SIGKILL'));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
    child.on('exit', (code) => reject(new Error(`holder exited with ${code}`)));
  });
  return child;
}

describe('one owner per database file', () => {
  it('lets subtasks in parallel worker threads write and commit into one file without losing rows', async () => {
    const t = tempDir('riffle-duckdb-threads-');
    cleanups.push(t.cleanup);
    const database = join(t.dir, 'shared.duckdb');
    const parallelism = 3;
    const rows = 2000;
    const batches = 4;
    const entry = new URL('./concurrent-writer.fixture.ts', import.meta.url);
    await Promise.all(Array.from({ length: parallelism }, (_, subtask) => runWorker(entry, { database, subtask, parallelism, rows, batches })));
    const total = parallelism * rows * batches;
    for (const table of ['direct', 'staged']) {
      const [stats] = await query(database, `SELECT count(*)::INT AS n, count(DISTINCT id)::INT AS d, max(id)::INT AS hi, count(DISTINCT subtask)::INT AS s FROM ${table}`);
      expect(stats).toEqual({ n: total, d: total, hi: total - 1, s: parallelism });
    }
  });

  it('fails with a clear error when another process holds the database file open', async () => {
    const t = tempDir('riffle-duckdb-locked-');
    cleanups.push(t.cleanup);
    const database = join(t.dir, 'held.duckdb');
    const holder = await holdInOtherProcess(database);
    const sink = DuckDbSink.builder<{ id: number }>().setDatabase(database).setTable('t').setColumns([{ name: 'id', type: 'BIGINT' }]).build();
    const writer = await sink.createWriter(initContext(0, 1));
    writer.write({ id: 1 }, NO_CONTEXT);
    const error = await Promise.resolve(writer.flush(true)).then(
      () => undefined,
      (e: unknown) => e,
    );
    await writer.close();
    expect(error).toBeInstanceOf(DatabaseLockedError);
    expect((error as Error).message).toContain(`"${database}" is locked by another process (PID ${holder.pid})`);
  });

  it('fails an exactly-once commit with the same error, keeping the staged rows for a retry', async () => {
    const t = tempDir('riffle-duckdb-locked-');
    cleanups.push(t.cleanup);
    const database = join(t.dir, 'held.duckdb');
    const sink = DuckDbSink.builder<{ id: number }>()
      .setDatabase(database)
      .setTable('t')
      .setColumns([{ name: 'id', type: 'BIGINT' }])
      .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
      .build();
    const writer = await sink.createWriter(initContext(0, 1));
    writer.write({ id: 1 }, NO_CONTEXT);
    await writer.flush(true);
    const committables = await writer.prepareCommit();
    await writer.close();
    const holder = await holdInOtherProcess(database);
    const committer = sink.createCommitter();
    const request = new TestingCommitRequest(committables[0]!);
    await committer.commit([request]);
    expect(request.outcome).toBe('unknown-failure');
    expect(request.error).toBeInstanceOf(DatabaseLockedError);
    expect(request.error!.message).toContain(`locked by another process (PID ${holder.pid})`);

    // Once the other process is gone the same committable commits.
    holder.kill('SIGKILL');
    await new Promise((r) => holder.once('exit', r));
    const retry = new TestingCommitRequest(committables[0]!);
    await committer.commit([retry]);
    await committer.close();
    expect(retry.outcome).toBe('committed');
    expect(await query(database, 'SELECT id::INT AS id FROM t')).toEqual([{ id: 1 }]);
  });

  it('refuses the lock of another live process at once, and takes over the lock of a dead one', async () => {
    const t = tempDir('riffle-duckdb-lockfile-');
    cleanups.push(t.cleanup);
    const database = join(t.dir, 'x.duckdb');
    const lock = new DatabaseLock(database);
    const other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    cleanups.push(() => other.kill('SIGKILL'));
    writeFileSync(lock.lockPath, JSON.stringify({ pid: other.pid, threadId: 0, token: 'x' }));
    await expect(lock.acquire()).rejects.toThrow(`locked by another process (PID ${other.pid})`);

    other.kill('SIGKILL');
    await new Promise((r) => other.once('exit', r));
    const release = await lock.acquire(5_000);
    release();
    // The file is usable afterwards.
    const db = await DuckDBInstance.create(database);
    db.closeSync();
  });

  it('makes threads of this process take turns', async () => {
    const t = tempDir('riffle-duckdb-turns-');
    cleanups.push(t.cleanup);
    const lock = new DatabaseLock(join(t.dir, 'y.duckdb'));
    const first = await lock.acquire();
    let secondHolds = false;
    const second = lock.acquire().then((release) => {
      secondHolds = true;
      return release;
    });
    // Observe (not synchronise): while the first holds the lock, the second keeps waiting.
    await new Promise((r) => setTimeout(r, 100));
    expect(secondHolds).toBe(false);
    first();
    (await second)();
    expect(secondHolds).toBe(true);
  });
});
