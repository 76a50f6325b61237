import { KeyedProcessFunction, type Collector, type KeyedProcessContext } from '@riffle/core';
import { defineJob } from '@riffle/datastream';

/** Emits, for every record, the key and the subtask that processed it. */
class WhereAmI extends KeyedProcessFunction<string, number, [string, number]> {
  processElement(_value: number, ctx: KeyedProcessContext<string>, out: Collector<[string, number]>): void {
    out.collect([ctx.getCurrentKey(), this.getRuntimeContext().getIndexOfThisSubtask()]);
  }
}

export default defineJob((env, params) => {
  const keys = params.getNumber('keys', 1000);
  env
    .fromSequence(0, params.getNumber('records', 20000) - 1)
    .keyBy((x) => `key-${x % keys}`)
    .process(new WhereAmI())
    .name('WhereAmI')
    .addCollectSink('placement');
});
