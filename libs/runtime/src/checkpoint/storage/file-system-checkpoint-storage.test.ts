import { afterEach, beforeEach, describe, it, expect } from 'vitest';
import { mkdtemp, readdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setLoggerFactory, type Logger } from '@riffle/core';
import type { CheckpointMetadata, OperatorCheckpointMetadata, StateFileHandle } from './checkpoint-metadata.js';
import type { CheckpointWriter } from './checkpoint-storage.js';
import { CheckpointIntegrityError } from './checkpoint-integrity-error.js';
import { FileSystemCheckpointStorage } from './file-system-checkpoint-storage.js';
import { loadCheckpointFromDirectory } from './state-file-reader.js';

const JOB = 'job-1';
const warnings: string[] = [];
const capture: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: (m) => void warnings.push(m),
  error: () => undefined,
};
setLoggerFactory((name) => (name === 'CheckpointStorage' ? capture : { ...capture, warn: () => undefined }));

let base: string;
beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'riffle-chk-'));
  warnings.length = 0;
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

/** Deterministic bytes distinct per (checkpoint, operator, subtask, kind). */
function stateBytes(id: number, uid: string, subtask: number, kind: string, size = 64): Uint8Array {
  const seed = `${id}/${uid}/${subtask}/${kind}`;
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = (seed.charCodeAt(i % seed.length) * 31 + i) & 0xff;
  return out;
}

const OPERATORS = [
  { uid: 'source', parallelism: 2, kinds: ['source'] as const },
  { uid: 'window/agg', parallelism: 3, kinds: ['keyed', 'timers', 'operator'] as const },
  { uid: 'sink', parallelism: 1, kinds: ['operator'] as const },
];

/** Writes every state file concurrently (as tasks would), then builds the metadata. */
async function writeCheckpoint(writer: CheckpointWriter, jobId = JOB): Promise<CheckpointMetadata> {
  const writes: Promise<StateFileHandle>[] = [];
  for (const op of OPERATORS) {
    for (let s = 0; s < op.parallelism; s++) {
      for (const kind of op.kinds) writes.push(writer.writeStateFile(op.uid, s, kind, stateBytes(writer.checkpointId, op.uid, s, kind, 32 + s * 7)));
    }
  }
  const handles = await Promise.all(writes);
  const operators: OperatorCheckpointMetadata[] = OPERATORS.map((op) => ({
    operatorUid: op.uid,
    parallelism: op.parallelism,
    maxParallelism: 128,
    subtaskStates: Array.from({ length: op.parallelism }, (_, s) => handles.filter((h) => h.operatorUid === op.uid && h.subtaskIndex === s)),
  }));
  return {
    checkpointId: writer.checkpointId,
    timestamp: 1_700_000_000_000 + writer.checkpointId,
    jobId,
    isSavepoint: writer.isSavepoint,
    operators,
    coordinatorState: new Map([['source', new Uint8Array([writer.checkpointId, 42])]]),
  };
}

async function completeCheckpoint(storage: FileSystemCheckpointStorage, id: number): Promise<CheckpointMetadata> {
  const writer = await storage.createCheckpointWriter(id);
  const metadata = await writeCheckpoint(writer, storage.jobId);
  await writer.commit(metadata);
  return metadata;
}

function firstFile(metadata: CheckpointMetadata, uid: string): StateFileHandle {
  return metadata.operators.find((o) => o.operatorUid === uid)!.subtaskStates[0]![0]!;
}

