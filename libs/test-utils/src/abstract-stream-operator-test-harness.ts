import { redistributeOperatorState } from '@riffle/state';
import type { HeapKeyedStateBackend } from '@riffle/state';
import type { KeySelector, KeySelectorLike, OutputTag, StreamOperator } from '@riffle/core';
import { MAILBOX_EXECUTOR, ManualProcessingTimeService, PROCESSING_TIME_SERVICE, StreamingRuntimeContext } from '@riffle/runtime';
import { HarnessOutput, isOutputRecord, type OutputElement, type OutputRecord } from './harness-output.js';
import {
  copyTimers,
  hasOperatorStateHooks,
  keyedBackendOf,
  timerServicesOf,
  timersInRange,
  type OperatorSnapshot,
  type TimersSnapshot,
} from './operator-snapshot.js';
import { TestingMailbox } from './testing-mailbox.js';

/** Options of every operator test harness. */
export interface StreamOperatorTestHarnessOptions {
  /** Parallelism of the operator (default 1). */
  readonly parallelism?: number;
  /** Max parallelism, the number of key groups (default 128). */
  readonly maxParallelism?: number;
  /** Index of the simulated subtask (default 0). */
  readonly subtaskIndex?: number;
  /** Attempt number the runtime context reports (default 0). */
  readonly attemptNumber?: number;
  /** The operator's name, as errors and the runtime context report it (default 'Test Operator'). */
  readonly operatorName?: string;
  /** Start of processing time (default 0), or the manual clock to use. */
  readonly processingTime?: number | ManualProcessingTimeService;
  /** Extra services for the operator's setup parameters (the harness adds the clock and the mailbox). */
  readonly services?: ReadonlyMap<string, unknown>;
}

/** An operator instance, or a factory creating one. */
export type OperatorOrFactory<OP> = OP | (() => OP);

type Lifecycle = 'CREATED' | 'SET_UP' | 'OPEN' | 'FINISHED' | 'CLOSED';

/** Normalizes a key selector argument. */
export function toKeySelector<T, K>(key: KeySelectorLike<T, K>): KeySelector<T, K> {
  return typeof key === 'function' ? { getKey: key } : key;
}

/**
 * What every operator test harness does (Flink's `AbstractStreamOperatorTestHarness`, without
 * mocks): sets the operator up with a collecting {@link HarnessOutput}, a runtime context, a
 * {@link ManualProcessingTimeService} and a {@link TestingMailbox}; drives its lifecycle; and
 * takes and restores snapshots.
 *
 * Lifecycle: construct → optionally `initializeState(snapshot)` → `open()` → feed elements,
 * watermarks, processing time and mails → optionally `snapshot()` → `endInput()` (finish) →
 * `close()`. Everything runs on the caller's stack; nothing happens in the background: timers
 * fire in `setProcessingTime` / on watermarks, and mails run only in `runMails` / `drainMails`
 * / `waitForMails` / `endInput`.
 */
export abstract class AbstractStreamOperatorTestHarness<OUT, OP extends StreamOperator<OUT>> {
  /** The operator under test. */
  readonly operator: OP;
  /** Everything the operator emitted. */
  readonly output = new HarnessOutput<OUT>();
  /** The operator's mailbox (its `MAILBOX_EXECUTOR`). */
  readonly mailbox = new TestingMailbox();
  /** The operator's processing-time clock. */
  readonly processingTimeService: ManualProcessingTimeService;
  readonly runtimeContext: StreamingRuntimeContext;
  readonly parallelism: number;
  readonly maxParallelism: number;
  readonly subtaskIndex: number;
  private lifecycle: Lifecycle = 'CREATED';
  private operatorStateInitialized = false;
  private restoredTimers: ReturnType<typeof timersInRange> | undefined;

  protected constructor(
    operatorOrFactory: OperatorOrFactory<OP>,
    private readonly keySelectors: ReadonlyArray<KeySelector<any, any> | undefined>,
    private readonly options: StreamOperatorTestHarnessOptions,
  ) {
    this.operator = typeof operatorOrFactory === 'function' ? (operatorOrFactory as () => OP)() : operatorOrFactory;
    this.parallelism = options.parallelism ?? 1;
    this.maxParallelism = options.maxParallelism ?? 128;
    this.subtaskIndex = options.subtaskIndex ?? 0;
    if (!Number.isInteger(this.maxParallelism) || this.maxParallelism < 1) throw new RangeError(`maxParallelism must be a positive integer, got ${this.maxParallelism}`);
    if (!Number.isInteger(this.parallelism) || this.parallelism < 1 || this.parallelism > this.maxParallelism) {
      throw new RangeError(`parallelism must be an integer in [1, ${this.maxParallelism}], got ${this.parallelism}`);
    }
    if (!Number.isInteger(this.subtaskIndex) || this.subtaskIndex < 0 || this.subtaskIndex >= this.parallelism) {
      throw new RangeError(`subtaskIndex must be an integer in [0, ${this.parallelism}), got ${this.subtaskIndex}`);
    }
    const time = options.processingTime;
    this.processingTimeService = time instanceof ManualProcessingTimeService ? time : new ManualProcessingTimeService(time ?? 0);
    this.runtimeContext = new StreamingRuntimeContext(
      options.operatorName ?? 'Test Operator',
      this.subtaskIndex,
      this.parallelism,
      this.maxParallelism,
      options.attemptNumber ?? 0,
      'test-job',
    );
  }

