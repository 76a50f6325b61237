import { Types, type AggregateFunction } from '@riffle/core';
import { describe, expect, it } from 'vitest';
import { HeapKeyedStateBackend } from '../heap/heap-keyed-state-backend.js';
import {
  AggregatingStateDescriptor,
  ListStateDescriptor,
  MapStateDescriptor,
  ReducingStateDescriptor,
  ValueStateDescriptor,
  type StateDescriptor,
} from '../state-descriptor.js';
import type { State } from '../state.js';
import { StateTtlConfig, StateVisibility, UpdateType } from './state-ttl-config.js';
import { ManualTtlTimeProvider } from './ttl-time-provider.js';

const TTL = 100;

function setup(): { clock: ManualTtlTimeProvider; backend: HeapKeyedStateBackend<string> } {
  const clock = new ManualTtlTimeProvider(1_000);
  return { clock, backend: new HeapKeyedStateBackend<string>({ start: 0, end: 127 }, 128, undefined, { ttlTimeProvider: clock }) };
}

function withTtl<D extends StateDescriptor<State>>(descriptor: D, configure: (b: ReturnType<typeof StateTtlConfig.newBuilder>) => unknown = () => {}): D {
  const builder = StateTtlConfig.newBuilder(TTL);
  configure(builder);
  descriptor.enableTimeToLive(builder.build());
  return descriptor;
}

describe('StateTtlConfig', () => {
  it('defaults to Flink defaults and validates its arguments', () => {
    const config = StateTtlConfig.newBuilder(1000).build();
    expect(config.updateType).toBe(UpdateType.OnCreateAndWrite);
    expect(config.stateVisibility).toBe(StateVisibility.NeverReturnExpired);
    expect(config.cleanupStrategies).toEqual({ fullSnapshot: false, incremental: { cleanupSize: 5, runCleanupForEveryRecord: false } });
    expect(StateTtlConfig.newBuilder(1).disableCleanupInBackground().build().cleanupStrategies.incremental).toBeUndefined();
    expect(StateTtlConfig.newBuilder(1).disableCleanupInBackground().cleanupIncrementally(3, true).build().cleanupStrategies.incremental).toEqual({
      cleanupSize: 3,
      runCleanupForEveryRecord: true,
    });
    expect(
      StateTtlConfig.newBuilder(5)
        .setUpdateType(StateTtlConfig.UpdateType.OnReadAndWrite)
        .setStateVisibility(StateTtlConfig.StateVisibility.ReturnExpiredIfNotCleanedUp)
        .cleanupFullSnapshot()
        .build()
        .toString(),
    ).toBe('StateTtlConfig{ttl=5ms, updateType=OnReadAndWrite, stateVisibility=ReturnExpiredIfNotCleanedUp, fullSnapshot=true, incremental=5/false}');
    expect(() => StateTtlConfig.newBuilder(0)).toThrow(/positive, finite/);
    expect(() => StateTtlConfig.newBuilder(Infinity)).toThrow(/positive, finite/);
    expect(() => StateTtlConfig.newBuilder(1).cleanupIncrementally(0, false)).toThrow(/positive integer/);
    expect(() => StateTtlConfig.newBuilder(1).setUpdateType('Sometimes' as UpdateType)).toThrow(/unknown TTL update type/);
    expect(() => new ValueStateDescriptor('v').enableTimeToLive(StateTtlConfig.DISABLED)).toThrow(/other than Disabled/);
    expect(StateTtlConfig.DISABLED.isEnabled()).toBe(false);
  });
});

