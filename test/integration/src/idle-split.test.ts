import { describe, expect, it } from 'vitest';
import { runJob } from '@riffle/datastream';
import type { Fired } from './jobs/idle-split.job.js';

const JOB = new URL('./jobs/idle-split.job.ts', import.meta.url);

/** Runs the job; returns the firings and the wall-clock time at which the silent split's silence ended. */
async function run(idleness: number): Promise<{ fired: Fired[]; silentUntil: number }> {
  const { result } = await runJob(JOB, {
    parallelism: 1,
    args: ['--events', '1000', '--silent-ms', '2500', '--idleness', String(idleness)],
  });
  const fired = result!.getCollected<Fired>('fired');
  const marker = fired.find((f) => f[3] !== null);
  expect(marker).toBeDefined();
  return { fired, silentUntil: marker![3]! };
}

describe('a source split that stays silent', () => {
  it('with withIdleness, windows fire while the silent split is still open', async () => {
    const { fired, silentUntil } = await run(200);
    // Events at 0..9990 ms: windows [0,1000) … [9000,10000); the first nine close before the last event.
    const early = fired.filter(([, , at]) => at < silentUntil);
    expect(early.map(([end, count]) => [end, count])).toEqual(Array.from({ length: 9 }, (_, i) => [(i + 1) * 1000, 100]));
    expect(fired.map(([end]) => end)).toEqual(Array.from({ length: 10 }, (_, i) => (i + 1) * 1000));
  });

  it('without idleness, no window fires until the silent split ends the input', async () => {
    const { fired, silentUntil } = await run(0);
    expect(fired.length).toBe(10);
    for (const [, , at] of fired) expect(at).toBeGreaterThanOrEqual(silentUntil);
  });
});
