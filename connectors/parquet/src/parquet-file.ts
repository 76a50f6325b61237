import { open, type FileHandle } from 'node:fs/promises';
import { parquetMetadataAsync, parquetReadObjects, type AsyncBuffer, type FileMetaData } from 'hyparquet';
import { READ_COMPRESSORS } from './compression.js';

/**
 * Riffle's reader interface over one Parquet file (the seam behind which the Parquet library
 * sits; hyparquet today). `open` reads the footer; `readRowGroup` decodes rows
 * `[from, to)` of one row group. Errors say what is wrong; callers add file and row group.
 */
export class ParquetFile {
  private constructor(
    private readonly handle: FileHandle,
    private readonly buffer: AsyncBuffer,
    readonly metadata: FileMetaData,
  ) {}

  /** Opens `path` and reads its footer; rejects when it is not a Parquet file. */
  static async open(path: string): Promise<ParquetFile> {
    const handle = await open(path, 'r');
    try {
      const { size } = await handle.stat();
      const buffer: AsyncBuffer = {
        byteLength: size,
        async slice(start: number, end?: number): Promise<ArrayBuffer> {
          const stop = Math.min(end ?? size, size);
          const bytes = new Uint8Array(Math.max(0, stop - start));
          let done = 0;
          while (done < bytes.length) {
            const { bytesRead } = await handle.read(bytes, done, bytes.length - done, start + done);
            if (bytesRead === 0) throw new Error(`unexpected end of file at byte ${start + done} (file size ${size})`);
            done += bytesRead;
          }
          return bytes.buffer;
        },
      };
      if (size < 12) throw new Error(`not a Parquet file: ${size} bytes is shorter than the Parquet magic and footer`);
      let metadata: FileMetaData;
      try {
        metadata = await parquetMetadataAsync(buffer);
      } catch (cause) {
        throw new Error(`not a Parquet file or its footer is corrupt: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
      }
      return new ParquetFile(handle, buffer, metadata);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** Row counts of the row groups, in order. */
  rowGroupSizes(): number[] {
    return this.metadata.row_groups.map((rg) => Number(rg.num_rows));
  }

  /** Decodes rows `[from, to)` (within the row group) of row group `index` as objects with `columns` (all when undefined). */
  async readRowGroup(index: number, from: number, to: number, columns: string[] | undefined): Promise<Record<string, unknown>[]> {
    const sizes = this.rowGroupSizes();
    if (index < 0 || index >= sizes.length) throw new Error(`the file has ${sizes.length} row groups, no row group ${index} (was it replaced?)`);
    let start = 0;
    for (let i = 0; i < index; i++) start += sizes[i];
    if (to <= from) return [];
    const rows = (await parquetReadObjects({
      file: this.buffer,
      metadata: this.metadata,
      rowStart: start + from,
      rowEnd: start + to,
      columns,
      compressors: READ_COMPRESSORS,
    })) as Record<string, unknown>[];
    if (rows.length !== to - from) throw new Error(`decoded ${rows.length} rows where the footer promises ${to - from}`);
    return rows;
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}
