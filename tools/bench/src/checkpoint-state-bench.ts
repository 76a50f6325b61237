import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setLoggerFactory } from '@riffle/core';
import { runJob } from '@riffle/datastream';
import type { CheckpointStatsSnapshot, JobClient } from '@riffle/runtime';

const JOB = new URL('./jobs/large-state.job.ts', import.meta.url);

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

function completed(stats: readonly CheckpointStatsSnapshot[]): CheckpointStatsSnapshot[] {
  return stats.filter((s) => s.status === 'COMPLETED');
}

/**
 * `npm run bench -- checkpoint-state [--keys 1000000] [--bytes 100] [--parallelism 2]`: fills keyed
 * state to about keys × bytes, prints the duration and size of the next checkpoints, then fails
 * the job once and prints the time from the failure to every task running again on the restored
 * state. Prints figures; asserts nothing.
 */
export async function runCheckpointStateBench(argv: string[]): Promise<number> {
  const opt = (key: string, def: string) => {
    const i = argv.indexOf(key);
    return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : def;
  };
  const keys = Number(opt('--keys', '1000000'));
  const bytes = Number(opt('--bytes', '100'));
  const parallelism = Number(opt('--parallelism', '2'));
  const dir = mkdtempSync(join(tmpdir(), 'riffle-bench-cp-'));
  const trigger = join(dir, 'fail-now');
  const recovery: string[] = [];
  setLoggerFactory((name) => ({
    debug: () => {},
    info: (m) => {
      if (name === 'JobMaster' && m.includes('running again')) recovery.push(m);
    },
    warn: () => {},
    error: () => {},
  }));
  let client: JobClient | undefined;
  try {
    ({ client } = await runJob(JOB, {
      parallelism,
      detached: true,
      args: ['--keys', String(keys), '--bytes', String(bytes), '--checkpoints', join(dir, 'chk'), '--trigger', trigger],
    }));
    const c = client;
    // Every key is written once the generator went round: wait for three checkpoints after that.
    const fillSeconds = keys / (200_000 * parallelism);
    process.stderr.write(`filling ~${((keys * bytes) / 1e6).toFixed(0)} MB of keyed state (~${fillSeconds.toFixed(1)} s)...\n`);
    await new Promise((r) => setTimeout(r, fillSeconds * 1000));
    const before = completed(await c.getCheckpointStats()).length;
    const big = await until(async () => {
      const done = completed(await c.getCheckpointStats());
      return done.length >= before + 3 ? done.slice(-3) : undefined;
    }, 300_000);
    for (const s of big) {
      const align = s.maxAlignmentDurationMs.toFixed(0);
      process.stdout.write(`checkpoint ${s.checkpointId}: ${(s.sizeBytes / 1e6).toFixed(1)} MB in ${s.durationMs} ms (max alignment ${align} ms)\n`);
    }
    writeFileSync(trigger, '');
    await until(async () => (recovery.length > 0 ? true : undefined), 300_000);
    process.stdout.write(`${recovery[0]!.replace(/^job \w+ /, 'recovery: ')}\n`);
    await c.cancel();
    return 0;
  } finally {
    if (client) await client.cancel().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}
