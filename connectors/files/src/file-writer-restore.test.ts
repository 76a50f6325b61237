import { afterEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { FileSink } from './file-sink.js';
import { SimpleStringEncoder } from './encoder.js';
import { BasePathBucketAssigner } from './bucket-assigner.js';
import { DefaultRollingPolicy, OnCheckpointRollingPolicy } from './rolling-policy.js';
import type { FileSinkCommittable, FileWriterBucketState } from './committable.js';
import { finishedContents, initContext, isHidden, listFiles, sizeOf, tempDir, TestingCommitRequest, TestingWriterContext } from './test-support.js';

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});
function dir(): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

function rowSink(base: string): FileSink<string> {
  return FileSink.forRowFormat<string>(base, new SimpleStringEncoder()).withBucketAssigner(new BasePathBucketAssigner()).build();
}

/** What a checkpoint stores and a restore reads: the states through their versioned serializer. */
function roundTrip(sink: FileSink<string>, states: FileWriterBucketState[]): FileWriterBucketState[] {
  const s = sink.getWriterStateSerializer();
  return states.map((st) => s.deserialize(s.getVersion(), s.serialize(st)));
}

async function commitAll(sink: FileSink<string>, committables: FileSinkCommittable[]): Promise<string[]> {
  const requests = committables.map((c) => new TestingCommitRequest(c));
  await sink.createCommitter().commit(requests);
  return requests.map((r) => r.outcome);
}

const records = (from: number, to: number): string[] => Array.from({ length: to - from }, (_, i) => `r${from + i}`);
const lines = (base: string): string[] => [...finishedContents(base).values()].flatMap((t) => t.split('\n').filter((l) => l !== '')).sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));