describe('state TTL on value state', () => {
  it('OnCreateAndWrite: reads do not extend the lifetime; the value expires ttl after the last write', () => {
    const { clock, backend } = setup();
    const state = backend.getPartitionedState(withTtl(new ValueStateDescriptor<string>('v')));
    backend.setCurrentKey('k');
    state.update('a');
    clock.advance(60);
    expect(state.value()).toBe('a');
    clock.advance(39);
    expect(state.value()).toBe('a');
    clock.advance(1); // lastAccess + ttl <= now
    expect(state.value()).toBeUndefined();
    state.update('b');
    clock.advance(99);
    state.update('c');
    clock.advance(99);
    expect(state.value()).toBe('c');
  });

  it('OnReadAndWrite: every read of an unexpired value extends its lifetime', () => {
    const { clock, backend } = setup();
    const state = backend.getPartitionedState(withTtl(new ValueStateDescriptor<string>('v'), (b) => b.updateTtlOnReadAndWrite()));
    backend.setCurrentKey('k');
    state.update('a');
    for (let i = 0; i < 5; i++) {
      clock.advance(90);
      expect(state.value()).toBe('a');
    }
    clock.advance(100);
    expect(state.value()).toBeUndefined();
  });

  it('ReturnExpiredIfNotCleanedUp returns an expired value once, and that read removes it', () => {
    const { clock, backend } = setup();
    const state = backend.getPartitionedState(
      withTtl(new ValueStateDescriptor<string>('v'), (b) => b.returnExpiredIfNotCleanedUp().disableCleanupInBackground()),
    );
    backend.setCurrentKey('k');
    state.update('a');
    clock.advance(500);
    expect(backend.numKeys()).toBe(1);
    expect(state.value()).toBe('a');
    expect(backend.numKeys()).toBe(0);
    expect(state.value()).toBeUndefined();
  });

  it('NeverReturnExpired falls back to the default value', () => {
    const { clock, backend } = setup();
    const state = backend.getPartitionedState(withTtl(new ValueStateDescriptor<number>('v', Types.NUMBER, -1)));
    backend.setCurrentKey('k');
    state.update(5);
    clock.advance(TTL);
    expect(state.value()).toBe(-1);
  });
});

