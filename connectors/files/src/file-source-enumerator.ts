import { getLogger, type SplitEnumerator, type SplitEnumeratorContext } from '@riffle/core';
import type { FileEnumeratorState } from './file-enumerator-state.js';
import type { BulkFormat } from './file-source-format.js';
import { fileSourceSplit, type FileSourceSplit } from './file-source-split.js';
import { listFiles } from './file-listing.js';

const log = getLogger('FileSourceEnumerator');

/**
 * Lists the source's paths, turns every new file into splits (one per block, from the format's
 * metadata) and hands them to readers on request, first come first served (Flink's
 * `StaticFileSplitEnumerator` and `ContinuousFileSplitEnumerator` in one).
 *
 * Bounded: lists once in `start`; a reader asking when nothing is left gets "no more splits".
 * Continuous (`monitorInterval` > 0): lists again every interval and never signals the end;
 * readers that asked while nothing was pending get the next new split. Files already turned
 * into splits (`processedPaths`, checkpointed) are never read again, even if they change.
 */
export class FileSourceEnumerator<T> implements SplitEnumerator<FileSourceSplit, FileEnumeratorState> {
  private readonly pending: FileSourceSplit[];
  private readonly processed: Set<string>;
  /** Readers that asked for a split and got none yet, in order of asking. */
  private readonly waiting: number[] = [];
  private listed = false;
  private discovering: Promise<void> | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private closed = false;

  constructor(
    private readonly context: SplitEnumeratorContext<FileSourceSplit>,
    private readonly paths: readonly string[],
    private readonly format: BulkFormat<T>,
    private readonly monitorInterval: number,
    restored?: FileEnumeratorState,
  ) {
    this.pending = restored ? [...restored.pendingSplits] : [];
    this.processed = new Set(restored?.processedPaths ?? []);
  }

  async start(): Promise<void> {
    await this.discover();
    if (this.monitorInterval > 0 && !this.closed) {
      this.timer = setInterval(() => {
        if (!this.discovering) void this.discover();
      }, this.monitorInterval);
      this.timer.unref?.();
    }
  }

  /** Lists the paths once and queues splits for files not seen before. Never rejects. */
  discover(): Promise<void> {
    this.discovering ??= this.listNewFiles()
      .catch((error: unknown) => {
        // A failed listing in bounded mode would silently read nothing: that must fail the job.
        if (this.monitorInterval <= 0) throw error;
        log.warn('listing the source paths failed; retrying at the next interval', { paths: this.paths, error: String(error) });
      })
      .finally(() => {
        this.discovering = undefined;
        this.listed = true;
        if (!this.closed) this.serveWaiting();
      });
    return this.discovering;
  }

  private async listNewFiles(): Promise<void> {
    const files = await listFiles(this.paths);
    for (const path of files) {
      if (this.processed.has(path) || this.closed) continue;
      let blocks: readonly { records: number }[];
      try {
        blocks = await this.format.listBlocks(path);
      } catch (error) {
        // Not fatal here: the reader of this single split reports it, failing or dead-lettering.
        log.warn('could not read the block list of a file; it becomes one split', { path, error: String(error) });
        blocks = [{ records: -1 }];
      }
      this.processed.add(path);
      for (let i = 0; i < blocks.length; i++) this.pending.push(fileSourceSplit(path, i, blocks[i].records));
    }
  }

  handleSplitRequest(subtask: number): void {
    if (!this.waiting.includes(subtask)) this.waiting.push(subtask);
    if (this.listed) this.serveWaiting();
  }

  addSplitsBack(splits: FileSourceSplit[]): void {
    this.pending.unshift(...splits);
    if (this.listed) this.serveWaiting();
  }

  addReader(): void {
    // Readers ask for splits themselves; a request may have arrived before the registration.
    if (this.listed) this.serveWaiting();
  }

  snapshotState(): FileEnumeratorState {
    return { pendingSplits: [...this.pending], processedPaths: [...this.processed] };
  }

  close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    return Promise.resolve();
  }

  private serveWaiting(): void {
    const registered = this.context.registeredReaders();
    for (let i = 0; i < this.waiting.length; ) {
      const subtask = this.waiting[i];
      if (!registered.has(subtask)) {
        i++; // served once it registers (addReader)
        continue;
      }
      const split = this.pending.shift();
      if (split) {
        this.context.assignSplit(split, subtask);
        this.waiting.splice(i, 1);
      } else if (this.monitorInterval <= 0) {
        this.context.signalNoMoreSplits(subtask);
        this.waiting.splice(i, 1);
      } else {
        i++;
      }
    }
  }
}
