export { ParquetFormat } from './parquet-format.js';
export { ParquetWriters, ParquetWriterFactory } from './parquet-writers.js';
export type { ParquetWriterOptions } from './parquet-bulk-writer.js';
export { ParquetSchema, type ParquetField, type ParquetFieldSpec, type ParquetPrimitiveType, type ParquetSchemaSpec } from './parquet-schema.js';
export type { ParquetCompression } from './compression.js';
export { ParquetFile } from './parquet-file.js';
