import type { SchemaElement } from 'hyparquet';

/**
 * The primitive column types of a Riffle Parquet schema, and the JavaScript values of each:
 * - `int32`: number (a 32-bit integer); `int64`: number (read as number, or bigint with
 *   {@link ParquetFormat.withInt64AsBigInt}; bigints are written as given);
 * - `float`, `double`: number; `boolean`: boolean; `string`: string (UTF-8); `binary`: Uint8Array;
 * - `timestamp-millis`, `timestamp-micros`: written from a Date or epoch milliseconds (number),
 *   read as a Date (UTC instant; micros are truncated to millis by JavaScript's Date);
 * - `date`: written from a Date or days since the epoch, read as a Date (midnight UTC).
 */
export type ParquetPrimitiveType =
  | 'int32'
  | 'int64'
  | 'float'
  | 'double'
  | 'boolean'
  | 'string'
  | 'binary'
  | 'timestamp-millis'
  | 'timestamp-micros'
  | 'date';

/** A column: a primitive, a struct of named fields (a Parquet group), or a list of elements. */
export type ParquetField =
  | { readonly type: ParquetPrimitiveType; readonly nullable?: boolean }
  | { readonly type: 'struct'; readonly fields: ParquetSchemaSpec; readonly nullable?: boolean }
  | { readonly type: 'list'; readonly element: ParquetFieldSpec; readonly nullable?: boolean };

/** A field, or the name of a primitive type for a required (not nullable) column. */
export type ParquetFieldSpec = ParquetPrimitiveType | ParquetField;

/** Columns by name, in file order. */
export type ParquetSchemaSpec = { readonly [column: string]: ParquetFieldSpec };

const PRIMITIVES: ReadonlySet<string> = new Set([
  'int32',
  'int64',
  'float',
  'double',
  'boolean',
  'string',
  'binary',
  'timestamp-millis',
  'timestamp-micros',
  'date',
]);

/** A validated schema: the fields with their specs normalised to objects. */
export class ParquetSchema {
  readonly fields: ReadonlyArray<{ readonly name: string; readonly field: ParquetField }>;

  private constructor(fields: Array<{ name: string; field: ParquetField }>) {
    this.fields = fields;
  }

  /** Validates `spec`; throws naming the bad column. */
  static of(spec: ParquetSchemaSpec | ParquetSchema): ParquetSchema {
    if (spec instanceof ParquetSchema) return spec;
    if (spec === null || typeof spec !== 'object') throw new Error('ParquetSchema: the schema must be an object of columns');
    const fields = Object.entries(spec).map(([name, f]) => ({ name, field: normalise(name, f) }));
    if (fields.length === 0) throw new Error('ParquetSchema: the schema must have at least one column');
    return new ParquetSchema(fields);
  }

  /** The column names, in order. */
  get columnNames(): string[] {
    return this.fields.map((f) => f.name);
  }

  /** The Parquet schema elements (depth first, with the root), as written into the footer. */
  toSchemaElements(): SchemaElement[] {
    const out: SchemaElement[] = [{ name: 'root', num_children: this.fields.length }];
    for (const { name, field } of this.fields) appendElements(out, name, field);
    return out;
  }

  /**
   * The Riffle schema of a file's Parquet schema elements, for the columns it can represent;
   * throws naming a column of an unsupported type.
   */
  static fromSchemaElements(elements: readonly SchemaElement[]): ParquetSchema {
    const cursor = { i: 1 };
    const root = elements[0];
    const fields: Array<{ name: string; field: ParquetField }> = [];
    for (let c = 0; c < (root?.num_children ?? 0); c++) {
      const e = elements[cursor.i];
      fields.push({ name: e.name, field: fromElement(elements, cursor) });
    }
    return new ParquetSchema(fields);
  }
}

function normalise(path: string, spec: ParquetFieldSpec): ParquetField {
  if (typeof spec === 'string') {
    if (!PRIMITIVES.has(spec)) throw new Error(`ParquetSchema: column '${path}' has unknown type '${spec}'`);
    return { type: spec };
  }
  if (spec === null || typeof spec !== 'object') throw new Error(`ParquetSchema: column '${path}' must be a type name or a field object`);
  const nullable = spec.nullable === true;
  if (spec.type === 'struct') {
    const entries = Object.entries(spec.fields ?? {});
    if (entries.length === 0) throw new Error(`ParquetSchema: struct column '${path}' must have fields`);
    const fields: Record<string, ParquetField> = {};
    for (const [n, f] of entries) fields[n] = normalise(`${path}.${n}`, f);
    return { type: 'struct', fields, nullable };
  }
  if (spec.type === 'list') return { type: 'list', element: normalise(`${path}[]`, spec.element), nullable };
  if (!PRIMITIVES.has(spec.type)) throw new Error(`ParquetSchema: column '${path}' has unknown type '${String(spec.type)}'`);
  return { type: spec.type, nullable };
}

