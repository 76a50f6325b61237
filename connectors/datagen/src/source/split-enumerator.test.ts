import { describe, expect, it } from 'vitest';
import type { SourceSplit, SplitEnumeratorContext } from '@riffle/core';
import { PendingSplitsEnumerator, SplitListSerializer } from './split-enumerator.js';
import { indexRangeSplitSerializer, type IndexRangeSplit } from '../generator/index-range-split.js';

function recordingContext<S extends SourceSplit>(): { context: SplitEnumeratorContext<S>; log: string[] } {
  const log: string[] = [];
  const context: SplitEnumeratorContext<S> = {
    currentParallelism: () => 3,
    registeredReaders: () => new Set([0, 1, 2]),
    assignSplits: (assignment) => {
      for (const [subtask, splits] of assignment) for (const s of splits) log.push(`${s.splitId}->${subtask}`);
    },
    assignSplit: (split, subtask) => void log.push(`${split.splitId}->${subtask}`),
    signalNoMoreSplits: (subtask) => void log.push(`none->${subtask}`),
    sendEventToSourceReader: () => {},
  };
  return { context, log };
}

const splits = (...ids: string[]) => ids.map((splitId) => ({ splitId }));

describe('PendingSplitsEnumerator', () => {
  it('gives subtask k split "k" when it is free, else any remaining split, else no more splits', () => {
    const { context, log } = recordingContext<SourceSplit>();
    const enumerator = new PendingSplitsEnumerator(context, splits('0', '1', '2'));
    enumerator.handleSplitRequest(2);
    enumerator.handleSplitRequest(0);
    enumerator.handleSplitRequest(0); // subtask 0 finished split 0 early and takes split 1
    enumerator.handleSplitRequest(1);
    expect(log).toEqual(['2->2', '0->0', '1->0', 'none->1']);
  });

  it('offers splits handed back after a failure again, and checkpoints the unassigned ones', () => {
    const { context, log } = recordingContext<SourceSplit>();
    const enumerator = new PendingSplitsEnumerator(context, splits('0', '1'));
    enumerator.handleSplitRequest(0);
    expect(enumerator.snapshotState(1)).toEqual(splits('1'));
    enumerator.addSplitsBack(splits('0'), 0);
    expect(enumerator.snapshotState(2)).toEqual(splits('0', '1'));
    enumerator.handleSplitRequest(1);
    enumerator.handleSplitRequest(0);
    expect(log).toEqual(['0->0', '1->1', '0->0']);
  });
});

describe('SplitListSerializer', () => {
  it('round-trips a list of splits with the split serializer version inside', () => {
    const serializer = new SplitListSerializer(indexRangeSplitSerializer);
    const list: IndexRangeSplit[] = [
      { splitId: '0', next: 5, end: 10 },
      { splitId: '1', next: 10, end: 20 },
    ];
    const bytes = serializer.serialize(list);
    expect(bytes[0]).toBe(indexRangeSplitSerializer.getVersion());
    expect(serializer.deserialize(1, bytes)).toEqual(list);
    expect(serializer.deserialize(1, serializer.serialize([]))).toEqual([]);
    expect(() => serializer.deserialize(9, bytes)).toThrow(/version 9/);
  });
});
