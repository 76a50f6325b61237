import { Types, assignKeyToParallelOperator, type AggregateFunction, type TypeSerializer } from '@riffle/core';
import { describe, expect, it } from 'vitest';
import { HeapKeyedStateBackend } from '../heap/heap-keyed-state-backend.js';
import {
  AggregatingStateDescriptor,
  ListStateDescriptor,
  MapStateDescriptor,
  ReducingStateDescriptor,
  ValueStateDescriptor,
} from '../state-descriptor.js';
import { StateTtlConfig } from '../ttl/state-ttl-config.js';
import { ManualTtlTimeProvider } from '../ttl/ttl-time-provider.js';
import { KEYED_STATE_SNAPSHOT_SERIALIZER, type KeyedStateSnapshot } from './keyed-state-snapshot.js';

interface Window {
  start: number;
  end: number;
}
const WINDOW_SERIALIZER = Types.ROW({ start: Types.NUMBER, end: Types.NUMBER }).createSerializer() as TypeSerializer<Window>;
const average: AggregateFunction<number, { sum: number; count: number }, number> = {
  createAccumulator: () => ({ sum: 0, count: 0 }),
  add: (v, acc) => ({ sum: acc.sum + v, count: acc.count + 1 }),
  getResult: (acc) => acc.sum / acc.count,
  merge: (a, b) => ({ sum: a.sum + b.sum, count: a.count + b.count }),
};

/** Fresh descriptors of every kind (a restore registers new descriptor objects, as a restarted job does). */
function descriptors() {
  return {
    value: new ValueStateDescriptor<number>('value', Types.NUMBER),
    list: new ListStateDescriptor<string>('list', Types.STRING),
    map: new MapStateDescriptor<unknown, unknown>('map'),
    reducing: new ReducingStateDescriptor<number>('reducing', (a, b) => a + b, Types.NUMBER),
    aggregating: new AggregatingStateDescriptor('aggregating', average, Types.ROW({ sum: Types.NUMBER, count: Types.NUMBER })),
    windowed: new ListStateDescriptor<number>('windowed', Types.NUMBER),
  };
}

/** Everything a backend holds for `key`, read through the state API. */
function readAll(backend: HeapKeyedStateBackend<unknown>, key: unknown): unknown {
  const d = descriptors();
  backend.setCurrentKey(key);
  const windowed = backend.getOrCreateKeyedState(WINDOW_SERIALIZER, d.windowed);
  const perWindow = [0, 10].map((start) => {
    windowed.setCurrentNamespace({ start, end: start + 10 });
    return [...windowed.get()];
  });
  return {
    value: backend.getPartitionedState(d.value).value(),
    list: [...backend.getPartitionedState(d.list).get()],
    map: [...backend.getPartitionedState(d.map).entries()],
    reducing: backend.getPartitionedState(d.reducing).get(),
    aggregating: backend.getPartitionedState(d.aggregating).get(),
    perWindow,
  };
}

function fill(backend: HeapKeyedStateBackend<unknown>, keys: readonly unknown[]): void {
  const d = descriptors();
  const value = backend.getPartitionedState(d.value);
  const list = backend.getPartitionedState(d.list);
  const map = backend.getPartitionedState(d.map);
  const reducing = backend.getPartitionedState(d.reducing);
  const aggregating = backend.getPartitionedState(d.aggregating);
  const windowed = backend.getOrCreateKeyedState(WINDOW_SERIALIZER, d.windowed);
  keys.forEach((key, i) => {
    backend.setCurrentKey(key);
    value.update(i);
    if (i % 2 === 0) list.addAll([`a${i}`, `b${i}`]);
    if (i % 3 === 0) {
      map.put(i, { n: i });
      map.put([i, 'x'], new Date(i));
    }
    reducing.add(i);
    reducing.add(1);
    aggregating.add(i);
    aggregating.add(i + 2);
    windowed.setCurrentNamespace({ start: 0, end: 10 });
    windowed.add(i);
    if (i % 4 === 0) {
      windowed.setCurrentNamespace({ start: 10, end: 20 });
      windowed.add(-i);
    }
  });
}

const viaBytes = (snapshot: KeyedStateSnapshot): KeyedStateSnapshot =>
  KEYED_STATE_SNAPSHOT_SERIALIZER.deserialize(KEYED_STATE_SNAPSHOT_SERIALIZER.getVersion(), KEYED_STATE_SNAPSHOT_SERIALIZER.serialize(snapshot));

