import { dynamicSerializer, Types, type TypeSerializer } from '@riffle/core';
import { VoidNamespace } from '@riffle/state';
import { describe, expect, it } from 'vitest';
import { ManualProcessingTimeService } from '../../tasks/processing-time-service.js';
import { HeapInternalTimerService, type InternalTimer, type KeyContext } from '../../timers/internal-timer-service.js';
import { TIMERS_SNAPSHOT_SERIALIZER } from './timers-snapshot-serializer.js';
import { snapshotTimerServices, timersForKeyGroups, type TimerKeyContext } from './timers-snapshot.js';

interface Span {
  start: number;
  end: number;
}
const SPAN_SERIALIZER = Types.ROW({ start: Types.NUMBER, end: Types.NUMBER }).createSerializer() as TypeSerializer<Span>;

function service<N>(namespaceSerializer?: TypeSerializer<N>) {
  let current: unknown;
  const keys: KeyContext = { setCurrentKey: (k) => (current = k), getCurrentKey: () => current };
  const fired: string[] = [];
  const clock = new ManualProcessingTimeService(0);
  const timers = new HeapInternalTimerService<unknown, N>(
    keys,
    clock,
    {
      onEventTime: (t: InternalTimer<unknown, N>) => fired.push(`event ${JSON.stringify(t.key)} ${JSON.stringify(t.namespace)} ${t.timestamp} current=${JSON.stringify(current)}`),
      onProcessingTime: (t: InternalTimer<unknown, N>) => fired.push(`proc ${JSON.stringify(t.key)} ${JSON.stringify(t.namespace)} ${t.timestamp}`),
    },
    (ns) => JSON.stringify(ns),
    namespaceSerializer,
  );
  return { keys, fired, clock, timers };
}

