import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { StateFileHandle } from '../storage/checkpoint-metadata.js';
import { FileSystemCheckpointStorage } from '../storage/file-system-checkpoint-storage.js';
import { CheckpointCoordinator, DEFAULT_CHECKPOINT_CONFIG, type CheckpointCoordinatorContext } from './checkpoint-coordinator.js';

const dirs: string[] = [];

/** Waits (by polling the event loop, not by sleeping a fixed time) until `condition` holds. */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 5000 && !condition(); i++) await new Promise((r) => setTimeout(r, 1));
  if (!condition()) throw new Error('condition not reached');
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A fake job: two executions of one operator, a manual clock and scheduler. */
function setup(overrides: Partial<typeof DEFAULT_CHECKPOINT_CONFIG> = {}) {
  const base = mkdtempSync(join(tmpdir(), 'riffle-coordinator-'));
  dirs.push(base);
  const storage = new FileSystemCheckpointStorage(base, 'job1', { retainedCheckpoints: 2 });
  let now = 1_000;
  const timers: Array<{ at: number; action: () => void; cancelled: boolean }> = [];
  const events: string[] = [];
  const triggered: number[] = [];
  const ctx: CheckpointCoordinatorContext = {
    jobId: 'job1',
    operators: () => [{ operatorUid: 'op-a', parallelism: 2, maxParallelism: 128 }],
    expectedExecutions: () => ['e0', 'e1'],
    triggerSources: (id) => triggered.push(id),
    snapshotCoordinators: () => new Map([['op-a', new Uint8Array([7])]]),
    notifyCheckpointComplete: (id) => events.push(`complete ${id}`),
    notifyCheckpointAborted: (id, reason) => events.push(`aborted ${id}: ${reason}`),
    failJob: (cause) => events.push(`job failed: ${cause.message}`),
    now: () => now,
    schedule: (delay, action) => {
      const t = { at: now + delay, action, cancelled: false };
      timers.push(t);
      return () => (t.cancelled = true);
    },
  };
  const coordinator = new CheckpointCoordinator({ ...DEFAULT_CHECKPOINT_CONFIG, intervalMs: 100, ...overrides }, storage, ctx);
  const advance = (ms: number) => {
    now += ms;
    for (;;) {
      const due = timers.filter((t) => !t.cancelled && t.at <= now).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      due.cancelled = true;
      due.action();
    }
  };
  /** What a task does: write its state file with its own writer, then acknowledge. */
  const taskAcks = async (id: number, execution: string, subtask: number) => {
    const writer = await new FileSystemCheckpointStorage(base, 'job1').createCheckpointWriter(id);
    const handle = await writer.writeStateFile('op-a', subtask, 'keyed', new Uint8Array([subtask, id]));
    coordinator.acknowledgeTask(execution, id, [handle], { alignmentDurationMs: 3, syncDurationMs: 1, asyncDurationMs: 2 });
  };
  return { base, storage, coordinator, events, triggered, advance, taskAcks };
}

