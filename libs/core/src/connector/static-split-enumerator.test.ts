import { describe, expect, it } from 'vitest';
import type { SimpleVersionedSerializer } from '../serialization/type-serializer.js';
import type { SourceSplit, SplitEnumeratorContext } from './source.js';
import { SplitListSerializer } from './split-list-serializer.js';
import { StaticSplitEnumerator } from './static-split-enumerator.js';

interface IndexRangeSplit extends SourceSplit {
  readonly next: number;
  readonly end: number;
}

/** A version-1 split serializer for the round trip (JSON is enough here). */
const indexRangeSplitSerializer: SimpleVersionedSerializer<IndexRangeSplit> = {
  getVersion: () => 1,
  serialize: (s) => new TextEncoder().encode(JSON.stringify(s)),
  deserialize: (_v, b) => JSON.parse(new TextDecoder().decode(b)) as IndexRangeSplit,
};

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

describe('StaticSplitEnumerator preferring subtask splits (the datagen sources)', () => {
  it('gives subtask k split "k" when it is free, else any remaining split, else no more splits', () => {
    const { context, log } = recordingContext<SourceSplit>();
    const enumerator = new StaticSplitEnumerator(context, splits('0', '1', '2'), { preferSubtaskSplit: true });
    enumerator.handleSplitRequest(2);
    enumerator.handleSplitRequest(0);
    enumerator.handleSplitRequest(0); // subtask 0 finished split 0 early and takes split 1
    enumerator.handleSplitRequest(1);
    expect(log).toEqual(['2->2', '0->0', '1->0', 'none->1']);
  });

  it('offers splits handed back after a failure again, and checkpoints the unassigned ones', () => {
    const { context, log } = recordingContext<SourceSplit>();
    const enumerator = new StaticSplitEnumerator(context, splits('0', '1'), { preferSubtaskSplit: true });
    enumerator.handleSplitRequest(0);
    expect(enumerator.snapshotState(1)).toEqual(splits('1'));
    enumerator.addSplitsBack(splits('0'), 0);
    expect(enumerator.snapshotState(2)).toEqual(splits('0', '1'));
    enumerator.handleSplitRequest(1);
    enumerator.handleSplitRequest(0);
    expect(log).toEqual(['0->0', '1->1', '0->0']);
  });
});

describe('StaticSplitEnumerator in request order (the built-in sources)', () => {
  it('answers each request with the next remaining split, whatever the subtask', () => {
    const { context, log } = recordingContext<SourceSplit>();
    const enumerator = new StaticSplitEnumerator(context, splits('0', '1', '2'));
    enumerator.handleSplitRequest(2);
    enumerator.handleSplitRequest(0);
    enumerator.handleSplitRequest(1);
    enumerator.handleSplitRequest(1);
    expect(log).toEqual(['0->2', '1->0', '2->1', 'none->1']);
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
