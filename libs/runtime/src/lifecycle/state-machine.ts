import { getLogger } from '@riffle/core';

/**
 * A small explicit state machine: a set of string-literal states (a discriminated union of
 * names), a transition table and listeners. Used for jobs, executions (task attempts) and slots.
 * Not thread-safe by design: each machine is owned by one component (JobMaster, TaskExecutor)
 * and driven from its event loop; other components learn about changes through listeners or RPC.
 */

/** For each state, the states it may move to. A state mapping to `[]` is terminal. */
export type TransitionTable<S extends string> = { readonly [K in S]: readonly S[] };

/** What listeners receive after every successful transition. Plain data. */
export interface StateTransition<S extends string> {
  /** What the machine tracks, e.g. `"job"`, `"execution"`, `"slot"`. */
  readonly what: string;
  readonly id: string;
  readonly from: S;
  readonly to: S;
  /** Wall-clock time of the transition, ms since the epoch. */
  readonly timestamp: number;
  /** Why, when the transition was caused by a failure or a request (e.g. the failure cause). */
  readonly cause?: unknown;
}

/** Listener of {@link StateMachine.onTransition}; called synchronously after the state changed. */
export type TransitionListener<S extends string> = (transition: StateTransition<S>) => void;

/** The error message of an illegal transition: `Illegal transition of <what> <id> from <A> to <B>`. */
export function illegalTransitionMessage(what: string, id: string, from: string, to: string): string {
  return `Illegal transition of ${what} ${id} from ${from} to ${to}`;
}

/** Throws `Illegal transition of <what> <id> from <from> to <to>` unless the table allows it. */
export function assertTransition<S extends string>(table: TransitionTable<S>, what: string, id: string, from: S, to: S): void {
  if (!table[from].includes(to)) throw new Error(illegalTransitionMessage(what, id, from, to));
}

const log = getLogger('StateMachine');

/**
 * Holds the current state of one job, execution or slot and applies transitions checked against
 * its table. Listeners run synchronously, in registration order, after the state has changed; a
 * listener that throws is logged and does not stop the others or undo the transition.
 */
export class StateMachine<S extends string> {
  private current: S;
  private readonly listeners: Array<TransitionListener<S>> = [];

  constructor(
    readonly what: string,
    readonly id: string,
    private readonly table: TransitionTable<S>,
    initial: S,
  ) {
    this.current = initial;
  }

  /** The current state. */
  get state(): S {
    return this.current;
  }

  /** Whether the current state has no outgoing transitions. */
  isTerminal(): boolean {
    return this.table[this.current].length === 0;
  }

  /** Whether moving to `to` from the current state is allowed. */
  canTransitionTo(to: S): boolean {
    return this.table[this.current].includes(to);
  }

  /**
   * Moves to `to`; throws `Illegal transition of <what> <id> from <A> to <B>` (leaving the state
   * unchanged) when the table does not allow it. Returns the transition that listeners received.
   */
  transitionTo(to: S, cause?: unknown): StateTransition<S> {
    assertTransition(this.table, this.what, this.id, this.current, to);
    const t: StateTransition<S> = {
      what: this.what,
      id: this.id,
      from: this.current,
      to,
      timestamp: Date.now(),
      ...(cause !== undefined ? { cause } : {}),
    };
    this.current = to;
    for (const l of [...this.listeners]) {
      try {
        l(t);
      } catch (err) {
        log.error(`Listener of ${this.what} ${this.id} failed on ${t.from} -> ${t.to}`, { error: String(err) });
      }
    }
    return t;
  }

  /**
   * Moves to `to` when allowed and returns true; returns false (and changes nothing) otherwise.
   * For races that are expected, e.g. a cancel arriving after a task already finished.
   */
  tryTransitionTo(to: S, cause?: unknown): boolean {
    if (!this.canTransitionTo(to)) return false;
    this.transitionTo(to, cause);
    return true;
  }

  /** Registers a listener; returns a function that removes it. */
  onTransition(listener: TransitionListener<S>): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }
}