describe('FileSystemCheckpointStorage', () => {
  it('reads back a committed checkpoint of several operators and subtasks byte for byte', async () => {
    const storage = new FileSystemCheckpointStorage(base, JOB, { retainedCheckpoints: 3 });
    const written = await completeCheckpoint(storage, 1);

    const [handle, ...rest] = await storage.listCompletedCheckpoints();
    expect(rest).toEqual([]);
    expect(handle).toEqual({ checkpointId: 1, directory: join(base, JOB, 'chk-1'), isSavepoint: false });
    const loaded = await storage.loadCheckpoint(handle!);
    expect(loaded.metadata).toEqual(written);
    for (const op of loaded.metadata.operators) {
      op.subtaskStates.forEach((files, s) => {
        expect(files.map((f) => f.kind).sort()).toEqual(OPERATORS.find((o) => o.uid === op.operatorUid)!.kinds.slice().sort());
        expect(files.every((f) => f.subtaskIndex === s && !f.path.includes('/'))).toBe(true);
      });
      for (const files of op.subtaskStates) {
        for (const f of files) {
          expect(await loaded.reader.readStateFile(f)).toEqual(stateBytes(1, op.operatorUid, f.subtaskIndex, f.kind, 32 + f.subtaskIndex * 7));
        }
      }
    }
    // No temporary files are left behind.
    expect((await readdir(join(base, JOB, 'chk-1'))).filter((n) => n.endsWith('.inprogress'))).toEqual([]);
    expect((await storage.findLatestRestorable())?.handle.checkpointId).toBe(1);
    expect(warnings).toEqual([]);
  });

  it('falls back to the previous checkpoint when a state file of the newest has a flipped byte, and logs why', async () => {
    const storage = new FileSystemCheckpointStorage(base, JOB, { retainedCheckpoints: 2 });
    await completeCheckpoint(storage, 1);
    const second = await completeCheckpoint(storage, 2);
    const victim = firstFile(second, 'window/agg');
    const path = join(base, JOB, 'chk-2', victim.path);
    const bytes = await readFile(path);
    bytes[5]! ^= 0x10;
    await writeFile(path, bytes);

    const latest = await storage.findLatestRestorable();
    expect(latest?.handle.checkpointId).toBe(1);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('Checkpoint 2');
    expect(warnings[0]).toContain(victim.path);
    expect(warnings[0]).toMatch(/fails its checksum/);

    const loaded2 = await storage.loadCheckpoint({ checkpointId: 2, directory: join(base, JOB, 'chk-2'), isSavepoint: false });
    await expect(loaded2.reader.readStateFile(victim)).rejects.toThrow(CheckpointIntegrityError);
    await expect(loaded2.reader.readStateFile(victim)).rejects.toThrow(victim.path);
  });

  it('falls back when a referenced state file is missing', async () => {
    const storage = new FileSystemCheckpointStorage(base, JOB, { retainedCheckpoints: 2 });
    await completeCheckpoint(storage, 1);
    const second = await completeCheckpoint(storage, 2);
    await unlink(join(base, JOB, 'chk-2', firstFile(second, 'sink').path));

    expect((await storage.findLatestRestorable())?.handle.checkpointId).toBe(1);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/Checkpoint 2 .*operator state file of operator 'sink' subtask 0 is missing/);
  });

  it('skips a damaged _metadata and returns undefined when nothing is restorable', async () => {
    const storage = new FileSystemCheckpointStorage(base, JOB);
    expect(await storage.findLatestRestorable()).toBeUndefined();
    await completeCheckpoint(storage, 1);
    const meta = join(base, JOB, 'chk-1', '_metadata');
    const bytes = await readFile(meta);
    bytes[12]! ^= 0xff;
    await writeFile(meta, bytes);
    expect(await storage.findLatestRestorable()).toBeUndefined();
    expect(warnings[0]).toMatch(/Checkpoint 1 .*_metadata: metadata checksum mismatch/);
  });

  it('ignores a checkpoint whose metadata was never written (crash between state files and metadata)', async () => {
    const storage = new FileSystemCheckpointStorage(base, JOB, { retainedCheckpoints: 2 });
    await completeCheckpoint(storage, 1);
    const crashed = await storage.createCheckpointWriter(2);
    await writeCheckpoint(crashed); // state files are durable, but commit never runs

    expect((await storage.listCompletedCheckpoints()).map((h) => h.checkpointId)).toEqual([1]);
    expect((await storage.findLatestRestorable())?.handle.checkpointId).toBe(1);
    expect(warnings).toEqual([]);
  });

  it('keeps only the newest retained checkpoints and removes older and crashed folders', async () => {
    const storage = new FileSystemCheckpointStorage(base, JOB, { retainedCheckpoints: 2 });
    await completeCheckpoint(storage, 1);
    const crashed = await storage.createCheckpointWriter(2);
    await writeCheckpoint(crashed);
    for (const id of [3, 4, 5]) await completeCheckpoint(storage, id);

    expect((await storage.listCompletedCheckpoints()).map((h) => h.checkpointId)).toEqual([5, 4]);
    expect((await readdir(join(base, JOB))).sort()).toEqual(['chk-4', 'chk-5']);
    expect((await storage.findLatestRestorable())?.handle.checkpointId).toBe(5);
  });

  it('never deletes the checkpoint just committed, even when it completes after a newer one', async () => {
    const storage = new FileSystemCheckpointStorage(base, JOB, { retainedCheckpoints: 1 });
    const late = await storage.createCheckpointWriter(1);
    const lateMetadata = await writeCheckpoint(late);
    await completeCheckpoint(storage, 2);
    // Checkpoint 1 was in progress and older than the retained one: its folder was discarded.
    await expect(late.commit(lateMetadata)).rejects.toThrow(/does not exist/);
    await late.abort();
    expect((await storage.listCompletedCheckpoints()).map((h) => h.checkpointId)).toEqual([2]);

    // A checkpoint that is committed after a newer one is kept by its own retention pass.
    await completeCheckpoint(storage, 4);
    const w3 = await storage.createCheckpointWriter(3);
    await expect(w3.commit(await writeCheckpoint(w3))).resolves.toMatchObject({ checkpointId: 3 });
    expect((await storage.listCompletedCheckpoints()).map((h) => h.checkpointId)).toEqual([4, 3]);
    await completeCheckpoint(storage, 5);
    expect((await storage.listCompletedCheckpoints()).map((h) => h.checkpointId)).toEqual([5]);
  });

  it('never deletes savepoints, which load from their own folder', async () => {
    const storage = new FileSystemCheckpointStorage(base, JOB, { retainedCheckpoints: 1 });
    const target = join(base, 'savepoints');
    const sp = await storage.createSavepointWriter(10, target);
    const spMetadata = await writeCheckpoint(sp);
    const spHandle = await sp.commit(spMetadata);
    expect(spHandle.isSavepoint).toBe(true);
    for (const id of [11, 12, 13]) await completeCheckpoint(storage, id);

    expect((await storage.listCompletedCheckpoints()).map((h) => h.checkpointId)).toEqual([13]);
    const loaded = await loadCheckpointFromDirectory(spHandle.directory);
    expect(loaded.metadata).toEqual(spMetadata);
    expect(loaded.metadata.isSavepoint).toBe(true);
    const f = firstFile(spMetadata, 'source');
    expect(await loaded.reader.readStateFile(f)).toEqual(stateBytes(10, 'source', 0, 'source', 32));
  });

  it('writes 50 state files concurrently from many promises', async () => {
    const storage = new FileSystemCheckpointStorage(base, JOB);
    const writer = await storage.createCheckpointWriter(1);
    const handles = await Promise.all(
      Array.from({ length: 50 }, (_, s) => Promise.resolve().then(() => writer.writeStateFile('map', s, 'operator', stateBytes(1, 'map', s, 'operator', 100 + s)))),
    );
    await writer.commit({
      checkpointId: 1,
      timestamp: 0,
      jobId: JOB,
      isSavepoint: false,
      operators: [{ operatorUid: 'map', parallelism: 50, maxParallelism: 128, subtaskStates: handles.map((h) => [h]) }],
      coordinatorState: new Map(),
    });
    const latest = await storage.findLatestRestorable();
    expect(latest).toBeDefined();
    const read = await Promise.all(handles.map((h) => latest!.reader.readStateFile(h)));
    read.forEach((bytes, s) => expect(bytes).toEqual(stateBytes(1, 'map', s, 'operator', 100 + s)));
  });

  it('refuses to commit metadata that references a file that was never written, or a mismatched checkpoint', async () => {
    const storage = new FileSystemCheckpointStorage(base, JOB);
    const writer = await storage.createCheckpointWriter(1);
    const metadata = await writeCheckpoint(writer);
    const ghost: StateFileHandle = { operatorUid: 'sink', subtaskIndex: 0, kind: 'keyed', path: 'ghost', size: 1, checksum: '00'.repeat(32) };
    const withGhost = { ...metadata, operators: metadata.operators.map((o) => (o.operatorUid === 'sink' ? { ...o, subtaskStates: [[...o.subtaskStates[0]!, ghost]] } : o)) };
    await expect(writer.commit(withGhost)).rejects.toThrow(/ghost: state file referenced by the metadata does not exist/);
    expect(await storage.listCompletedCheckpoints()).toEqual([]);
    await writer.abort();
    await expect(readdir(join(base, JOB, 'chk-1'))).rejects.toThrow(/ENOENT/);

    const other = await storage.createCheckpointWriter(2);
    await expect(other.commit({ ...metadata, checkpointId: 3 })).rejects.toThrow(/metadata is for checkpoint 3/);
    await expect(other.writeStateFile('x', 0, 'keyed', new Uint8Array(1))).rejects.toThrow(/after the writer is failed/);
  });

  it('rejects a second write of the same state file and a writer for an already completed checkpoint', async () => {
    const storage = new FileSystemCheckpointStorage(base, JOB);
    const writer = await storage.createCheckpointWriter(1);
    await writer.writeStateFile('op', 0, 'keyed', new Uint8Array([1]));
    await expect(writer.writeStateFile('op', 0, 'keyed', new Uint8Array([2]))).rejects.toThrow(/keyed state of operator 'op' subtask 0 was already written/);
    await writer.commit({ checkpointId: 1, timestamp: 0, jobId: JOB, isSavepoint: false, operators: [], coordinatorState: new Map() });
    await expect(storage.createCheckpointWriter(1)).rejects.toThrow(/checkpoint 1 of job 'job-1' already completed/);
    await expect(writer.abort()).rejects.toThrow(/Illegal transition of checkpoint writer 1 from committed to aborted/);
  });

  it('rejects unsafe job ids and state file paths that escape the checkpoint folder', async () => {
    expect(() => new FileSystemCheckpointStorage(base, '../evil')).toThrow(/not a safe folder name/);
    expect(() => new FileSystemCheckpointStorage(base, JOB, { retainedCheckpoints: 0 })).toThrow(/retainedCheckpoints/);
    const storage = new FileSystemCheckpointStorage(base, JOB);
    await completeCheckpoint(storage, 1);
    const loaded = (await storage.findLatestRestorable())!;
    const escape: StateFileHandle = { ...firstFile(loaded.metadata, 'sink'), path: '../chk-1/_metadata' };
    await expect(loaded.reader.readStateFile(escape)).rejects.toThrow(/illegal state file path/);
  });
});
