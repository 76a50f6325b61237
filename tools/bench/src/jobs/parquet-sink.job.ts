import { DiscardingSink, defineJob } from '@riffle/datastream';
import { BasePathBucketAssigner, FileSink, OutputFileConfig } from '@riffle/connector-files';
import { ParquetWriters } from '@riffle/connector-parquet';
import { BENCH_SCHEMA, benchRow, type BenchRow } from './parquet-rows.js';

/**
 * `--records N --out DIR`: N generated rows → FileSink with the Parquet writer (snappy, 64K-row
 * groups). With `--discard`, the same rows go to a DiscardingSink instead (the runtime's share).
 */
export default defineJob((env, params) => {
  if (params.has('discard')) {
    env
      .fromSequence(0, params.getNumber('records', 1_000_000) - 1)
      .map((i: number) => benchRow(i))
      .sinkTo(new DiscardingSink<BenchRow>());
    return;
  }
  const sink = FileSink.forBulkFormat<BenchRow>(params.getRequired('out'), ParquetWriters.forRows<BenchRow>(BENCH_SCHEMA))
    .withBucketAssigner(new BasePathBucketAssigner<BenchRow>())
    .withOutputFileConfig(OutputFileConfig.builder().withPartSuffix('.parquet').build())
    .build();
  env
    .fromSequence(0, params.getNumber('records', 1_000_000) - 1)
    .map((i: number) => benchRow(i))
    .sinkTo(sink)
    .name('Parquet');
});
