import {
  MIN_WATERMARK,
  Watermark,
  type TypeSerializer,
  type KeySelector,
  type Output,
  type RuntimeContext,
  type StreamOperator,
  type StreamOperatorParameters,
  type StreamRecord,
  type WatermarkStatus,
} from '@riffle/core';
import { DefaultKeyedStateStore, DefaultOperatorStateBackend, HeapKeyedStateBackend, type KeyedStateStore, type OperatorStateSnapshot } from '@riffle/state';
import type { FunctionInitializationContext, FunctionSnapshotContext } from '../state/checkpointed-function.js';
import { PROCESSING_TIME_SERVICE, type ProcessingTimeService } from '../tasks/processing-time-service.js';
import { HeapInternalTimerService, type InternalTimerService, type Triggerable } from '../timers/internal-timer-service.js';

/** Restored timers of one timer service, applied once the operator creates that service. */
export interface PendingTimerRestore {
  /** Registers the restored timers in `service` (called once, on the task thread). */
  applyTo(service: HeapInternalTimerService<unknown, any>): void;
}

/** A runtime context that can take the keyed state store of its operator (the task's contexts can). */
interface KeyedStateAware {
  setKeyedStateStore(store: KeyedStateStore): void;
}

/**
 * Base class for operators. Stores what `setup` hands over and provides what Flink's
 * AbstractStreamOperator provides:
 * - **event time**: one input: an advancing watermark first fires the event-time timers of every
 *   timer service of the operator, then is forwarded; two inputs: the operator's watermark is the
 *   minimum over the inputs that are not idle, and it is idle only when both are;
 * - **keyed state**: an operator whose input is keyed gets a heap keyed state backend for its key
 *   group range; `setKeyContextElement(record)` makes the record's key current for state and timers,
 *   and user functions reach the state through `getRuntimeContext().getState(...)`;
 * - **timers**: `getInternalTimerService(name, …)` gives keyed timers in namespaces;
 *   processing-time timers fire as task mails.
 * Subclasses that react to watermarks override `processWatermark` and call `super` (which fires timers).
 */
export abstract class AbstractStreamOperator<OUT> implements StreamOperator<OUT> {
  protected output!: Output<OUT>;
  protected runtimeContext!: RuntimeContext;
  protected keySelectors: ReadonlyArray<KeySelector<any, any> | undefined> = [];
  protected services: ReadonlyMap<string, unknown> = new Map();
  /** The operator's current event-time watermark. */
  protected currentWatermark = MIN_WATERMARK;
  private readonly inputWatermarks = [MIN_WATERMARK, MIN_WATERMARK];
  private readonly inputIdle = [false, false];
  private status: WatermarkStatus = 'ACTIVE';
  private keyedBackend: HeapKeyedStateBackend<unknown> | undefined;
  private keyedStore: KeyedStateStore | undefined;
  private operatorBackend: DefaultOperatorStateBackend | undefined;
  private readonly timerServices = new Map<string, HeapInternalTimerService<unknown, any>>();
  /** Restored timers waiting for their service to be created (checkpoint restore, see `queueTimerRestore`). */
  private readonly pendingTimerRestores = new Map<string, PendingTimerRestore>();

  setup(params: StreamOperatorParameters<OUT>): void {
    this.output = params.output;
    this.runtimeContext = params.runtimeContext;
    this.keySelectors = params.keySelectors;
    this.services = params.services;
    if (this.keySelectors.some((k) => k !== undefined)) this.createKeyedStateBackend();
  }

  open(): void | Promise<void> {}

  finish(): void | Promise<void> {}

  close(): void | Promise<void> {
    for (const t of this.timerServices.values()) t.close();
  }

  // --- keyed state and timers ---

