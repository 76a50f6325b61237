import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import type { ColumnSource, SchemaElement } from 'hyparquet-writer';
import type { BulkOutputStream, BulkWriter } from '@riffle/connector-files';
import { WRITE_COMPRESSORS, type ParquetCompression } from './compression.js';
import type { ParquetField, ParquetSchema } from './parquet-schema.js';

/** Turns a record's value into what hyparquet-writer takes for a column; identity when `undefined`. */
type Converter = ((v: unknown) => unknown) | undefined;

function converterOf(field: ParquetField): Converter {
  switch (field.type) {
    case 'int64':
      return (v) => (typeof v === 'number' ? BigInt(v) : v);
    case 'timestamp-micros':
      // Epoch milliseconds, as for timestamp-millis (the library would take a number as micros).
      return (v) => (typeof v === 'number' ? new Date(v) : v);
    case 'struct': {
      const entries = Object.entries(field.fields).map(([n, f]) => [n, converterOf(f as ParquetField)] as const);
      if (entries.every(([, c]) => c === undefined)) return undefined;
      return (v) => {
        if (v === null || v === undefined) return v;
        const o: Record<string, unknown> = { ...(v as Record<string, unknown>) };
        for (const [n, c] of entries) if (c) o[n] = c(o[n]);
        return o;
      };
    }
    case 'list': {
      const c = converterOf(field.element as ParquetField);
      return c ? (v) => (Array.isArray(v) ? v.map(c) : v) : undefined;
    }
    default:
      return undefined;
  }
}

/** A column buffer: a typed array for required numeric columns (no boxing), else an array. */
type ColumnBuffer = unknown[] | Int32Array | Float32Array | Float64Array | BigInt64Array;

/** The typed-array buffer of a required numeric column, with the store conversion, or undefined. */
function typedColumnOf(field: ParquetField): { make: (n: number) => ColumnBuffer; store: string } | undefined {
  if (field.nullable) return undefined;
  switch (field.type) {
    case 'int32':
      return { make: (n) => new Int32Array(n), store: 'v' };
    case 'float':
      return { make: (n) => new Float32Array(n), store: 'v' };
    case 'double':
      return { make: (n) => new Float64Array(n), store: 'v' };
    case 'int64':
      return { make: (n) => new BigInt64Array(n), store: "(typeof v === 'bigint' ? v : BigInt(v))" };
    case 'timestamp-millis':
      return { make: (n) => new Float64Array(n), store: "(typeof v === 'number' ? v : v.getTime())" };
    default:
      return undefined;
  }
}

/**
 * Stores row `row` at index `n` of the column buffers. Compiled once per schema (see
 * {@link compileStore}) so that the per-record path is straight-line code with constant
 * property names: a generic loop over column names makes every property read a keyed lookup and
 * costs about a fifth of the writer's throughput.
 */
type StoreRow = (row: Record<string, unknown>, n: number, columns: ColumnBuffer[], converters: Converter[], fail: (c: number) => never) => void;

/** Compiles the {@link StoreRow} of `fields`. Names are embedded as JSON string literals. */
function compileStore(fields: ParquetSchema['fields'], converters: readonly Converter[]): StoreRow {
  const lines = fields.map(({ name, field }, c) => {
    const read = `const v = row[${JSON.stringify(name)}];`;
    const typed = typedColumnOf(field);
    if (typed) return `{ ${read} if (v === undefined || v === null) fail(${c}); columns[${c}][n] = ${typed.store}; }`;
    const value = converters[c] === undefined ? 'v' : `(v === null ? null : conv[${c}](v))`;
    return `{ ${read} columns[${c}][n] = v === undefined ? null : ${value}; }`;
  });
  // The body only indexes arrays with constants and reads properties with string literals.
  return new Function('row', 'n', 'columns', 'conv', 'fail', lines.join('\n')) as StoreRow;
}

/**
 * How the rows of one schema are buffered: the column names, their converters, the compiled
 * {@link StoreRow} and the buffer makers. Built once per writer factory and shared by all its
 * part files, so the store function stays optimised from one part file to the next (each
 * `new Function` starts cold).
 */
export class RowLayout {
  readonly names: readonly string[];
  readonly converters: Converter[];
  readonly store: StoreRow;
  /** Makes the buffer of each column, preallocated to the row group size so stores never grow it. */
  readonly makers: ReadonlyArray<(n: number) => ColumnBuffer>;
  readonly fail: (c: number) => never;
  /** Column buffers of finished part files, handed to the next ones (reallocating costs more than filling). */
  private readonly spare: ColumnBuffer[][] = [];

