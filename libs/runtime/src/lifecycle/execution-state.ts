import { StateMachine, type TransitionTable } from './state-machine.js';

/**
 * States of an execution (one attempt of one subtask), as Flink's `ExecutionState`:
 * CREATED → SCHEDULED (slot requested/assigned) → DEPLOYING (sent to a TaskExecutor) →
 * INITIALIZING (operators open, state restored) → RUNNING → FINISHED. Cancelling goes through
 * CANCELING → CANCELED once the task is deployed; before that it goes straight to CANCELED.
 * Any non-terminal state may go to FAILED.
 */
export type ExecutionState =
  | 'CREATED'
  | 'SCHEDULED'
  | 'DEPLOYING'
  | 'INITIALIZING'
  | 'RUNNING'
  | 'FINISHED'
  | 'CANCELING'
  | 'CANCELED'
  | 'FAILED';

/** The legal execution transitions. FINISHED, CANCELED and FAILED are terminal. */
export const EXECUTION_TRANSITIONS: TransitionTable<ExecutionState> = {
  CREATED: ['SCHEDULED', 'CANCELED', 'FAILED'],
  SCHEDULED: ['DEPLOYING', 'CANCELED', 'FAILED'],
  DEPLOYING: ['INITIALIZING', 'CANCELING', 'FAILED'],
  // A bounded task may finish while initializing (e.g. it restores as already finished).
  INITIALIZING: ['RUNNING', 'FINISHED', 'CANCELING', 'FAILED'],
  RUNNING: ['FINISHED', 'CANCELING', 'FAILED'],
  CANCELING: ['CANCELED', 'FAILED'],
  FINISHED: [],
  CANCELED: [],
  FAILED: [],
};

/** Whether an execution state is terminal (FINISHED, CANCELED, FAILED). */
export function isTerminalExecutionState(state: ExecutionState): boolean {
  return EXECUTION_TRANSITIONS[state].length === 0;
}

/**
 * An execution's state machine, starting in CREATED. `executionId` should name the attempt,
 * e.g. `"<vertexId>#<subtask>@<attempt>"`.
 */
export function createExecutionStateMachine(executionId: string): StateMachine<ExecutionState> {
  return new StateMachine<ExecutionState>('execution', executionId, EXECUTION_TRANSITIONS, 'CREATED');
}