const KEYS: unknown[] = [...Array.from({ length: 300 }, (_, i) => `key-${i}`), 7, -3.5, [1, 'tuple'], { user: 'u1', region: 'eu' }];

describe('keyed state snapshots', () => {
  it('restore into a fresh backend reads exactly what was snapshotted, for every kind of state', () => {
    const original = new HeapKeyedStateBackend<unknown>({ start: 0, end: 127 }, 128);
    fill(original, KEYS);
    const before = KEYS.map((key) => readAll(original, key));
    const snapshot = original.snapshot();
    // Changes after the snapshot are not in it.
    original.setCurrentKey('key-0');
    original.getPartitionedState(descriptors().value).update(-1);

    const restored = new HeapKeyedStateBackend<unknown>({ start: 0, end: 127 }, 128);
    restored.restore([viaBytes(snapshot)]);
    expect(KEYS.map((key) => readAll(restored, key))).toEqual(before);
    expect(restored.numKeys()).toBe(original.numKeys());
    expect(restored.getKeys('value')).toHaveLength(KEYS.length);
  });

  it('lists key groups in ascending order, only the non-empty ones', () => {
    const backend = new HeapKeyedStateBackend<unknown>({ start: 0, end: 127 }, 128);
    fill(backend, ['only']);
    const snapshot = backend.snapshot();
    expect(snapshot.keyGroups).toHaveLength(1);
    fill(backend, KEYS);
    const groups = backend.snapshot().keyGroups.map((g) => g.keyGroup);
    expect(groups).toEqual([...groups].sort((a, b) => a - b));
    expect(new Set(groups).size).toBe(groups.length);
  });

  it('registers restored state lazily and carries states never registered again into the next snapshot', () => {
    const original = new HeapKeyedStateBackend<unknown>({ start: 0, end: 127 }, 128);
    fill(original, KEYS);
    const total = original.numKeys();
    const listEntries = original.numKeys('list');

    const second = new HeapKeyedStateBackend<unknown>({ start: 0, end: 127 }, 128);
    second.restore([original.snapshot()]);
    expect(second.numKeys()).toBe(total);
    expect(second.numKeys('list')).toBe(listEntries);
    expect(() => second.getKeys('list')).toThrow(/it was restored: register it with its descriptor first/);
    const value = second.getPartitionedState(descriptors().value);
    second.setCurrentKey('key-5');
    value.update(500);

    const third = new HeapKeyedStateBackend<unknown>({ start: 0, end: 127 }, 128);
    third.restore([viaBytes(second.snapshot())]);
    expect(third.numKeys()).toBe(total);
    const expected = KEYS.map((key) => readAll(original, key));
    (expected[5] as { value: number }).value = 500;
    expect(KEYS.map((key) => readAll(third, key))).toEqual(expected);
  });

  it('rejects restores that do not fit the backend or each other', () => {
    const source = new HeapKeyedStateBackend<unknown>({ start: 0, end: 127 }, 128);
    fill(source, KEYS.slice(0, 20));
    const snapshot = source.snapshot();

    expect(() => new HeapKeyedStateBackend({ start: 0, end: 255 }, 256).restore([snapshot])).toThrow(/max parallelism 128 into a backend with max parallelism 256/);
    expect(() => new HeapKeyedStateBackend({ start: 0, end: 127 }, 128, Types.STRING.createSerializer()).restore([snapshot])).toThrow(
      /written with serializer 'dynamic' but the backend uses 'string'/,
    );
    expect(() => new HeapKeyedStateBackend({ start: 0, end: 127 }, 128).restore([snapshot, snapshot])).toThrow(/appears in more than one snapshot/);

    const twice = new HeapKeyedStateBackend({ start: 0, end: 127 }, 128);
    twice.restore([snapshot]);
    expect(() => twice.restore([snapshot])).toThrow(/only once/);

    const late = new HeapKeyedStateBackend({ start: 0, end: 127 }, 128);
    late.getPartitionedState(descriptors().value);
    expect(() => late.restore([snapshot])).toThrow(/before any state is registered/);

    const migrated = new HeapKeyedStateBackend({ start: 0, end: 127 }, 128);
    migrated.restore([snapshot]);
    expect(() => migrated.getPartitionedState(new ValueStateDescriptor<number>('value', Types.INT))).toThrow(
      /cannot restore state 'value': serializer 'number' was restored but 'int' is registered/,
    );
    expect(() => migrated.getPartitionedState(new MapStateDescriptor<number, number>('list'))).toThrow(/kind LIST was restored but MAP is registered/);
    // A failed registration leaves the restored entries in place for a correct one.
    expect(migrated.getPartitionedState(descriptors().value)).toBeDefined();
    expect(migrated.numKeys('value')).toBe(20);

    const corrupt: KeyedStateSnapshot = { ...snapshot, keyGroups: snapshot.keyGroups.map((g) => ({ keyGroup: g.keyGroup, bytes: g.bytes.map((b, i) => (i === 0 ? 0 : b)) })) };
    expect(() => new HeapKeyedStateBackend({ start: 0, end: 127 }, 128).restore([corrupt])).toThrow(/bad magic/);
    const bytes = KEYED_STATE_SNAPSHOT_SERIALIZER.serialize(snapshot);
    expect(() => KEYED_STATE_SNAPSHOT_SERIALIZER.deserialize(2, bytes)).toThrow(/unsupported keyed state snapshot version 2/);
    expect(() => KEYED_STATE_SNAPSHOT_SERIALIZER.deserialize(1, bytes.subarray(0, bytes.length - 1))).toThrow();
  });

  it('converts values when TTL is switched on or off across a restore', () => {
    const clock = new ManualTtlTimeProvider(1000);
    const ttl = StateTtlConfig.newBuilder(100).disableCleanupInBackground().build();
    const withTtl = new ValueStateDescriptor<string>('v');
    withTtl.enableTimeToLive(ttl);
    const source = new HeapKeyedStateBackend<string>({ start: 0, end: 127 }, 128, undefined, { ttlTimeProvider: clock });
    source.setCurrentKey('k');
    source.getPartitionedState(withTtl).update('ttl-on');

    clock.advance(500); // expired, but the new registration has no TTL
    const off = new HeapKeyedStateBackend<string>({ start: 0, end: 127 }, 128, undefined, { ttlTimeProvider: clock });
    off.restore([source.snapshot()]);
    off.setCurrentKey('k');
    const plain = off.getPartitionedState(new ValueStateDescriptor<string>('v'));
    expect(plain.value()).toBe('ttl-on');

    const on = new HeapKeyedStateBackend<string>({ start: 0, end: 127 }, 128, undefined, { ttlTimeProvider: clock });
    on.restore([off.snapshot()]);
    on.setCurrentKey('k');
    const again = new ValueStateDescriptor<string>('v');
    again.enableTimeToLive(ttl);
    const timed = on.getPartitionedState(again);
    clock.advance(99); // stamped with the restore time
    expect(timed.value()).toBe('ttl-on');
    clock.advance(1);
    expect(timed.value()).toBeUndefined();
  });

  it('pins the byte format (golden bytes), and reads the pinned bytes back', () => {
    const backend = new HeapKeyedStateBackend<string>({ start: 0, end: 127 }, 128, Types.STRING.createSerializer());
    const count = backend.getPartitionedState(new ValueStateDescriptor<number>('count', Types.INT));
    const words = backend.getPartitionedState(new ListStateDescriptor<string>('words', Types.STRING));
    backend.setCurrentKey('a');
    count.update(1);
    words.addAll(['x', 'y']);
    backend.setCurrentKey('b');
    count.update(2);
    const snapshot = backend.snapshot();
    const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
    // key group 22 ('b'): RSKG v1, group 22, 1 state: "count", 1 entry of 6 bytes: key "b", int32 2
    // key group 81 ('a'): RSKG v1, group 81, 2 states: "count" (key "a", int32 1), "words" (key "a", 2 elements "x" "y")
    expect(snapshot.keyGroups.map((g) => [g.keyGroup, hex(g.bytes)])).toEqual([
      [22, '52534b47' + '01' + '16' + '01' + '05636f756e74' + '01' + '06' + '0162' + '02000000'],
      [81, '52534b47' + '01' + '51' + '02' + '05636f756e74' + '01' + '06' + '0161' + '01000000' + '05776f726473' + '01' + '07' + '0161' + '02' + '0178' + '0179'],
    ]);
    const golden =
      '52534b53' + '01' + '8001' + '00' + '7f' + '06737472696e67' + // RSKS v1, max parallelism 128, range [0, 127], key serializer "string"
      '02' + '05636f756e74' + '01' + '04766f6964' + '03696e74' + '00' + '00' + // "count": VALUE, "void", "int", "", no TTL
      '05776f726473' + '02' + '04766f6964' + '06737472696e67' + '00' + '00' + // "words": LIST, "void", "string", "", no TTL
      '02' + '16' + '15' + hex(snapshot.keyGroups[0]!.bytes) + '51' + '24' + hex(snapshot.keyGroups[1]!.bytes);
    expect(hex(KEYED_STATE_SNAPSHOT_SERIALIZER.serialize(snapshot))).toBe(golden);

    const restored = new HeapKeyedStateBackend<string>({ start: 0, end: 127 }, 128, Types.STRING.createSerializer());
    restored.restore([KEYED_STATE_SNAPSHOT_SERIALIZER.deserialize(1, Buffer.from(golden, 'hex'))]);
    const count2 = restored.getPartitionedState(new ValueStateDescriptor<number>('count', Types.INT));
    const words2 = restored.getPartitionedState(new ListStateDescriptor<string>('words', Types.STRING));
    restored.setCurrentKey('a');
    expect([count2.value(), [...words2.get()]]).toEqual([1, ['x', 'y']]);
    restored.setCurrentKey('b');
    expect([count2.value(), [...words2.get()]]).toEqual([2, []]);
  });
});