const ALL: TimerKeyContext = { keyGroupRange: { start: 0, end: 127 }, maxParallelism: 128, keySerializer: dynamicSerializer() };
const half = (start: number, end: number): TimerKeyContext => ({ ...ALL, keyGroupRange: { start, end } });
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('timers snapshot format', () => {
  it('writes the pinned version-1 bytes (golden)', () => {
    const user = service<VoidNamespace>();
    user.keys.setCurrentKey('a');
    user.timers.registerEventTimeTimer(VoidNamespace.INSTANCE, 10);
    user.timers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, 5);
    const windows = service<Span>(SPAN_SERIALIZER);
    windows.keys.setCurrentKey(7);
    windows.timers.registerEventTimeTimer({ start: 0, end: 4 }, 3);
    const snapshot = snapshotTimerServices(
      new Map<string, HeapInternalTimerService<unknown, any>>([
        ['window-timers', windows.timers],
        ['user-timers', user.timers],
      ]),
      ALL,
    );
    const bytes = TIMERS_SNAPSHOT_SERIALIZER.serialize(snapshot);
    expect(TIMERS_SNAPSHOT_SERIALIZER.getVersion()).toBe(1);
    expect(hex(bytes)).toBe(GOLDEN);
    // Read back: same plain data.
    expect(TIMERS_SNAPSHOT_SERIALIZER.deserialize(1, bytes)).toEqual(snapshot);
  });

  it('restores every timer with its key, namespace, time and domain, and they fire as before', () => {
    const before = service<Span>(SPAN_SERIALIZER);
    for (const [key, start] of [['x', 0], [['k', 1], 10], [{ id: 3 }, 20]] as const) {
      before.keys.setCurrentKey(key);
      before.timers.registerEventTimeTimer({ start, end: start + 10 }, start + 9);
      before.timers.registerProcessingTimeTimer({ start, end: start + 10 }, start + 100);
    }
    const bytes = TIMERS_SNAPSHOT_SERIALIZER.serialize(snapshotTimerServices(new Map([['w', before.timers]]), ALL));

    const after = service<Span>(SPAN_SERIALIZER);
    const restored = timersForKeyGroups([TIMERS_SNAPSHOT_SERIALIZER.deserialize(1, bytes)], ALL);
    restored.get('w')!.applyTo(after.timers);
    expect(after.timers.numEventTimeTimers()).toBe(3);
    expect(after.timers.numProcessingTimeTimers()).toBe(3);
    after.timers.advanceWatermark(1000);
    after.clock.advanceTo(1000);
    before.timers.advanceWatermark(1000);
    before.clock.advanceTo(1000);
    expect(after.fired).toEqual(before.fired);
    expect(after.fired).toContain('event {"id":3} {"start":20,"end":30} 29 current={"id":3}');
  });

  it('gives each new subtask exactly the timers of its key groups', () => {
    const before = service<VoidNamespace>();
    const keys = Array.from({ length: 40 }, (_, i) => `key-${i}`);
    for (const key of keys) {
      before.keys.setCurrentKey(key);
      before.timers.registerEventTimeTimer(VoidNamespace.INSTANCE, 1);
    }
    const snapshot = TIMERS_SNAPSHOT_SERIALIZER.deserialize(1, TIMERS_SNAPSHOT_SERIALIZER.serialize(snapshotTimerServices(new Map([['t', before.timers]]), ALL)));
    const firedKeys: string[][] = [];
    for (const range of [half(0, 63), half(64, 127)]) {
      const after = service<VoidNamespace>();
      timersForKeyGroups([snapshot], range).get('t')!.applyTo(after.timers);
      after.timers.advanceWatermark(1);
      firedKeys.push(after.fired.map((f) => JSON.parse(f.split(' ')[1]!) as string));
    }
    expect(firedKeys[0]!.length).toBeGreaterThan(0);
    expect(firedKeys[1]!.length).toBeGreaterThan(0);
    expect([...firedKeys[0]!, ...firedKeys[1]!].sort()).toEqual([...keys].sort());
  });

  it('restores void namespaces as VoidNamespace.INSTANCE by default', () => {
    const before = service<VoidNamespace>();
    before.keys.setCurrentKey('a');
    before.timers.registerEventTimeTimer(VoidNamespace.INSTANCE, 1);
    const snapshot = snapshotTimerServices(new Map([['t', before.timers]]), ALL);
    expect(snapshot.services[0]!.namespaceSerializerId).toBe('timer-namespace(void|dynamic)');
    const after = service<VoidNamespace>();
    timersForKeyGroups([snapshot], ALL).get('t')!.applyTo(after.timers);
    expect(after.timers.snapshot().eventTime[0]!.namespace).toBe(VoidNamespace.INSTANCE);
  });

  it('restores primitive and plain-object namespaces through the default serializer', () => {
    const before = service<unknown>();
    before.keys.setCurrentKey('a');
    before.timers.registerEventTimeTimer(42, 1);
    before.timers.registerEventTimeTimer({ side: 'left', ts: 7 }, 2);
    const after = service<unknown>();
    timersForKeyGroups([snapshotTimerServices(new Map([['t', before.timers]]), ALL)], ALL).get('t')!.applyTo(after.timers);
    expect(after.timers.snapshot().eventTime.map((t) => t.namespace)).toEqual(expect.arrayContaining([42, { side: 'left', ts: 7 }]));
  });

  it('refuses to restore into a service with another namespace serializer, naming both', () => {
    const before = service<Span>(SPAN_SERIALIZER);
    before.keys.setCurrentKey('a');
    before.timers.registerEventTimeTimer({ start: 0, end: 1 }, 0);
    const restored = timersForKeyGroups([snapshotTimerServices(new Map([['w', before.timers]]), ALL)], ALL).get('w')!;
    expect(() => restored.applyTo(service<Span>().timers)).toThrow(/timer service 'w'.*row.*timer-namespace\(void\|dynamic\)/);
  });

  it('rejects another max parallelism, a bad magic and an unknown version', () => {
    const snapshot = snapshotTimerServices(new Map(), ALL);
    expect(() => timersForKeyGroups([snapshot], { ...ALL, maxParallelism: 64, keyGroupRange: { start: 0, end: 63 } })).toThrow(/max parallelism 128.*64/);
    const bytes = TIMERS_SNAPSHOT_SERIALIZER.serialize(snapshot);
    expect(() => TIMERS_SNAPSHOT_SERIALIZER.deserialize(2, bytes)).toThrow(/version 2/);
    const bad = bytes.slice();
    bad[0] = 0x58;
    expect(() => TIMERS_SNAPSHOT_SERIALIZER.deserialize(1, bad)).toThrow(/bad magic/);
  });
});

const GOLDEN = [
  '52544d53', // 'RTMS'
  '01', // version 1
  '8001', // max parallelism 128
  '00', // range start 0
  '7f', // range end 127
  '0764796e616d6963', // key serializer id 'dynamic'
  '02', // two services, in name order
  '0b757365722d74696d657273', // 'user-timers'
  '1d74696d65722d6e616d65737061636528766f69647c64796e616d696329', // 'timer-namespace(void|dynamic)'
  '01', // one key group
  '51', // key group 81 (of key 'a')
  '1b', // block length 27
  '02', // two timers
  '00' + '0000000000002440' + '060161' + '00', // event time, 10, key 'a' (dynamic string), void namespace
  '01' + '0000000000001440' + '060161' + '00', // processing time, 5, key 'a', void namespace
  '0d77696e646f772d74696d657273', // 'window-timers'
  '1c726f772873746172743a6e756d6265722c656e643a6e756d62657229', // 'row(start:number,end:number)'
  '01', // one key group
  '71', // key group 113 (of key 7)
  '1c', // block length 28
  '01', // one timer
  '00' + '0000000000000840' + '040e' + '0000000000000000' + '0000000000001040', // event time, 3, key 7 (zigzag int), window {0, 4}
].join('');
