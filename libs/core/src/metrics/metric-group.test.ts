import { describe, expect, it } from 'vitest';
import { MetricRegistryGroup, SimpleCounter, type Counter } from './metric-group.js';

describe('MetricRegistryGroup', () => {
  it('names metrics by group path and reads counters and numeric gauges in one snapshot', () => {
    const root = MetricRegistryGroup.root();
    const op = root.addGroup('Parse');
    const skipped = op.counter('numRecordsSkipped');
    skipped.inc();
    skipped.inc(4);
    skipped.dec();
    let depth = 7;
    op.addGroup('queue').gauge('depth', { getValue: () => depth });
    op.gauge('label', { getValue: () => 'not a number' });
    depth = 9;
    expect(root.snapshot()).toEqual({ 'Parse.numRecordsSkipped': 4, 'Parse.queue.depth': 9 });
  });

  it('returns the registered counter for a name registered twice, and accepts a counter of the caller', () => {
    const group = MetricRegistryGroup.root('Sink');
    const a = group.counter('rows');
    expect(group.counter('rows')).toBe(a);
    const own: Counter = new SimpleCounter();
    own.inc(3);
    const other = MetricRegistryGroup.root('Sink');
    expect(other.counter('rows', own)).toBe(own);
    expect(other.snapshot()).toEqual({ 'Sink.rows': 3 });
  });

  it('rejects an empty metric name', () => {
    expect(() => MetricRegistryGroup.root().counter('')).toThrow(/must not be empty/);
  });
});
