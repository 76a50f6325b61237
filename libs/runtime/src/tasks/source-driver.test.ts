import { describe, expect, it } from 'vitest';
import {
  WatermarkStrategy,
  type InputStatus,
  type Output,
  type ReaderOutput,
  type SourceReader,
  type SourceSplit,
  type StreamRecord,
  type Watermark,
  type WatermarkStatus,
} from '@riffle/core';
import { ManualProcessingTimeService } from './processing-time-service.js';
import { SourceDriver } from './source-driver.js';

/** A reader with two splits: each poll emits the next scripted events of each split. */
class ScriptedReader implements SourceReader<{ ts: number }, SourceSplit> {
  constructor(private readonly script: Record<string, number[]>) {}
  start(): void {}
  pollNext(output: ReaderOutput<{ ts: number }>): InputStatus {
    for (const [split, timestamps] of Object.entries(this.script)) {
      const out = output.createOutputForSplit(split);
      const ts = timestamps.shift();
      if (ts !== undefined) out.collect({ ts });
    }
    return 'MORE_AVAILABLE';
  }
  isAvailable(): Promise<void> {
    return Promise.resolve();
  }
  addSplits(): void {}
  notifyNoMoreSplits(): void {}
  snapshotState(): SourceSplit[] {
    return [];
  }
  close(): void {}
}

class Recording implements Output<{ ts: number }> {
  readonly events: Array<string> = [];
  collect(r: StreamRecord<{ ts: number }>): void {
    this.events.push(`record@${r.timestamp}`);
  }
  collectSide(): void {}
  emitWatermark(m: Watermark): void {
    this.events.push(`watermark ${m.timestamp}`);
  }
  emitWatermarkStatus(s: WatermarkStatus): void {
    this.events.push(s);
  }
  watermarks(): number[] {
    return this.events.filter((e) => e.startsWith('watermark')).map((e) => Number(e.split(' ')[1]));
  }
}

function drive(strategy: WatermarkStrategy<{ ts: number }>, script: Record<string, number[]>) {
  const time = new ManualProcessingTimeService(1_000);
  const out = new Recording();
  const driver = new SourceDriver(new ScriptedReader(script), out, 'Two Splits', strategy, time);
  driver.startPeriodicEmission(200);
  return { time, out, driver };
}

const events = WatermarkStrategy.forBoundedOutOfOrderness<{ ts: number }>(0).withTimestampAssigner((e) => e.ts);

describe('SourceDriver watermarks', () => {
  it('holds the watermark at the slowest split: a silent split without idleness blocks progress', () => {
    const { time, out, driver } = drive(events, { busy: [1000, 2000, 3000, 4000], silent: [] });
    for (let i = 0; i < 4; i++) driver.poll();
    // The silent split has an output (it was assigned) but never emits: the minimum stays unknown.
    time.advanceTo(60_000);
    expect(out.watermarks()).toEqual([]);
    expect(out.events.filter((e) => e.startsWith('record')).length).toBe(4);
  });

  it('ignores a split marked idle by withIdleness, so the watermark advances', () => {
    const { time, out, driver } = drive(events.withIdleness(500), { busy: [1000, 2000, 3000, 4000], silent: [] });
    for (let i = 0; i < 4; i++) driver.poll();
    time.advanceTo(1_200); // first periodic emit: the silent split starts its idle clock
    time.advanceTo(3_000); // idle timeout passed for the silent split (and for the busy one, which stopped too)
    expect(out.watermarks()).toContain(3999);
  });

  it('combines split watermarks by their minimum and never goes back', () => {
    const { time, out, driver } = drive(events, { a: [5000, 9000], b: [1000, 2000] });
    driver.poll();
    time.advanceTo(1_200);
    driver.poll();
    time.advanceTo(1_400);
    expect(out.watermarks()).toEqual([999, 1999]);
  });

  it('rejects a timestamp assigner returning NaN, naming the source', () => {
    const bad = WatermarkStrategy.forMonotonousTimestamps<{ ts: number }>().withTimestampAssigner(() => Number.NaN);
    const { driver } = drive(bad, { a: [1] });
    expect(() => driver.poll()).toThrow(/timestamp assigner of source 'Two Splits' returned NaN/);
  });

  it('passes records without a timestamp through a strategy without a timestamp assigner (noWatermarks)', () => {
    const { driver, out } = drive(WatermarkStrategy.noWatermarks<{ ts: number }>(), { a: [1], b: [2] });
    driver.poll();
    expect(out.events).toEqual(['record@-Infinity', 'record@-Infinity']);
  });

  it('ignores a watermark that goes backwards from a custom generator', () => {
    const script = [5000, 3000, 7000];
    const generator = WatermarkStrategy.forGenerator<{ ts: number }>(() => ({
      onEvent: (e, _ts, output) => output.emitWatermark(e.ts),
      onPeriodicEmit: () => {},
    })).withTimestampAssigner((e) => e.ts);
    const { out, driver } = drive(generator, { a: script });
    for (let i = 0; i < 3; i++) driver.poll();
    expect(out.watermarks()).toEqual([5000, 7000]);
  });
});
