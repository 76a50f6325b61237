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
  const events: TaskEvent[] = [];
  const operator: StreamOperator<unknown> = {
    setup() {},
    open() {},
    finish() {},
    close() {},
    prepareSnapshotPreBarrier: (id) => void prepared.push(id),
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
  return { coordinator, prepared, events };
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
});