  private createKeyedStateBackend(): void {
    const rc = this.runtimeContext;
    const time = this.services.get(PROCESSING_TIME_SERVICE) as ProcessingTimeService | undefined;
    this.keyedBackend = HeapKeyedStateBackend.forSubtask<unknown>(
      rc.getMaxNumberOfParallelSubtasks(),
      rc.getNumberOfParallelSubtasks(),
      rc.getIndexOfThisSubtask(),
      undefined,
      time ? { ttlTimeProvider: { currentTimestamp: () => time.getCurrentProcessingTime() } } : {},
    );
    this.keyedStore = new DefaultKeyedStateStore(this.keyedBackend);
    const aware = rc as Partial<KeyedStateAware>;
    aware.setKeyedStateStore?.(this.keyedStore);
  }

  // --- operator state ---

  /** The operator (non-keyed) state backend of this subtask, created on first use. */
  protected getOperatorStateBackend(): DefaultOperatorStateBackend {
    return (this.operatorBackend ??= new DefaultOperatorStateBackend());
  }

  /**
   * Restores (or creates empty) the operator state and lets the operator initialize its state.
   * Called by the task after `setup` and before `open`, with this subtask's share of the
   * restored operator state, or `undefined` on a fresh start.
   */
  initializeOperatorState(restored: OperatorStateSnapshot | undefined): void {
    const backend = new DefaultOperatorStateBackend();
    if (restored !== undefined) backend.restore(restored);
    this.operatorBackend = backend;
    this.initializeState({
      isRestored: () => restored !== undefined,
      getOperatorStateStore: () => backend,
      getKeyedStateStore: () => this.keyedStore,
    });
  }

  /** Brings state up to date for a checkpoint (the operator's `snapshotState`) and snapshots the operator state. */
  snapshotOperatorState(checkpointId = 0, timestamp = Date.now()): OperatorStateSnapshot {
    this.snapshotState({ getCheckpointId: () => checkpointId, getCheckpointTimestamp: () => timestamp });
    return this.getOperatorStateBackend().snapshot();
  }

  /** Hook: register operator/keyed state here (runs before `open`). */
  protected initializeState(_context: FunctionInitializationContext): void {}

  /** Hook: update state for a checkpoint. */
  protected snapshotState(_context: FunctionSnapshotContext): void {}

  /** True when the operator's input is keyed (it has a keyed state backend). */
  protected isKeyed(): boolean {
    return this.keyedBackend !== undefined;
  }

  /** The keyed state backend; throws when the operator's input is not keyed. */
  protected getKeyedStateBackend(): HeapKeyedStateBackend<unknown> {
    if (!this.keyedBackend) {
      throw new Error(`operator '${this.runtimeContext.getTaskName()}' has no keyed state: its input is not keyed (use keyBy first)`);
    }
    return this.keyedBackend;
  }

  /** The keyed state backend, or undefined when the operator is not keyed (for snapshots and harnesses). */
  getKeyedStateBackendIfKeyed(): HeapKeyedStateBackend<unknown> | undefined {
    return this.keyedBackend;
  }

  /** The timer services created so far, by name (for snapshots and harnesses). */
  getTimerServices(): ReadonlyMap<string, HeapInternalTimerService<unknown, any>> {
    return this.timerServices;
  }

  /** Makes the key of `record` (through input `input`'s key selector) the current key for state and timers. */
  protected setKeyContextElement(record: StreamRecord<unknown>, input = 0): void {
    const key = this.keySelectors[input]!.getKey(record.value);
    if (key === undefined) {
      throw new Error(
        `The key selector of operator '${this.runtimeContext.getTaskName()}' returned undefined for a record; every record must have a key (null is allowed)`,
      );
    }
    this.keyedBackend!.setCurrentKey(key);
  }

  protected setCurrentKey(key: unknown): void {
    this.getKeyedStateBackend().setCurrentKey(key);
  }

  protected getCurrentKey(): unknown {
    return this.keyedBackend?.getCurrentKey();
  }

  /** The task's processing-time service. */
  protected getProcessingTimeService(): ProcessingTimeService {
    const time = this.services.get(PROCESSING_TIME_SERVICE) as ProcessingTimeService | undefined;
    if (!time) throw new Error(`operator '${this.runtimeContext.getTaskName()}' has no processing-time service`);
    return time;
  }

