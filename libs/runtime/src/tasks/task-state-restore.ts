import { SplitListSerializer } from '@riffle/core';
import type { SimpleVersionedSerializer, SourceSplit, StreamOperator } from '@riffle/core';
import { restoreOperator, type OperatorSnapshotBytes } from '../checkpoint/snapshot/operator-snapshot-bytes.js';
import { decodeVersionedBlob, READER_STATE_MAGIC } from '../checkpoint/snapshot/versioned-blob.js';
import type { OperatorCheckpointMetadata, StateFileHandle } from '../checkpoint/storage/checkpoint-metadata.js';
import type { CheckpointStateReader } from '../checkpoint/storage/checkpoint-storage.js';
import { loadCheckpointFromDirectory } from '../checkpoint/storage/state-file-reader.js';
import { AbstractStreamOperator } from '../operators/abstract-stream-operator.js';
import type { TaskRestoreDescriptor } from '../rpc/messages.js';
import { tagOperatorError } from './operator-error.js';

export interface TaskRestoreArgs {
  readonly restore: TaskRestoreDescriptor | undefined;
  /** The task's chain, head first; the head is the source reader in a source task. */
  readonly chain: ReadonlyArray<{ readonly uid: string; readonly name: string; readonly operator: StreamOperator<unknown> }>;
  readonly subtaskIndex: number;
  readonly parallelism: number;
  /** The source's split serializer, in a source task. */
  readonly splitSerializer?: SimpleVersionedSerializer<SourceSplit>;
}

/**
 * Initializes the state of every operator of a task's chain, after setup and before open: empty
 * on a fresh start, otherwise from the checkpoint in `restore`, matched by operator uid and
 * redistributed to this subtask (keyed state by key group, operator state split or unioned).
 * Returns the source reader's splits for this subtask: its own when the parallelism did not
 * change, otherwise every old subtask's splits dealt round robin. State files are verified
 * against their checksums as they are read.
 */
export async function restoreTaskState(args: TaskRestoreArgs): Promise<{ splits: SourceSplit[] }> {
  if (!args.restore) {
    for (const m of args.chain) if (m.operator instanceof AbstractStreamOperator) m.operator.initializeOperatorState(undefined);
    return { splits: [] };
  }
  const loaded = await loadCheckpointFromDirectory(args.restore.directory);
  const byUid = new Map(loaded.metadata.operators.map((o) => [o.operatorUid, o]));
  let splits: SourceSplit[] = [];
  for (const [index, member] of args.chain.entries()) {
    const meta = byUid.get(member.uid);
    try {
      if (member.operator instanceof AbstractStreamOperator) {
        if (!meta) member.operator.initializeOperatorState(undefined);
        else restoreOperator(member.operator, await readOperatorPieces(loaded.reader, meta), args.parallelism, args.subtaskIndex);
      } else if (index === 0 && args.splitSerializer && meta) {
        splits = await readReaderSplits(loaded.reader, meta, args.splitSerializer, args.parallelism, args.subtaskIndex);
      }
    } catch (e) {
      const error = tagOperatorError(e, member.name);
      if (error instanceof Error) error.message = `restoring state from checkpoint ${loaded.metadata.checkpointId} failed: ${error.message}`;
      throw error;
    }
  }
  return { splits };
}

async function readOperatorPieces(reader: CheckpointStateReader, meta: OperatorCheckpointMetadata): Promise<(OperatorSnapshotBytes | undefined)[]> {
  return Promise.all(
    meta.subtaskStates.map(async (files) => {
      if (files.length === 0) return undefined;
      const piece: { keyed?: Uint8Array; operator?: Uint8Array; timers?: Uint8Array } = {};
      for (const f of files) {
        if (f.kind === 'keyed' || f.kind === 'operator' || f.kind === 'timers') piece[f.kind] = await reader.readStateFile(f);
      }
      return piece;
    }),
  );
}

async function readReaderSplits(
  reader: CheckpointStateReader,
  meta: OperatorCheckpointMetadata,
  splitSerializer: SimpleVersionedSerializer<SourceSplit>,
  parallelism: number,
  subtaskIndex: number,
): Promise<SourceSplit[]> {
  const list = new SplitListSerializer(splitSerializer);
  const perOld: SourceSplit[][] = [];
  for (const files of meta.subtaskStates) {
    const file = files.find((f: StateFileHandle) => f.kind === 'source');
    perOld.push(file ? decodeVersionedBlob(READER_STATE_MAGIC, list, await reader.readStateFile(file), 'source reader state') : []);
  }
  if (meta.parallelism === parallelism) return perOld[subtaskIndex] ?? [];
  return perOld.flat().filter((_, i) => i % parallelism === subtaskIndex);
}
