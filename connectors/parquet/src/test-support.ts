import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { SinkInitContext, SinkWriterContext } from '@riffle/core';

/** Test helpers (not exported from the package). */

const roots: string[] = [];

export function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'riffle-parquet-'));
  roots.push(d);
  return d;
}

export function removeTempDirs(): void {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
}

/** Every file under `dir`, relative, sorted. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

export const isHidden = (rel: string): boolean => rel.split('/').pop()!.startsWith('.');

let db: Promise<DuckDBConnection> | undefined;

/** A shared in-memory DuckDB connection. */
export function duck(): Promise<DuckDBConnection> {
  db ??= DuckDBInstance.create(':memory:').then((i) => i.connect());
  return db;
}

/** Runs `sql` on DuckDB, rows as JSON-friendly objects. */
export async function query(sql: string): Promise<Record<string, unknown>[]> {
  const c = await duck();
  const reader = await c.runAndReadAll(sql);
  return reader.getRowObjectsJson() as Record<string, unknown>[];
}

export async function run(sql: string): Promise<void> {
  const c = await duck();
  await c.run(sql);
}

export function initContext(subtask = 0, parallelism = 1): SinkInitContext {
  // A job of its own per writer, as in production every writer is the only one of its job, subtask and attempt.
  const jobId = randomUUID();
  return { getSubtaskId: () => subtask, getNumberOfParallelSubtasks: () => parallelism, getAttemptNumber: () => 0, getJobId: () => jobId };
}

export class TestingWriterContext implements SinkWriterContext {
  ts: number | undefined;
  timestamp(): number | undefined {
    return this.ts;
  }
  currentWatermark(): number {
    return Number.MIN_SAFE_INTEGER;
  }
}

export { TestingCommitRequest } from '@riffle/core/testing';
