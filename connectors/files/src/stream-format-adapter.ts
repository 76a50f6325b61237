import type { BulkFormat, FileBlock, FileBlockReader, StreamFormat } from './file-source-format.js';

const BATCH = 1024;

/** Reads a {@link StreamFormat} as a {@link BulkFormat} of one block per file, in batches of 1024 records. */
export class StreamFormatAdapter<T> implements BulkFormat<T> {
  constructor(readonly format: StreamFormat<T>) {}

  listBlocks(): Promise<readonly FileBlock[]> {
    return Promise.resolve([{ records: -1 }]);
  }

  createReader(path: string, block: number, skip: number): Promise<FileBlockReader<T>> {
    if (block !== 0) return Promise.reject(new Error(`a stream format has one block per file, not block ${block}`));
    return Promise.resolve(new StreamBlockReader(this.format.read(path)[Symbol.asyncIterator](), skip));
  }
}

class StreamBlockReader<T> implements FileBlockReader<T> {
  constructor(
    private readonly it: AsyncIterator<T>,
    private skip: number,
  ) {}

  async readBatch(): Promise<readonly T[] | undefined> {
    const batch: T[] = [];
    while (batch.length < BATCH) {
      const r = await this.it.next();
      if (r.done) break;
      if (this.skip > 0) {
        this.skip--;
        continue;
      }
      batch.push(r.value);
    }
    return batch.length > 0 ? batch : undefined;
  }

  async close(): Promise<void> {
    await this.it.return?.();
  }
}
