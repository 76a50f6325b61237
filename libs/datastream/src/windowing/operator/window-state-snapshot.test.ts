import { HeapKeyedStateBackend, ListStateDescriptor, ValueStateDescriptor, type InternalListState } from '@riffle/state';
import { describe, expect, it } from 'vitest';
import { StreamExecutionEnvironment } from '../../environment/stream-execution-environment.js';
import { EventTimeSessionWindows } from '../assigners/session-windows.js';
import { CountEvictor } from '../evictors/count-evictor.js';
import { TimestampedValue } from '../evictors/evictor.js';
import { WindowOperatorHarness } from '../testing/window-operator-harness.js';
import { TimeWindow, TimeWindowSerializer } from '../windows/time-window.js';
import type { WindowMapping } from './merging-window-set.js';
import { MERGING_WINDOW_SET_STATE, WINDOW_CONTENTS_STATE } from './window-operator.js';
import { timestampedValueType, windowMappingType } from './window-state-types.js';

describe('window operator state in snapshots', () => {
  it('writes windows, merging window sets and timestamped elements that read back as equal values', async () => {
    const stream = new StreamExecutionEnvironment()
      .fromElements<[string, number]>(['a', 0])
      .keyBy((e) => e[0])
      .window(EventTimeSessionWindows.withGap(10))
      .evictor(CountEvictor.of(100))
      .apply((key: string, w: TimeWindow, input: Iterable<[string, number]>, out) => out.collect(`${key} ${w.start} ${[...input].length}`));
    const h = await WindowOperatorHarness.of(stream);
    h.element(['a', 1], 0).element(['a', 2], 5).element(['a', 3], 40).element(['b', 4], 7);

    const restored = HeapKeyedStateBackend.forSubtask<string>(128, 1, 0);
    restored.restore([h.backend().snapshot()]);
    const contents = restored.getOrCreateKeyedState(
      TimeWindowSerializer.INSTANCE,
      new ListStateDescriptor<TimestampedValue<[string, number]>>(WINDOW_CONTENTS_STATE, timestampedValueType<[string, number]>(undefined)),
    ) as InternalListState<TimeWindow, TimestampedValue<[string, number]>>;
    const sets = restored.getPartitionedState(new ValueStateDescriptor<WindowMapping<TimeWindow>>(MERGING_WINDOW_SET_STATE, windowMappingType(TimeWindowSerializer.INSTANCE)));

    const entries = restored.getKeysAndNamespaces<TimeWindow>(WINDOW_CONTENTS_STATE).map(([key, w]) => {
      expect(w).toBeInstanceOf(TimeWindow);
      restored.setCurrentKey(key);
      contents.setCurrentNamespace(w);
      return [key, w.start, w.end, [...contents.get()].map((e) => [e.value[1], e.timestamp])];
    });
    expect(entries.sort()).toEqual([
      ['a', 0, 10, [[1, 0], [2, 5]]], // the session [0, 15) keeps its contents under its state window
      ['a', 40, 50, [[3, 40]]],
      ['b', 7, 17, [[4, 7]]],
    ]);
    restored.setCurrentKey('a');
    const mapping = sets.value()!;
    expect(mapping.map(([w, s]) => [w.start, w.end, s.start, s.end])).toEqual([
      [0, 15, 0, 10],
      [40, 50, 40, 50],
    ]);
    expect(mapping[0]![0]).toBeInstanceOf(TimeWindow);
  });
});
