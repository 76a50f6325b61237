import { afterAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { runJob } from '@riffle/datastream';
import type { FileDeadLetter } from '@riffle/connector-files';
import { parquetTestRow, type ParquetTestRow } from './jobs/parquet-files.job.js';

const JOB = new URL('./jobs/parquet-files.job.ts', import.meta.url);
const RECORDS = 30_000;

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

const byId = (a: ParquetTestRow, b: ParquetTestRow): number => a.id - b.id;

describe('Parquet files on the MiniCluster', () => {
  const out = mkdtempSync(join(tmpdir(), 'riffle-parquet-it-'));
  roots.push(out);

  it('a bounded job writes hourly Parquet files through the FileSink and leaves only finished files', async () => {
    await runJob(JOB, { parallelism: 2, args: ['--mode', 'write', '--out', out, '--records', String(RECORDS)] });
    const files = filesUnder(out);
    expect(files.filter((f) => f.split('/').pop()!.startsWith('.'))).toEqual([]);
    for (const f of files) expect(f).toMatch(/^dt=2024-0[67]-\d\d\/hour=\d\d\/part-[0-9a-f-]{36}-[01]-\d+\.parquet$/);
    expect(new Set(files.map((f) => f.slice(0, f.lastIndexOf('/'))))).toEqual(new Set(['dt=2024-06-30/hour=22', 'dt=2024-06-30/hour=23', 'dt=2024-07-01/hour=00']));
  });

  it('a FileSource job reads those files back at parallelism 1 and 3 with the same rows', async () => {
    const expected = Array.from({ length: RECORDS }, (_, i) => parquetTestRow(i));
    for (const parallelism of [1, 3]) {
      const { result } = await runJob(JOB, { parallelism, args: ['--mode', 'read', '--in', out] });
      const rows = result!.getCollected<ParquetTestRow>('rows');
      expect(rows.length).toBe(RECORDS);
      expect([...rows].sort(byId)).toEqual(expected);
    }
  });

  it('with a dead-letter output, a job reads every good row and routes the file that is not Parquet to the side output', async () => {
    const mixed = mkdtempSync(join(tmpdir(), 'riffle-parquet-it-dlq-'));
    roots.push(mixed);
    cpSync(out, mixed, { recursive: true });
    const bad = join(mixed, 'dt=2024-06-30', 'broken.parquet');
    writeFileSync(bad, 'not parquet at all, just text');
    const { result } = await runJob(JOB, { parallelism: 2, args: ['--mode', 'read', '--in', mixed, '--dead-letters'] });
    const rows = result!.getCollected<ParquetTestRow>('rows');
    expect([...rows].sort(byId)).toEqual(Array.from({ length: RECORDS }, (_, i) => parquetTestRow(i)));
    const dead = result!.getCollected<FileDeadLetter>('dead');
    expect(dead.map(({ kind, path, block, skippedRecords }) => ({ kind, path, block, skippedRecords }))).toEqual([
      { kind: 'file-dead-letter', path: bad, block: 0, skippedRecords: -1 },
    ]);
    expect(dead[0]!.error).toMatch(/not a Parquet file/);
  });
});
