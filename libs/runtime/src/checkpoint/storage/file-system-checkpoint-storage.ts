import { randomBytes } from 'node:crypto';
import { access, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { getLogger } from '@riffle/core';
import type { CheckpointStorage, CheckpointWriter, CompletedCheckpointHandle, LoadedCheckpoint } from './checkpoint-storage.js';
import { CheckpointIntegrityError } from './checkpoint-integrity-error.js';
import { isCode } from './durable-file.js';
import { FileSystemCheckpointWriter } from './file-system-checkpoint-writer.js';
import { METADATA_FILE_NAME } from './metadata-file.js';
import { loadCheckpointFromDirectory, verifyCheckpoint } from './state-file-reader.js';

/** Options of {@link FileSystemCheckpointStorage}. */
export interface FileSystemCheckpointStorageOptions {
  /** How many completed checkpoints to keep (newest by id); at least 1. Default 1. */
  readonly retainedCheckpoints?: number;
}

const CHECKPOINT_DIR = /^chk-(\d+)$/;
const DISCARD_PREFIX = '.discard-';

/**
 * {@link CheckpointStorage} in a local (or mounted) directory: checkpoints of job `jobId` live
 * in `<baseDir>/<jobId>/chk-<id>/`, each with its state files and, once complete, `_metadata`.
 * See README.md in this folder for the layout and the guarantees.
 *
 * Several processes may use instances for the same job and folder at once (tasks write state
 * files, the coordinator commits); commits and retention are driven by one coordinator.
 */
export class FileSystemCheckpointStorage implements CheckpointStorage {
  /** `<baseDir>/<jobId>`, absolute. */
  readonly jobDirectory: string;
  readonly retainedCheckpoints: number;

  constructor(
    baseDir: string,
    readonly jobId: string,
    options: FileSystemCheckpointStorageOptions = {},
  ) {
    if (!/^[A-Za-z0-9_.-]+$/.test(jobId) || jobId === '.' || jobId === '..') {
      throw new Error(`FileSystemCheckpointStorage: job id '${jobId}' is not a safe folder name (letters, digits, '_', '-', '.')`);
    }
    const retained = options.retainedCheckpoints ?? 1;
    if (!Number.isSafeInteger(retained) || retained < 1) {
      throw new Error(`FileSystemCheckpointStorage: retainedCheckpoints must be an integer >= 1, got ${retained}`);
    }
    this.retainedCheckpoints = retained;
    this.jobDirectory = resolve(baseDir, jobId);
  }

  /** The folder of checkpoint `checkpointId` (whether or not it exists). */
  checkpointDirectory(checkpointId: number): string {
    return join(this.jobDirectory, `chk-${checkpointId}`);
  }

  async createCheckpointWriter(checkpointId: number): Promise<CheckpointWriter> {
    checkId(checkpointId);
    const directory = this.checkpointDirectory(checkpointId);
    await mkdir(directory, { recursive: true });
    if (await exists(join(directory, METADATA_FILE_NAME))) throw new Error(`checkpoint ${checkpointId} of job '${this.jobId}' already completed (${directory})`);
    return new FileSystemCheckpointWriter({
      checkpointId,
      jobId: this.jobId,
      directory,
      isSavepoint: false,
      afterCommit: (handle) => this.applyRetention(handle.checkpointId),
    });
  }

  async createSavepointWriter(checkpointId: number, targetDir: string): Promise<CheckpointWriter> {
    checkId(checkpointId);
    const parent = resolve(targetDir);
    await mkdir(parent, { recursive: true });
    const directory = join(parent, `savepoint-${checkpointId}-${randomBytes(4).toString('hex')}`);
    await mkdir(directory);
    return new FileSystemCheckpointWriter({ checkpointId, jobId: this.jobId, directory, isSavepoint: true });
  }

  async listCompletedCheckpoints(): Promise<CompletedCheckpointHandle[]> {
    const ids = await this.listCheckpointFolders();
    const complete = await Promise.all(ids.map((id) => exists(join(this.checkpointDirectory(id), METADATA_FILE_NAME))));
    return ids
      .filter((_, i) => complete[i])
      .sort((a, b) => b - a)
      .map((checkpointId) => ({ checkpointId, directory: this.checkpointDirectory(checkpointId), isSavepoint: false }));
  }

  async loadCheckpoint(handle: CompletedCheckpointHandle): Promise<LoadedCheckpoint> {
    const loaded = await loadCheckpointFromDirectory(handle.directory);
    const metadataFile = join(loaded.handle.directory, METADATA_FILE_NAME);
    if (loaded.metadata.checkpointId !== handle.checkpointId) {
      throw new CheckpointIntegrityError(metadataFile, `metadata is for checkpoint ${loaded.metadata.checkpointId}, expected ${handle.checkpointId}`);
    }
    if (!handle.isSavepoint && loaded.metadata.jobId !== this.jobId) {
      throw new CheckpointIntegrityError(metadataFile, `metadata is for job '${loaded.metadata.jobId}', expected '${this.jobId}'`);
    }
    return loaded;
  }

  async findLatestRestorable(): Promise<LoadedCheckpoint | undefined> {
    const log = getLogger('CheckpointStorage');
    for (const handle of await this.listCompletedCheckpoints()) {
      try {
        const loaded = await this.loadCheckpoint(handle);
        await verifyCheckpoint(loaded);
        return loaded;
      } catch (e) {
        log.warn(`Checkpoint ${handle.checkpointId} of job '${this.jobId}' is not restorable and is skipped: ${(e as Error).message}`, {
          checkpointId: handle.checkpointId,
          directory: handle.directory,
        });
      }
    }
    return undefined;
  }

  /**
   * Deletes completed checkpoints beyond the newest `retainedCheckpoints` (never `justCommitted`)
   * and incomplete folders older than every retained checkpoint (crashed or subsumed
   * attempts). A folder is first renamed out of the `chk-*` namespace, so listings never see
   * half-deleted checkpoints.
   */
  private async applyRetention(justCommitted: number): Promise<void> {
    const completed = (await this.listCompletedCheckpoints()).map((h) => h.checkpointId);
    const keep = new Set(completed.slice(0, this.retainedCheckpoints));
    keep.add(justCommitted);
    const oldestKept = Math.min(...keep);
    const completedSet = new Set(completed);
    const victims = (await this.listCheckpointFolders())
      .filter((id) => !keep.has(id) && (completedSet.has(id) || id < oldestKept))
      .sort((a, b) => a - b);
    for (const id of victims) await this.discard(`chk-${id}`);
    const entries = await readdir(this.jobDirectory).catch(() => [] as string[]);
    for (const name of entries) if (name.startsWith(DISCARD_PREFIX)) await rm(join(this.jobDirectory, name), { recursive: true, force: true });
  }

  private async discard(name: string): Promise<void> {
    const target = join(this.jobDirectory, `${DISCARD_PREFIX}${name}-${randomBytes(4).toString('hex')}`);
    try {
      await rename(join(this.jobDirectory, name), target);
    } catch (e) {
      if (isCode(e, 'ENOENT')) return; // already removed by a concurrent cleanup
      throw e;
    }
    await rm(target, { recursive: true, force: true });
  }

  private async listCheckpointFolders(): Promise<number[]> {
    let names: string[];
    try {
      names = await readdir(this.jobDirectory);
    } catch (e) {
      if (isCode(e, 'ENOENT')) return [];
      throw e;
    }
    const ids: number[] = [];
    for (const n of names) {
      const m = CHECKPOINT_DIR.exec(n);
      if (m) ids.push(Number(m[1]));
    }
    return ids;
  }
}

function checkId(checkpointId: number): void {
  if (!Number.isSafeInteger(checkpointId) || checkpointId < 0) throw new Error(`checkpoint id must be a non-negative integer, got ${checkpointId}`);
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch (e) {
    if (isCode(e, 'ENOENT')) return false;
    throw e;
  }
}
