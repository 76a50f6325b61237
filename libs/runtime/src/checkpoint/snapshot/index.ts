export { DEFAULT_TIMER_NAMESPACE_SERIALIZER } from './timer-namespace-serializer.js';
export {
  type TimerServicesSnapshot,
  type TimerServiceSnapshot,
  type KeyGroupTimerBytes,
  type TimerKeyContext,
  TimerDomain,
  RestoredTimers,
  snapshotTimerServices,
  timersForKeyGroups,
} from './timers-snapshot.js';
export { TimersSnapshotSerializer, TIMERS_SNAPSHOT_SERIALIZER, TIMERS_SNAPSHOT_MAGIC, TIMERS_SNAPSHOT_VERSION } from './timers-snapshot-serializer.js';
export { type OperatorSnapshotBytes, snapshotOperator, restoreOperator } from './operator-snapshot-bytes.js';
export { encodeVersionedBlob, decodeVersionedBlob, READER_STATE_MAGIC, ENUMERATOR_STATE_MAGIC } from './versioned-blob.js';