function appendElements(out: SchemaElement[], name: string, field: ParquetField, repetition?: 'REPEATED'): void {
  const repetition_type = repetition ?? (field.nullable ? 'OPTIONAL' : 'REQUIRED');
  switch (field.type) {
    case 'struct': {
      const entries = Object.entries(field.fields);
      out.push({ name, repetition_type, num_children: entries.length });
      for (const [n, f] of entries) appendElements(out, n, f as ParquetField);
      return;
    }
    case 'list':
      // The standard three-level list: <name> (LIST) → repeated group list → element.
      out.push({ name, repetition_type, num_children: 1, converted_type: 'LIST' });
      out.push({ name: 'list', repetition_type: 'REPEATED', num_children: 1 });
      appendElements(out, 'element', field.element as ParquetField);
      return;
    default:
      out.push({ name, repetition_type, ...primitiveElement(field.type) });
  }
}

function primitiveElement(type: ParquetPrimitiveType): Omit<SchemaElement, 'name'> {
  switch (type) {
    case 'int32':
      return { type: 'INT32' };
    case 'int64':
      return { type: 'INT64' };
    case 'float':
      return { type: 'FLOAT' };
    case 'double':
      return { type: 'DOUBLE' };
    case 'boolean':
      return { type: 'BOOLEAN' };
    case 'string':
      return { type: 'BYTE_ARRAY', converted_type: 'UTF8' };
    case 'binary':
      return { type: 'BYTE_ARRAY' };
    case 'timestamp-millis':
      return { type: 'INT64', converted_type: 'TIMESTAMP_MILLIS' };
    case 'timestamp-micros':
      return { type: 'INT64', converted_type: 'TIMESTAMP_MICROS' };
    case 'date':
      return { type: 'INT32', converted_type: 'DATE' };
  }
}

function fromElement(elements: readonly SchemaElement[], cursor: { i: number }): ParquetField {
  const e = elements[cursor.i++];
  const nullable = e.repetition_type === 'OPTIONAL';
  if (e.num_children !== undefined && e.num_children > 0) {
    if (e.converted_type === 'LIST' || e.logical_type?.type === 'LIST') {
      const repeated = elements[cursor.i++];
      let element: ParquetField;
      if ((repeated.num_children ?? 0) === 1) element = fromElement(elements, cursor);
      else throw new Error(`Parquet column '${e.name}': only lists of one element field are supported`);
      return { type: 'list', element, nullable };
    }
    const fields: Record<string, ParquetField> = {};
    for (let c = 0; c < e.num_children; c++) {
      const child = elements[cursor.i];
      fields[child.name] = fromElement(elements, cursor);
    }
    return { type: 'struct', fields, nullable };
  }
  return { type: primitiveOf(e), nullable };
}

function primitiveOf(e: SchemaElement): ParquetPrimitiveType {
  const lt = e.logical_type;
  // hyparquet decodes decimals (any physical type) to numbers.
  if (e.converted_type === 'DECIMAL' || lt?.type === 'DECIMAL') return 'double';
  if (e.converted_type === 'UTF8' || lt?.type === 'STRING' || e.converted_type === 'JSON' || e.converted_type === 'ENUM') return 'string';
  if (e.converted_type === 'DATE' || lt?.type === 'DATE') return 'date';
  if (e.converted_type === 'TIMESTAMP_MILLIS' || (lt?.type === 'TIMESTAMP' && lt.unit === 'MILLIS')) return 'timestamp-millis';
  if (e.converted_type === 'TIMESTAMP_MICROS' || (lt?.type === 'TIMESTAMP' && lt.unit !== 'MILLIS')) return 'timestamp-micros';
  switch (e.type) {
    case 'INT32':
      return 'int32';
    case 'INT64':
      return 'int64';
    case 'FLOAT':
      return 'float';
    case 'DOUBLE':
      return 'double';
    case 'BOOLEAN':
      return 'boolean';
    case 'BYTE_ARRAY':
      return 'binary';
    default:
      throw new Error(`Parquet column '${e.name}' has type ${String(e.type)}${e.converted_type ? ` (${e.converted_type})` : ''}, which Riffle does not map`);
  }
}
