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

const SAVEPOINT_JOB = new URL('./jobs/savepoint.job.ts', import.meta.url);

/** Lines of every finished part file under `dir` (hidden in-progress and pending files excluded). */
function finishedLines(dir: string): string[] {
  const lines: string[] = [];
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || entry.name.startsWith('.')) continue;
    lines.push(...readFileSync(join(entry.parentPath, entry.name), 'utf8').split('\n').filter(Boolean));
  }
  return lines.sort();
}

function hiddenFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.startsWith('.'))
    .map((e) => e.name);
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** What an unbroken run writes: a count line per key and a line per key and 1 s window. */
function expectedSavepointOutput(n: number, keys: number): string[] {
  const counts = new Map<number, [number, number]>();
  const windows = new Map<string, [number, number]>();
  for (let i = 0; i < n; i++) {
    const k = i % keys;
    const c = counts.get(k) ?? [0, 0];
    c[0]++;
    c[1] += i;
    counts.set(k, c);
    const w = `${k},${Math.floor((i * 10) / 1000) * 1000}`;
    const x = windows.get(w) ?? [0, 0];
    x[0]++;
    x[1] += i;
    windows.set(w, x);
  }
  return [...[...counts].map(([k, [c, s]]) => `C,${k},${c},${s}`), ...[...windows].map(([w, [c, s]]) => `W,${w},${c},${s}`)].sort();
}

describe('savepoints and rescaling', () => {
  it('continues keyed counts and open event-time windows exactly after stop-with-savepoint and restores at 1 -> 3 -> 2', async () => {
    const n = 24_000;
    const out = tempDir('riffle-sp-out-');
    const savepoints = tempDir('riffle-sp-');
    const common = ['--n', String(n), '--out', out, '--checkpoints', tempDir('riffle-sp-chk-')];

    /** Runs until a checkpoint completed, then stops with a savepoint; returns the savepoint folder. */
    async function runThenStop(parallelism: number, rate: number, from?: string): Promise<string> {
      const { client } = await runJob(SAVEPOINT_JOB, {
        parallelism,
        detached: true,
        args: [...common, '--rate', String(rate)],
        ...(from ? { savepointRestore: { path: from } } : {}),
      });
      await waitFor('a completed checkpoint', async () => ((await client.getCheckpointStats()).some((s) => s.status === 'COMPLETED' && !s.isSavepoint) ? true : undefined));
      const path = await client.stopWithSavepoint(savepoints);
      await waitFor('the job to finish', async () => ((await client.getJobStatus()) === 'FINISHED' ? true : undefined));
      return path;
    }

    const first = await runThenStop(1, 4000);
    const second = await runThenStop(3, 4000, first);
    const { result } = await runJob(SAVEPOINT_JOB, { parallelism: 2, args: [...common, '--rate', '20000'], savepointRestore: { path: second } });
    expect(result).toBeDefined();
    expect(finishedLines(out)).toEqual(expectedSavepointOutput(n, 5));
    expect(hiddenFiles(out)).toEqual([]);
  });
});
