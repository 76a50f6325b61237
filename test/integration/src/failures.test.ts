import { describe, expect, it } from 'vitest';
import { runJob } from '@riffle/datastream';
import { JobExecutionError } from '@riffle/runtime';

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
