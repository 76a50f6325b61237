import { gunzipSync, gzipSync } from 'node:zlib';
import type { ParquetWriteOptions } from 'hyparquet-writer';
import type { Compressors as ReadCompressors } from 'hyparquet';

/** Page compression of written files. SNAPPY is the default, as in Flink and DuckDB. */
export type ParquetCompression = 'UNCOMPRESSED' | 'SNAPPY' | 'GZIP';

export const COMPRESSIONS: readonly ParquetCompression[] = ['UNCOMPRESSED', 'SNAPPY', 'GZIP'];

/** Compressors for the writer beyond its built-in snappy (gzip from node:zlib). */
export const WRITE_COMPRESSORS: NonNullable<ParquetWriteOptions['compressors']> = {
  GZIP: (input: Uint8Array) => gzipSync(input),
};

/** Decompressors for the reader beyond its built-in snappy (gzip from node:zlib). */
export const READ_COMPRESSORS: ReadCompressors = {
  GZIP: (input: Uint8Array) => gunzipSync(input),
};