  /**
   * The keyed timer service named `name` (created on first use). Timers fire into `triggerable`
   * with the timer's key set as the current key. `namespaceIdentity` turns a namespace into the
   * string timers are deduplicated by; `namespaceSerializer` writes namespaces into checkpoints
   * (default: nothing for the void namespace, the dynamic serializer otherwise; windows pass
   * their window serializer). Timers restored for `name` are registered when it is created.
   */
  protected getInternalTimerService<N>(
    name: string,
    namespaceIdentity: (namespace: N) => string,
    triggerable: Triggerable<unknown, N>,
    namespaceSerializer?: TypeSerializer<N>,
  ): InternalTimerService<N> {
    let service = this.timerServices.get(name);
    if (!service) {
      const backend = this.getKeyedStateBackend();
      service = new HeapInternalTimerService<unknown, N>(backend, this.getProcessingTimeService(), triggerable, namespaceIdentity, namespaceSerializer);
      this.timerServices.set(name, service);
      const pending = this.pendingTimerRestores.get(name);
      if (pending !== undefined) {
        this.pendingTimerRestores.delete(name);
        pending.applyTo(service);
      }
    }
    return service as HeapInternalTimerService<unknown, N>;
  }

  // --- checkpoint restore of timers (additive: used by runtime/checkpoint/snapshot) ---

  /**
   * Queues restored timers of the timer service `name`: they are registered when the operator
   * creates that service (usually in `open`), or at once if it exists. Call after `setup`,
   * before `open`, at most once per name.
   */
  queueTimerRestore(name: string, restore: PendingTimerRestore): void {
    const existing = this.timerServices.get(name);
    if (existing !== undefined) restore.applyTo(existing);
    else this.pendingTimerRestores.set(name, restore);
  }

  /** Restored timers whose service the operator has not created (yet), by service name. */
  getPendingTimerRestores(): ReadonlyMap<string, PendingTimerRestore> {
    return this.pendingTimerRestores;
  }

  // --- event time ---

  /** Advances the operator's watermark: fires due event-time timers, then forwards the watermark. */
  processWatermark(mark: Watermark): void {
    if (mark.timestamp <= this.currentWatermark) return;
    this.currentWatermark = mark.timestamp;
    for (const service of this.timerServices.values()) service.advanceWatermark(mark.timestamp);
    this.output.emitWatermark(mark);
  }

  processWatermarkStatus(status: WatermarkStatus): void {
    this.setStatus(status);
  }

  processWatermark1(mark: Watermark): void {
    this.inputWatermarks[0] = mark.timestamp;
    this.combineWatermarks();
  }

  processWatermark2(mark: Watermark): void {
    this.inputWatermarks[1] = mark.timestamp;
    this.combineWatermarks();
  }

  processWatermarkStatus1(status: WatermarkStatus): void {
    this.inputIdle[0] = status === 'IDLE';
    this.combineStatus();
  }

  processWatermarkStatus2(status: WatermarkStatus): void {
    this.inputIdle[1] = status === 'IDLE';
    this.combineStatus();
  }

  private combineStatus(): void {
    this.setStatus(this.inputIdle[0] && this.inputIdle[1] ? 'IDLE' : 'ACTIVE');
    // An input that became idle no longer holds the other one back.
    this.combineWatermarks();
  }

  private combineWatermarks(): void {
    const [w1, w2] = this.inputWatermarks as [number, number];
    const [i1, i2] = this.inputIdle as [boolean, boolean];
    const combined = i1 && !i2 ? w2 : i2 && !i1 ? w1 : Math.min(w1, w2);
    if (combined > this.currentWatermark) this.processWatermark(new Watermark(combined));
  }

  private setStatus(status: WatermarkStatus): void {
    if (status === this.status) return;
    this.status = status;
    this.output.emitWatermarkStatus(status);
  }
}