  // --- lifecycle ---

  /** Calls the operator's `setup` (done by `initializeState` or `open` if not called). Idempotent. */
  setup(): this {
    if (this.lifecycle !== 'CREATED') return this;
    const services = new Map<string, unknown>(this.options.services ?? []);
    services.set(PROCESSING_TIME_SERVICE, this.processingTimeService);
    services.set(MAILBOX_EXECUTOR, this.mailbox);
    this.operator.setup({ output: this.output, runtimeContext: this.runtimeContext, keySelectors: this.keySelectors, services });
    this.lifecycle = 'SET_UP';
    return this;
  }

  /**
   * Restores the operator from `snapshot` before `open` (Flink's `initializeState`). Given several
   * snapshots (of all subtasks of an earlier run, at any parallelism with the same max
   * parallelism), restores this subtask's share: the keyed state and timers of its key groups,
   * and its part of the redistributed operator state. Timers are re-registered once `open` has
   * created the operator's timer services.
   */
  initializeState(snapshot: OperatorSnapshot | readonly OperatorSnapshot[]): this {
    if (this.lifecycle !== 'CREATED' && this.lifecycle !== 'SET_UP') throw new Error('initializeState() must be called before open()');
    if (this.operatorStateInitialized || this.restoredTimers !== undefined) throw new Error('initializeState() may be called only once');
    const snapshots: readonly OperatorSnapshot[] = Array.isArray(snapshot) ? snapshot : [snapshot as OperatorSnapshot];
    for (const s of snapshots) {
      if (s.maxParallelism !== this.maxParallelism) {
        throw new Error(`cannot restore a snapshot taken with max parallelism ${s.maxParallelism} into a harness with max parallelism ${this.maxParallelism}`);
      }
    }
    this.setup();
    const backend = keyedBackendOf(this.operator);
    const keyed = snapshots.flatMap((s) => (s.keyedState ? [s.keyedState] : []));
    if (keyed.length > 0) {
      if (!backend) throw new Error('the snapshot has keyed state but the operator is not keyed (give the harness a key selector)');
      backend.restore(keyed);
    }
    if (backend) this.restoredTimers = timersInRange(snapshots, backend.keyGroupRange, this.maxParallelism);
    else this.restoredTimers = new Map();
    const operatorStates = snapshots.map((s) => s.operatorState);
    if (operatorStates.some((s) => s !== undefined)) {
      if (!hasOperatorStateHooks(this.operator)) throw new Error('the snapshot has operator state but the operator does not implement initializeOperatorState/snapshotOperatorState');
      const share = redistributeOperatorState(operatorStates, this.parallelism)[this.subtaskIndex];
      this.operator.initializeOperatorState(share);
      this.operatorStateInitialized = true;
    }
    return this;
  }

  /** Sets up (if needed) and opens the operator, then re-registers restored timers. */
  async open(): Promise<this> {
    if (this.lifecycle === 'OPEN') throw new Error('the harness is already open');
    if (this.lifecycle !== 'CREATED' && this.lifecycle !== 'SET_UP') throw new Error(`cannot open a harness that is ${this.lifecycle.toLowerCase()}`);
    this.setup();
    if (!this.operatorStateInitialized && hasOperatorStateHooks(this.operator)) {
      this.operator.initializeOperatorState(undefined);
      this.operatorStateInitialized = true;
    }
    await this.operator.open();
    this.lifecycle = 'OPEN';
    if (this.restoredTimers !== undefined && this.restoredTimers.size > 0) {
      const services = timerServicesOf(this.operator);
      for (const [name, timers] of this.restoredTimers) {
        const service = services.get(name);
        if (!service) throw new Error(`the snapshot has timers of timer service '${name}', which the operator did not create in open()`);
        service.restore(timers);
      }
    }
    this.restoredTimers = undefined;
    return this;
  }

  /**
   * Ends the input: calls the operator's `finish()` and, while it is pending, runs mails as they
   * arrive (as the task does), so operators that wait for asynchronous work can complete.
   * Resolve what they wait for meanwhile: `const done = harness.endInput(); resolve(); await done`.
   */
  async endInput(): Promise<void> {
    this.checkOpen();
    await this.mailbox.runWhileAwaiting(this.operator.finish());
    this.lifecycle = 'FINISHED';
  }

  /** Closes the operator (also without `endInput`, as after a failure or cancellation). */
  async close(): Promise<void> {
    if (this.lifecycle === 'CLOSED') return;
    this.lifecycle = 'CLOSED';
    await this.operator.close();
  }

