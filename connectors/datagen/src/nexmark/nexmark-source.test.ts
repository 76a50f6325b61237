import { describe, expect, it } from 'vitest';
import type { WatermarkGeneratorContext, WatermarkOutput } from '@riffle/core';
import { TestingSourceRunner } from '../source/testing-source-runner.js';
import { NexmarkConfigError, nexmarkConfig, splitGeneratorConfig } from './config.js';
import type { Bid, NexmarkEvent } from './events.js';
import { NexmarkGenerator } from './generator.js';
import { isNexmarkKind, selectNexmarkKind } from './nexmark-kinds.js';
import { NexmarkSource } from './nexmark-source.js';
import type { NexmarkSplit } from './nexmark-split.js';

type Runner = TestingSourceRunner<NexmarkEvent, NexmarkSplit, NexmarkSplit[]>;

function generate(seed: number, maxEvents: number, p: number): NexmarkEvent[][] {
  return splitGeneratorConfig(nexmarkConfig({ seed, maxEvents, numEventGenerators: p }), p).map((config) => {
    const generator = new NexmarkGenerator(config);
    const events: NexmarkEvent[] = [];
    while (generator.hasNext()) events.push(generator.next());
    return events;
  });
}

function eventsOf(runner: Runner): NexmarkEvent[] {
  return [...runner.output.values()].flatMap((records) => records.map((r) => r.value));
}

