import { AbstractRichFunction, OutputTag, Time } from '@riffle/core';
import { describe, expect, it } from 'vitest';
import { StreamExecutionEnvironment } from '../environment/stream-execution-environment.js';
import { EventTimeSessionWindows } from '../windowing/assigners/session-windows.js';
import { TumblingEventTimeWindows } from '../windowing/assigners/tumbling-event-time-windows.js';
import { Trigger, TriggerResult } from '../windowing/triggers/trigger.js';
import type { Window } from '../windowing/windows/window.js';
import type { KeyedStream } from './data-stream.js';

type Ev = [string, number];

function keyed(): KeyedStream<Ev, string> {
  return new StreamExecutionEnvironment().fromElements<Ev>(['a', 1]).keyBy((e) => e[0]);
}

class NonMergingTrigger extends Trigger<unknown, Window> {
  onElement(): TriggerResult {
    return TriggerResult.CONTINUE;
  }
  onEventTime(): TriggerResult {
    return TriggerResult.CONTINUE;
  }
  onProcessingTime(): TriggerResult {
    return TriggerResult.CONTINUE;
  }
  clear(): void {}
}

describe('WindowedStream', () => {
  it('names the operator after the assigner, trigger and functions, on the keyed input', () => {
    const sumOf = (a: Ev, b: Ev): Ev => [a[0], a[1] + b[1]];
    const out = keyed().window(TumblingEventTimeWindows.of(Time.seconds(5))).reduce(sumOf);
    expect(out.getName()).toBe('Window(TumblingEventTimeWindows(5000), EventTimeTrigger, sumOf, PassThroughWindowFunction)');
    expect((out.getTransformation() as unknown as { keySelector: unknown }).keySelector).toBeDefined();
  });

  it('rejects a trigger that cannot merge for merging windows', () => {
    expect(() => keyed().window(EventTimeSessionWindows.withGap(10)).trigger(new NonMergingTrigger())).toThrow(/merging window assigner/);
    expect(() => keyed().window(TumblingEventTimeWindows.of(10)).trigger(new NonMergingTrigger())).not.toThrow();
  });

  it('rejects negative lateness, bad tags and non-assigners when the job is built', () => {
    const w = keyed().window(TumblingEventTimeWindows.of(10));
    expect(() => w.allowedLateness(-1)).toThrow(/cannot be negative/);
    expect(() => w.sideOutputLateData(undefined as unknown as OutputTag<Ev>)).toThrow(/OutputTag/);
    expect(() => keyed().window({} as never)).toThrow(/WindowAssigner/);
    expect(() => w.evictor({} as never)).toThrow(/Evictor/);
  });

  it('rejects rich reduce and aggregate functions, as Flink does', () => {
    class RichSum extends AbstractRichFunction {
      reduce(a: Ev, b: Ev): Ev {
        return [a[0], a[1] + b[1]];
      }
    }
    expect(() => keyed().window(TumblingEventTimeWindows.of(10)).reduce(new RichSum())).toThrow(/cannot be a rich function/);
    expect(() => keyed().window(TumblingEventTimeWindows.of(10)).aggregate({} as never)).toThrow(/AggregateFunction/);
  });
});
