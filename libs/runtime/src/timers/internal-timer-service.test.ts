import { describe, expect, it } from 'vitest';
import { ManualProcessingTimeService } from '../tasks/processing-time-service.js';
import { HeapInternalTimerService, type InternalTimer, type KeyContext } from './internal-timer-service.js';

function setup() {
  let current: unknown;
  const keys: KeyContext = { setCurrentKey: (k) => (current = k), getCurrentKey: () => current };
  const fired: Array<[string, unknown, string, number, unknown]> = [];
  const clock = new ManualProcessingTimeService(0);
  const service = new HeapInternalTimerService<unknown, string>(
    keys,
    clock,
    {
      onEventTime: (t: InternalTimer<unknown, string>) => fired.push(['event', t.key, t.namespace, t.timestamp, current]),
      onProcessingTime: (t: InternalTimer<unknown, string>) => fired.push(['proc', t.key, t.namespace, t.timestamp, current]),
    },
    (ns) => ns,
  );
  return { keys, fired, clock, service };
}

describe('HeapInternalTimerService', () => {
  it('fires event-time timers in timestamp order with their key set as the current key', () => {
    const { keys, fired, service } = setup();
    for (const [key, ts] of [['a', 30], ['b', 10], ['c', 20], ['a', 5]] as const) {
      keys.setCurrentKey(key);
      service.registerEventTimeTimer('ns', ts);
    }
    service.advanceWatermark(20);
    expect(fired.map((f) => [f[1], f[3], f[4]])).toEqual([
      ['a', 5, 'a'],
      ['b', 10, 'b'],
      ['c', 20, 'c'],
    ]);
    service.advanceWatermark(100);
    expect(fired.map((f) => f[3])).toEqual([5, 10, 20, 30]);
    expect(service.numEventTimeTimers()).toBe(0);
  });

  it('fires a timer registered twice for the same key, namespace and time once', () => {
    const { keys, fired, service } = setup();
    keys.setCurrentKey(['k', 1]);
    service.registerEventTimeTimer('w', 10);
    keys.setCurrentKey(['k', 1]);
    service.registerEventTimeTimer('w', 10);
    service.registerEventTimeTimer('other', 10);
    expect(service.numEventTimeTimers()).toBe(2);
    service.advanceWatermark(10);
    expect(fired.length).toBe(2);
  });

  it('cancels a deleted timer', () => {
    const { keys, fired, service } = setup();
    keys.setCurrentKey('k');
    service.registerEventTimeTimer('w', 10);
    service.registerEventTimeTimer('w', 11);
    service.deleteEventTimeTimer('w', 10);
    service.advanceWatermark(50);
    expect(fired.map((f) => f[3])).toEqual([11]);
  });

  it('fires processing-time timers when the clock reaches them, including ones registered while firing', () => {
    const { keys, fired, clock, service } = setup();
    keys.setCurrentKey('x');
    service.registerProcessingTimeTimer('p', 100);
    service.registerProcessingTimeTimer('p', 50);
    keys.setCurrentKey('y');
    service.registerProcessingTimeTimer('p', 75);
    service.deleteProcessingTimeTimer('p', 75);
    clock.advanceTo(60);
    expect(fired.map((f) => [f[0], f[1], f[3]])).toEqual([['proc', 'x', 50]]);
    clock.advanceTo(200);
    expect(fired.map((f) => f[3])).toEqual([50, 100]);
    expect(service.numProcessingTimeTimers()).toBe(0);
  });

  it('identifies keys by value', () => {
    const { keys, service } = setup();
    const register = (key: unknown) => {
      keys.setCurrentKey(key);
      service.registerEventTimeTimer('w', 10);
    };
    register(['a', 1]);
    register(['a', 1]);
    expect(service.numEventTimeTimers()).toBe(1);
    register({ b: 1, a: 2 });
    register({ a: 2, b: 1 });
    expect(service.numEventTimeTimers()).toBe(2);
    register('1');
    register(1);
    expect(service.numEventTimeTimers()).toBe(4);
  });

  it('restores snapshotted timers', () => {
    const { keys, service } = setup();
    keys.setCurrentKey('k');
    service.registerEventTimeTimer('w', 10);
    service.registerProcessingTimeTimer('w', 20);
    const snap = service.snapshot();
    const other = setup();
    other.service.restore(snap);
    other.service.advanceWatermark(10);
    other.clock.advanceTo(20);
    expect(other.fired.map((f) => [f[0], f[1], f[3]])).toEqual([
      ['event', 'k', 10],
      ['proc', 'k', 20],
    ]);
  });
});
