import { TAG_CANCEL_CHECKPOINT, TAG_CHECKPOINT_BARRIER } from './element-framing.js';

/** How a checkpoint aligns its inputs (Flink's `CheckpointingMode`). */
export type CheckpointingMode = 'EXACTLY_ONCE' | 'AT_LEAST_ONCE';

/** Options a checkpoint barrier carries to every task (Flink's `CheckpointOptions`, without unaligned mode yet). */
export interface CheckpointOptions {
  readonly mode: CheckpointingMode;
  readonly isSavepoint: boolean;
}

/**
 * Marks a point in every data stream (Flink's `CheckpointBarrier`): everything written on a channel
 * before it belongs to checkpoint `checkpointId`, everything after to the next. Travels in order
 * with records on every channel of every partition; never dropped, never overtaking.
 */
export interface CheckpointBarrier {
  readonly checkpointId: number;
  /** When the checkpoint coordinator triggered the checkpoint (epoch ms). */
  readonly timestamp: number;
  readonly options: CheckpointOptions;
}

/** Tells downstream tasks that checkpoint `checkpointId` was aborted upstream (Flink's `CancelCheckpointMarker`). */
export interface CancelCheckpointMarker {
  readonly checkpointId: number;
}

/**
 * Barrier frame: tag 6, u32 payload length (18), f64 checkpointId, f64 timestamp,
 * u8 mode (0 = EXACTLY_ONCE, 1 = AT_LEAST_ONCE), u8 isSavepoint.
 */
export const CHECKPOINT_BARRIER_PAYLOAD = 18;
export const CHECKPOINT_BARRIER_FRAME = 5 + CHECKPOINT_BARRIER_PAYLOAD;
/** Cancel frame: tag 7, u32 payload length (8), f64 checkpointId. */
export const CANCEL_CHECKPOINT_PAYLOAD = 8;
export const CANCEL_CHECKPOINT_FRAME = 5 + CANCEL_CHECKPOINT_PAYLOAD;

const MODE_EXACTLY_ONCE = 0;
const MODE_AT_LEAST_ONCE = 1;

/** Writes a barrier frame at `pos` (the caller made room for {@link CHECKPOINT_BARRIER_FRAME} bytes). Returns the new position. */
export function writeCheckpointBarrierFrame(bytes: Uint8Array, view: DataView, pos: number, barrier: CheckpointBarrier): number {
  bytes[pos] = TAG_CHECKPOINT_BARRIER;
  view.setUint32(pos + 1, CHECKPOINT_BARRIER_PAYLOAD, true);
  view.setFloat64(pos + 5, barrier.checkpointId, true);
  view.setFloat64(pos + 13, barrier.timestamp, true);
  bytes[pos + 21] = barrier.options.mode === 'AT_LEAST_ONCE' ? MODE_AT_LEAST_ONCE : MODE_EXACTLY_ONCE;
  bytes[pos + 22] = barrier.options.isSavepoint ? 1 : 0;
  return pos + CHECKPOINT_BARRIER_FRAME;
}

/** Writes a cancel-checkpoint frame at `pos`. Returns the new position. */
export function writeCancelCheckpointFrame(bytes: Uint8Array, view: DataView, pos: number, checkpointId: number): number {
  bytes[pos] = TAG_CANCEL_CHECKPOINT;
  view.setUint32(pos + 1, CANCEL_CHECKPOINT_PAYLOAD, true);
  view.setFloat64(pos + 5, checkpointId, true);
  return pos + CANCEL_CHECKPOINT_FRAME;
}

/**
 * Reads the barrier frame at `pos` (tag already checked). A new object per barrier: barriers are
 * rare and the handler keeps them.
 * @throws Error when the length or mode byte is not what {@link writeCheckpointBarrierFrame} writes.
 */
export function readCheckpointBarrierFrame(bytes: Uint8Array, view: DataView, pos: number): CheckpointBarrier {
  const len = view.getUint32(pos + 1, true);
  if (len !== CHECKPOINT_BARRIER_PAYLOAD) throw new Error(`checkpoint barrier frame with payload length ${len}, expected ${CHECKPOINT_BARRIER_PAYLOAD}`);
  const modeByte = bytes[pos + 21];
  if (modeByte !== MODE_EXACTLY_ONCE && modeByte !== MODE_AT_LEAST_ONCE) throw new Error(`checkpoint barrier frame with unknown mode ${modeByte}`);
  return {
    checkpointId: view.getFloat64(pos + 5, true),
    timestamp: view.getFloat64(pos + 13, true),
    options: { mode: modeByte === MODE_AT_LEAST_ONCE ? 'AT_LEAST_ONCE' : 'EXACTLY_ONCE', isSavepoint: bytes[pos + 22] === 1 },
  };
}

/** Reads the checkpoint id of the cancel frame at `pos` (tag already checked). */
export function readCancelCheckpointFrame(view: DataView, pos: number): number {
  const len = view.getUint32(pos + 1, true);
  if (len !== CANCEL_CHECKPOINT_PAYLOAD) throw new Error(`cancel checkpoint frame with payload length ${len}, expected ${CANCEL_CHECKPOINT_PAYLOAD}`);
  return view.getFloat64(pos + 5, true);
}
