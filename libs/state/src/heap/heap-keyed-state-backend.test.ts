import { Types, assignToKeyGroup, keyGroupRangeForSubtask, type AggregateFunction, type TypeSerializer } from '@riffle/core';
import { describe, expect, it } from 'vitest';
import { VoidNamespace } from '../namespace.js';
import { NAMESPACE_MAP_KEY } from './map-key.js';
import {
  AggregatingStateDescriptor,
  ListStateDescriptor,
  MapStateDescriptor,
  ReducingStateDescriptor,
  ValueStateDescriptor,
} from '../state-descriptor.js';
import { DefaultKeyedStateStore } from '../keyed-state-store.js';
import { HeapKeyedStateBackend } from './heap-keyed-state-backend.js';

const all = (): HeapKeyedStateBackend<any> => new HeapKeyedStateBackend({ start: 0, end: 127 }, 128);

/** Windows as namespaces: plain objects that compare by value. */
interface Window {
  start: number;
  end: number;
}
const WINDOW_SERIALIZER: TypeSerializer<Window> = Types.ROW({ start: Types.NUMBER, end: Types.NUMBER }).createSerializer() as TypeSerializer<Window>;

const average: AggregateFunction<number, { sum: number; count: number }, number> = {
  createAccumulator: () => ({ sum: 0, count: 0 }),
  add: (v, acc) => ({ sum: acc.sum + v, count: acc.count + 1 }),
  getResult: (acc) => acc.sum / acc.count,
  merge: (a, b) => ({ sum: a.sum + b.sum, count: a.count + b.count }),
};

describe('HeapKeyedStateBackend value state', () => {
  it('keeps one value per key and reads the current key on every access', () => {
    const backend = all();
    const state = backend.getPartitionedState(new ValueStateDescriptor<number>('v', Types.NUMBER));
    backend.setCurrentKey('a');
    expect(state.value()).toBeUndefined();
    state.update(1);
    backend.setCurrentKey('b');
    expect(state.value()).toBeUndefined();
    state.update(2);
    backend.setCurrentKey('a');
    expect(state.value()).toBe(1);
    backend.setCurrentKey('b');
    expect(state.value()).toBe(2);
    expect(backend.numKeys('v')).toBe(2);
    expect(backend.getCurrentKey()).toBe('b');
    expect(backend.getCurrentKeyGroup()).toBe(assignToKeyGroup('b', 128));
  });

  it('clears on clear(), update(undefined) and update(null)', () => {
    const backend = all();
    const state = backend.getPartitionedState(new ValueStateDescriptor<string>('v'));
    backend.setCurrentKey(1);
    state.update('x');
    state.clear();
    expect(state.value()).toBeUndefined();
    state.update('y');
    state.update(null);
    expect(state.value()).toBeUndefined();
    state.update('z');
    state.update(undefined);
    expect(backend.numKeys()).toBe(0);
  });

  it('returns a copy of the default value when nothing is stored', () => {
    const backend = all();
    const state = backend.getPartitionedState(new ValueStateDescriptor<{ n: number }>('v', undefined, { n: 0 }));
    backend.setCurrentKey('k');
    const first = state.value()!;
    first.n = 99;
    expect(state.value()).toEqual({ n: 0 });
    expect(backend.numKeys()).toBe(0);
  });

  it('treats structured keys by value and numeric zero signs alike', () => {
    const backend = all();
    const state = backend.getPartitionedState(new ValueStateDescriptor<string>('v'));
    backend.setCurrentKey([1, 'a']);
    state.update('tuple');
    backend.setCurrentKey({ b: 2, a: 1 });
    state.update('object');
    backend.setCurrentKey(0);
    state.update('zero');
    backend.setCurrentKey([1, 'a']);
    expect(state.value()).toBe('tuple');
    backend.setCurrentKey({ a: 1, b: 2 });
    expect(state.value()).toBe('object');
    backend.setCurrentKey(-0);
    expect(state.value()).toBe('zero');
    backend.setCurrentKey('[1,"a"]');
    expect(state.value()).toBeUndefined();
    expect(backend.getKeys('v')).toEqual(expect.arrayContaining([[1, 'a'], { a: 1, b: 2 }, 0]));
    expect(backend.numKeys()).toBe(3);
  });

  it('throws when state is used before a key is set', () => {
    const backend = all();
    const state = backend.getPartitionedState(new ValueStateDescriptor<number>('v'));
    expect(() => state.value()).toThrow(/without a current key/);
    expect(() => state.update(1)).toThrow(/without a current key/);
  });

  it('rejects keys whose key group is outside its range, naming the key group', () => {
    const backend = HeapKeyedStateBackend.forSubtask<number>(128, 4, 0);
    const range = keyGroupRangeForSubtask(128, 4, 0);
    let foreign = 0;
    while (assignToKeyGroup(foreign, 128) <= range.end) foreign++;
    expect(() => backend.setCurrentKey(foreign)).toThrow(new RegExp(`key group ${assignToKeyGroup(foreign, 128)}, which is not in this backend's range \\[0, 31\\]`));
    expect(() => backend.setCurrentKey(undefined as unknown as number)).toThrow(/got undefined/);
  });
});

