import { DataGeneratorSource } from '@riffle/connector-datagen';
import { Types } from '@riffle/core';
import { defineJob } from '@riffle/datastream';

/** `--records` indexes from a DataGeneratorSource paced at `--rate` records/s per subtask, collected as 'out'. */
export default defineJob((env, params) => {
  const source = new DataGeneratorSource((i) => i * 2, params.getNumber('records', 10_000), { recordsPerSecond: params.getNumber('rate', 5000) }, Types.NUMBER);
  env.fromSource(source, undefined, 'Paced Generator', source.getProducedType()).addCollectSink('out');
});
