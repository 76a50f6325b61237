import { describe, expect, it } from 'vitest';
import { runJob } from '@riffle/datastream';

describe('branching chains', () => {
  it('gives every chained branch the original record, even when an earlier branch reuses it', async () => {
    const { result } = await runJob(new URL('./jobs/branching.job.ts', import.meta.url), { parallelism: 2 });
    const out = result!.getCollected<string>('out').sort();
    const expected: string[] = [];
    for (let x = 1; x <= 1000; x++) expected.push(`double ${x * 2}`, `negate ${-x}`);
    expect(out).toEqual(expected.sort());
  });
});
