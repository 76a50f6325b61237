import { assignToKeyGroup, type StreamOperator } from '@riffle/core';
import { AbstractStreamOperator, type HeapInternalTimerService, type InternalTimer } from '@riffle/runtime';
import type { HeapKeyedStateBackend, KeyedStateSnapshot, OperatorStateSnapshot } from '@riffle/state';

/** The timers of one timer service of an operator, as `HeapInternalTimerService.snapshot()` gives them. */
export interface TimersSnapshot {
  readonly eventTime: readonly InternalTimer<unknown, unknown>[];
  readonly processingTime: readonly InternalTimer<unknown, unknown>[];
}

/**
 * What a harness snapshots of one operator subtask: keyed state (bytes by key group), the
 * timers of every timer service, and operator state (for operators implementing
 * {@link OperatorStateHooks}). Independent of the operator afterwards. This is the shape the
 * checkpoint issue formalises as the operator's part of a checkpoint; restore it into a fresh
 * harness with `initializeState` (several snapshots at once to rescale).
 */
export interface OperatorSnapshot {
  /** The subtask the snapshot was taken from. */
  readonly subtaskIndex: number;
  readonly parallelism: number;
  readonly maxParallelism: number;
  /** Keyed state; absent when the operator is not keyed. */
  readonly keyedState?: KeyedStateSnapshot;
  /** Timers by timer service name; absent when the operator is not keyed. */
  readonly timers?: Readonly<Record<string, TimersSnapshot>>;
  /** Operator state; absent unless the operator implements {@link OperatorStateHooks}. */
  readonly operatorState?: OperatorStateSnapshot;
}

/**
 * Operator state hooks a harness (and, with the checkpoint issue, the task) calls on operators
 * that keep operator (non-keyed) state, such as in-flight async requests or broadcast state:
 *
 * - `initializeOperatorState(restored)` after `setup` and before `open`, with this subtask's
 *   share of the restored state, or `undefined` on a fresh start;
 * - `snapshotOperatorState()` between elements, synchronously; the result must not change
 *   afterwards.
 *
 * Operators must also work when neither is ever called (the runtime does not call them yet).
 * Operators implement these structurally; they need not import this interface.
 */
export interface OperatorStateHooks {
  initializeOperatorState(restored: OperatorStateSnapshot | undefined): void;
  snapshotOperatorState(): OperatorStateSnapshot;
}

/** True when `operator` implements {@link OperatorStateHooks}. */
export function hasOperatorStateHooks(operator: unknown): operator is OperatorStateHooks {
  const o = operator as Partial<OperatorStateHooks> | null;
  return o !== null && typeof o === 'object' && typeof o.initializeOperatorState === 'function' && typeof o.snapshotOperatorState === 'function';
}

/** The operator's keyed state backend, or undefined when it has none (not keyed, or not an AbstractStreamOperator). */
export function keyedBackendOf(operator: StreamOperator<unknown>): HeapKeyedStateBackend<unknown> | undefined {
  return operator instanceof AbstractStreamOperator ? operator.getKeyedStateBackendIfKeyed() : undefined;
}

/** The operator's timer services by name (empty when it has none). */
export function timerServicesOf(operator: StreamOperator<unknown>): ReadonlyMap<string, HeapInternalTimerService<unknown, unknown>> {
  return operator instanceof AbstractStreamOperator ? operator.getTimerServices() : new Map();
}

/** Copies timers so that the snapshot does not share objects with the live queues. */
export function copyTimers(timers: { eventTime: InternalTimer<unknown, unknown>[]; processingTime: InternalTimer<unknown, unknown>[] }): TimersSnapshot {
  const copy = (t: InternalTimer<unknown, unknown>): InternalTimer<unknown, unknown> => ({ key: t.key, namespace: t.namespace, timestamp: t.timestamp });
  return { eventTime: timers.eventTime.map(copy), processingTime: timers.processingTime.map(copy) };
}

/** The timers of `snapshots`, merged per service and kept only for keys in key groups `range` of `maxParallelism`. */
export function timersInRange(
  snapshots: readonly OperatorSnapshot[],
  range: { start: number; end: number },
  maxParallelism: number,
): Map<string, { eventTime: InternalTimer<unknown, unknown>[]; processingTime: InternalTimer<unknown, unknown>[] }> {
  const inRange = (t: InternalTimer<unknown, unknown>): boolean => {
    const group = assignToKeyGroup(t.key, maxParallelism);
    return group >= range.start && group <= range.end;
  };
  const merged = new Map<string, { eventTime: InternalTimer<unknown, unknown>[]; processingTime: InternalTimer<unknown, unknown>[] }>();
  for (const snapshot of snapshots) {
    for (const [name, timers] of Object.entries(snapshot.timers ?? {})) {
      let into = merged.get(name);
      if (into === undefined) merged.set(name, (into = { eventTime: [], processingTime: [] }));
      for (const t of timers.eventTime) if (inRange(t)) into.eventTime.push({ ...t });
      for (const t of timers.processingTime) if (inRange(t)) into.processingTime.push({ ...t });
    }
  }
  return merged;
}