describe('rescaling keyed state by key groups', () => {
  const MAX = 128;
  const keys: unknown[] = [...Array.from({ length: 3000 }, (_, i) => `user-${i}`), ...Array.from({ length: 200 }, (_, i) => i * 7), [1, 2], { id: 9 }];

  function backendsFor(parallelism: number): HeapKeyedStateBackend<unknown>[] {
    return Array.from({ length: parallelism }, (_, i) => HeapKeyedStateBackend.forSubtask<unknown>(MAX, parallelism, i));
  }

  /** What each key must read after any restore: computed from the key's index alone. */
  function expected(i: number): unknown {
    return { value: i, list: i % 2 === 0 ? [`a${i}`, `b${i}`] : [] };
  }

  function check(targets: HeapKeyedStateBackend<unknown>[]): void {
    const d = descriptors();
    const seen = new Map<string, number>();
    targets.forEach((backend, subtask) => {
      const value = backend.getPartitionedState(d.value);
      const list = backend.getPartitionedState(d.list);
      for (const key of backend.getKeys('value')) {
        const id = JSON.stringify(key);
        expect(seen.has(id), `key ${id} restored twice`).toBe(false);
        seen.set(id, subtask);
        expect(assignKeyToParallelOperator(key, MAX, targets.length)).toBe(subtask);
        backend.setCurrentKey(key);
        const i = value.value()!;
        expect(JSON.stringify(keys[i])).toBe(id);
        expect({ value: i, list: [...list.get()] }).toEqual(expected(i));
      }
    });
    expect(seen.size).toBe(keys.length);
    expect(targets.reduce((n, b) => n + b.numKeys('value'), 0)).toBe(keys.length);
  }

  it('moves every key from 3 subtasks to the owner of its key group among 2 and among 4, none lost or duplicated', () => {
    const old = backendsFor(3);
    const d = descriptors();
    const states = old.map((b) => ({ value: b.getPartitionedState(d.value), list: b.getPartitionedState(d.list) }));
    keys.forEach((key, i) => {
      const subtask = assignKeyToParallelOperator(key, MAX, 3);
      old[subtask]!.setCurrentKey(key);
      states[subtask]!.value.update(i);
      if (i % 2 === 0) states[subtask]!.list.addAll([`a${i}`, `b${i}`]);
    });
    const snapshots = old.map((b) => viaBytes(b.snapshot()));
    for (const parallelism of [2, 4, 3, 1]) {
      const targets = backendsFor(parallelism);
      for (const target of targets) target.restore(snapshots);
      check(targets);
      // And back again, through a second generation of snapshots.
      if (parallelism === 4) {
        const back = backendsFor(3);
        const second = targets.map((t) => t.snapshot());
        for (const b of back) b.restore(second);
        check(back);
      }
    }
  });
});
