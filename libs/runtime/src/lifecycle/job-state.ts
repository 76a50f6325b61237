import type { JobStatus } from '../client/job-client.js';
import { StateMachine, type TransitionTable } from './state-machine.js';

/**
 * Job states (Flink's `JobStatus`). The client-facing {@link JobStatus} is this set without
 * RESTARTING (see {@link toJobStatus}).
 *
 * CREATED → RUNNING → FINISHED; a failure goes RUNNING → FAILING → FAILED, or → RESTARTING →
 * RUNNING when the restart strategy allows (RUNNING → RESTARTING directly too); cancel goes
 * → CANCELLING → CANCELED. A job that never started may go CREATED → CANCELED or FAILED.
 */
export type JobState = 'CREATED' | 'RUNNING' | 'FAILING' | 'FAILED' | 'RESTARTING' | 'CANCELLING' | 'CANCELED' | 'FINISHED';

/** The legal job transitions. FINISHED, FAILED and CANCELED are terminal. */
export const JOB_TRANSITIONS: TransitionTable<JobState> = {
  CREATED: ['RUNNING', 'CANCELLING', 'CANCELED', 'FAILED'],
  RUNNING: ['FINISHED', 'FAILING', 'RESTARTING', 'CANCELLING', 'FAILED'],
  FAILING: ['FAILED', 'RESTARTING', 'CANCELLING'],
  RESTARTING: ['RUNNING', 'FAILING', 'FAILED', 'CANCELLING', 'CANCELED'],
  CANCELLING: ['CANCELED', 'FAILED'],
  FINISHED: [],
  FAILED: [],
  CANCELED: [],
};

/** Whether a job state is terminal (FINISHED, FAILED, CANCELED). */
export function isTerminalJobState(state: JobState): boolean {
  return JOB_TRANSITIONS[state].length === 0;
}

/** The status a client sees: RESTARTING is reported as RUNNING (the job is not done). */
export function toJobStatus(state: JobState): JobStatus {
  return state === 'RESTARTING' ? 'RUNNING' : state;
}

/** A job's state machine, starting in CREATED; illegal transitions throw naming both states. */
export function createJobStateMachine(jobId: string): StateMachine<JobState> {
  return new StateMachine<JobState>('job', jobId, JOB_TRANSITIONS, 'CREATED');
}