  // --- time and mails ---

  /** Moves processing time forward to `timestamp`, firing due processing-time timers in order. */
  setProcessingTime(timestamp: number): void {
    this.processingTimeService.advanceTo(timestamp);
  }

  getProcessingTime(): number {
    return this.processingTimeService.getCurrentProcessingTime();
  }

  /** Runs the queued mails now (see {@link TestingMailbox.runMails}). */
  runMails(): number {
    return this.mailbox.runMails();
  }

  /** Lets due promise reactions run and runs mails until none arrive (see {@link TestingMailbox.drainMails}). */
  drainMails(): Promise<number> {
    return this.mailbox.drainMails();
  }

  /** Waits for at least one mail, then runs the queued mails. */
  waitForMails(): Promise<number> {
    return this.mailbox.waitForMails();
  }

  /** True while the operator holds the task's input back (`MailboxExecutor.holdInputUntil`). */
  isInputHeld(): boolean {
    return this.mailbox.isInputHeld();
  }

  /** Runs mails as they arrive until the operator no longer holds input back. */
  waitForInputAvailable(): Promise<void> {
    return this.mailbox.waitForInputAvailable();
  }

  // --- snapshots ---

  /**
   * Snapshots the operator between elements: keyed state, timers and operator state (see
   * {@link OperatorSnapshot}). Restore it into a fresh harness with `initializeState`.
   */
  snapshot(): OperatorSnapshot {
    if (this.lifecycle !== 'OPEN' && this.lifecycle !== 'FINISHED') throw new Error('snapshot() needs an open harness');
    const backend = keyedBackendOf(this.operator);
    const base = { subtaskIndex: this.subtaskIndex, parallelism: this.parallelism, maxParallelism: this.maxParallelism };
    const timers: Record<string, TimersSnapshot> = {};
    for (const [name, service] of timerServicesOf(this.operator)) timers[name] = copyTimers(service.snapshot());
    return {
      ...base,
      ...(backend ? { keyedState: backend.snapshot(), timers } : {}),
      ...(hasOperatorStateHooks(this.operator) ? { operatorState: this.operator.snapshotOperatorState() } : {}),
    };
  }

  // --- output ---

  /** Everything emitted on the main output, in order: `{ value, timestamp? }`, `{ watermark }`, `{ watermarkStatus }`. */
  getOutput(): OutputElement<OUT>[] {
    return this.output.elements.slice();
  }

  /** The records of the main output (no watermarks), in order. */
  getRecordOutput(): OutputRecord<OUT>[] {
    return this.output.elements.filter(isOutputRecord);
  }

  /** The values of the main output's records, in order. */
  extractOutputValues(): OUT[] {
    return this.getRecordOutput().map((r) => r.value);
  }

  /** The watermarks of the main output, in order. */
  getWatermarks(): number[] {
    return this.output.elements.flatMap((e) => ('watermark' in e ? [e.watermark] : []));
  }

  /** The records emitted to the side output `tag`, in order. */
  getSideOutput<X>(tag: OutputTag<X>): OutputRecord<X>[] {
    return (this.output.sideOutputs.get(tag.id) ?? []).slice() as OutputRecord<X>[];
  }

  /** The values emitted to the side output `tag`, in order. */
  getSideOutputValues<X>(tag: OutputTag<X>): X[] {
    return this.getSideOutput(tag).map((r) => r.value);
  }

  /** Forgets the output collected so far (main and side outputs). */
  clearOutput(): void {
    this.output.clear();
  }

  // --- state introspection ---

  /** The operator's keyed state backend; throws when the operator is not keyed. */
  getKeyedStateBackend(): HeapKeyedStateBackend<unknown> {
    const backend = keyedBackendOf(this.operator);
    if (!backend) throw new Error('the operator has no keyed state backend (is the harness keyed?)');
    return backend;
  }

  /** Number of (key, namespace) entries in the named keyed state, or in all keyed state. */
  numKeyedStateEntries(stateName?: string): number {
    return keyedBackendOf(this.operator)?.numKeys(stateName) ?? 0;
  }

  /** Number of registered event-time timers over all timer services. */
  numEventTimeTimers(): number {
    let n = 0;
    for (const service of timerServicesOf(this.operator).values()) n += service.numEventTimeTimers();
    return n;
  }

  /** Number of registered processing-time timers over all timer services. */
  numProcessingTimeTimers(): number {
    let n = 0;
    for (const service of timerServicesOf(this.operator).values()) n += service.numProcessingTimeTimers();
    return n;
  }

  /** Throws unless the harness is open (elements may be fed only then). */
  protected checkOpen(): void {
    if (this.lifecycle !== 'OPEN') throw new Error(`the harness is ${this.lifecycle.toLowerCase().replace('_', ' ')}; call open() first${this.lifecycle === 'FINISHED' ? ' (input has ended)' : ''}`);
  }
}
