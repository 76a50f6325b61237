import { describe, expect, it } from 'vitest';
import { runJob } from '@riffle/datastream';
import { JobExecutionError } from '@riffle/runtime';
import type { LookupResult } from './jobs/async-io.job.js';

const JOB = new URL('./jobs/async-io.job.ts', import.meta.url);

async function run(parallelism: number, args: string[]): Promise<LookupResult[]> {
  const { result } = await runJob(JOB, { parallelism, args });
  return result!.getCollected<LookupResult>('results');
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

function bySubtask(results: LookupResult[]): Map<number, LookupResult[]> {
  const m = new Map<number, LookupResult[]>();
  for (const r of results) {
    let list = m.get(r.subtask);
    if (!list) m.set(r.subtask, (list = []));
    list.push(r);
  }
  return m;
}

describe('async I/O on the MiniCluster', () => {
  for (const parallelism of [1, 2]) {
    it(`orderedWait emits every subtask's results in its input order, with at most capacity requests in flight (parallelism ${parallelism})`, async () => {
      const results = await run(parallelism, ['--records', '2000', '--capacity', '8', '--mode', 'ordered']);
      expect(results.map((r) => r.x).sort((a, b) => a - b)).toEqual(range(2000));
      const subtasks = bySubtask(results);
      expect(subtasks.size).toBe(parallelism);
      for (const list of subtasks.values()) expect(list.map((r) => r.seq)).toEqual(range(list.length));
      if (parallelism === 1) expect(results.map((r) => r.x)).toEqual(range(2000));
      expect(Math.max(...results.map((r) => r.maxInFlight))).toBe(8);
    });
  }

  it('unorderedWait emits the same multiset, in completion order, within the capacity', async () => {
    const results = await run(2, ['--records', '2000', '--capacity', '16', '--mode', 'unordered']);
    expect(results.map((r) => r.x).sort((a, b) => a - b)).toEqual(range(2000));
    const reordered = [...bySubtask(results).values()].some((list) => list.some((r, i) => r.seq !== i));
    expect(reordered).toBe(true);
    expect(Math.max(...results.map((r) => r.maxInFlight))).toBe(16);
  });

  it('hands requests that never answer to the timeout handler', async () => {
    const results = await run(2, ['--records', '100', '--case', 'timeout', '--capacity', '8']);
    expect(results.map((r) => r.x).sort((a, b) => a - b)).toEqual(range(100));
    expect(results.filter((r) => r.timedOut).map((r) => r.x).sort((a, b) => a - b)).toEqual(range(100).filter((x) => x % 10 === 3));
  });

  it('retries failed requests until they succeed', async () => {
    const results = await run(2, ['--records', '300', '--case', 'retry', '--mode', 'unordered']);
    expect(results.map((r) => r.x).sort((a, b) => a - b)).toEqual(range(300));
    for (const r of results) expect(r.attempts).toBe(r.x % 3 === 0 ? 3 : 1);
  });

  it('fails the job with the error and the operator name when a request fails for good', async () => {
    const error = await run(2, ['--records', '100', '--case', 'fail']).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(JobExecutionError);
    expect((error as JobExecutionError).operatorName).toBe('Lookup');
    expect((error as Error).message).toContain('RangeError: no such record: 42');
  });
});
