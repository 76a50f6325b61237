import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { SinkInitContext, SinkWriterContext } from '@riffle/core';

/** A temp directory removed by the returned cleanup. Test support only. */
export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A sink init context for driving writers by hand. */
export function initContext(subtask: number, parallelism: number, jobId = 'job-1', attempt = 0): SinkInitContext {
  return { getSubtaskId: () => subtask, getNumberOfParallelSubtasks: () => parallelism, getAttemptNumber: () => attempt, getJobId: () => jobId };
}

/** A writer context without timestamps. */
export const NO_CONTEXT: SinkWriterContext = { timestamp: () => undefined, currentWatermark: () => Number.MIN_SAFE_INTEGER };

export { TestingCommitRequest } from '@riffle/core/testing';

/** Runs a query on a database file (opened and closed for the call) and returns plain row objects. */
export async function query(database: string, sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(database);
  try {
    const conn = await instance.connect();
    try {
      const reader = await conn.runAndReadAll(sql);
      return reader.getRowObjectsJS() as Record<string, unknown>[];
    } finally {
      conn.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}
