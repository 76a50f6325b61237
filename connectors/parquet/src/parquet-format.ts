import type { BulkFormat, FileBlock, FileBlockReader } from '@riffle/connector-files';
import { ParquetFile } from './parquet-file.js';
import { ParquetSchema, type ParquetField, type ParquetSchemaSpec } from './parquet-schema.js';

/** How the reader converts a decoded value; `undefined` = as decoded. */
type Converter = ((v: unknown) => unknown) | undefined;

function int64Converter(field: ParquetField): Converter {
  switch (field.type) {
    case 'int64':
      return (v) => (typeof v === 'bigint' ? Number(v) : v);
    case 'struct': {
      const entries = Object.entries(field.fields).map(([n, f]) => [n, int64Converter(f as ParquetField)] as const);
      if (entries.every(([, c]) => c === undefined)) return undefined;
      return (v) => {
        if (v === null || v === undefined) return v;
        const o = v as Record<string, unknown>;
        for (const [n, c] of entries) if (c) o[n] = c(o[n]);
        return o;
      };
    }
    case 'list': {
      const c = int64Converter(field.element as ParquetField);
      return c ? (v) => (Array.isArray(v) ? v.map(c) : v) : undefined;
    }
    default:
      return undefined;
  }
}

function sameType(a: ParquetField, b: ParquetField): boolean {
  if (a.type !== b.type) return false;
  if (a.type === 'struct' && b.type === 'struct') {
    const an = Object.keys(a.fields);
    return an.length === Object.keys(b.fields).length && an.every((n) => b.fields[n] !== undefined && sameType(a.fields[n] as ParquetField, b.fields[n] as ParquetField));
  }
  if (a.type === 'list' && b.type === 'list') return sameType(a.element as ParquetField, b.element as ParquetField);
  return true;
}

function describe(f: ParquetField): string {
  if (f.type === 'struct') return `struct<${Object.entries(f.fields).map(([n, x]) => `${n}: ${describe(x as ParquetField)}`).join(', ')}>`;
  if (f.type === 'list') return `list<${describe(f.element as ParquetField)}>`;
  return f.type;
}

/**
 * Reads Parquet files as plain-object rows for `FileSource.forBulkFileFormat` (Flink's
 * `ParquetColumnarRowInputFormat`). Each row group is one split, read whole into memory when
 * its split starts (rows are emitted from memory; a restored split skips the rows already
 * emitted). Immutable: `with*` returns a new format.
 *
 * Without a schema, every column of each file is read with the file's own types. With a schema
 * ({@link ParquetFormat.forRows}), exactly the schema's columns are read and each file must
 * have them with the same types (nullability may differ): a mismatch fails the split with an
 * error naming the column. Values: see {@link ParquetPrimitiveType}; a null value (including a
 * null struct or list) is `null`.
 */
export class ParquetFormat<T extends object = Record<string, unknown>> implements BulkFormat<T> {
  private constructor(
    readonly schema: ParquetSchema | undefined,
    readonly projection: readonly string[] | undefined,
    readonly int64AsBigInt: boolean,
  ) {}

  /** A format reading rows; `schema` (optional) fixes the columns and their types. */
  static forRows<T extends object = Record<string, unknown>>(schema?: ParquetSchemaSpec | ParquetSchema): ParquetFormat<T> {
    return new ParquetFormat<T>(schema === undefined ? undefined : ParquetSchema.of(schema), undefined, false);
  }

  /** Reads only `columns` (top-level names, in this order); each must be in the schema when one is given. */
  withProjection(columns: readonly string[]): ParquetFormat<T> {
    if (!Array.isArray(columns) || columns.length === 0) throw new Error("ParquetFormat: 'projection' must be a non-empty list of column names");
    for (const c of columns) {
      if (typeof c !== 'string' || c.length === 0) throw new Error(`ParquetFormat: 'projection' has an invalid column name ${JSON.stringify(c)}`);
      if (this.schema && !this.schema.columnNames.includes(c)) throw new Error(`ParquetFormat: projected column '${c}' is not in the schema (${this.schema.columnNames.join(', ')})`);
    }
    return new ParquetFormat<T>(this.schema, [...columns], this.int64AsBigInt);
  }

  /** Reads int64 columns as bigint instead of number (numbers lose precision beyond 2^53). */
  withInt64AsBigInt(): ParquetFormat<T> {
    return new ParquetFormat<T>(this.schema, this.projection, true);
  }

  async listBlocks(path: string): Promise<readonly FileBlock[]> {
    const file = await ParquetFile.open(path);
    try {
      return file.rowGroupSizes().map((records) => ({ records }));
    } finally {
      await file.close();
    }
  }

  async createReader(path: string, block: number, skip: number): Promise<FileBlockReader<T>> {
    const file = await ParquetFile.open(path);
    try {
      const sizes = file.rowGroupSizes();
      if (block >= sizes.length) throw new Error(`the file has ${sizes.length} row groups, no row group ${block} (was it replaced?)`);
      const fileSchema = ParquetSchema.fromSchemaElements(file.metadata.schema);
      const byName = new Map(fileSchema.fields.map((f) => [f.name, f.field]));
      const columns = this.projection ?? this.schema?.columnNames;
      const read: Array<{ name: string; field: ParquetField }> = [];
      for (const name of columns ?? fileSchema.columnNames) {
        const actual = byName.get(name);
        if (!actual) throw new Error(`column '${name}' is not in the file (it has ${fileSchema.columnNames.join(', ')})`);
        const declared = this.schema?.fields.find((f) => f.name === name)?.field;
        if (declared && !sameType(declared, actual)) throw new Error(`column '${name}' is ${describe(actual)} in the file, the schema says ${describe(declared)}`);
        read.push({ name, field: actual });
      }
      // Every read column gets a converter: null for absent values (hyparquet leaves null groups
      // undefined), and int64 → number unless bigints were asked for.
      const converters = read.map((c) => [c.name, this.int64AsBigInt ? undefined : int64Converter(c.field)] as const);
      return new ParquetRowGroupReader<T>(file, block, skip, sizes[block], columns ? read.map((c) => c.name) : undefined, converters);
    } catch (error) {
      await file.close();
      throw error;
    }
  }
}

/** Reads one row group in one batch. */
class ParquetRowGroupReader<T> implements FileBlockReader<T> {
  private done = false;

  constructor(
    private readonly file: ParquetFile,
    private readonly rowGroup: number,
    private readonly skip: number,
    private readonly rows: number,
    private readonly columns: string[] | undefined,
    private readonly converters: ReadonlyArray<readonly [string, Converter]>,
  ) {}

  async readBatch(): Promise<readonly T[] | undefined> {
    if (this.done || this.skip >= this.rows) return undefined;
    this.done = true;
    const rows = await this.file.readRowGroup(this.rowGroup, this.skip, this.rows, this.columns);
    const converters = this.converters;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      for (let c = 0; c < converters.length; c++) {
        const [name, conv] = converters[c];
        const v = row[name];
        if (v === undefined) row[name] = null;
        else if (conv !== undefined && v !== null) row[name] = conv(v);
      }
    }
    return rows as unknown as T[];
  }

  close(): Promise<void> {
    return this.file.close();
  }
}