describe('HeapKeyedStateBackend list, map, reducing and aggregating state', () => {
  it('list state appends, replaces, rejects null and clears on update([])', () => {
    const backend = all();
    const state = backend.getPartitionedState(new ListStateDescriptor<string>('l', Types.STRING));
    backend.setCurrentKey('k');
    expect([...state.get()]).toEqual([]);
    state.add('a');
    state.addAll(['b', 'c']);
    expect([...state.get()]).toEqual(['a', 'b', 'c']);
    state.update(['x']);
    expect([...state.get()]).toEqual(['x']);
    expect(() => state.add(null as unknown as string)).toThrow(/cannot add null/);
    expect(() => state.addAll(['ok', undefined as unknown as string])).toThrow(/cannot add null/);
    state.update([]);
    expect([...state.get()]).toEqual([]);
    expect(backend.numKeys()).toBe(0);
    state.addAll([]);
    expect(backend.numKeys()).toBe(0);
  });

  it('map state supports the whole MapState surface, with user keys compared by value', () => {
    const backend = all();
    const state = backend.getPartitionedState(new MapStateDescriptor<unknown, number | undefined>('m'));
    backend.setCurrentKey('k');
    expect(state.isEmpty()).toBe(true);
    state.put('a', 1);
    state.put([1, 2], 2);
    state.putAll(new Map<unknown, number | undefined>([[{ y: 1, x: 0 }, 3], ['u', undefined]]));
    expect(state.get([1, 2])).toBe(2);
    expect(state.get({ x: 0, y: 1 })).toBe(3);
    expect(state.contains('u')).toBe(true);
    expect(state.get('u')).toBeUndefined();
    expect(state.contains('missing')).toBe(false);
    expect([...state.keys()]).toEqual(['a', [1, 2], { x: 0, y: 1 }, 'u']);
    expect([...state.values()]).toEqual([1, 2, 3, undefined]);
    expect([...state.entries()]).toEqual([['a', 1], [[1, 2], 2], [{ x: 0, y: 1 }, 3], ['u', undefined]]);
    backend.setCurrentKey('other');
    expect(state.isEmpty()).toBe(true);
    expect([...state.entries()]).toEqual([]);
    backend.setCurrentKey('k');
    for (const key of ['a', [1, 2], { x: 0, y: 1 }]) state.remove(key);
    expect(state.isEmpty()).toBe(false);
    state.remove('u');
    expect(state.isEmpty()).toBe(true);
    expect(backend.numKeys()).toBe(0);
    state.put('again', 1);
    state.clear();
    expect(state.get('again')).toBeUndefined();
  });

  it('reducing state folds every add with the reduce function', () => {
    const backend = all();
    const sum = backend.getPartitionedState(new ReducingStateDescriptor<number>('sum', (a, b) => a + b, Types.NUMBER));
    const max = backend.getPartitionedState(new ReducingStateDescriptor<number>('max', { reduce: (a, b) => Math.max(a, b) }));
    backend.setCurrentKey('k');
    expect(sum.get()).toBeUndefined();
    for (const v of [3, 9, 4]) {
      sum.add(v);
      max.add(v);
    }
    expect(sum.get()).toBe(16);
    expect(max.get()).toBe(9);
    sum.add(undefined as unknown as number);
    expect(sum.get()).toBeUndefined();
    max.clear();
    expect(max.get()).toBeUndefined();
  });

  it('aggregating state keeps the accumulator and returns getResult', () => {
    const backend = all();
    const state = backend.getPartitionedState(new AggregatingStateDescriptor('avg', average));
    backend.setCurrentKey('a');
    expect(state.get()).toBeUndefined();
    state.add(1);
    state.add(2);
    backend.setCurrentKey('b');
    state.add(10);
    backend.setCurrentKey('a');
    expect(state.get()).toBe(1.5);
    state.clear();
    expect(state.get()).toBeUndefined();
    backend.setCurrentKey('b');
    expect(state.get()).toBe(10);
  });

  it('returns the same state object per name and rejects a different definition under that name', () => {
    const backend = all();
    const descriptor = new ValueStateDescriptor<number>('s', Types.NUMBER);
    const state = backend.getPartitionedState(descriptor);
    expect(backend.getPartitionedState(descriptor)).toBe(state);
    expect(backend.getPartitionedState(new ValueStateDescriptor<number>('s', Types.NUMBER))).toBe(state);
    expect(() => backend.getPartitionedState(new ListStateDescriptor<number>('s', Types.NUMBER))).toThrow(/kind VALUE is registered but LIST was requested/);
    expect(() => backend.getPartitionedState(new ValueStateDescriptor<string>('s', Types.STRING))).toThrow(/serializer 'number' is registered but 'string' was requested/);
    expect(() => backend.getPartitionedState({ start: 0, end: 1 }, WINDOW_SERIALIZER, descriptor)).toThrow(/namespace serializer 'void'/);
    expect(backend.getRegisteredStateNames()).toEqual(['s']);
  });

  it('serves the runtime-context accessors through DefaultKeyedStateStore', () => {
    const backend = all();
    const store = new DefaultKeyedStateStore(backend);
    const value = store.getState(new ValueStateDescriptor<number>('v'));
    const list = store.getListState(new ListStateDescriptor<number>('l'));
    const map = store.getMapState(new MapStateDescriptor<string, number>('m'));
    const reducing = store.getReducingState(new ReducingStateDescriptor<number>('r', (a, b) => a * b));
    const aggregating = store.getAggregatingState(new AggregatingStateDescriptor('a', average));
    backend.setCurrentKey(7);
    value.update(1);
    list.add(2);
    map.put('x', 3);
    reducing.add(4);
    reducing.add(5);
    aggregating.add(6);
    expect([value.value(), [...list.get()], map.get('x'), reducing.get(), aggregating.get()]).toEqual([1, [2], 3, 20, 6]);
    expect(backend.numKeys()).toBe(5);
  });
});

