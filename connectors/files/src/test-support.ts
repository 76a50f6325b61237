import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { SinkInitContext, SinkWriterContext } from '@riffle/core';

/** A fresh temp directory, removed by the returned cleanup. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'riffle-files-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function initContext(subtask = 0, parallelism = 1): SinkInitContext {
  // A job of its own per writer, as in production every writer is the only one of its job, subtask and attempt.
  const jobId = randomUUID();
  return { getSubtaskId: () => subtask, getNumberOfParallelSubtasks: () => parallelism, getAttemptNumber: () => 0, getJobId: () => jobId };
}

/** A writer context whose timestamp can be set before each write. */
export class TestingWriterContext implements SinkWriterContext {
  ts: number | undefined;
  timestamp(): number | undefined {
    return this.ts;
  }
  currentWatermark(): number {
    return Number.MIN_SAFE_INTEGER;
  }
}

/** Every file under `dir`, as paths relative to it, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

/** Whether a relative path's file name is hidden (in-progress or pending). */
export function isHidden(path: string): boolean {
  return path.split('/').pop()!.startsWith('.');
}

/** The contents of the finished (visible) files under `dir`, keyed by relative path. */
export function finishedContents(dir: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const f of listFiles(dir)) if (!isHidden(f)) m.set(f, readFileSync(join(dir, f), 'utf8'));
  return m;
}

export function sizeOf(path: string): number {
  return statSync(path).size;
}

export { TestingCommitRequest } from '@riffle/core/testing';
