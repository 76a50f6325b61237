import { WatermarkStrategy } from '@riffle/core';
import { defineJob } from '@riffle/datastream';

/** A timestamp assigner that returns undefined (`--case undefined`) or NaN (`--case nan`) for record 500. */
export default defineJob((env, params) => {
  const bad = params.getRequired('case') === 'nan' ? Number.NaN : (undefined as unknown as number);
  env
    .fromSequence(0, 1000)
    .assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps<number>().withTimestampAssigner((x) => (x === 500 ? bad : x)))
    .name('Stamp Events')
    .addCollectSink('out');
});
