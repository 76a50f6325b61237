import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { runJob } from '@riffle/datastream';

const JOB = new URL('./jobs/file-sink.job.ts', import.meta.url);
const RECORDS = 100_000;

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

describe('FileSink on the MiniCluster', () => {
  it(`writes ${RECORDS.toLocaleString('en')} records at parallelism 2 into finished files, each exactly once`, async () => {
    const out = mkdtempSync(join(tmpdir(), 'riffle-file-sink-'));
    roots.push(out);
    await runJob(JOB, { parallelism: 2, args: ['--out', out, '--records', String(RECORDS), '--part-size', String(64 * 1024)] });

    const files = filesUnder(out);
    // Only finished files remain: nothing hidden (in-progress or pending) is left behind.
    expect(files.filter((f) => f.split('/').pop()!.startsWith('.'))).toEqual([]);
    for (const f of files) expect(f).toMatch(/^mod-[0-3]\/part-[0-9a-f-]{36}-[01]-\d+\.txt$/);
    // Both subtasks wrote, and size-based rolling produced several parts.
    expect(new Set(files.map((f) => /-([01])-\d+\.txt$/.exec(f)![1]))).toEqual(new Set(['0', '1']));
    expect(files.length).toBeGreaterThan(8);

    const seen = new Uint8Array(RECORDS);
    let total = 0;
    let misplaced = 0;
    let outOfOrder = 0;
    for (const f of files) {
      const residue = Number(f[4]);
      let last = -1;
      for (const line of readFileSync(join(out, f), 'utf8').split('\n')) {
        if (line === '') continue;
        const n = Number(line.slice(4));
        total++;
        seen[n]++;
        if (n % 4 !== residue) misplaced++;
        if (n <= last) outOfOrder++;
        last = n;
      }
    }
    expect(total).toBe(RECORDS);
    expect(seen.every((c) => c === 1)).toBe(true);
    expect(misplaced).toBe(0);
    // One subtask writes a part file, in its input order.
    expect(outOfOrder).toBe(0);
  });
});
