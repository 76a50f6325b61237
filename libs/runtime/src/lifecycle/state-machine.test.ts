import { describe, it, expect } from 'vitest';
import { createJobStateMachine, isTerminalJobState, toJobStatus, JOB_TRANSITIONS, type JobState } from './job-state.js';
import { createExecutionStateMachine, isTerminalExecutionState } from './execution-state.js';
import { createSlotStateMachine } from './slot-state.js';
import type { StateTransition } from './state-machine.js';

describe('job state machine', () => {
  it('runs CREATED -> RUNNING -> FAILING -> RESTARTING -> RUNNING -> FINISHED and reports each step to listeners', () => {
    const job = createJobStateMachine('job-1');
    const seen: Array<StateTransition<JobState>> = [];
    job.onTransition((t) => seen.push(t));
    const cause = new Error('boom');
    job.transitionTo('RUNNING');
    job.transitionTo('FAILING', cause);
    job.transitionTo('RESTARTING');
    job.transitionTo('RUNNING');
    job.transitionTo('FINISHED');
    expect(seen.map((t) => `${t.from}->${t.to}`)).toEqual([
      'CREATED->RUNNING',
      'RUNNING->FAILING',
      'FAILING->RESTARTING',
      'RESTARTING->RUNNING',
      'RUNNING->FINISHED',
    ]);
    expect(seen[1]).toMatchObject({ what: 'job', id: 'job-1', cause });
    expect(job.isTerminal()).toBe(true);
  });

  it('throws naming both states on an illegal transition and keeps the state', () => {
    const job = createJobStateMachine('job-7');
    job.transitionTo('RUNNING');
    job.transitionTo('FINISHED');
    expect(() => job.transitionTo('RUNNING')).toThrow('Illegal transition of job job-7 from FINISHED to RUNNING');
    expect(job.state).toBe('FINISHED');
    expect(() => createJobStateMachine('j').transitionTo('FINISHED')).toThrow('Illegal transition of job j from CREATED to FINISHED');
  });

  it('cancels through CANCELLING, or directly from CREATED', () => {
    const job = createJobStateMachine('a');
    job.transitionTo('RUNNING');
    job.transitionTo('CANCELLING');
    job.transitionTo('CANCELED');
    expect(job.state).toBe('CANCELED');
    const early = createJobStateMachine('b');
    early.transitionTo('CANCELED');
    expect(early.isTerminal()).toBe(true);
  });

  it('treats exactly FINISHED, FAILED and CANCELED as terminal and reports RESTARTING as RUNNING to clients', () => {
    const terminal = (Object.keys(JOB_TRANSITIONS) as JobState[]).filter(isTerminalJobState).sort();
    expect(terminal).toEqual(['CANCELED', 'FAILED', 'FINISHED']);
    expect(toJobStatus('RESTARTING')).toBe('RUNNING');
    expect(toJobStatus('FAILING')).toBe('FAILING');
  });

  it('stops notifying a removed listener and survives a throwing listener', () => {
    const job = createJobStateMachine('j');
    const seen: string[] = [];
    job.onTransition(() => {
      throw new Error('listener bug');
    });
    const off = job.onTransition((t) => seen.push(t.to));
    job.transitionTo('RUNNING');
    off();
    job.transitionTo('FINISHED');
    expect(seen).toEqual(['RUNNING']);
    expect(job.state).toBe('FINISHED');
  });

  it('tryTransitionTo returns false instead of throwing on an expected race', () => {
    const job = createJobStateMachine('j');
    job.transitionTo('RUNNING');
    job.transitionTo('FINISHED');
    expect(job.tryTransitionTo('CANCELLING')).toBe(false);
    expect(job.state).toBe('FINISHED');
  });
});

describe('execution state machine', () => {
  it('follows CREATED -> SCHEDULED -> DEPLOYING -> INITIALIZING -> RUNNING -> FINISHED', () => {
    const ex = createExecutionStateMachine('v1#0@0');
    for (const s of ['SCHEDULED', 'DEPLOYING', 'INITIALIZING', 'RUNNING', 'FINISHED'] as const) ex.transitionTo(s);
    expect(ex.state).toBe('FINISHED');
    expect(isTerminalExecutionState(ex.state)).toBe(true);
  });

  it('cancels a running execution through CANCELING and rejects skipping deployment', () => {
    const ex = createExecutionStateMachine('v1#1@0');
    ex.transitionTo('SCHEDULED');
    expect(() => ex.transitionTo('RUNNING')).toThrow('Illegal transition of execution v1#1@0 from SCHEDULED to RUNNING');
    ex.transitionTo('DEPLOYING');
    ex.transitionTo('INITIALIZING');
    ex.transitionTo('RUNNING');
    ex.transitionTo('CANCELING');
    expect(() => ex.transitionTo('RUNNING')).toThrow('Illegal transition of execution v1#1@0 from CANCELING to RUNNING');
    ex.transitionTo('CANCELED');
    expect(() => ex.transitionTo('FAILED')).toThrow('from CANCELED to FAILED');
  });
});

describe('slot state machine', () => {
  it('cycles FREE -> ALLOCATED -> ACTIVE -> FREE and rejects activating a free slot', () => {
    const slot = createSlotStateMachine('tm-1/0');
    slot.transitionTo('ALLOCATED');
    slot.transitionTo('ACTIVE');
    slot.transitionTo('FREE');
    expect(slot.isTerminal()).toBe(false);
    expect(() => slot.transitionTo('ACTIVE')).toThrow('Illegal transition of slot tm-1/0 from FREE to ACTIVE');
  });
});
