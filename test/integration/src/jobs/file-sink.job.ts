import { defineJob } from '@riffle/datastream';
import { DefaultRollingPolicy, FileSink, OutputFileConfig, SimpleStringEncoder, type BucketAssigner } from '@riffle/connector-files';

/** Buckets records `rec-<n>` by `n % 4`. */
const byResidue: BucketAssigner<string> = { getBucketId: (s) => `mod-${Number(s.slice(4)) % 4}` };

/** Writes `rec-0` .. `rec-<records-1>` as text lines into `--out`, rolling part files every `--part-size` bytes. */
export default defineJob((env, params) => {
  const records = params.getNumber('records', 1000);
  const sink = FileSink.forRowFormat<string>(params.getRequired('out'), new SimpleStringEncoder<string>())
    .withBucketAssigner(byResidue)
    .withRollingPolicy(DefaultRollingPolicy.builder().withMaxPartSize(params.getNumber('part-size', 64 * 1024)).build())
    .withOutputFileConfig(OutputFileConfig.builder().withPartPrefix('part').withPartSuffix('.txt').build())
    .build();
  env
    .fromSequence(0, records - 1)
    .map((n) => `rec-${n}`)
    .name('Format')
    .sinkTo(sink)
    .name('Files');
});
