import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { runJob } from '@riffle/datastream';
import { JobExecutionError, LocalExecutor } from '@riffle/runtime';

const FAILING = new URL('./jobs/failing.job.ts', import.meta.url);
const INVALID = new URL('./jobs/invalid.job.ts', import.meta.url);

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the job to fail');
}

describe('failures', () => {
  it('fails the job with the original error, the operator name and the subtask index when a user function throws', async () => {
    const e = await failure(runJob(FAILING, { parallelism: 2, args: ['--fail-at', '777'] }));
    expect(e).toBeInstanceOf(JobExecutionError);
    const err = e as JobExecutionError;
    expect(err.operatorName).toBe('Exploding Map');
    // The keyed exchange routes key 777 % 16 = 9 to one subtask; the error names that one.
    expect(err.subtaskIndex).toBe(assignSubtask(9, 2));
    expect(err.cause.name).toBe('RangeError');
    expect(err.cause.message).toBe('record 777 is cursed');
    expect(err.message).toContain("operator 'Exploding Map'");
    expect(err.message).toContain('RangeError: record 777 is cursed');
  });

  describe('with a worker thread that does not answer', () => {
    // The subtask of key 5 blocks its worker thread for 45 s (Atomics.wait) on its first record;
    // the subtask of key 9 (the other one) fails once the blocked one said it is blocked. The
    // blocked task never confirms its cancellation: without the cancellation timeout the job waits
    // out the block, past these tests' timeout. (Terminating the thread ends the wait, so the
    // abandoning of threads stuck in native code is not exercised here.)
    const args = () => ['--block-key', '5', '--fail-key', '9', '--block-seconds', '45', '--channel', `riffle-failing-${randomUUID()}`];
    const executor = () => new LocalExecutor({ cancellationTimeoutMs: 1000, workerStopTimeoutMs: 1000 });

    it('a failing job still ends FAILED with the original error', async () => {
      expect(assignSubtask(9, 2)).not.toBe(assignSubtask(5, 2));
      const e = await failure(runJob(FAILING, { parallelism: 2, args: args(), executor: executor() }));
      expect(e).toBeInstanceOf(JobExecutionError);
      expect((e as JobExecutionError).cause.message).toBe('key 9 is cursed');
    }, 40_000);

    it('a restarting job frees the blocked thread and finishes on fresh ones', async () => {
      const { result } = await runJob(FAILING, { parallelism: 2, args: [...args(), '--restart', 'true'], executor: executor() });
      // What attempt 0 shipped before it failed stays collected; attempt 1's records are marked.
      const out = result!.getCollected<number>('out').filter((v) => v >= 1_000_000).sort((a, b) => a - b);
      expect(out.length).toBe(100_001);
      expect(out[0]).toBe(1_000_000);
      expect(out[100_000]).toBe(1_100_000);
    }, 40_000);
  });

  it('rejects a parallelism above the max parallelism with a clear message', async () => {
    const e = await failure(runJob(INVALID, { parallelism: 2, args: ['--case', 'parallelism'] }));
    expect(e.message).toMatch(/Operator 'Too Wide' has parallelism 8, which exceeds its max parallelism 4/);
  });

  it('fails the job naming the operator when a key selector returns undefined', async () => {
    const e = await failure(runJob(INVALID, { parallelism: 2, args: ['--case', 'undefined-key'] }));
    expect(e).toBeInstanceOf(JobExecutionError);
    expect(e.message).toMatch(/key selector .* returned undefined/);
    expect(e.message).toContain('Sequence Source');
  });
});

import { assignKeyToParallelOperator } from '@riffle/core';
function assignSubtask(key: number, parallelism: number): number {
  return assignKeyToParallelOperator(key, 128, parallelism);
}
