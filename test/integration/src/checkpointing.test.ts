import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runJob } from '@riffle/datastream';

const JOB = new URL('./jobs/exactly-once.job.ts', import.meta.url);
const dirs: string[] = [];
function tempDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** The true `key -> [count, sum]` of 0..n-1 keyed by x % keys. */
function expectedCounts(n: number, keys: number): Map<number, [number, number]> {
  const m = new Map<number, [number, number]>();
  for (let x = 0; x < n; x++) {
    const e = m.get(x % keys) ?? [0, 0];
    e[0]++;
    e[1] += x;
    m.set(x % keys, e);
  }
  return m;
}

/** The last `key,count,sum` line per key (a restarted run may have emitted earlier ones). */
function finalCounts(lines: string[]): Map<number, [number, number]> {
  const m = new Map<number, [number, number]>();
  for (const line of lines) {
    const [k, c, s] = line.split(',').map(Number);
    m.set(k!, [c!, s!]);
  }
  return m;
}

describe('checkpoints and recovery', () => {
  it('keeps keyed counts exact through thrown exceptions on several attempts and a worker thread that dies', async () => {
    const n = 1_000_000;
    const { result } = await runJob(JOB, {
      parallelism: 2,
      args: ['--n', String(n), '--checkpoints', tempDir('riffle-eo-'), '--fail', '300000@0,700000@1,450000@2', '--kill', '900000@3'],
    });
    const counts = finalCounts(result!.getCollected<string>('counts'));
    expect(counts).toEqual(expectedCounts(n, 64));
  });
});