describe('NexmarkSource', () => {
  it.each([1, 2, 3])('emits, split by split, exactly the generator events for the same seed at parallelism %i', async (p) => {
    const source = NexmarkSource.builder().setSeed(7).setMaxEvents(6001).setBatchSize(500).build();
    expect(source.getBoundedness()).toBe('BOUNDED');
    const runner: Runner = new TestingSourceRunner(source, p).addAllReaders();
    await runner.run();
    const expected = generate(7, 6001, p);
    const bySplit = runner.valuesBySplit();
    expect([...bySplit.keys()].sort()).toEqual(expected.map((_, k) => String(k)));
    for (let k = 0; k < p; k++) expect(bySplit.get(String(k))).toEqual(expected[k]);
    // Every record carries its event time as timestamp.
    for (const records of runner.output.values()) for (const r of records) expect(r.timestamp).toBe(r.value.dateTime);
    expect([...runner.released].sort()).toEqual(expected.map((_, k) => String(k)));
  });

  it('splits exactly as splitConfigs says, with numEventGenerators defaulting to the parallelism', () => {
    const source = new NexmarkSource({ generator: { seed: 1, maxEvents: 100 } });
    expect(source.splitConfigs(4)).toEqual(splitGeneratorConfig(nexmarkConfig({ seed: 1, maxEvents: 100, numEventGenerators: 4 }), 4));
    const fixed = new NexmarkSource({ generator: { seed: 1, maxEvents: 100, numEventGenerators: 1 } });
    expect(fixed.splitConfigs(4).map((c) => c.numEventGenerators)).toEqual([1, 1, 1, 1]);
  });

  it('a reader restored from a snapshotted split continues without loss or duplication', async () => {
    const source = NexmarkSource.builder().setSeed(42).setMaxEvents(10_000).build();
    const runner: Runner = new TestingSourceRunner(source, 2).addAllReaders();
    runner.poll(0);
    runner.poll(0);
    runner.poll(1);
    const serializer = source.getSplitSerializer();
    const snapshots = [0, 1].map((s) =>
      runner.readers.get(s)!.snapshotState(3).map((split) => serializer.deserialize(serializer.getVersion(), serializer.serialize(split))),
    );
    expect(snapshots.map((splits) => splits.map((s) => [s.splitId, s.state.eventsCountSoFar]))).toEqual([[['0', 2048]], [['1', 1024]]]);
    const before = eventsOf(runner);
    runner.poll(1); // emitted after the checkpoint: lost with the failed readers

    const checkpointSerializer = source.getEnumeratorCheckpointSerializer();
    const enumeratorState = checkpointSerializer.deserialize(1, checkpointSerializer.serialize(runner.enumerator.snapshotState(3)));
    // Restore both splits into one reader (a rescale to parallelism 1): it reads them in turn.
    const restored: Runner = new TestingSourceRunner(source, 1, enumeratorState);
    restored.addReader(0, [...snapshots[0]!, ...snapshots[1]!]);
    await restored.run();
    const after = eventsOf(restored);
    const expected = generate(42, 10_000, 2);
    const all = [...before, ...after];
    const key = (e: NexmarkEvent) => `${e.kind}:${e.kind === 'bid' ? `${e.auction}/${e.bidder}/${e.dateTime}/${e.price}` : e.id}`;
    expect(all.length).toBe(10_000);
    expect(all.map(key).sort()).toEqual(expected.flat().map(key).sort());
    // Split by split, the restored events are exactly the rest of the generator's sequence.
    const afterBySplit = restored.valuesBySplit();
    expect(afterBySplit.get('0')).toEqual(expected[0]!.slice(2048));
    expect(afterBySplit.get('1')).toEqual(expected[1]!.slice(1024));
  });

  it('is unbounded without maxEvents and keeps its position in snapshots', async () => {
    const source = new NexmarkSource({ generator: { seed: 3 } });
    expect(source.getBoundedness()).toBe('CONTINUOUS_UNBOUNDED');
    const runner: Runner = new TestingSourceRunner(source, 1).addAllReaders();
    await runner.run(() => runner.output.get(0)!.length >= 3000);
    const [split] = runner.readers.get(0)!.snapshotState(1);
    expect(split!.state.eventsCountSoFar).toBe(runner.output.get(0)!.length);
    expect(runner.status.get(0)).toBe('MORE_AVAILABLE');
  });

  it('paces the whole source at eventsPerSecond, shared by the subtasks', async () => {
    const source = NexmarkSource.builder().setSeed(1).setMaxEvents(300).setEventsPerSecond(3000).build();
    const runner: Runner = new TestingSourceRunner(source, 2).addAllReaders();
    const started = performance.now();
    await runner.run();
    expect(eventsOf(runner).length).toBe(300);
    // 150 events per subtask at 1500/s: at least 0.1 s.
    expect((performance.now() - started) / 1000).toBeGreaterThanOrEqual(0.1);
  });

  it('validates options when built, naming the bad one', () => {
    const error = (build: () => unknown) => {
      try {
        build();
      } catch (e) {
        return e instanceof NexmarkConfigError ? e.option : `not a NexmarkConfigError: ${String(e)}`;
      }
      return 'no error';
    };
    expect(error(() => NexmarkSource.builder().setMaxEvents(-1).build())).toBe('maxEvents');
    expect(error(() => NexmarkSource.builder().setSeed(1.5).build())).toBe('seed');
    expect(error(() => NexmarkSource.builder().setEventsPerSecond(0).build())).toBe('eventsPerSecond');
    expect(error(() => NexmarkSource.builder().setBatchSize(0).build())).toBe('batchSize');
    expect(error(() => NexmarkSource.builder().setGeneratorOptions({ firstEventRate: -5 }).build())).toBe('firstEventRate');
    expect(error(() => new NexmarkSource({ eventsPerSec: 5 } as never))).toBe('eventsPerSec');
    // Fewer events than splits is known only once the parallelism is.
    expect(error(() => new NexmarkSource({ generator: { maxEvents: 2 } }).splitConfigs(4))).toBe('maxEvents');
  });

  it('offers the Nexmark DDL watermark strategy over the record timestamps', () => {
    const strategy = NexmarkSource.watermarkStrategy();
    const assigner = strategy.createTimestampAssigner();
    const [bid] = generate(1, 50, 1)[0]!.filter(isNexmarkKind('bid'));
    expect(assigner.extractTimestamp(bid!, 12345)).toBe(12345);
    const emitted: number[] = [];
    const output: WatermarkOutput = { emitWatermark: (w) => void emitted.push(w), markIdle: () => {}, markActive: () => {} };
    const generator = strategy.createWatermarkGenerator({ currentProcessingTime: () => 0 } satisfies WatermarkGeneratorContext);
    generator.onEvent(bid!, bid!.dateTime, output);
    generator.onPeriodicEmit(output);
    expect(emitted).toEqual([bid!.dateTime - 4000 - 1]);
  });
});

describe('selecting events by kind', () => {
  it('keeps one kind, typed as that kind', () => {
    const events = generate(5, 500, 1)[0]!;
    const bids: Bid[] = [];
    const select = selectNexmarkKind('bid');
    for (const e of events) select(e, { collect: (b) => void bids.push(b) });
    expect(bids.length).toBe(events.filter((e) => e.kind === 'bid').length);
    expect(bids.every((b) => typeof b.price === 'number' && b.kind === 'bid')).toBe(true);
    expect(events.filter(isNexmarkKind('person')).every((p) => typeof p.emailAddress === 'string')).toBe(true);
  });
});
