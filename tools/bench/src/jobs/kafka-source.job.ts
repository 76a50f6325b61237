import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WatermarkStrategy, type Sink, type SinkInitContext, type SinkWriter } from '@riffle/core';
import { DiscardingSink, defineJob } from '@riffle/datastream';
import { KafkaSource, OffsetsInitializer, SimpleStringSchema } from '@riffle/connector-kafka';

/**
 * Discards records like `DiscardingSink`, and at the end of input writes when its subtask saw the
 * first and the last record (epoch ms) and how many, to `<dir>/stats-<subtask>.json`: the bench's
 * steady-state rate, without job start-up.
 */
class TimingDiscardingSink implements Sink<string> {
  constructor(private readonly dir: string) {}

  createWriter(context: SinkInitContext): SinkWriter<string> {
    const file = join(this.dir, `stats-${context.getSubtaskId()}.json`);
    let first = 0;
    let count = 0;
    return {
      write() {
        if (count++ === 0) first = performance.timeOrigin + performance.now();
      },
      flush(endOfInput) {
        if (endOfInput) writeFileSync(file, JSON.stringify({ first, last: performance.timeOrigin + performance.now(), count }));
      },
      close() {},
    };
  }
}

/**
 * Reads `--topic` on `--brokers` from earliest to latest as strings into a discarding sink (timing
 * it when `--stats-dir` is given); `--props k=v,...` sets source properties.
 */
export default defineJob((env, params) => {
  const source = KafkaSource.builder<string>()
    .setBootstrapServers(params.getRequired('brokers'))
    .setTopics(params.getRequired('topic'))
    .setStartingOffsets(OffsetsInitializer.earliest())
    .setBounded(OffsetsInitializer.latest())
    .setValueOnlyDeserializer(new SimpleStringSchema());
  for (const kv of params.get('props', '')!.split(',').filter((x) => x.length > 0)) {
    const [k, v] = kv.split('=');
    source.setProperty(k!, v!);
  }
  const statsDir = params.get('stats-dir');
  env.fromSource(source.build(), WatermarkStrategy.noWatermarks(), 'Kafka').sinkTo(statsDir ? new TimingDiscardingSink(statsDir) : new DiscardingSink<string>());
});
