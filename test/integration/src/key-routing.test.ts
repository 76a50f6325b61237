import { describe, expect, it } from 'vitest';
import { assignKeyToParallelOperator } from '@riffle/core';
import { runJob } from '@riffle/datastream';

const JOB = new URL('./jobs/key-routing.job.ts', import.meta.url);

describe('keyBy routing', () => {
  for (const parallelism of [2, 4]) {
    it(`processes every key in exactly the subtask the key-group formula names (parallelism ${parallelism})`, async () => {
      const { result } = await runJob(JOB, { parallelism, args: ['--records', '20000', '--keys', '1000'] });
      const placement = result!.getCollected<[string, number]>('placement');
      expect(placement.length).toBe(20000);
      const subtasksByKey = new Map<string, Set<number>>();
      for (const [key, subtask] of placement) {
        let s = subtasksByKey.get(key);
        if (!s) subtasksByKey.set(key, (s = new Set()));
        s.add(subtask);
      }
      expect(subtasksByKey.size).toBe(1000);
      const used = new Set<number>();
      for (const [key, subtasks] of subtasksByKey) {
        expect([...subtasks]).toEqual([assignKeyToParallelOperator(key, 128, parallelism)]);
        used.add([...subtasks][0]!);
      }
      expect(used.size).toBe(parallelism);
    });
  }
});
