import { mkdirSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { getLogger, type CommittingSinkWriter, type SinkInitContext, type SinkWriterContext, type StatefulSinkWriter } from '@riffle/core';
import type { BucketAssigner, BucketAssignerContext } from './bucket-assigner.js';
import type { FileSinkCommittable, FileWriterBucketState } from './committable.js';
import type { OutputFileConfig } from './output-file-config.js';
import type { RollingPolicy } from './rolling-policy.js';
import type { InProgressPartFile, PartFileFactory } from './part-file.js';

const log = getLogger('FileSink');

/** Everything a {@link FileWriter} needs; built and validated by the `FileSink` builder. */
export interface FileWriterConfig<T> {
  readonly basePath: string;
  /** The file format: how part files are created and (if the format allows) resumed. */
  readonly partFileFactory: PartFileFactory<T>;
  readonly bucketAssigner: BucketAssigner<T>;
  readonly rollingPolicy: RollingPolicy<T>;
  readonly outputFileConfig: OutputFileConfig;
  readonly clock: () => number;
  /**
   * How many consecutive records of one synchronous run may share one reading of `clock`
   * (1: read per record). Readings never outlive the event-loop turn they were taken in, so a
   * record that arrives after a pause always sees a fresh time. Default 1.
   */
  readonly clockStride?: number;
  readonly bucketCheckInterval: number;
}

interface Bucket<T> {
  readonly id: string;
  readonly path: string;
  inProgress: InProgressPartFile<T> | undefined;
}

/**
 * The per-subtask writer of a `FileSink` (Flink's `FileWriter`): routes each record to its
 * bucket's in-progress part file, rolls part files by the rolling policy, and turns rolled files
 * into committables at `prepareCommit`.
 *
 * Call order (one task thread, never concurrent): `write`* then, at a checkpoint,
 * `flush(false)` → `prepareCommit()` → `snapshotState(id)`; at the end of input `flush(true)`
 * (rolls every part file) → `prepareCommit()`; `close()` last. `write` is synchronous; it blocks
 * only to write a full 64 KiB batch to disk. A part file is written under a hidden
 * (`.`-prefixed, `.inprogress`) name and only the committer gives it its final name.
 */
export class FileWriter<T> implements CommittingSinkWriter<T, FileSinkCommittable>, StatefulSinkWriter<T, FileWriterBucketState> {
  private readonly buckets = new Map<string, Bucket<T>>();
  /** The bucket of the previous record (consecutive records mostly share one); never a deleted bucket. */
  private lastBucket: Bucket<T> | undefined;
  /** Rolled (sealed) part files, closed for commit asynchronously at the next flush or pre-commit. */
  private rolled: InProgressPartFile<T>[] = [];
  /** Committables ready to hand out at the next `prepareCommit`. */
  private pending: FileSinkCommittable[] = [];
  private readonly writerId: string;
  private readonly subtask: number;
  private readonly jobId: string;
  private readonly attempt: number;
  private partCounter = 0;
  private nextCheck: number;
  private now = 0;
  /** Records that may still use `now` without reading the clock (see `clockStride`). */
  private clockCredit = 0;
  private readonly clockStride: number;
  private clockExpiry: NodeJS.Immediate | undefined;
  private readonly expireClock = (): void => {
    this.clockCredit = 0;
    this.clockExpiry = undefined;
  };
  private sinkContext: SinkWriterContext | undefined;
  private readonly assignerContext: BucketAssignerContext = {
    currentProcessingTime: () => this.now,
    currentWatermark: () => this.sinkContext?.currentWatermark() ?? Number.MIN_SAFE_INTEGER,
    timestamp: () => this.sinkContext?.timestamp(),
  };

  constructor(
    private readonly config: FileWriterConfig<T>,
    context: SinkInitContext,
  ) {
    this.subtask = context.getSubtaskId();
    this.jobId = context.getJobId();
    this.attempt = context.getAttemptNumber();
    this.writerId = attemptWriterId(this.jobId, this.subtask, this.attempt);
    this.clockStride = Math.max(1, Math.floor(config.clockStride ?? 1));
    this.nextCheck = config.clock() + config.bucketCheckInterval;
  }

  /**
   * Restores the writer's buckets from checkpointed states (possibly from several former
   * subtasks after rescaling): each in-progress file is truncated to its checkpointed length;
   * the first one per bucket is resumed, any further one is closed and committed at the next
   * `prepareCommit` (Flink merges buckets the same way).
   */
  restore(states: readonly FileWriterBucketState[]): void {
    const now = this.config.clock();
    this.discardOrphans(states);
    for (const state of states) {
      const ip = state.inProgress;
      if (!ip) continue;
      const bucket = this.bucket(state.bucketId, state.bucketPath);
      if (!existsSync(ip.inProgressPath)) {
        if (existsSync(ip.finalPath)) {
          log.warn('in-progress file of the restored state was already committed; skipping it', { file: ip.finalPath });
          continue;
        }
        throw new Error(`FileSink: cannot restore bucket '${state.bucketId}': in-progress file '${ip.inProgressPath}' is missing and was never committed as '${ip.finalPath}'`);
      }
      const resume = this.config.partFileFactory.resume;
      if (!resume) throw new Error(`FileSink: cannot restore bucket '${state.bucketId}': this file format cannot resume in-progress files`);
      const file = resume(state.bucketId, ip, now);
      if (bucket.inProgress) {
        file.seal();
        this.rolled.push(file);
      } else {
        bucket.inProgress = file;
      }
    }
  }

  write(value: T, context: SinkWriterContext): void {
    const now = this.clockCredit > 0 ? (this.clockCredit--, this.now) : this.readClock();
    this.sinkContext = context;
    const bucketId = this.config.bucketAssigner.getBucketId(value, this.assignerContext);
    this.sinkContext = undefined;
    let bucket = this.lastBucket;
    if (bucket === undefined || bucket.id !== bucketId) bucket = this.lastBucket = this.buckets.get(bucketId) ?? this.bucket(bucketId, undefined);
    let part = bucket.inProgress;
    if (part !== undefined && this.config.rollingPolicy.shouldRollOnEvent(part, value)) {
      this.roll(bucket);
      part = undefined;
    }
    if (part === undefined) part = this.open(bucket, now);
    part.append(value, now);
    if (now >= this.nextCheck) this.onProcessingTime(now);
  }

  /**
   * Writes buffered bytes and syncs every file; checks processing-time rolling; at the end of
   * input rolls every in-progress file.
   */
  async flush(endOfInput: boolean): Promise<void> {
    const now = this.config.clock();
    this.onProcessingTime(now);
    for (const bucket of this.buckets.values()) {
      if (!bucket.inProgress) continue;
      if (endOfInput) this.roll(bucket);
      else if (bucket.inProgress.resumable) await bucket.inProgress.persist();
    }
    await this.closeRolled();
  }

  /**
   * Rolls files the policy rolls at a checkpoint (and every file that cannot be resumed) and
   * returns every pending file since the last call.
   */
  async prepareCommit(): Promise<FileSinkCommittable[]> {
    for (const bucket of this.buckets.values()) {
      const part = bucket.inProgress;
      if (part && (!part.resumable || this.config.rollingPolicy.shouldRollOnCheckpoint(part))) this.roll(bucket);
    }
    await this.closeRolled();
    const out = this.pending;
    this.pending = [];
    // Buckets without an open file are forgotten (Flink drops inactive buckets the same way).
    for (const [id, bucket] of this.buckets) if (!bucket.inProgress) this.buckets.delete(id);
    this.lastBucket = undefined;
    return out;
  }

  /**
   * The in-progress file of every bucket, as of now (writes in-memory batches first), each state
   * naming this writer; with no open file, one state naming only this writer (so that a restore
   * can delete the part files it opens after this checkpoint).
   */
  snapshotState(_checkpointId = 0): FileWriterBucketState[] {
    const writer = { writerId: this.writerId, nextPartCounter: this.partCounter };
    const states: FileWriterBucketState[] = [];
    for (const bucket of this.buckets.values()) {
      if (bucket.inProgress) states.push({ bucketId: bucket.id, bucketPath: bucket.path, inProgress: bucket.inProgress.snapshot(), writer });
    }
    if (states.length === 0) states.push({ bucketId: '', bucketPath: this.config.basePath, inProgress: undefined, writer });
    return states;
  }

  /**
   * Deletes the hidden part files of earlier writers that no committable or state of the restored
   * checkpoint (`states`; none when the attempt starts afresh) names: their records are replayed,
   * so they would otherwise stay behind forever. These are the files the writers in `states`
   * opened after the checkpoint, and every file of this subtask's writers in the attempts after
   * the one that took the checkpoint (all earlier attempts when there is none). Writer ids derive
   * from job, subtask and attempt ({@link attemptWriterId}), so those writers are known by id.
   * Called by `restore`, and by the sink for a writer of a later attempt that has no state.
   */
  discardOrphans(states: readonly FileWriterBucketState[] = []): void {
    const formerWriters = new Map<string, number>();
    for (const state of states) if (state.writer) formerWriters.set(state.writer.writerId, state.writer.nextPartCounter);
    // The newest earlier attempt whose writer the state names took the checkpoint (-1: none did).
    let checkpointAttempt = this.attempt - 1;
    while (checkpointAttempt >= 0 && !formerWriters.has(attemptWriterId(this.jobId, this.subtask, checkpointAttempt))) checkpointAttempt--;
    for (let a = checkpointAttempt + 1; a < this.attempt; a++) formerWriters.set(attemptWriterId(this.jobId, this.subtask, a), 0);
    if (formerWriters.size > 0) this.deleteOrphans(formerWriters);
  }

  /** Deletes the hidden part files of the writers in `formerWriters` (id → first part number to delete). */
  private deleteOrphans(formerWriters: ReadonlyMap<string, number>): void {
    const base = this.config.basePath;
    if (!existsSync(base)) return;
    for (const entry of readdirSync(base, { recursive: true, withFileTypes: true })) {
      const name = entry.name;
      if (!entry.isFile() || !name.startsWith('.') || !name.endsWith('.inprogress')) continue;
      // .<prefix>-<writerId>-<subtask>-<counter><suffix>.inprogress; writer ids are UUIDs.
      const m = /-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})-\d+-(\d+)/.exec(name);
      if (!m) continue;
      const next = formerWriters.get(m[1]);
      if (next === undefined || Number(m[2]) < next) continue;
      const path = join(entry.parentPath, name);
      rmSync(path, { force: true });
      log.info('deleted a part file opened after the restored checkpoint', { file: path });
    }
  }

  /**
   * Closes descriptors. In-progress files stay on disk under their hidden names (a restore may
   * resume them); nothing is committed here.
   */
  async close(): Promise<void> {
    const files = [...this.rolled];
    for (const bucket of this.buckets.values()) if (bucket.inProgress) files.push(bucket.inProgress);
    this.rolled = [];
    this.buckets.clear();
    this.lastBucket = undefined;
    if (this.clockExpiry) clearImmediate(this.clockExpiry);
    this.expireClock();
    for (const f of files) await f.abandon();
  }

  /**
   * Reads the clock into `now`. With a stride above 1 the reading serves the next records of
   * this event-loop turn (a clock read costs about as much as the rest of `write`); it expires
   * at the next turn, so waiting for input never leaves a stale time behind.
   */
  private readClock(): number {
    const now = this.config.clock();
    this.now = now;
    if (this.clockStride > 1) {
      this.clockCredit = this.clockStride - 1;
      this.clockExpiry ??= setImmediate(this.expireClock);
    }
    return now;
  }

  /** Rolls files the policy says are too old or inactive. */
  private onProcessingTime(now: number): void {
    this.nextCheck = now + this.config.bucketCheckInterval;
    for (const bucket of this.buckets.values()) {
      if (bucket.inProgress && this.config.rollingPolicy.shouldRollOnProcessingTime(bucket.inProgress, now)) this.roll(bucket);
    }
  }

  private roll(bucket: Bucket<T>): void {
    const part = bucket.inProgress!;
    bucket.inProgress = undefined;
    part.seal();
    this.rolled.push(part);
  }

  private async closeRolled(): Promise<void> {
    while (this.rolled.length > 0) this.pending.push(await this.rolled.shift()!.closeForCommit());
  }

  private open(bucket: Bucket<T>, now: number): InProgressPartFile<T> {
    const { partPrefix, partSuffix } = this.config.outputFileConfig;
    const name = `${partPrefix}-${this.writerId}-${this.subtask}-${this.partCounter++}${partSuffix}`;
    const part = this.config.partFileFactory.create(bucket.id, join(bucket.path, `.${name}.inprogress`), join(bucket.path, name), now);
    bucket.inProgress = part;
    return part;
  }

  private bucket(id: string, path: string | undefined): Bucket<T> {
    let bucket = this.buckets.get(id);
    if (bucket) return bucket;
    if (typeof id !== 'string' || id.startsWith('/') || id.split('/').some((s) => s === '..' || s === '.')) {
      throw new Error(`FileSink: bucket assigner returned an invalid bucket id '${String(id)}' (must be a relative path without '.' or '..' segments)`);
    }
    const dir = path ?? (id === '' ? this.config.basePath : join(this.config.basePath, id));
    mkdirSync(dir, { recursive: true });
    bucket = { id, path: dir, inProgress: undefined };
    this.buckets.set(id, bucket);
    return bucket;
  }
}

/**
 * The id of the writer of `subtask` in `attempt` of job `jobId`: UUID-shaped (it names part
 * files, `part-<writerId>-<subtask>-<n>`), and derived rather than random, so that a later attempt
 * knows the writers before it and can find the hidden files they left.
 */
export function attemptWriterId(jobId: string, subtask: number, attempt: number): string {
  const h = createHash('sha256').update(`${jobId}/${subtask}/${attempt}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
