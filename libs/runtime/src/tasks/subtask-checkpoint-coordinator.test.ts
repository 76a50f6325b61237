import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { StreamOperator } from '@riffle/core';
import type { CheckpointEvent, TaskEvent } from '../rpc/gateways.js';
import { SubtaskCheckpointCoordinator } from './subtask-checkpoint-coordinator.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A source task's coordinator over one operator that records its pre-barrier calls, and a reader with one split. */
function sourceTask() {
  const prepared: number[] = [];
  const completed: number[] = [];
  const events: TaskEvent[] = [];
  const operator: StreamOperator<unknown> = {
    setup() {},
    open() {},
    finish() {},
    close() {},
    prepareSnapshotPreBarrier: (id) => void prepared.push(id),
    notifyCheckpointComplete: (id) => void completed.push(id),
  };
  const coordinator = new SubtaskCheckpointCoordinator({
    jobId: 'job',
    subtaskIndex: 0,
    taskName: 'Source -> Sink',
    chain: [{ uid: 'sink', name: 'Sink', operator }],
    writers: [],
    reader: { uid: 'source', snapshot: () => new Uint8Array([1, 2, 3]), notifyCheckpointComplete: () => {} },
    report: (e) => void events.push(e),
    fail: (e) => {
      throw e;
    },
  });
  return { coordinator, prepared, completed, events };
}

function start(checkpointId: number): CheckpointEvent {
  const directory = mkdtempSync(join(tmpdir(), 'riffle-subtask-cp-'));
  dirs.push(directory);
  return { kind: 'start', checkpointId, timestamp: 0, options: { mode: 'EXACTLY_ONCE', isSavepoint: false }, directory };
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !condition(); i++) await new Promise((r) => setTimeout(r, 5));
}

describe('SubtaskCheckpointCoordinator', () => {
  it('snapshots a source task when the checkpoint starts and acknowledges its state files', async () => {
    const { coordinator, prepared, events } = sourceTask();
    coordinator.onEvent(start(1), true);
    expect(prepared).toEqual([1]);
    await until(() => events.length > 0);
    expect(events).toMatchObject([{ kind: 'checkpoint-ack', checkpointId: 1, files: [{ operatorUid: 'source', kind: 'source', size: 3 }] }]);
  });

  it('takes no checkpoint once the task input ended: nothing is pre-committed that no completion would commit', () => {
    const { coordinator, prepared, events } = sourceTask();
    coordinator.endOfInput();
    coordinator.onEvent(start(2), true);
    // The synchronous step of a checkpoint calls prepareSnapshotPreBarrier first.
    expect(prepared).toEqual([]);
    expect(events).toEqual([]);
  });

  it('after its input ended, a task waiting for its final checkpoint takes the next one that starts, whatever its kind, and is done when it completed', async () => {
    const { coordinator, prepared, completed, events } = sourceTask();
    coordinator.endOfInput();
    let done = false;
    const final = coordinator.awaitFinalCheckpoint().then(() => (done = true));
    // Not a source task: no barrier will come, the start event triggers it.
    coordinator.onEvent(start(3), false);
    expect(prepared).toEqual([3]);
    await until(() => events.length > 0);
    expect(events).toMatchObject([{ kind: 'checkpoint-ack', checkpointId: 3 }]);
    // An abort makes it take the next one.
    coordinator.onEvent({ kind: 'aborted', checkpointId: 3, reason: 'a task declined' }, false);
    coordinator.onEvent(start(4), false);
    expect(prepared).toEqual([3, 4]);
    // Completions of other checkpoints do not end the wait.
    coordinator.onEvent({ kind: 'complete', checkpointId: 2 }, false);
    await Promise.resolve();
    expect(done).toBe(false);
    coordinator.onEvent({ kind: 'complete', checkpointId: 4 }, false);
    await final;
    expect(completed).toEqual([2, 4]);
    // Once done, a later start is not taken.
    coordinator.onEvent(start(5), false);
    expect(prepared).toEqual([3, 4]);
  });

  it('stops waiting for the final checkpoint when the task is cancelled', async () => {
    const { coordinator } = sourceTask();
    const final = coordinator.awaitFinalCheckpoint();
    coordinator.cancelFinalCheckpoint(new Error('cancelled'));
    await expect(final).rejects.toThrow('cancelled');
  });

  it('takes a checkpoint that started while its operators were finishing as the final one (it cannot complete without the task)', async () => {
    const task = sourceTask();
    task.coordinator.endOfInput();
    task.coordinator.onEvent(start(6), true);
    expect(task.prepared).toEqual([]);
    await expectFinalTakesStarted(task, 6);
  });

  it('does not take again, as its final checkpoint, one it took through its barriers before its input ended', async () => {
    const { coordinator, prepared, events } = sourceTask();
    // Checkpoint 7 is taken through the barriers (here: as a source), then the input ends and
    // 7's start event is handled late, while the operators finish.
    coordinator.onEvent(start(7), true);
    expect(prepared).toEqual([7]);
    coordinator.endOfInput();
    coordinator.onEvent(start(7), false);
    let done = false;
    const final = coordinator.awaitFinalCheckpoint().then(() => (done = true));
    expect(prepared).toEqual([7]);
    coordinator.onEvent({ kind: 'complete', checkpointId: 7 }, false);
    await Promise.resolve();
    expect(done).toBe(false);
    // The next checkpoint is the final one.
    coordinator.onEvent(start(8), false);
    expect(prepared).toEqual([7, 8]);
    await until(() => events.length >= 2);
    coordinator.onEvent({ kind: 'complete', checkpointId: 8 }, false);
    await final;
  });

  it('takes as its final checkpoint one whose start came while it still waited for barriers that never came (its inputs ended first)', async () => {
    const task = sourceTask();
    // Not a source: a start only announces the checkpoint; the barriers would trigger it.
    task.coordinator.onEvent(start(9), false);
    expect(task.prepared).toEqual([]);
    task.coordinator.endOfInput();
    await expectFinalTakesStarted(task, 9);
  });
});

/**
 * Awaits the task's final checkpoint, expecting it to take checkpoint `id` (started already, not
 * taken) at once and acknowledge it, then completes it: the wait must end.
 */
async function expectFinalTakesStarted(task: ReturnType<typeof sourceTask>, id: number): Promise<void> {
  const final = task.coordinator.awaitFinalCheckpoint();
  expect(task.prepared).toEqual([id]);
  await until(() => task.events.length > 0);
  expect(task.events).toMatchObject([{ kind: 'checkpoint-ack', checkpointId: id }]);
  task.coordinator.onEvent({ kind: 'complete', checkpointId: id }, false);
  await final;
}
