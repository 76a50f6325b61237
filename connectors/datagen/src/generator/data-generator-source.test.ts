import { describe, expect, it } from 'vitest';
import { TestingSourceRunner } from '../source/testing-source-runner.js';
import { DataGeneratorSource } from './data-generator-source.js';
import { IndexRangeSplitSerializer, indexRangeSplitSerializer, splitIndexRange, type IndexRangeSplit } from './index-range-split.js';

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const unhex = (s: string) => Uint8Array.from(s.match(/../g) ?? [], (b) => parseInt(b, 16));

function allValues<T>(runner: TestingSourceRunner<T, IndexRangeSplit, IndexRangeSplit[]>): T[] {
  return [...runner.output.values()].flatMap((records) => records.map((r) => r.value));
}

describe('DataGeneratorSource', () => {
  it.each([1, 2, 3, 4])('generates every index exactly once at parallelism %i, one split per subtask', async (p) => {
    const source = new DataGeneratorSource((i) => `v${i}`, 10_007);
    const runner = new TestingSourceRunner(source, p).addAllReaders();
    await runner.run();
    const values = allValues(runner);
    expect(values.length).toBe(10_007);
    expect(new Set(values).size).toBe(10_007);
    expect(values.sort()).toEqual(Array.from({ length: 10_007 }, (_, i) => `v${i}`).sort());
    // Subtask k read split k, in index order, and released it at the end.
    for (let k = 0; k < p; k++) {
      const records = runner.output.get(k)!;
      expect(records.every((r) => r.splitId === String(k))).toBe(true);
      const indexes = records.map((r) => Number(r.value.slice(1)));
      expect(indexes).toEqual([...indexes].sort((a, b) => a - b));
    }
    expect([...runner.released].sort()).toEqual(Array.from({ length: p }, (_, k) => String(k)));
    expect(source.getBoundedness()).toBe('BOUNDED');
  });

  it('cuts the index range into near-equal contiguous splits, fewer when there are fewer indexes', () => {
    expect(splitIndexRange(10, 3)).toEqual([
      { splitId: '0', next: 0, end: 4 },
      { splitId: '1', next: 4, end: 7 },
      { splitId: '2', next: 7, end: 10 },
    ]);
    expect(splitIndexRange(2, 4).map((s) => s.splitId)).toEqual(['0', '1']);
    expect(splitIndexRange(0, 4)).toEqual([]);
  });

  it('ends at once when there is nothing to generate', async () => {
    const runner = new TestingSourceRunner(new DataGeneratorSource((i) => i, 0), 2).addAllReaders();
    await runner.run();
    expect([...runner.status.values()]).toEqual(['END_OF_INPUT', 'END_OF_INPUT']);
    expect(allValues(runner)).toEqual([]);
  });

  it('a reader restored from a snapshotted split continues without loss or duplication', async () => {
    const source = new DataGeneratorSource((i) => i * 10, 5000);
    const runner = new TestingSourceRunner(source, 2).addAllReaders();
    runner.poll(0); // reader 0: one batch of 1024 (the split request is answered within the poll)
    runner.poll(1);
    runner.poll(1); // reader 1: two batches
    const serializer = source.getSplitSerializer();
    const snapshots = [0, 1].map((s) =>
      runner.readers.get(s)!.snapshotState(1).map((split) => serializer.deserialize(serializer.getVersion(), serializer.serialize(split))),
    );
    expect(snapshots[0]).toEqual([{ splitId: '0', next: 1024, end: 2500 }]);
    expect(snapshots[1]).toEqual([{ splitId: '1', next: 2500 + 2048, end: 5000 }]);
    const enumeratorState = runner.enumerator.snapshotState(1);
    const before = [0, 1].map((s) => runner.output.get(s)!.map((r) => r.value));
    // Records emitted after the checkpoint are lost with the failed readers.
    runner.poll(0);

    const restored = new TestingSourceRunner(
      source,
      2,
      source.getEnumeratorCheckpointSerializer().deserialize(1, source.getEnumeratorCheckpointSerializer().serialize(enumeratorState)),
    );
    restored.addReader(0, snapshots[0]);
    restored.addReader(1, snapshots[1]);
    await restored.run();
    const all = [...before.flat(), ...[0, 1].flatMap((s) => restored.output.get(s)!.map((r) => r.value))];
    expect(all.sort((a, b) => a - b)).toEqual(Array.from({ length: 5000 }, (_, i) => i * 10));
  });

  it('an unbounded source keeps generating and snapshots its position', async () => {
    const source = new DataGeneratorSource((i) => i, 'unbounded');
    expect(source.getBoundedness()).toBe('CONTINUOUS_UNBOUNDED');
    const runner = new TestingSourceRunner(source, 2).addAllReaders();
    await runner.run(() => runner.output.get(0)!.length >= 5000 && runner.output.get(1)!.length >= 5000);
    expect(runner.status.get(0)).toBe('MORE_AVAILABLE');
    const [split0] = runner.readers.get(0)!.snapshotState(1);
    const [split1] = runner.readers.get(1)!.snapshotState(1);
    expect(split0!.next).toBe(runner.output.get(0)!.length);
    expect(split1!.end).toBe(Number.MAX_SAFE_INTEGER);
    expect(runner.output.get(1)![0]!.value).toBe(Math.floor(Number.MAX_SAFE_INTEGER / 2) + 1);
  });

  it('paces each subtask at the rate limit without blocking', async () => {
    const source = new DataGeneratorSource((i) => i, 400, { recordsPerSecond: 2000 });
    const runner = new TestingSourceRunner(source, 2).addAllReaders();
    const started = performance.now();
    let waits = 0;
    await runner.run(() => {
      if (runner.status.get(0) === 'NOTHING_AVAILABLE') waits++;
      return false;
    });
    const seconds = (performance.now() - started) / 1000;
    expect(allValues(runner).sort((a, b) => a - b)).toEqual(Array.from({ length: 400 }, (_, i) => i));
    // 200 records per subtask at 2000/s: at least 0.1 s.
    expect(seconds).toBeGreaterThanOrEqual(0.1);
    expect(waits).toBeGreaterThan(0);
  });

  it('validates its arguments when built, naming them', () => {
    expect(() => new DataGeneratorSource((i) => i, -1)).toThrow(/count/);
    expect(() => new DataGeneratorSource((i) => i, 1.5)).toThrow(/count/);
    expect(() => new DataGeneratorSource((i) => i, 10, { recordsPerSecond: 0 })).toThrow(/recordsPerSecond/);
    expect(() => new DataGeneratorSource(undefined as unknown as (i: number) => number, 10)).toThrow(/generatorFunction/);
  });
});

describe('IndexRangeSplitSerializer', () => {
  const SPLIT: IndexRangeSplit = { splitId: '3', next: 1234, end: 9_007_199_254_740_991 };
  /** Format version 1 bytes of SPLIT, frozen: a change here breaks restoring old checkpoints. */
  const GOLDEN_V1 = '0133' + '0000000000489340' + 'ffffffffffff3f43';

  it('writes format version 1 byte for byte and reads it back', () => {
    expect(indexRangeSplitSerializer.getVersion()).toBe(1);
    expect(hex(indexRangeSplitSerializer.serialize(SPLIT))).toBe(GOLDEN_V1);
    expect(new IndexRangeSplitSerializer().deserialize(1, unhex(GOLDEN_V1))).toEqual(SPLIT);
  });

  it('rejects unknown versions', () => {
    expect(() => indexRangeSplitSerializer.deserialize(2, unhex(GOLDEN_V1))).toThrow(/version 2/);
  });
});