describe('HeapKeyedStateBackend namespaces', () => {
  it('keeps state per (key, namespace), with equal window objects naming the same window', () => {
    const backend = all();
    const state = backend.getOrCreateKeyedState(WINDOW_SERIALIZER, new ListStateDescriptor<number>('w', Types.NUMBER));
    backend.setCurrentKey('a');
    state.setCurrentNamespace({ start: 0, end: 10 });
    state.add(1);
    state.setCurrentNamespace({ start: 10, end: 20 });
    state.add(2);
    backend.setCurrentKey('b');
    state.setCurrentNamespace({ start: 0, end: 10 });
    state.add(3);
    backend.setCurrentKey('a');
    state.setCurrentNamespace({ start: 0, end: 10 });
    expect([...state.get()]).toEqual([1]);
    expect(backend.getKeys('w', { start: 0, end: 10 }).sort()).toEqual(['a', 'b']);
    expect(backend.getKeys('w', { start: 10, end: 20 })).toEqual(['a']);
    expect(backend.getKeysAndNamespaces('w')).toHaveLength(3);
    state.clear();
    state.setCurrentNamespace({ start: 10, end: 20 });
    state.clear();
    expect(backend.getKeysAndNamespaces('w')).toEqual([['b', { start: 0, end: 10 }]]);
    // A namespace emptied and written again through the same state object is found again.
    state.add(4);
    state.setCurrentNamespace({ start: 10, end: 20 });
    expect([...state.get()]).toEqual([4]);
    expect(backend.numKeys('w')).toBe(2);
  });

  it('getPartitionedState with a namespace sets the namespace of the shared state object', () => {
    const backend = all();
    const descriptor = new ValueStateDescriptor<string>('v');
    backend.setCurrentKey('k');
    const inW1 = backend.getPartitionedState({ start: 1, end: 2 }, WINDOW_SERIALIZER, descriptor);
    inW1.update('one');
    const inW2 = backend.getPartitionedState({ start: 2, end: 3 }, WINDOW_SERIALIZER, descriptor);
    expect(inW2).toBe(inW1);
    expect(inW2.value()).toBeUndefined();
    inW2.update('two');
    expect(backend.getPartitionedState({ start: 1, end: 2 }, WINDOW_SERIALIZER, descriptor).value()).toBe('one');
  });

  it('merges namespaces of list, reducing and aggregating state into the target', () => {
    const backend = all();
    const list = backend.getOrCreateKeyedState(WINDOW_SERIALIZER, new ListStateDescriptor<number>('l'));
    const sum = backend.getOrCreateKeyedState(WINDOW_SERIALIZER, new ReducingStateDescriptor<number>('s', (a, b) => a + b));
    const avg = backend.getOrCreateKeyedState(WINDOW_SERIALIZER, new AggregatingStateDescriptor('a', average));
    const w = (start: number): Window => ({ start, end: start + 5 });
    backend.setCurrentKey('k');
    for (const [start, values] of [
      [0, [1, 2]],
      [3, [3]],
      [7, [10]],
    ] as const) {
      for (const state of [list, sum, avg]) state.setCurrentNamespace(w(start));
      for (const v of values) {
        list.add(v);
        sum.add(v);
        avg.add(v);
      }
    }
    backend.setCurrentKey('other');
    list.setCurrentNamespace(w(3));
    list.add(100);
    backend.setCurrentKey('k');
    for (const state of [list, sum, avg]) {
      state.setCurrentNamespace(w(7));
      state.mergeNamespaces(w(0), [w(0), w(3), w(7)]);
    }
    // The current namespace is unchanged: w(7), now empty.
    expect([...list.get()]).toEqual([]);
    expect(sum.get()).toBeUndefined();
    for (const state of [list, sum, avg]) state.setCurrentNamespace(w(0));
    expect([...list.get()]).toEqual([1, 2, 3, 10]);
    expect(sum.get()).toBe(16);
    expect(avg.get()).toBe(4);
    list.setCurrentNamespace(w(3));
    expect([...list.get()]).toEqual([]);
    backend.setCurrentKey('other');
    expect([...list.get()]).toEqual([100]);
  });

  it('uses a namespace object\'s own map key (NAMESPACE_MAP_KEY) when it provides one', () => {
    class Span {
      constructor(
        readonly from: number,
        readonly label: string,
      ) {}
      // Identity is `from` only: the label does not distinguish spans.
      get [NAMESPACE_MAP_KEY](): string {
        return `\uDFFF\u0002span:${this.from}`;
      }
    }
    const backend = all();
    const serializer = Types.ROW({ from: Types.NUMBER, label: Types.STRING }).createSerializer() as unknown as TypeSerializer<Span>;
    const state = backend.getOrCreateKeyedState(serializer, new ValueStateDescriptor<number>('v'));
    backend.setCurrentKey('k');
    state.setCurrentNamespace(new Span(1, 'first'));
    state.update(10);
    state.setCurrentNamespace(new Span(1, 'other label'));
    expect(state.value()).toBe(10);
    state.setCurrentNamespace(new Span(2, 'first'));
    expect(state.value()).toBeUndefined();
    expect(backend.getKeys('v', new Span(1, 'x'))).toEqual(['k']);
  });

  it('starts in the void namespace', () => {
    const backend = all();
    const descriptor = new ValueStateDescriptor<number>('v');
    backend.setCurrentKey(1);
    backend.getPartitionedState(descriptor).update(5);
    expect(backend.getKeysAndNamespaces('v')).toEqual([[1, VoidNamespace.INSTANCE]]);
  });
});

describe('HeapKeyedStateBackend applyToAllKeys', () => {
  it('visits every key with the state bound to it, lets fn clear, and restores the current key', () => {
    const backend = all();
    const descriptor = new ValueStateDescriptor<number>('v');
    const state = backend.getPartitionedState(descriptor);
    for (let k = 0; k < 50; k++) {
      backend.setCurrentKey(`key-${k}`);
      state.update(k);
    }
    backend.setCurrentKey('key-7');
    const seen = new Map<string, number>();
    backend.applyToAllKeys(descriptor, (key, s) => {
      seen.set(key as string, s.value()!);
      if (s.value()! % 2 === 0) s.clear();
    });
    expect(seen.size).toBe(50);
    for (const [key, value] of seen) expect(key).toBe(`key-${value}`);
    expect(backend.numKeys()).toBe(25);
    expect(backend.getCurrentKey()).toBe('key-7');
    expect(state.value()).toBe(7);
    let byName = 0;
    backend.applyToAllKeys('v', () => byName++);
    expect(byName).toBe(25);
    expect(() => backend.applyToAllKeys('missing', () => {})).toThrow(/no keyed state named 'missing'/);
  });
});
