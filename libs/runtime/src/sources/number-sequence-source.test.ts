import { DEFAULT_POLL_BATCH_SIZE } from './split-queue-source-reader.js';
import { describe, expect, it } from 'vitest';
import { NumberSequenceSource, splitNumberRange, type NumberSequenceSplit } from './number-sequence-source.js';
import { TestingSourceRunner } from './testing-source-runner.js';

async function readAll<N extends number | bigint>(from: N, to: N, parallelism: number): Promise<Map<number, N[]>> {
  const runner = new TestingSourceRunner(new NumberSequenceSource(from, to), parallelism);
  for (let i = 0; i < parallelism; i++) await runner.addReader(i);
  await runner.runToEnd();
  await runner.close();
  return runner.output;
}

describe('NumberSequenceSource', () => {
  for (const parallelism of [1, 2, 3, 4]) {
    it(`emits every number of [from, to] exactly once with ${parallelism} reader(s)`, async () => {
      const output = await readAll(-7, 2500, parallelism);
      const all = [...output.values()].flat().sort((a, b) => a - b);
      expect(all).toEqual(Array.from({ length: 2508 }, (_, i) => i - 7));
      // Each reader emits its splits in ascending order.
      for (const values of output.values()) {
        const runs = values.filter((v, i) => i > 0 && v !== values[i - 1]! + 1).length;
        expect(runs).toBeLessThanOrEqual(parallelism);
      }
    });
  }

  it('emits bigints when the range is given as bigints, beyond 2^53', async () => {
    const from = 2n ** 64n - 5n;
    const output = await readAll(from, from + 9n, 3);
    const all = [...output.values()].flat().sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect(all).toEqual(Array.from({ length: 10 }, (_, i) => from + BigInt(i)));
  });

  it('emits a single number for from === to, with more readers than numbers', async () => {
    const output = await readAll(5, 5, 4);
    expect([...output.values()].flat()).toEqual([5]);
  });

  it('emits at most DEFAULT_POLL_BATCH_SIZE records per poll', async () => {
    const runner = new TestingSourceRunner(new NumberSequenceSource(1, 5000), 1);
    await runner.addReader(0);
    expect(runner.poll(0)).toBe('MORE_AVAILABLE');
    expect(runner.output.get(0)).toHaveLength(DEFAULT_POLL_BATCH_SIZE);
    expect(runner.poll(0)).toBe('MORE_AVAILABLE');
    expect(runner.output.get(0)).toHaveLength(2 * DEFAULT_POLL_BATCH_SIZE);
  });

  it('continues from a reader snapshot without loss or duplication', async () => {
    const source = new NumberSequenceSource<number>(0, 9999);
    const first = new TestingSourceRunner(source, 2);
    await first.addReader(0);
    await first.addReader(1);
    for (let i = 0; i < 3; i++) {
      first.poll(0);
      first.poll(1);
    }
    first.deliver();
    const serializer = source.getSplitSerializer();
    const roundTrip = (splits: NumberSequenceSplit<number>[]) =>
      splits.map((s) => serializer.deserialize(serializer.getVersion(), serializer.serialize(s)));
    const state0 = roundTrip(first.readers.get(0)!.snapshotState(1));
    const state1 = roundTrip(first.readers.get(1)!.snapshotState(1));
    const enumState = source
      .getEnumeratorCheckpointSerializer()
      .deserialize(1, source.getEnumeratorCheckpointSerializer().serialize(first.enumerator.snapshotState(1)));
    const before = [...first.output.values()].flat();
    expect(before.length).toBeGreaterThan(0);
    expect(before.length).toBeLessThan(10000);

    const second = new TestingSourceRunner(source, 2, enumState);
    await second.addReader(0, state0);
    await second.addReader(1, state1);
    await second.runToEnd();
    const after = [...second.output.values()].flat();
    expect([...before, ...after].sort((a, b) => a - b)).toEqual(Array.from({ length: 10000 }, (_, i) => i));
  });

  it('cuts the range into splits of nearly equal size', () => {
    expect(splitNumberRange(1, 10, 3)).toEqual([
      { splitId: '0', from: 1, to: 4 },
      { splitId: '1', from: 5, to: 7 },
      { splitId: '2', from: 8, to: 10 },
    ]);
    expect(splitNumberRange(1, 2, 4)).toHaveLength(2);
  });

  it('rejects an empty or unsafe range when the job is built', () => {
    expect(() => new NumberSequenceSource(5, 4)).toThrow(/'from' \(5\) must be <= 'to' \(4\)/);
    expect(() => new NumberSequenceSource(0, 2 ** 60)).toThrow(/safe integers/);
    expect(() => new NumberSequenceSource(0 as number | bigint, 5n)).toThrow(/both be numbers or both be bigints/);
  });

  it('serializes splits in a pinned format (version 1)', () => {
    const serializer = new NumberSequenceSource<number>(0, 1).getSplitSerializer();
    const bytes = serializer.serialize({ splitId: '3', from: 10, to: 20 });
    expect(Buffer.from(bytes).toString('hex')).toBe('0001330000000000002440' + '0000000000003440');
    const big = new NumberSequenceSource<bigint>(0n, 1n).getSplitSerializer();
    const bigBytes = big.serialize({ splitId: '0', from: -1n, to: 2n ** 70n });
    expect(big.deserialize(1, bigBytes)).toEqual({ splitId: '0', from: -1n, to: 2n ** 70n });
    expect(() => serializer.deserialize(2, bytes)).toThrow(/unknown format version 2/);
  });
});
