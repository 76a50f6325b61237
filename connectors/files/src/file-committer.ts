import { rename, stat, truncate } from 'node:fs/promises';
import type { CommitRequest, Committer } from '@riffle/core';
import type { FileSinkCommittable } from './committable.js';

/**
 * Publishes pending part files by renaming each from its hidden in-progress name to its final
 * name (Flink's `FileCommitter`). Idempotent, since commits are replayed after recovery:
 * - in-progress file present: cut back to the committed size if longer, then renamed;
 *   shorter than the committed size is a failure (data lost outside the sink);
 * - in-progress file gone and the final file present with the committed size: already
 *   committed (`signalAlreadyCommitted`);
 * - neither present, or a final file of another size: a failure with an unknown reason
 *   (fails the job: the data of that checkpoint is gone).
 * A rename is atomic on one file system, so readers see a final file whole or not at all.
 */
export class FileCommitter implements Committer<FileSinkCommittable> {
  async commit(requests: CommitRequest<FileSinkCommittable>[]): Promise<void> {
    for (const request of requests) {
      const c = request.getCommittable();
      try {
        const source = await sizeOf(c.inProgressPath);
        if (source === undefined) {
          const target = await sizeOf(c.finalPath);
          if (target === c.size) request.signalAlreadyCommitted();
          else if (target === undefined) request.signalFailedWithUnknownReason(new Error(`FileSink: cannot commit '${c.finalPath}': neither the pending file '${c.inProgressPath}' nor the final file exists`));
          else request.signalFailedWithUnknownReason(new Error(`FileSink: cannot commit '${c.finalPath}': the pending file is gone and the final file has ${target} bytes, not ${c.size}`));
          continue;
        }
        if (source < c.size) {
          request.signalFailedWithUnknownReason(new Error(`FileSink: cannot commit '${c.finalPath}': pending file '${c.inProgressPath}' has ${source} bytes, fewer than the committed ${c.size}`));
          continue;
        }
        if (source > c.size) await truncate(c.inProgressPath, c.size);
        await rename(c.inProgressPath, c.finalPath);
      } catch (e) {
        request.signalFailedWithUnknownReason(e instanceof Error ? e : new Error(String(e)));
      }
    }
  }

  close(): void {}
}

async function sizeOf(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}
