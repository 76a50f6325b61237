import { Types } from '@riffle/core';
import { describe, expect, it } from 'vitest';
import { ListStateDescriptor, MapStateDescriptor } from '../state-descriptor.js';
import { DefaultOperatorStateBackend } from './operator-state-backend.js';
import { OPERATOR_STATE_SNAPSHOT_SERIALIZER, type OperatorStateSnapshot } from './operator-state-snapshot.js';
import { redistributeOperatorState } from './redistribute-operator-state.js';

const offsets = (): ListStateDescriptor<number> => new ListStateDescriptor<number>('offsets', Types.INT);
const seen = (): ListStateDescriptor<string> => new ListStateDescriptor<string>('seen', Types.STRING);
const rules = (): MapStateDescriptor<string, number> => new MapStateDescriptor<string, number>('rules', Types.STRING, Types.NUMBER);

/** A subtask's operator state: split state "offsets" and union state "seen" with the given elements. */
function subtask(offsetValues: number[], seenValues: string[]): OperatorStateSnapshot {
  const backend = new DefaultOperatorStateBackend();
  backend.getListState(offsets()).update(offsetValues);
  backend.getUnionListState(seen()).update(seenValues);
  return viaBytes(backend.snapshot());
}

const viaBytes = (s: OperatorStateSnapshot): OperatorStateSnapshot => OPERATOR_STATE_SNAPSHOT_SERIALIZER.deserialize(1, OPERATOR_STATE_SNAPSHOT_SERIALIZER.serialize(s));

/** Restores each redistributed share into a fresh backend and reads the two list states. */
function restoreAll(shares: OperatorStateSnapshot[]): { offsets: number[]; seen: string[] }[] {
  return shares.map((share) => {
    const backend = new DefaultOperatorStateBackend();
    backend.restore(viaBytes(share));
    return { offsets: [...backend.getListState(offsets()).get()], seen: [...backend.getUnionListState(seen()).get()] };
  });
}

describe('operator list state', () => {
  it('is one list per subtask with ListState semantics, restored by name with its serializer', () => {
    const backend = new DefaultOperatorStateBackend();
    const state = backend.getListState(offsets());
    expect([...state.get()]).toEqual([]);
    state.add(1);
    state.addAll([2, 3]);
    expect([...state.get()]).toEqual([1, 2, 3]);
    expect(() => state.add(null as unknown as number)).toThrow(/cannot add null/);
    expect(backend.getListState(offsets())).toBe(state);
    expect(() => backend.getUnionListState(offsets())).toThrow(/registered with mode SPLIT_DISTRIBUTE, not UNION/);
    expect(() => backend.getBroadcastState(new MapStateDescriptor('offsets'))).toThrow(/already registered as a list state/);
    const restored = new DefaultOperatorStateBackend();
    restored.restore(viaBytes(backend.snapshot()));
    expect([...restored.getListState(offsets()).get()]).toEqual([1, 2, 3]);
    state.clear();
    expect([...state.get()]).toEqual([]);
  });

  it('rejects a restore under another mode or serializer, and restores after registration', () => {
    const snapshot = subtask([1], ['a']);
    const wrongMode = new DefaultOperatorStateBackend();
    wrongMode.restore(snapshot);
    expect(() => wrongMode.getUnionListState(offsets())).toThrow(/written with mode SPLIT_DISTRIBUTE but is registered with mode UNION/);
    expect(() => wrongMode.getListState(new ListStateDescriptor<number>('offsets', Types.NUMBER))).toThrow(/serializers \[int\] but is registered with \[number\]/);
    const late = new DefaultOperatorStateBackend();
    late.getListState(offsets());
    expect(() => late.restore(snapshot)).toThrow(/before any operator state is registered/);
  });

  it('carries restored states that were not registered again into the next snapshot', () => {
    const backend = new DefaultOperatorStateBackend();
    backend.restore(subtask([4, 5], ['x']));
    backend.getListState(offsets()).add(6);
    const next = new DefaultOperatorStateBackend();
    next.restore(viaBytes(backend.snapshot()));
    expect([...next.getUnionListState(seen()).get()]).toEqual(['x']);
    expect([...next.getListState(offsets()).get()]).toEqual([4, 5, 6]);
  });
});

