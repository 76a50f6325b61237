import { DEFAULT_POLL_BATCH_SIZE } from './split-queue-source-reader.js';
import { describe, expect, it } from 'vitest';
import { Types } from '@riffle/core';
import { CollectionSource, type CollectionSplit } from './collection-source.js';
import { TestingSourceRunner } from './testing-source-runner.js';

describe('CollectionSource', () => {
  it('emits the elements in order with one reader', async () => {
    const elements = [{ a: 1 }, 'two', 3n, [4, null], new Date(5)];
    const runner = new TestingSourceRunner(new CollectionSource(elements), 1);
    await runner.addReader(0);
    await runner.runToEnd();
    expect(runner.output.get(0)).toEqual(elements);
  });

  it('emits every element once over several readers', async () => {
    const elements = Array.from({ length: 2345 }, (_, i) => `e${i}`);
    const runner = new TestingSourceRunner(new CollectionSource(elements), 3);
    for (let i = 0; i < 3; i++) await runner.addReader(i);
    await runner.runToEnd();
    expect([...runner.output.values()].flat().sort()).toEqual([...elements].sort());
  });

  it('ends at once for an empty collection', async () => {
    const runner = new TestingSourceRunner(new CollectionSource<number>([]), 1);
    await runner.addReader(0);
    await runner.runToEnd();
    expect(runner.output.get(0)).toEqual([]);
  });

  it('ships splits as bytes and resumes from a snapshot without loss or duplication', async () => {
    const elements = Array.from({ length: 2500 }, (_, i) => ({ id: i, tags: [`t${i % 7}`] }));
    const source = new CollectionSource(elements);
    const serializer = source.getSplitSerializer();
    const first = new TestingSourceRunner(source, 1);
    await first.addReader(0);
    first.poll(0);
    first.poll(0);
    const snapshot = first.readers.get(0)!.snapshotState(7);
    expect(snapshot.map((s) => s.offset)).toEqual([2 * DEFAULT_POLL_BATCH_SIZE]);
    const restored: CollectionSplit<(typeof elements)[number]>[] = snapshot.map((s) =>
      serializer.deserialize(serializer.getVersion(), serializer.serialize(s)),
    );
    const enumCheckpoint = first.enumerator.snapshotState(7);

    const second = new TestingSourceRunner(source, 1, enumCheckpoint);
    await second.addReader(0, restored);
    await second.runToEnd();
    expect([...first.output.get(0)!, ...second.output.get(0)!]).toEqual(elements);
  });

  it('uses a declared serializer for its splits', () => {
    const source = new CollectionSource([1, 2, 3], Types.INT.createSerializer());
    const bytes = source.getSplitSerializer().serialize({ splitId: '0', elements: [1, 2, 3], offset: 1 });
    // split id "0", offset 1, count 3, then three int32s.
    expect(Buffer.from(bytes).toString('hex')).toBe('0130' + '01' + '03' + '01000000' + '02000000' + '03000000');
  });

  it('fails when the job is built if an element cannot be shipped', () => {
    expect(() => new CollectionSource([1, () => 2])).toThrow(/element 1 cannot be serialized/);
  });
});
