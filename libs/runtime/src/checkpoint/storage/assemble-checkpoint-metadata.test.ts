import { describe, it, expect } from 'vitest';
import type { StateFileHandle } from './checkpoint-metadata.js';
import { assembleCheckpointMetadata } from './assemble-checkpoint-metadata.js';

const h = (operatorUid: string, subtaskIndex: number, kind: StateFileHandle['kind']): StateFileHandle => ({
  operatorUid,
  subtaskIndex,
  kind,
  path: `${operatorUid}.${subtaskIndex}.${kind}`,
  size: 1,
  checksum: '00'.repeat(32),
});

const base = { checkpointId: 3, timestamp: 9, jobId: 'j', isSavepoint: false };
const operators = [
  { operatorUid: 'a', parallelism: 2, maxParallelism: 16 },
  { operatorUid: 'b', parallelism: 1, maxParallelism: 16 },
];

describe('assembleCheckpointMetadata', () => {
  it('groups acknowledged handles by operator and subtask in a deterministic order', () => {
    const m = assembleCheckpointMetadata({ ...base, operators, stateFiles: [h('a', 1, 'timers'), h('a', 1, 'keyed'), h('a', 0, 'keyed')] });
    expect(m.operators).toEqual([
      { operatorUid: 'a', parallelism: 2, maxParallelism: 16, subtaskStates: [[h('a', 0, 'keyed')], [h('a', 1, 'keyed'), h('a', 1, 'timers')]] },
      { operatorUid: 'b', parallelism: 1, maxParallelism: 16, subtaskStates: [[]] },
    ]);
    expect(m.coordinatorState.size).toBe(0);
  });

  it('rejects handles of unknown operators, subtasks beyond the parallelism, and duplicates', () => {
    expect(() => assembleCheckpointMetadata({ ...base, operators, stateFiles: [h('c', 0, 'keyed')] })).toThrow(/unknown operator 'c'/);
    expect(() => assembleCheckpointMetadata({ ...base, operators, stateFiles: [h('b', 1, 'keyed')] })).toThrow(/subtask 1 of operator 'b' with parallelism 1/);
    expect(() => assembleCheckpointMetadata({ ...base, operators, stateFiles: [h('b', 0, 'keyed'), h('b', 0, 'keyed')] })).toThrow(/acknowledged twice/);
  });
});