describe('state TTL on collection and appending state', () => {
  it('list elements expire one by one', () => {
    const { clock, backend } = setup();
    const state = backend.getPartitionedState(withTtl(new ListStateDescriptor<string>('l'), (b) => b.disableCleanupInBackground()));
    backend.setCurrentKey('k');
    state.add('old');
    clock.advance(50);
    state.addAll(['new1', 'new2']);
    clock.advance(60);
    expect([...state.get()]).toEqual(['new1', 'new2']);
    clock.advance(40);
    expect([...state.get()]).toEqual([]);
    expect(backend.numKeys()).toBe(0);
    state.update(['x']);
    expect([...state.get()]).toEqual(['x']);
    expect(() => state.add(null as unknown as string)).toThrow(/cannot add null/);
  });

  it('list elements read under OnReadAndWrite are refreshed; expired ones may be returned once', () => {
    const { clock, backend } = setup();
    const state = backend.getPartitionedState(
      withTtl(new ListStateDescriptor<string>('l'), (b) => b.updateTtlOnReadAndWrite().returnExpiredIfNotCleanedUp().disableCleanupInBackground()),
    );
    backend.setCurrentKey('k');
    state.add('a');
    clock.advance(80);
    state.add('b');
    clock.advance(80); // a expired, b alive (refreshed by this read)
    expect([...state.get()]).toEqual(['a', 'b']);
    expect([...state.get()]).toEqual(['b']);
    clock.advance(99);
    expect([...state.get()]).toEqual(['b']);
  });

  it('map entries expire one by one, and expired entries are invisible everywhere', () => {
    const { clock, backend } = setup();
    const state = backend.getPartitionedState(withTtl(new MapStateDescriptor<string, number>('m'), (b) => b.disableCleanupInBackground()));
    backend.setCurrentKey('k');
    state.put('a', 1);
    clock.advance(50);
    state.putAll([['b', 2]]);
    clock.advance(50);
    expect(state.get('a')).toBeUndefined();
    expect(state.contains('a')).toBe(false);
    expect(state.contains('b')).toBe(true);
    expect([...state.entries()]).toEqual([['b', 2]]);
    expect([...state.keys()]).toEqual(['b']);
    expect([...state.values()]).toEqual([2]);
    expect(state.isEmpty()).toBe(false);
    clock.advance(50);
    expect(state.isEmpty()).toBe(true);
    expect(backend.numKeys()).toBe(0);
  });

  it('reducing and aggregating state start over once their value expired', () => {
    const { clock, backend } = setup();
    const sum = backend.getPartitionedState(withTtl(new ReducingStateDescriptor<number>('sum', (a, b) => a + b)));
    const count: AggregateFunction<string, number, string> = {
      createAccumulator: () => 0,
      add: (_v, acc) => acc + 1,
      getResult: (acc) => `n=${acc}`,
      merge: (a, b) => a + b,
    };
    const agg = backend.getPartitionedState(withTtl(new AggregatingStateDescriptor('count', count)));
    backend.setCurrentKey('k');
    sum.add(5);
    sum.add(6);
    agg.add('x');
    agg.add('y');
    clock.advance(99);
    expect(sum.get()).toBe(11);
    expect(agg.get()).toBe('n=2');
    clock.advance(1);
    sum.add(3);
    agg.add('z');
    expect(sum.get()).toBe(3);
    expect(agg.get()).toBe('n=1');
    clock.advance(100);
    expect(sum.get()).toBeUndefined();
    expect(agg.get()).toBeUndefined();
  });

  it('merging namespaces drops expired values and keeps live ones', () => {
    const { clock, backend } = setup();
    const ns = Types.NUMBER.createSerializer();
    const sum = backend.getOrCreateKeyedState(ns, withTtl(new ReducingStateDescriptor<number>('sum', (a, b) => a + b)));
    backend.setCurrentKey('k');
    sum.setCurrentNamespace(1);
    sum.add(100);
    clock.advance(60);
    sum.setCurrentNamespace(2);
    sum.add(20);
    sum.setCurrentNamespace(3);
    sum.add(3);
    clock.advance(50); // namespace 1 expired
    sum.mergeNamespaces(1, [2, 3]);
    sum.setCurrentNamespace(1);
    expect(sum.get()).toBe(23);
  });
});