describe('operator state redistribution', () => {
  it('1 → 3: splits list state evenly in order and gives union state to everyone', () => {
    const shares = redistributeOperatorState([subtask([0, 1, 2, 3, 4, 5, 6], ['a', 'b'])], 3);
    expect(restoreAll(shares)).toEqual([
      { offsets: [0, 1, 2], seen: ['a', 'b'] },
      { offsets: [3, 4], seen: ['a', 'b'] },
      { offsets: [5, 6], seen: ['a', 'b'] },
    ]);
  });

  it('3 → 2: concatenates in subtask order, then splits; union state is the union of all subtasks', () => {
    const shares = redistributeOperatorState([subtask([0, 1], ['a']), subtask([2], ['b']), subtask([3, 4], ['c', 'd'])], 2);
    expect(restoreAll(shares)).toEqual([
      { offsets: [0, 1, 2], seen: ['a', 'b', 'c', 'd'] },
      { offsets: [3, 4], seen: ['a', 'b', 'c', 'd'] },
    ]);
  });

  it('keeps split state in place when the parallelism does not change, and still unions union state', () => {
    const shares = redistributeOperatorState([subtask([1, 2, 3], ['a']), subtask([], ['b'])], 2);
    expect(restoreAll(shares)).toEqual([
      { offsets: [1, 2, 3], seen: ['a', 'b'] },
      { offsets: [], seen: ['a', 'b'] },
    ]);
  });

  it('rotates the subtasks that receive the extra elements from one state to the next (round robin)', () => {
    const backend = new DefaultOperatorStateBackend();
    backend.getListState(new ListStateDescriptor<number>('a', Types.INT)).update([1, 2, 3, 4]);
    backend.getListState(new ListStateDescriptor<number>('b', Types.INT)).update([1, 2, 3, 4]);
    const shares = redistributeOperatorState([backend.snapshot()], 3);
    const count = (name: string): number[] => shares.map((s) => s.states.find((e) => e.name === name)!.elements.length);
    expect(count('a')).toEqual([2, 1, 1]);
    expect(count('b')).toEqual([1, 2, 1]);
  });

  it('treats missing subtask snapshots as empty and every share describes every state', () => {
    const shares = redistributeOperatorState([undefined, subtask([7, 8], ['z']), undefined], 2);
    expect(restoreAll(shares)).toEqual([
      { offsets: [7], seen: ['z'] },
      { offsets: [8], seen: ['z'] },
    ]);
    expect(() => redistributeOperatorState([], 0)).toThrow(/positive integer/);
  });
});

describe('broadcast state', () => {
  it('is a map with by-value keys and a read-only view for the non-broadcast side', () => {
    const backend = new DefaultOperatorStateBackend();
    const state = backend.getBroadcastState(new MapStateDescriptor<unknown, number>('rules'));
    state.put('a', 1);
    state.putAll([
      [['x', 1], 2],
      ['c', 3],
    ]);
    state.remove('c');
    expect(state.get(['x', 1])).toBe(2);
    expect([...state.entries()]).toEqual([
      ['a', 1],
      [['x', 1], 2],
    ]);
    const view = backend.getReadOnlyBroadcastState(new MapStateDescriptor<unknown, number>('rules'));
    expect(view.get('a')).toBe(1);
    expect(view.contains(['x', 1])).toBe(true);
    const entries = [...view.immutableEntries()];
    expect(Object.isFrozen(entries[0])).toBe(true);
    expect('put' in view).toBe(false);
    expect(backend.getRegisteredBroadcastStateNames()).toEqual(['rules']);
  });

  it('on rescale gives every new subtask one old copy (new subtask i gets old subtask i mod m)', () => {
    const old = [0, 1].map((i) => {
      const backend = new DefaultOperatorStateBackend();
      const state = backend.getBroadcastState(rules());
      state.put('threshold', 10);
      state.put('copy', i); // copies are equal in practice; differ here to see which one is taken
      return backend.snapshot();
    });
    const shares = redistributeOperatorState(old, 5);
    const copies = shares.map((share) => {
      const backend = new DefaultOperatorStateBackend();
      backend.restore(viaBytes(share));
      const state = backend.getBroadcastState(rules());
      expect(state.get('threshold')).toBe(10);
      return state.get('copy');
    });
    expect(copies).toEqual([0, 1, 0, 1, 0]);
    const single = redistributeOperatorState(old.slice(0, 1), 3).map((s) => s.states[0]!.elements.length);
    expect(single).toEqual([2, 2, 2]);
  });
});

describe('operator state snapshot format', () => {
  it('pins the byte format (golden bytes) and reads it back', () => {
    const backend = new DefaultOperatorStateBackend();
    backend.getListState(offsets()).update([1, 258]);
    backend.getUnionListState(seen()).add('a');
    backend.getBroadcastState(rules()).put('k', 0.5);
    const hex = Buffer.from(OPERATOR_STATE_SNAPSHOT_SERIALIZER.serialize(backend.snapshot())).toString('hex');
    const golden =
      '52534f50' + '01' + '03' + // RSOP v1, 3 states
      '076f666673657473' + '01' + '01' + '03696e74' + '02' + '04' + '01000000' + '04' + '02010000' + // "offsets" SPLIT [int] 2 × int32
      '047365656e' + '02' + '01' + '06737472696e67' + '01' + '02' + '0161' + // "seen" UNION [string] "a"
      '0572756c6573' + '03' + '02' + '06737472696e67' + '066e756d626572' + '01' + '0a' + '016b' + '000000000000e03f'; // "rules" BROADCAST [string, number] ("k", 0.5)
    expect(hex).toBe(golden);
    const restored = new DefaultOperatorStateBackend();
    restored.restore(OPERATOR_STATE_SNAPSHOT_SERIALIZER.deserialize(1, Buffer.from(golden, 'hex')));
    expect([...restored.getListState(offsets()).get()]).toEqual([1, 258]);
    expect([...restored.getUnionListState(seen()).get()]).toEqual(['a']);
    expect(restored.getBroadcastState(rules()).get('k')).toBe(0.5);
    expect(() => OPERATOR_STATE_SNAPSHOT_SERIALIZER.deserialize(1, Buffer.from('52534f5002', 'hex'))).toThrow(/version 2/);
    expect(() => OPERATOR_STATE_SNAPSHOT_SERIALIZER.deserialize(1, Buffer.from('00000000', 'hex'))).toThrow(/bad magic/);
  });
});