describe('CheckpointCoordinator', () => {
  it('does not announce a checkpoint that completes after stop(), but keeps it restorable; settled() waits for it', async () => {
    const { storage, coordinator, events, triggered, taskAcks } = setup();
    const done = coordinator.triggerCheckpoint();
    await until(() => triggered.length === 1);
    await taskAcks(1, 'e0', 0);
    await taskAcks(1, 'e1', 1); // the last acknowledgement starts writing the metadata
    coordinator.stop('the job is failing'); // while the metadata is being written
    await coordinator.settled();
    await expect(done).resolves.toMatchObject({ checkpointId: 1 });
    expect(events).toEqual([]);
    expect((await storage.findLatestRestorable())?.metadata.checkpointId).toBe(1);
  });

  it('completes a checkpoint once every task acknowledged, writes restorable metadata and notifies the tasks', async () => {
    const { storage, coordinator, events, triggered, taskAcks } = setup();
    const done = coordinator.triggerCheckpoint();
    await until(() => triggered.length === 1);
    expect(triggered).toEqual([1]);
    await taskAcks(1, 'e0', 0);
    expect(coordinator.numPending()).toBe(1);
    await taskAcks(1, 'e1', 1);
    const handle = await done;
    expect(handle.checkpointId).toBe(1);
    expect(events).toEqual(['complete 1']);
    const restorable = await storage.findLatestRestorable();
    expect(restorable!.metadata.operators[0]!.subtaskStates.map((s) => s.length)).toEqual([1, 1]);
    expect([...(await restorable!.reader.readStateFile(restorable!.metadata.operators[0]!.subtaskStates[1]![0]!))]).toEqual([1, 1]);
    expect(restorable!.metadata.coordinatorState.get('op-a')).toEqual(new Uint8Array([7]));
    const stats = coordinator.getStats()[0]!;
    expect(stats.status).toBe('COMPLETED');
    expect(stats.sizeBytes).toBe(4);
    expect(stats.tasks.get('e1')!.alignmentDurationMs).toBe(3);
  });

  it('commits checkpoints that complete back to back one after the other: a newer one does not remove an older one mid-commit', async () => {
    const ids = [1, 2, 3, 4];
    const { base, storage, coordinator, events, triggered } = setup({ maxConcurrent: ids.length, tolerableFailures: 0 });
    const done = ids.map(() => coordinator.triggerCheckpoint());
    await until(() => triggered.length === ids.length);
    const handles = new Map<string, StateFileHandle>();
    for (const id of ids) {
      for (const subtask of [0, 1]) {
        const writer = await new FileSystemCheckpointStorage(base, 'job1').createCheckpointWriter(id);
        handles.set(`${id}/${subtask}`, await writer.writeStateFile('op-a', subtask, 'keyed', new Uint8Array([subtask, id])));
      }
    }
    const metrics = { alignmentDurationMs: 0, syncDurationMs: 0, asyncDurationMs: 0 };
    for (const id of ids) coordinator.acknowledgeTask('e0', id, [handles.get(`${id}/0`)!], metrics);
    // All become complete in the same turn: each commit would start while the older ones run.
    for (const id of ids) coordinator.acknowledgeTask('e1', id, [handles.get(`${id}/1`)!], metrics);
    for (const [i, id] of ids.entries()) await expect(done[i]).resolves.toMatchObject({ checkpointId: id });
    expect(events).toEqual(ids.map((id) => `complete ${id}`));
    expect((await storage.findLatestRestorable())?.metadata.checkpointId).toBe(4);
  });

  it('aborts a declined checkpoint, ignores late acknowledgements, and fails the job beyond the tolerated failures', async () => {
    const { storage, coordinator, events, triggered } = setup({ tolerableFailures: 1 });
    const first = coordinator.triggerCheckpoint();
    await until(() => triggered.length === 1);
    coordinator.declineTask('e1', 1, 'barrier overtaken');
    await expect(first).rejects.toThrow(/declined checkpoint 1: barrier overtaken/);
    // A late acknowledgement of the aborted checkpoint is ignored (its folder is gone: a task
    // still writing for it gets an error, which it reports as a decline, not as a task failure).
    coordinator.acknowledgeTask('e0', 1, [{ operatorUid: 'op-a', subtaskIndex: 0, kind: 'keyed', path: 'x', size: 1, checksum: '00' }], {
      alignmentDurationMs: 0,
      syncDurationMs: 0,
      asyncDurationMs: 0,
    });
    expect(coordinator.numPending()).toBe(0);
    expect(await storage.findLatestRestorable()).toBeUndefined();
    expect(events).toEqual(['aborted 1: task e1 declined checkpoint 1: barrier overtaken']);

    const second = coordinator.triggerCheckpoint();
    await until(() => triggered.length === 2);
    coordinator.declineTask('e0', 2, 'no');
    await expect(second).rejects.toThrow();
    expect(events.at(-1)).toMatch(/^job failed: Exceeded checkpoint tolerable failure threshold \(1\)/);
  });

  it('expires a checkpoint that is not acknowledged within the timeout', async () => {
    const { coordinator, events, triggered, advance, taskAcks } = setup({ timeoutMs: 500, tolerableFailures: 5 });
    const p = coordinator.triggerCheckpoint();
    await until(() => triggered.length === 1);
    await taskAcks(1, 'e0', 0);
    advance(499);
    expect(coordinator.numPending()).toBe(1);
    advance(1);
    await expect(p).rejects.toThrow(/expired after 500 ms/);
    expect(events).toEqual(['aborted 1: checkpoint 1 expired after 500 ms']);
  });

  it('triggers periodically without exceeding the concurrent checkpoints allowed', async () => {
    const { coordinator, triggered, advance, taskAcks } = setup({ maxConcurrent: 1 });
    coordinator.startPeriodic();
    advance(100);
    await until(() => triggered.length === 1);
    advance(300); // checkpoint 1 still in progress: no new trigger
    expect(coordinator.numPending()).toBe(1);
    expect(triggered).toEqual([1]);
    await taskAcks(1, 'e0', 0);
    await taskAcks(1, 'e1', 1);
    await until(() => coordinator.getStats()[0]!.status === 'COMPLETED');
    advance(100);
    await until(() => triggered.length === 2);
    expect(triggered).toEqual([1, 2]);
    coordinator.stop();
  });
});
