import type { CheckpointingMode } from './checkpoint-barrier.js';
import type { CheckpointBarrierHandler, CheckpointListener } from './checkpoint-barrier-handler.js';
import { CheckpointBarrierTracker } from './checkpoint-barrier-tracker.js';
import { SingleCheckpointBarrierHandler } from './single-checkpoint-barrier-handler.js';

/**
 * The barrier handler for a job's checkpointing mode: aligned ({@link SingleCheckpointBarrierHandler})
 * for EXACTLY_ONCE, non-blocking ({@link CheckpointBarrierTracker}) for AT_LEAST_ONCE. Create one
 * per task and pass it to every `StreamNetworkInput` of the task.
 */
export function createCheckpointBarrierHandler(
  mode: CheckpointingMode,
  listener: CheckpointListener,
  clock?: () => number,
): CheckpointBarrierHandler {
  return mode === 'AT_LEAST_ONCE' ? new CheckpointBarrierTracker(listener, clock) : new SingleCheckpointBarrierHandler(listener, clock);
}
