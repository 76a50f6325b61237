import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runJob } from '@riffle/datastream';
import { JobExecutionError } from '@riffle/runtime';
import { setLoggerFactory, type Logger } from '@riffle/core';
import { useTempDirs } from './support/temp-dirs.js';

const JOB = new URL('./jobs/exactly-once.job.ts', import.meta.url);
const tempDir = useTempDirs();

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

/** The last `key,count,sum,attempt` line per key (a restarted run may have emitted earlier ones). */
function finalCounts(lines: string[]): Map<number, [number, number]> {
  const m = new Map<number, [number, number]>();
  for (const line of lines) {
    const [k, c, s] = line.split(',').map(Number);
    m.set(k!, [c!, s!]);
  }
  return m;
}

/** The attempt that emitted the final counts (= the number of restarts). */
function finalAttempt(lines: string[]): number {
  return Math.max(...lines.map((l) => Number(l.split(',')[3])));
}

/** Every line of every finished part file under `dir`, as numbers. */
function finishedNumbers(dir: string): number[] {
  return finishedLines(dir).map(Number);
}

/** Runs `body` with every log line of the process captured (the JobMaster runs in this process). */
async function withCapturedLogs<T>(body: (lines: string[]) => Promise<T>): Promise<T> {
  const lines: string[] = [];
  const make = (name: string): Logger => {
    const put = (level: string) => (m: string) => void lines.push(`${level} ${name} ${m}`);
    return { debug: () => {}, info: put('INFO'), warn: put('WARN'), error: put('ERROR') };
  };
  setLoggerFactory(make);
  try {
    return await body(lines);
  } finally {
    setLoggerFactory((name) => ({ ...make(name), info: () => {}, warn: () => {} }));
  }
}