describe('state TTL cleanup', () => {
  function fill(backend: HeapKeyedStateBackend<string>, descriptor: ValueStateDescriptor<number>, n: number): void {
    const state = backend.getPartitionedState(descriptor);
    for (let i = 0; i < n; i++) {
      backend.setCurrentKey(`k${i}`);
      state.update(i);
    }
  }

  it('incremental cleanup removes a few expired entries on every state access', () => {
    const { clock, backend } = setup();
    const descriptor = withTtl(new ValueStateDescriptor<number>('v'), (b) => b.cleanupIncrementally(10, false));
    fill(backend, descriptor, 100);
    expect(backend.numKeys()).toBe(100);
    clock.advance(TTL);
    const state = backend.getPartitionedState(descriptor);
    backend.setCurrentKey('k0');
    state.value();
    // The read removes k0; the cleanup up to 10 more (fewer if its cursor was near the end).
    expect(backend.numKeys()).toBeLessThan(99);
    expect(backend.numKeys()).toBeGreaterThanOrEqual(89);
    for (let i = 0; i < 12; i++) state.value();
    expect(backend.numKeys()).toBe(0);
    // Live entries survive the cleanup passes.
    fill(backend, descriptor, 30);
    for (let i = 0; i < 20; i++) state.value();
    expect(backend.numKeys()).toBe(30);
  });

  it('with runCleanupForEveryRecord, moving to the next key cleans up without touching the state', () => {
    const { clock, backend } = setup();
    fill(backend, withTtl(new ValueStateDescriptor<number>('v'), (b) => b.cleanupIncrementally(5, true)), 50);
    clock.advance(TTL);
    backend.setCurrentKey('other');
    expect(backend.numKeys()).toBeLessThan(50);
    // 5 entries per key switch; the cursor may have been mid-state, so one pass ends early.
    let switches = 1;
    while (backend.numKeys() > 0 && switches < 100) {
      backend.setCurrentKey('other');
      switches++;
    }
    expect(backend.numKeys()).toBe(0);
    expect(switches).toBeLessThanOrEqual(12);
  });

  it('incremental cleanup prunes expired list elements and map entries inside live values', () => {
    const { clock, backend } = setup();
    const list = backend.getPartitionedState(withTtl(new ListStateDescriptor<number>('l'), (b) => b.cleanupIncrementally(100, true)));
    const map = backend.getPartitionedState(withTtl(new MapStateDescriptor<string, number>('m'), (b) => b.cleanupIncrementally(100, true)));
    backend.setCurrentKey('k');
    list.add(1);
    map.put('old', 1);
    clock.advance(60);
    list.add(2);
    map.put('new', 2);
    clock.advance(40);
    backend.setCurrentKey('k2');
    backend.setCurrentKey('k');
    const snapshot = new HeapKeyedStateBackend<string>({ start: 0, end: 127 }, 128, undefined, { ttlTimeProvider: clock });
    snapshot.restore([backend.snapshot()]);
    const restoredList = snapshot.getPartitionedState(withTtl(new ListStateDescriptor<number>('l'), (b) => b.disableCleanupInBackground().returnExpiredIfNotCleanedUp()));
    const restoredMap = snapshot.getPartitionedState(withTtl(new MapStateDescriptor<string, number>('m'), (b) => b.disableCleanupInBackground().returnExpiredIfNotCleanedUp()));
    snapshot.setCurrentKey('k');
    // Even returning expired values, only the survivors of the cleanup were snapshotted.
    expect([...restoredList.get()]).toEqual([2]);
    expect([...restoredMap.entries()]).toEqual([['new', 2]]);
  });

  it('without background cleanup, expired entries stay until read', () => {
    const { clock, backend } = setup();
    const descriptor = withTtl(new ValueStateDescriptor<number>('v'), (b) => b.disableCleanupInBackground());
    fill(backend, descriptor, 20);
    clock.advance(TTL * 10);
    const state = backend.getPartitionedState(descriptor);
    backend.setCurrentKey('k3');
    expect(state.value()).toBeUndefined();
    expect(backend.numKeys()).toBe(19);
  });

  it('full-snapshot cleanup leaves expired values out of snapshots but not out of the working state', () => {
    const { clock, backend } = setup();
    const descriptor = withTtl(new ValueStateDescriptor<number>('v'), (b) => b.disableCleanupInBackground().cleanupFullSnapshot());
    fill(backend, descriptor, 10);
    clock.advance(50);
    const state = backend.getPartitionedState(descriptor);
    for (let i = 0; i < 3; i++) {
      backend.setCurrentKey(`k${i}`);
      state.update(100 + i);
    }
    clock.advance(50); // k3..k9 expired, k0..k2 written 50 ms ago
    const snapshot = backend.snapshot();
    expect(backend.numKeys()).toBe(10);
    const restored = new HeapKeyedStateBackend<string>({ start: 0, end: 127 }, 128, undefined, { ttlTimeProvider: clock });
    restored.restore([snapshot]);
    expect(restored.numKeys()).toBe(3);
    const again = restored.getPartitionedState(descriptor);
    expect(restored.getKeys('v').sort()).toEqual(['k0', 'k1', 'k2']);
    restored.setCurrentKey('k1');
    expect(again.value()).toBe(101);
    // Timestamps survive the snapshot: the value still expires 100 ms after its write.
    clock.advance(49);
    expect(again.value()).toBe(101);
    clock.advance(1);
    expect(again.value()).toBeUndefined();
  });
});
