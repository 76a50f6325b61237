import {
  Time,
  WatermarkStrategy,
  type Collector,
  type InputStatus,
  type ReaderOutput,
  type SimpleVersionedSerializer,
  type Source,
  type SourceReader,
  type SourceReaderContext,
  type SourceSplit,
  type SplitEnumerator,
  type SplitEnumeratorContext,
} from '@riffle/core';
import { ProcessWindowFunction, TumblingEventTimeWindows, defineJob, type ProcessWindowContext, type TimeWindow } from '@riffle/datastream';

interface Split extends SourceSplit {
  readonly splitId: 'busy' | 'silent';
}

const splitSerializer: SimpleVersionedSerializer<Split> = {
  getVersion: () => 1,
  serialize: (s) => new TextEncoder().encode(s.splitId),
  deserialize: (_v, bytes) => ({ splitId: new TextDecoder().decode(bytes) as Split['splitId'] }),
};

/** An event: its event timestamp, and for the silent split's final marker the wall-clock time the silence ended. */
export interface Tick {
  ts: number;
  silenceEndedAt?: number;
}

/**
 * Two splits read by one reader: "busy" emits `events` events 10 ms of event time apart, paced at
 * one per ms of wall-clock time (so it stays active); "silent" emits nothing for `silentMs` of
 * wall-clock time after the reader starts, then one marker (event time 9995, carrying the
 * wall-clock time) and ends, which ends the input.
 */
class TwoSplitSource implements Source<Tick, Split, null> {
  constructor(
    private readonly events: number,
    private readonly silentMs: number,
  ) {}
  getBoundedness() {
    return 'BOUNDED' as const;
  }
  createEnumerator(ctx: SplitEnumeratorContext<Split>): SplitEnumerator<Split, null> {
    let assigned = false;
    return {
      start: () => {},
      handleSplitRequest: (subtask) => {
        if (!assigned) {
          assigned = true;
          ctx.assignSplits(new Map([[subtask, [{ splitId: 'busy' }, { splitId: 'silent' }]]]));
        }
        ctx.signalNoMoreSplits(subtask);
      },
      addSplitsBack: () => {},
      addReader: () => {},
      snapshotState: () => null,
      close: () => {},
    };
  }
  restoreEnumerator(ctx: SplitEnumeratorContext<Split>): SplitEnumerator<Split, null> {
    return this.createEnumerator(ctx);
  }
  createReader(ctx: SourceReaderContext): SourceReader<Tick, Split> {
    const events = this.events;
    let silentUntil = Number.POSITIVE_INFINITY;
    let startedAt = 0;
    const silentMs = this.silentMs;
    let splits: Split[] = [];
    let next = 0;
    let noMore = false;
    return {
      start: () => {
        startedAt = Date.now();
        silentUntil = startedAt + silentMs;
        ctx.sendSplitRequest();
      },
      pollNext(output: ReaderOutput<Tick>): InputStatus {
        if (splits.length === 0) return noMore ? 'END_OF_INPUT' : 'NOTHING_AVAILABLE';
        const busy = output.createOutputForSplit('busy');
        const silent = output.createOutputForSplit('silent'); // assigned, so it takes part in the watermark
        const due = Math.min(events, Date.now() - startedAt);
        while (next < due) busy.collect({ ts: next++ * 10 });
        if (Date.now() < silentUntil) return 'NOTHING_AVAILABLE';
        silent.collect({ ts: 9995, silenceEndedAt: Date.now() });
        output.releaseOutputForSplit('busy');
        output.releaseOutputForSplit('silent');
        splits = [];
        return noMore ? 'END_OF_INPUT' : 'NOTHING_AVAILABLE';
      },
      isAvailable: () =>
        new Promise<void>((resolve) => {
          // Wake up now and then (periodic watermarks run meanwhile), and at the end of the silence.
          setTimeout(resolve, Math.max(0, Math.min(10, silentUntil - Date.now())));
        }),
      addSplits: (s) => {
        splits = splits.concat(s);
      },
      notifyNoMoreSplits: () => {
        noMore = true;
      },
      snapshotState: () => splits,
      close: () => {},
    };
  }
  getSplitSerializer() {
    return splitSerializer;
  }
  getEnumeratorCheckpointSerializer(): SimpleVersionedSerializer<null> {
    return { getVersion: () => 1, serialize: () => new Uint8Array(0), deserialize: () => null };
  }
}

/** [window end, count, processing time at which the window fired, when the silence ended (if the marker is in this window)]. */
export type Fired = [number, number, number, number | null];

class WhenFired extends ProcessWindowFunction<Tick, Fired, number, TimeWindow> {
  process(_key: number, ctx: ProcessWindowContext<TimeWindow>, elements: Iterable<Tick>, out: Collector<Fired>): void {
    let n = 0;
    let ended: number | null = null;
    for (const e of elements) {
      if (e.silenceEndedAt !== undefined) ended = e.silenceEndedAt;
      else n++;
    }
    out.collect([ctx.window().getEnd(), n, Date.now(), ended]);
  }
}

export default defineJob((env, params) => {
  const idleness = params.getNumber('idleness', 0);
  let strategy = WatermarkStrategy.forBoundedOutOfOrderness<Tick>(10).withTimestampAssigner((t) => t.ts);
  if (idleness > 0) strategy = strategy.withIdleness(idleness);
  env
    .fromSource(new TwoSplitSource(params.getNumber('events', 1000), params.getNumber('silent-ms', 2500)), strategy, 'Two Splits')
    .setParallelism(1)
    .keyBy(() => 0)
    .window(TumblingEventTimeWindows.of(Time.milliseconds(1000)))
    .process(new WhenFired())
    .addCollectSink('fired');
});