describe('checkpoints and recovery', () => {
  it('keeps keyed counts and FileSink output exactly-once through thrown exceptions on several attempts and a worker thread that dies', async () => {
    const n = 1_000_000;
    const out = tempDir('riffle-eo-out-');
    const { result } = await runJob(JOB, {
      parallelism: 2,
      args: ['--n', String(n), '--checkpoints', tempDir('riffle-eo-'), '--out', out, '--fail', 'r40000@0,r25000@1,r30000@2', '--kill', 'r20000@3'],
    });
    // Too high would be double counting, too low loss.
    expect(finalCounts(result!.getCollected<string>('counts'))).toEqual(expectedCounts(n, 64));
    // Three thrown failures and one dead worker thread: four restarts.
    expect(finalAttempt(result!.getCollected<string>('counts'))).toBe(4);
    // Every record in exactly one finished file; nothing pending or in progress is left.
    const lines = finishedNumbers(out);
    expect(lines.length).toBe(n);
    expect(new Set(lines).size).toBe(n);
    expect(lines.every((x) => Number.isInteger(x) && x >= 0 && x < n)).toBe(true);
    expect(hiddenFiles(out)).toEqual([]);
  });

  it('never loses a record in AT_LEAST_ONCE mode through the same failures', async () => {
    const n = 400_000;
    const { result } = await runJob(JOB, {
      parallelism: 2,
      args: ['--n', String(n), '--mode', 'AT_LEAST_ONCE', '--checkpoints', tempDir('riffle-alo-'), '--fail', 'r30000@0,r20000@1', '--kill', 'r20000@2'],
    });
    const counts = finalCounts(result!.getCollected<string>('counts'));
    expect(finalAttempt(result!.getCollected<string>('counts'))).toBe(3);
    for (const [key, [count, sum]] of expectedCounts(n, 64)) {
      expect(counts.get(key)![0], `count of key ${key}`).toBeGreaterThanOrEqual(count);
      expect(counts.get(key)![1], `sum of key ${key}`).toBeGreaterThanOrEqual(sum);
    }
  });

  it('skips a checkpoint whose state file fails its checksum and recovers exactly from the one before', async () => {
    const n = 60_000;
    const trigger = join(tempDir('riffle-crc-trigger-'), 'go');
    const { result, logs } = await withCapturedLogs(async (logs) => {
      // Paced (10K records/s per subtask), checkpoints at most every 2 s: the test damages the
      // newest checkpoint and fails the job well before another one can complete.
      const { client } = await runJob(JOB, {
        parallelism: 2,
        detached: true,
        args: ['--n', String(n), '--rate', '10000', '--checkpoints', tempDir('riffle-crc-'), '--retained', '3', '--interval', '100', '--min-pause', '2000', '--corrupt', '0@0', '--trigger', trigger],
      });
      await waitFor('two completed checkpoints', async () => ((await client.getCheckpointStats()).filter((s) => s.status === 'COMPLETED').length >= 2 ? true : undefined));
      writeFileSync(trigger, '');
      return { logs, result: await client.getJobExecutionResult() };
    });
    expect(finalCounts(result.getCollected<string>('counts'))).toEqual(expectedCounts(n, 64));
    expect(finalAttempt(result.getCollected<string>('counts'))).toBe(1);
    const skipped = logs.find((l) => /WARN CheckpointStorage Checkpoint (\d+) .* is not restorable and is skipped: .*checksum/.test(l));
    expect(skipped, logs.filter((l) => l.includes('heckpoint')).join('\n')).toBeDefined();
    const skippedId = Number(/Checkpoint (\d+)/.exec(skipped!)![1]);
    const restored = logs.find((l) => / restores checkpoint (\d+)/.test(l));
    expect(Number(/ restores checkpoint (\d+)/.exec(restored!)![1])).toBeLessThan(skippedId);
  });

  it('ends FAILED with the original error once failureRateRestart is exceeded', async () => {
    const err = await runJob(JOB, {
      parallelism: 2,
      args: ['--n', '300000', '--checkpoints', tempDir('riffle-rate-'), '--failure-rate', '2', '--fail', '50000@0,r1@1,r1@2'],
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(JobExecutionError);
    expect((err as JobExecutionError).cause.message).toBe('injected failure in attempt 2');
    expect((err as JobExecutionError).operatorName).toContain('Saboteur');
  });
});

const SAVEPOINT_JOB = new URL('./jobs/savepoint.job.ts', import.meta.url);

/** Lines of every finished part file under `dir` (hidden in-progress and pending files excluded). */
function finishedLines(dir: string): string[] {
  const lines: string[] = [];
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || entry.name.startsWith('.')) continue;
    for (const line of readFileSync(join(entry.parentPath, entry.name), 'utf8').split('\n')) if (line) lines.push(line);
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

  it('refuses savepoint state that no operator claims, naming the uid, unless allowNonRestoredState is set', async () => {
    const n = 20_000;
    const out = tempDir('riffle-nrs-out-');
    const args = ['--n', String(n), '--out', out, '--checkpoints', tempDir('riffle-nrs-chk-'), '--rate', '4000'];
    const { client } = await runJob(SAVEPOINT_JOB, { parallelism: 1, detached: true, args });
    await waitFor('a completed checkpoint', async () => ((await client.getCheckpointStats()).some((s) => s.status === 'COMPLETED') ? true : undefined));
    const savepoint = await client.stopWithSavepoint(tempDir('riffle-nrs-sp-'));

    const renamed = [...args, '--rate', '50000', '--windows-uid', 'windows-v2'];
    const refused = await runJob(SAVEPOINT_JOB, { parallelism: 2, args: renamed, savepointRestore: { path: savepoint } }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(refused?.message).toMatch(/holds state of operator 'windows', which this job does not have.*--allowNonRestoredState/);

    const { result } = await runJob(SAVEPOINT_JOB, { parallelism: 2, args: renamed, savepointRestore: { path: savepoint, allowNonRestoredState: true } });
    expect(result).toBeDefined();
    // The keyed counts (uid 'counts') and the source position were restored: the counts cover
    // every event exactly once, and no window was emitted twice (a fresh start would repeat them).
    const lines = finishedLines(out);
    expect(lines.filter((l) => l.startsWith('C,'))).toEqual(expectedSavepointOutput(n, 5).filter((l) => l.startsWith('C,')));
    const windows = lines.filter((l) => l.startsWith('W,')).map((l) => l.split(',').slice(1, 3).join(','));
    expect(windows.length).toBeGreaterThan(0);
    expect(new Set(windows).size).toBe(windows.length);
  });
});