  constructor(
    schema: ParquetSchema,
    private readonly rowGroupSize: number,
  ) {
    const names = schema.fields.map((f) => f.name);
    this.names = names;
    this.converters = schema.fields.map((f) => converterOf(f.field));
    this.store = compileStore(schema.fields, this.converters);
    this.makers = schema.fields.map((f) => typedColumnOf(f.field)?.make ?? ((n: number) => new Array<unknown>(n)));
    this.fail = (c) => {
      throw new Error(`Parquet writer: column '${names[c]}' is not nullable but the record has no value for it`);
    };
  }

  /** A set of column buffers of `rowGroupSize` rows: a spare one, else new. */
  acquire(): ColumnBuffer[] {
    return this.spare.pop() ?? this.makers.map((make) => make(this.rowGroupSize));
  }

  /**
   * Takes back the buffers of a finished part file. Array buffers are cleared so that they hold
   * no values of a closed file; at most {@link MAX_SPARE_BUFFERS} sets are kept, never more than
   * were in use at once.
   */
  release(columns: ColumnBuffer[]): void {
    if (this.spare.length >= MAX_SPARE_BUFFERS) return;
    for (const c of columns) if (Array.isArray(c)) c.fill(undefined);
    this.spare.push(columns);
  }
}

/** Spare sets of column buffers a {@link RowLayout} keeps for its next part files. */
const MAX_SPARE_BUFFERS = 2;

/** Options of the Parquet bulk writer. */
export interface ParquetWriterOptions {
  readonly compression: ParquetCompression;
  /** Rows per row group (the last one of a file may be smaller). */
  readonly rowGroupSize: number;
  /** Min/max statistics per column chunk (lets readers such as DuckDB skip row groups). */
  readonly statistics: boolean;
}

/** Writes hyparquet-writer's output to the part file's stream at each flush (after each row group). */
class StreamByteWriter extends ByteWriter {
  constructor(private readonly out: BulkOutputStream) {
    super(1 << 16);
  }

  flush(): void {
    if (this.index === 0) return;
    this.out.write(this.getBytes());
    this.index = 0;
  }

  override finish(): void {
    this.flush();
  }
}

/**
 * Writes one Parquet part file: rows are buffered column by column (a store into an array per
 * column; no per-record allocation beyond int64 conversion) and encoded as a row group, with
 * hyparquet-writer, each time `rowGroupSize` rows are buffered; `finish` encodes the rest and
 * writes the footer. Everything is synchronous: encoding a row group blocks the task for its
 * duration (bounded by the row group size), which is the sink's natural backpressure.
 *
 * A record is a plain object with the schema's columns as properties; a missing or `undefined`
 * property is null (which a non-nullable column rejects when the row group is encoded).
 */
export class ParquetBulkWriter<T extends object> implements BulkWriter<T> {
  private readonly writer: ParquetWriter;
  private readonly bytes: StreamByteWriter;
  private columns: ColumnBuffer[];
  private rows = 0;
  private finished = false;

  constructor(
    out: BulkOutputStream,
    private readonly layout: RowLayout,
    elements: SchemaElement[],
    private readonly options: ParquetWriterOptions,
  ) {
    this.bytes = new StreamByteWriter(out);
    this.writer = new ParquetWriter({
      writer: this.bytes,
      schema: elements,
      codec: options.compression,
      compressors: WRITE_COMPRESSORS,
      statistics: options.statistics,
      createdBy: 'riffle (hyparquet-writer)',
    });
    this.columns = layout.acquire();
  }

  addElement(element: T): void {
    const layout = this.layout;
    layout.store(element as Record<string, unknown>, this.rows, this.columns, layout.converters, layout.fail);
    if (++this.rows === this.options.rowGroupSize) this.writeRowGroup();
  }

  finish(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.rows > 0) this.writeRowGroup();
    this.writer.finish();
    this.layout.release(this.columns);
    this.columns = [];
  }

  private writeRowGroup(): void {
    const n = this.rows;
    const columnData: ColumnSource[] = this.layout.names.map((name, c) => {
      const data = this.columns[c];
      // A partial (last) group: a copy of the array (which keeps its length for reuse), a view of a typed array.
      if (Array.isArray(data)) return { name, data: data.length === n ? data : data.slice(0, n) };
      return { name, data: data.length === n ? data : data.subarray(0, n) };
    });
    this.rows = 0;
    // The buffers are reused for the next row group (and, through the layout, the next part
    // file): hyparquet-writer copies each column (`data.slice`) and encodes the group before
    // `write` returns (our flush never returns a promise), keeping no reference to them.
    // Reallocating ~2.5 MiB per group (benchmark schema) made the old generation grow.
    try {
      void this.writer.write({ columnData, rowGroupSize: n });
    } catch (cause) {
      throw new Error(`Parquet writer: could not encode a row group of ${n} rows: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    }
  }
}
