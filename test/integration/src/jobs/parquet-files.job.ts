import { WatermarkStrategy } from '@riffle/core';
import { defineJob } from '@riffle/datastream';
import { FileDeadLetterRouter, FileSink, FileSource, OutputFileConfig, isFileDeadLetter, type BucketAssigner, type FileDeadLetter } from '@riffle/connector-files';
import { OutputTag } from '@riffle/core';
import { ParquetFormat, ParquetWriters } from '@riffle/connector-parquet';

/** A row of the Parquet integration test. */
export interface ParquetTestRow {
  id: number;
  name: string | null;
  amount: number;
  ts: number;
}

const BASE = Date.UTC(2024, 5, 30, 22, 0, 0);

/** Row `i`: three hours of timestamps, every 10th name null. */
export function parquetTestRow(i: number): ParquetTestRow {
  return { id: i, name: i % 10 === 0 ? null : `n${i % 50}`, amount: i / 4, ts: BASE + (i % 10_800) * 1000 };
}

/** `dt=YYYY-MM-DD/hour=HH` of the row's own timestamp (UTC). */
const hourly: BucketAssigner<ParquetTestRow> = {
  getBucketId: (r) => {
    const iso = new Date(r.ts).toISOString();
    return `dt=${iso.slice(0, 10)}/hour=${iso.slice(11, 13)}`;
  },
};

/**
 * `--mode write --out DIR --records N`: rows → FileSink of Parquet files bucketed by hour.
 * `--mode read --in DIR`: every Parquet file under DIR → rows (ts as epoch ms) collected under 'rows'.
 * With `--dead-letters`, unreadable files go to a dead-letter side output collected under 'dead'.
 */
export default defineJob((env, params) => {
  if (params.getRequired('mode') === 'write') {
    const sink = FileSink.forBulkFormat<ParquetTestRow>(
      params.getRequired('out'),
      ParquetWriters.forRows<ParquetTestRow>({ id: 'int64', name: { type: 'string', nullable: true }, amount: 'double', ts: 'timestamp-millis' }).withRowGroupSize(1000),
    )
      .withBucketAssigner(hourly)
      .withOutputFileConfig(OutputFileConfig.builder().withPartSuffix('.parquet').build())
      .build();
    env
      .fromSequence(0, params.getNumber('records', 1000) - 1)
      .map((i: number) => parquetTestRow(i))
      .sinkTo(sink)
      .name('Parquet');
    return;
  }
  type Read = { id: number; name: string | null; amount: number; ts: Date };
  const toRow = (r: Read): ParquetTestRow => ({ id: r.id, name: r.name, amount: r.amount, ts: r.ts.getTime() });
  if (params.has('dead-letters')) {
    const tag = new OutputTag<FileDeadLetter>('bad-files');
    const source = FileSource.forBulkFileFormat(ParquetFormat.forRows<Read>(), params.getRequired('in')).setDeadLetterOutput(tag).build();
    const rows = env
      .fromSource(source, WatermarkStrategy.noWatermarks<Read | FileDeadLetter>().withTimestampAssigner((r, ts) => (isFileDeadLetter(r) ? ts : r.ts.getTime())), 'Parquet files')
      .process(new FileDeadLetterRouter<Read>(tag));
    rows.map(toRow).addCollectSink('rows');
    rows.getSideOutput(tag).addCollectSink('dead');
    return;
  }
  const source = FileSource.forBulkFileFormat(ParquetFormat.forRows<Read>(), params.getRequired('in')).build();
  env
    .fromSource(source, WatermarkStrategy.noWatermarks<Read>().withTimestampAssigner((r) => r.ts.getTime()), 'Parquet files')
    .map(toRow)
    .addCollectSink('rows');
});
