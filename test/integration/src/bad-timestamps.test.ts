import { describe, expect, it } from 'vitest';
import { runJob } from '@riffle/datastream';
import { JobExecutionError } from '@riffle/runtime';

describe('bad timestamps', () => {
  for (const [which, shown] of [
    ['undefined', 'undefined'],
    ['nan', 'NaN'],
  ] as const) {
    it(`fails the job naming the operator when a timestamp assigner returns ${shown}`, async () => {
      const error = await runJob(new URL('./jobs/bad-timestamps.job.ts', import.meta.url), { parallelism: 2, args: ['--case', which] }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(JobExecutionError);
      expect((error as JobExecutionError).operatorName).toBe('Stamp Events');
      expect((error as Error).message).toContain(`The timestamp assigner of operator 'Stamp Events' returned ${shown}`);
    });
  }
});
