import { StateMachine, type TransitionTable } from './state-machine.js';

/**
 * States of a task slot on a TaskExecutor: FREE → ALLOCATED (reserved for a job) → ACTIVE
 * (accepted by the job's JobMaster, tasks may run) → FREE when released. An allocated slot may be
 * released before it is activated, and an active slot may be marked inactive (back to ALLOCATED)
 * when its JobMaster loses leadership. No state is terminal.
 */
export type SlotState = 'FREE' | 'ALLOCATED' | 'ACTIVE';

/** The legal slot transitions. */
export const SLOT_TRANSITIONS: TransitionTable<SlotState> = {
  FREE: ['ALLOCATED'],
  ALLOCATED: ['ACTIVE', 'FREE'],
  ACTIVE: ['FREE', 'ALLOCATED'],
};

/** A slot's state machine, starting FREE. */
export function createSlotStateMachine(slotId: string): StateMachine<SlotState> {
  return new StateMachine<SlotState>('slot', slotId, SLOT_TRANSITIONS, 'FREE');
}
