import { describe, expect, it } from 'vitest';
import { runJob } from '@riffle/datastream';

describe('two-input tasks', () => {
  for (const parallelism of [1, 2]) {
    it(`finish when one bounded input ends long before the other (parallelism ${parallelism})`, async () => {
      const { result } = await runJob(new URL('./jobs/connect.job.ts', import.meta.url), { parallelism });
      expect(result!.getCollected<string>('out').sort()).toEqual(
        ['1:0', '1:1', '1:2', '1:3', '1:4', '1:5', '1:6', '1:7', '1:8', '1:9', '2:100', '2:101'].sort(),
      );
    });
  }
});
