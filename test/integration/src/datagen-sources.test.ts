import { describe, expect, it } from 'vitest';
import { NexmarkGenerator, NexmarkSource } from '@riffle/connector-datagen';
import { runJob } from '@riffle/datastream';
import { fingerprint } from './jobs/datagen-nexmark.job.js';

const NEXMARK_JOB = new URL('./jobs/datagen-nexmark.job.ts', import.meta.url);
const RATE_JOB = new URL('./jobs/datagen-rate.job.ts', import.meta.url);
const EVENTS = 100_000;
const SEED = 11;

/** What the generator produces for the seed at `parallelism`: fingerprints by kind. */
function expectedByKind(parallelism: number): Map<string, string[]> {
  const source = NexmarkSource.builder().setSeed(SEED).setMaxEvents(EVENTS).build();
  const byKind = new Map<string, string[]>([
    ['person', []],
    ['auction', []],
    ['bid', []],
  ]);
  for (const config of source.splitConfigs(parallelism)) {
    const generator = new NexmarkGenerator(config);
    while (generator.hasNext()) {
      const event = generator.next();
      byKind.get(event.kind)!.push(fingerprint(event));
    }
  }
  return byKind;
}

describe('datagen sources on the MiniCluster', () => {
  it.each([1, 2, 4])(`a bounded Nexmark source of ${EVENTS.toLocaleString('en')} events at parallelism %i emits exactly the generator's events`, async (p) => {
    const { result } = await runJob(NEXMARK_JOB, { parallelism: p, args: ['--seed', String(SEED), '--events', String(EVENTS)] });
    const expected = expectedByKind(p);
    let total = 0;
    for (const [kind, fingerprints] of expected) {
      const got = result!.getCollected<string>(kind);
      // Count per kind equals the generator's, and the events themselves (every field) match.
      expect(got.length, kind).toBe(fingerprints.length);
      expect([...got].sort(), kind).toEqual([...fingerprints].sort());
      total += got.length;
    }
    expect(total).toBe(EVENTS);
    expect(expected.get('person')!.length).toBeGreaterThan(0);
    expect(expected.get('auction')!.length).toBeGreaterThan(0);
  });

  it.each([1, 2, 4])('a DataGeneratorSource limited to 5000 records/s per subtask takes at least records / (5000 × p) at parallelism %i', async (p) => {
    const records = 10_000;
    const started = performance.now();
    const { result } = await runJob(RATE_JOB, { parallelism: p, args: ['--records', String(records), '--rate', '5000'] });
    const seconds = (performance.now() - started) / 1000;
    const got = result!.getCollected<number>('out');
    expect([...got].sort((a, b) => a - b)).toEqual(Array.from({ length: records }, (_, i) => i * 2));
    expect(seconds).toBeGreaterThanOrEqual(records / (5000 * p));
  });
});
