import type { SchemaElement } from 'hyparquet-writer';
import type { BulkOutputStream, BulkWriter, BulkWriterFactory } from '@riffle/connector-files';
import { COMPRESSIONS, type ParquetCompression } from './compression.js';
import { ParquetBulkWriter, RowLayout, type ParquetWriterOptions } from './parquet-bulk-writer.js';
import { ParquetSchema, type ParquetSchemaSpec } from './parquet-schema.js';

const DEFAULTS: ParquetWriterOptions = { compression: 'SNAPPY', rowGroupSize: 64 * 1024, statistics: true };

/**
 * Creates the Parquet writer of each part file of a `FileSink.forBulkFormat` sink. Immutable:
 * each `with*` returns a new factory; options are validated when set (at job build time).
 * Bulk part files roll at every checkpoint, so each checkpoint publishes whole Parquet files.
 */
export class ParquetWriterFactory<T extends object> implements BulkWriterFactory<T> {
  private readonly elements: SchemaElement[];
  private readonly layout: RowLayout;

  /** @internal use {@link ParquetWriters.forRows}. */
  constructor(
    readonly schema: ParquetSchema,
    readonly options: ParquetWriterOptions,
  ) {
    this.elements = schema.toSchemaElements();
    this.layout = new RowLayout(schema, options.rowGroupSize);
  }

  /** Page compression: `'SNAPPY'` (default), `'GZIP'` or `'UNCOMPRESSED'`. */
  withCompression(compression: ParquetCompression): ParquetWriterFactory<T> {
    if (!COMPRESSIONS.includes(compression)) throw new Error(`ParquetWriters: 'compression' must be one of ${COMPRESSIONS.join(', ')}, got ${String(compression)}`);
    return new ParquetWriterFactory<T>(this.schema, { ...this.options, compression });
  }

  /** Rows per row group (default 65,536): the unit of buffering in memory and of parallel reading. */
  withRowGroupSize(rows: number): ParquetWriterFactory<T> {
    if (!Number.isInteger(rows) || rows <= 0) throw new Error(`ParquetWriters: 'rowGroupSize' must be a positive integer, got ${String(rows)}`);
    return new ParquetWriterFactory<T>(this.schema, { ...this.options, rowGroupSize: rows });
  }

  /** Whether to write min/max statistics per column chunk (default true). */
  withStatistics(enabled: boolean): ParquetWriterFactory<T> {
    return new ParquetWriterFactory<T>(this.schema, { ...this.options, statistics: enabled });
  }

  create(out: BulkOutputStream): BulkWriter<T> {
    return new ParquetBulkWriter<T>(out, this.layout, this.elements, this.options);
  }
}

/** Parquet writers for `FileSink.forBulkFormat` (Flink's `ParquetWriters` / `AvroParquetWriters`). */
export const ParquetWriters = {
  /**
   * A writer of plain-object records with the columns of `schema` (validated now; throws
   * naming the bad column).
   *
   * ```ts
   * FileSink.forBulkFormat('/data/events', ParquetWriters.forRows<Event>({
   *   id: 'int64', user: 'string', amount: { type: 'double', nullable: true }, ts: 'timestamp-millis',
   * }).withCompression('GZIP')).build();
   * ```
   */
  forRows<T extends object = Record<string, unknown>>(schema: ParquetSchemaSpec | ParquetSchema): ParquetWriterFactory<T> {
    return new ParquetWriterFactory<T>(ParquetSchema.of(schema), DEFAULTS);
  },
};