describe('FileWriter recovery', () => {
  it('deletes the hidden part files of earlier attempts that no restored checkpoint names, and keeps the ones it does', async () => {
    const base = dir();
    const sink = rowSink(base);
    const ctx = new TestingWriterContext();
    const job = 'f00dfeed';
    const attempt = (n: number) => ({ ...initContext(), getAttemptNumber: () => n, getJobId: () => job });
    const hidden = () => listFiles(base).filter(isHidden).sort();

    // Attempt 0 fails before any checkpoint: its in-progress file names no checkpoint.
    const a0 = sink.createWriter(attempt(0));
    for (const r of records(0, 5)) a0.write(r, ctx);
    await a0.flush(false);
    await a0.close();
    expect(hidden()).toHaveLength(1);

    // Attempt 1 starts afresh (no checkpoint): attempt 0's file goes. It checkpoints, writes on, fails.
    const a1 = sink.createWriter(attempt(1));
    expect(hidden()).toEqual([]);
    for (const r of records(0, 5)) a1.write(r, ctx);
    await a1.flush(false);
    const states = roundTrip(sink, a1.snapshotState(1));
    const checkpointed = hidden();
    expect(checkpointed).toHaveLength(1);
    await a1.close();

    // Attempt 2 (restoring checkpoint 1) opens a second file by rolling, then fails.
    const a2 = sink.restoreWriter(attempt(2), states);
    await a2.flush(true);
    for (const r of records(5, 8)) a2.write(r, ctx);
    await a2.flush(false);
    await a2.close();
    expect(hidden().length).toBeGreaterThan(1);

    // Attempt 3 restores checkpoint 1 again: what attempt 2 wrote goes, the checkpointed file stays.
    const a3 = sink.restoreWriter(attempt(3), states);
    expect(hidden()).toEqual(checkpointed);
    for (const r of records(5, 10)) a3.write(r, ctx);
    await a3.flush(true);
    expect(await commitAll(sink, await a3.prepareCommit())).toEqual(['committed']);
    await a3.close();
    expect(hidden()).toEqual([]);
    expect(lines(base)).toEqual(records(0, 10));
  });

  it('truncates an in-progress file written past the checkpoint back to the checkpointed length and resumes it', async () => {
    const base = dir();
    const sink = rowSink(base);
    const ctx = new TestingWriterContext();
    const before = sink.createWriter(initContext());
    for (const r of records(0, 5)) before.write(r, ctx);
    await before.flush(false);
    expect(await before.prepareCommit()).toEqual([]); // small file: persisted, not rolled
    const states = roundTrip(sink, before.snapshotState(1));
    expect(states).toHaveLength(1);
    const { inProgressPath, validLength } = states[0].inProgress!;
    expect(validLength).toBe(records(0, 5).join('\n').length + 1);

    // Records after the checkpoint reach the disk, then the task fails.
    for (const r of records(5, 10)) before.write(r, ctx);
    await before.flush(false);
    await before.close();
    expect(sizeOf(inProgressPath)).toBeGreaterThan(validLength);

    const after = sink.restoreWriter(initContext(), states);
    expect(sizeOf(inProgressPath)).toBe(validLength);
    // The source replays from the checkpoint.
    for (const r of records(5, 10)) after.write(r, ctx);
    await after.flush(true);
    const committables = await after.prepareCommit();
    expect(committables.map((c) => c.inProgressPath)).toEqual([inProgressPath]);
    expect(await commitAll(sink, committables)).toEqual(['committed']);
    await after.close();
    expect(lines(base)).toEqual(records(0, 10));
    expect(listFiles(base).filter(isHidden)).toEqual([]);
  });

  it('keeps the creation time of a resumed file, so the rollover interval still counts from when it was opened', async () => {
    const base = dir();
    let now = 0;
    const sink = FileSink.forRowFormat<string>(base, new SimpleStringEncoder())
      .withBucketAssigner(new BasePathBucketAssigner())
      .withRollingPolicy(DefaultRollingPolicy.builder().withRolloverInterval(1000).withInactivityInterval(10_000).build())
      .withBucketCheckInterval(1)
      .withClock(() => now)
      .build();
    const before = sink.createWriter(initContext());
    before.write('r0', new TestingWriterContext());
    await before.flush(false);
    await before.prepareCommit();
    const states = roundTrip(sink, before.snapshotState(1));
    await before.close();

    now = 900;
    const after = sink.restoreWriter(initContext(), states);
    after.write('r1', new TestingWriterContext());
    expect(await after.prepareCommit()).toEqual([]);
    now = 1000;
    after.write('r2', new TestingWriterContext()); // the check after this record rolls the 1000 ms old file
    const committables = await after.prepareCommit();
    expect(committables).toHaveLength(1);
    expect(await commitAll(sink, committables)).toEqual(['committed']);
    await after.close();
    expect(lines(base)).toEqual(records(0, 3));
  });

  it('re-commits pending files after a failure between pre-commit and commit, idempotently', async () => {
    const base = dir();
    const sink = FileSink.forRowFormat<string>(base, new SimpleStringEncoder())
      .withBucketAssigner(new BasePathBucketAssigner())
      .withRollingPolicy(new OnCheckpointRollingPolicy())
      .build();
    const writer = sink.createWriter(initContext());
    for (const r of records(0, 3)) writer.write(r, new TestingWriterContext());
    await writer.flush(false);
    const serializer = sink.getCommittableSerializer();
    const stored = (await writer.prepareCommit()).map((c) => serializer.serialize(c));
    await writer.close(); // the task fails before the checkpoint completes... then recovers
    expect(finishedContents(base).size).toBe(0);

    const restored = stored.map((b) => serializer.deserialize(serializer.getVersion(), b));
    expect(await commitAll(sink, restored)).toEqual(['committed']);
    // A second recovery replays the same commit.
    expect(await commitAll(sink, restored)).toEqual(['already-committed']);
    expect(lines(base)).toEqual(records(0, 3));
  });

  it('merges the in-progress files of several former subtasks in one bucket: resumes one, commits the others', async () => {
    const base = dir();
    const sink = rowSink(base);
    const states: FileWriterBucketState[] = [];
    for (const subtask of [0, 1]) {
      const w = sink.createWriter(initContext(subtask, 2));
      for (const r of records(subtask * 10, subtask * 10 + 3)) w.write(r, new TestingWriterContext());
      await w.flush(false);
      await w.prepareCommit();
      states.push(...w.snapshotState(1));
      w.write('after-checkpoint', new TestingWriterContext());
      await w.flush(false);
      await w.close();
    }
    const merged = sink.restoreWriter(initContext(0, 1), roundTrip(sink, states));
    merged.write('r20', new TestingWriterContext());
    await merged.flush(true);
    const committables = await merged.prepareCommit();
    expect(committables).toHaveLength(2);
    expect(await commitAll(sink, committables)).toEqual(['committed', 'committed']);
    await merged.close();
    expect(lines(base)).toEqual([...records(0, 3), ...records(10, 13), 'r20']);
    expect(listFiles(base).filter(isHidden)).toEqual([]);
  });

  it('skips a restored in-progress file that was already committed, and fails clearly when it is lost', async () => {
    const base = dir();
    const sink = rowSink(base);
    const w = sink.createWriter(initContext());
    w.write('r0', new TestingWriterContext());
    await w.flush(false);
    const states = w.snapshotState(1);
    await w.flush(true);
    await commitAll(sink, await w.prepareCommit());
    await w.close();
    const restored = sink.restoreWriter(initContext(), states);
    expect(restored.snapshotState(2).filter((s) => s.inProgress)).toEqual([]);
    await restored.close();

    rmSync(states[0].inProgress!.finalPath);
    expect(() => sink.restoreWriter(initContext(), states)).toThrow(/in-progress file '.*' is missing and was never committed/);
  });
  it('deletes the part files the failed writer opened after the restored checkpoint and keeps its pending ones for the committer', async () => {
    const base = dir();
    const sink = FileSink.forRowFormat<string>(base, new SimpleStringEncoder())
      .withBucketAssigner({ getBucketId: (r: string) => `b${Number(r.slice(1)) % 2}` })
      .withRollingPolicy(new OnCheckpointRollingPolicy())
      .build();
    const ctx = new TestingWriterContext();
    const w = sink.createWriter(initContext());
    for (const r of records(0, 4)) w.write(r, ctx);
    await w.flush(false);
    const pending = await w.prepareCommit(); // checkpoint 1: two pending files, not yet committed
    const states = roundTrip(sink, w.snapshotState(1));
    expect(states.map((st) => st.inProgress)).toEqual([undefined]);
    // After the checkpoint the writer opens new files in both buckets, then dies.
    for (const r of records(4, 8)) w.write(r, ctx);
    await w.flush(false);
    await w.close();
    expect(listFiles(base).filter(isHidden)).toHaveLength(4);

    const restored = sink.restoreWriter(initContext(), states);
    expect(listFiles(base).filter(isHidden)).toHaveLength(2);
    expect(await commitAll(sink, pending)).toEqual(['committed', 'committed']);
    for (const r of records(4, 8)) restored.write(r, ctx); // replayed by the source
    await restored.flush(true);
    expect(await commitAll(sink, await restored.prepareCommit())).toEqual(['committed', 'committed']);
    await restored.close();
    expect(listFiles(base).filter(isHidden)).toEqual([]);
    expect(lines(base)).toEqual(records(0, 8));
  });
});
