import type { SimpleVersionedSerializer } from '@riffle/core';
import {
  KEYED_STATE_SNAPSHOT_SERIALIZER,
  OPERATOR_STATE_SNAPSHOT_SERIALIZER,
  redistributeOperatorState,
  type KeyedStateSnapshot,
  type OperatorStateSnapshot,
} from '@riffle/state';
import type { AbstractStreamOperator } from '../../operators/abstract-stream-operator.js';
import { TIMERS_SNAPSHOT_SERIALIZER } from './timers-snapshot-serializer.js';
import { snapshotTimerServices, timersForKeyGroups, type RestoredTimers, type TimerServicesSnapshot } from './timers-snapshot.js';

/**
 * Everything one operator subtask contributes to a checkpoint, as one byte blob per state file
 * kind of the checkpoint storage (`'keyed' | 'operator' | 'timers'`). A kind is absent when the
 * subtask has nothing of it (no keyed input: no keyed state and no timers; no operator state
 * registered: no operator state). Each blob starts with a 4-byte magic and a version byte:
 * `keyed` is `KEYED_STATE_SNAPSHOT_SERIALIZER`'s format, `operator`
 * `OPERATOR_STATE_SNAPSHOT_SERIALIZER`'s, `timers` `TIMERS_SNAPSHOT_SERIALIZER`'s.
 */
export interface OperatorSnapshotBytes {
  readonly keyed?: Uint8Array;
  readonly operator?: Uint8Array;
  readonly timers?: Uint8Array;
}

/**
 * Snapshots an operator subtask for a checkpoint: calls its `snapshotState` hook (through
 * `snapshotOperatorState`), then writes keyed state, operator state and timers to bytes.
 * Synchronous, on the task thread, between elements (at the barrier); the bytes are
 * independent of the operator afterwards, so writing them out may be asynchronous.
 * The operator must be set up (and normally open).
 */
export function snapshotOperator(operator: AbstractStreamOperator<unknown>, checkpointId = 0, timestamp = Date.now()): OperatorSnapshotBytes {
  const operatorState = operator.snapshotOperatorState(checkpointId, timestamp);
  const backend = operator.getKeyedStateBackendIfKeyed();
  return {
    ...(backend !== undefined
      ? {
          keyed: KEYED_STATE_SNAPSHOT_SERIALIZER.serialize(backend.snapshot()),
          timers: TIMERS_SNAPSHOT_SERIALIZER.serialize(snapshotTimerServices(operator.getTimerServices(), backend, operator.getPendingTimerRestores())),
        }
      : {}),
    ...(operatorState.states.length > 0 ? { operator: OPERATOR_STATE_SNAPSHOT_SERIALIZER.serialize(operatorState) } : {}),
  };
}

/**
 * Restores a fresh operator subtask (`subtaskIndex` of `newParallelism`) from the snapshots of
 * the old subtasks of the same operator, given in old subtask order (all of them, at any old
 * parallelism with the same max parallelism; `undefined` for a subtask that left nothing).
 * Call after `setup` and before `open`, instead of `initializeOperatorState(undefined)`:
 *
 * - keyed state: the keyed backend restores the key groups of its range from every snapshot;
 * - timers: those of the backend's key groups are queued per timer service and registered when
 *   the operator creates the service (in `open`), decoded with that service's namespace serializer;
 * - operator state: redistributed over `newParallelism` subtasks (`redistributeOperatorState`),
 *   this subtask's share handed to `initializeOperatorState` (so `isRestored()` is true).
 *
 * Throws (before changing the operator where it can) if a blob is damaged or of an unknown
 * version, if there is keyed state or timers but the operator is not keyed, or if max
 * parallelism or key serializer differ.
 */
export function restoreOperator(
  operator: AbstractStreamOperator<unknown>,
  pieces: readonly (OperatorSnapshotBytes | undefined)[],
  newParallelism: number,
  subtaskIndex: number,
): void {
  if (!Number.isInteger(subtaskIndex) || subtaskIndex < 0 || subtaskIndex >= newParallelism) {
    throw new RangeError(`subtask index must be an integer in [0, ${newParallelism}), got ${subtaskIndex}`);
  }
  const keyed: KeyedStateSnapshot[] = [];
  const timers: TimerServicesSnapshot[] = [];
  const operatorStates: (OperatorStateSnapshot | undefined)[] = [];
  for (const piece of pieces) {
    if (piece?.keyed !== undefined) keyed.push(read(KEYED_STATE_SNAPSHOT_SERIALIZER, piece.keyed, 'keyed state'));
    if (piece?.timers !== undefined) timers.push(read(TIMERS_SNAPSHOT_SERIALIZER, piece.timers, 'timers'));
    operatorStates.push(piece?.operator !== undefined ? read(OPERATOR_STATE_SNAPSHOT_SERIALIZER, piece.operator, 'operator state') : undefined);
  }
  const backend = operator.getKeyedStateBackendIfKeyed();
  if (backend === undefined && (keyed.length > 0 || timers.some((t) => t.services.some((s) => s.keyGroups.length > 0)))) {
    throw new Error('the snapshot has keyed state or timers but the operator is not keyed');
  }
  let restoredTimers = new Map<string, RestoredTimers>();
  if (backend !== undefined) {
    restoredTimers = timersForKeyGroups(timers, backend);
    backend.restore(keyed);
  }
  const share = redistributeOperatorState(operatorStates, newParallelism)[subtaskIndex];
  operator.initializeOperatorState(share);
  for (const [name, restore] of restoredTimers) if (restore.keyGroups.length > 0) operator.queueTimerRestore(name, restore);
}

/** Deserializes a blob with the version of its header (byte 4, after the magic). */
function read<T>(serializer: SimpleVersionedSerializer<T>, bytes: Uint8Array, what: string): T {
  if (bytes.length < 5) throw new Error(`${what} snapshot: truncated (${bytes.length} bytes)`);
  return serializer.deserialize(bytes[4]!, bytes);
}
