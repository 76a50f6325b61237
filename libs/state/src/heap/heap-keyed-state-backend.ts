import { assignToKeyGroup, computeKeyGroupForKeyHash, dynamicSerializer, stringHash, keyGroupRangeForSubtask, type TypeSerializer } from '@riffle/core';
import type { InternalKvState, InternalStateOf } from '../internal-state.js';
import { checkKeyGroupRange, type KeyGroupRange } from '../key-group-range.js';
import { VOID_NAMESPACE_SERIALIZER, VoidNamespace } from '../namespace.js';
import type { KeyedStateSnapshot } from '../snapshot/keyed-state-snapshot.js';
import type { StateDescriptor } from '../state-descriptor.js';
import type { State } from '../state.js';
import { SYSTEM_TTL_TIME_PROVIDER, type TtlTimeProvider } from '../ttl/ttl-time-provider.js';
import { collectRestoredStates, loadRestoredState, writeKeyedSnapshot, type PendingRestoredState } from './heap-snapshot-strategy.js';
import { HeapKeyContext } from './heap-key-context.js';
import { createHeapState, metaMismatch, type RegisteredKeyedState, type StateTableLoader } from './heap-state-factory.js';
import { fromMapKey, toMapKey, toNamespaceKey } from './map-key.js';

/** Options of a {@link HeapKeyedStateBackend}. */
export interface HeapKeyedStateBackendOptions {
  /** The clock of state TTL; the integrator passes the task's processing-time clock. Default: `Date.now`. */
  readonly ttlTimeProvider?: TtlTimeProvider;
}

/**
 * The keyed state of one operator subtask, in JS objects on the heap (Flink's
 * `HeapKeyedStateBackend`).
 *
 * Lifecycle: create one per keyed operator subtask with the subtask's key-group range; if the
 * job restores, call {@link restore} once, before any state is registered; then register
 * states (usually in `open`) and, per record, call {@link setCurrentKey} before the user
 * function runs. {@link snapshot} may be called between records at any time. Everything runs
 * on the task thread; nothing blocks or awaits.
 *
 * Storage is partitioned by key group (one `Map` per key group and namespace), so the key
 * count of a subtask is not bounded by the size limit of one JS `Map`, and snapshots are
 * written per key group for rescaling.
 */
export class HeapKeyedStateBackend<K = unknown> {
  /** Number of key groups in {@link keyGroupRange}. */
  readonly numberOfKeyGroups: number;
  private readonly ctx = new HeapKeyContext();
  private readonly rangeStart: number;
  private readonly states = new Map<string, RegisteredKeyedState>();
  private pending = new Map<string, PendingRestoredState>();
  private keySelectionListeners: { keySelected(): void }[] | undefined;
  private readonly ttlTimeProvider: TtlTimeProvider;
  private restored = false;

  /**
   * @param keyGroupRange the key groups this subtask owns (`keyGroupRangeForSubtask` from `@riffle/core`)
   * @param maxParallelism the operator's max parallelism (number of key groups)
   * @param keySerializer writes keys into snapshots (default: the dynamic serializer)
   */
  constructor(
    readonly keyGroupRange: KeyGroupRange,
    readonly maxParallelism: number,
    readonly keySerializer: TypeSerializer<K> = dynamicSerializer(),
    options: HeapKeyedStateBackendOptions = {},
  ) {
    checkKeyGroupRange(keyGroupRange, maxParallelism);
    this.keyGroupRange = { start: keyGroupRange.start, end: keyGroupRange.end };
    this.rangeStart = keyGroupRange.start;
    this.numberOfKeyGroups = keyGroupRange.end - keyGroupRange.start + 1;
    this.ttlTimeProvider = options.ttlTimeProvider ?? SYSTEM_TTL_TIME_PROVIDER;
  }

  /** A backend for subtask `subtaskIndex` of an operator with `parallelism` and `maxParallelism`. */
  static forSubtask<K = unknown>(
    maxParallelism: number,
    parallelism: number,
    subtaskIndex: number,
    keySerializer?: TypeSerializer<K>,
    options?: HeapKeyedStateBackendOptions,
  ): HeapKeyedStateBackend<K> {
    if (!Number.isInteger(parallelism) || parallelism < 1 || parallelism > maxParallelism) {
      throw new RangeError(`parallelism must be an integer in [1, ${maxParallelism}], got ${parallelism}`);
    }
    if (!Number.isInteger(subtaskIndex) || subtaskIndex < 0 || subtaskIndex >= parallelism) {
      throw new RangeError(`subtask index must be an integer in [0, ${parallelism}), got ${subtaskIndex}`);
    }
    return new HeapKeyedStateBackend<K>(keyGroupRangeForSubtask(maxParallelism, parallelism, subtaskIndex), maxParallelism, keySerializer, options);
  }

  /**
   * Makes `key` the current key: every state of this backend now reads and writes `key`'s
   * values. Called once per record (and per timer) by keyed operators. Computes the key group
   * once (not again while the same key stays current) and throws if the key group is not in
   * this backend's range, which means records were routed by a different key or hash.
   */
  setCurrentKey(key: K): void {
    if (this.keySelectionListeners !== undefined) this.notifyKeySelected();
    const ctx = this.ctx;
    if (key === ctx.key && ctx.keyGroupIndex >= 0) return;
    const keyGroup = typeof key === 'string' ? computeKeyGroupForKeyHash(stringHash(key), this.maxParallelism) : assignToKeyGroup(key, this.maxParallelism);
    const index = keyGroup - this.rangeStart;
    if (index < 0 || index >= this.numberOfKeyGroups) throw this.keyOutOfRange(key, keyGroup);
    ctx.key = key;
    ctx.mapKey = typeof key === 'object' && key !== null ? toMapKey(key) : key;
    ctx.keyGroup = keyGroup;
    ctx.keyGroupIndex = index;
  }

  /** The current key, or `undefined` before the first {@link setCurrentKey}. */
  getCurrentKey(): K | undefined {
    return this.ctx.keyGroupIndex < 0 ? undefined : (this.ctx.key as K);
  }

  /** The current key's key group, or -1 before the first {@link setCurrentKey}. */
  getCurrentKeyGroup(): number {
    return this.ctx.keyGroup;
  }

  /**
   * The state described by `descriptor` in the void namespace, bound to the current key.
   * Registers the state on first use (picking up restored entries of the same name) and returns
   * the same object afterwards, so call it once (in `open`) and keep the object.
   *
   * With a namespace: `getPartitionedState(namespace, namespaceSerializer, descriptor)` returns
   * the same state object after `setCurrentNamespace(namespace)` (Flink's
   * `getPartitionedState`); windows should rather keep the object from
   * {@link getOrCreateKeyedState} and set the namespace per record.
   *
   * Throws if a state of that name was registered with another kind, serializer or namespace
   * serializer, or if restored entries of that name were written with other serializers.
   */
  getPartitionedState<S extends State>(descriptor: StateDescriptor<S>): S;
  getPartitionedState<N, S extends State>(namespace: N, namespaceSerializer: TypeSerializer<N>, descriptor: StateDescriptor<S>): InternalStateOf<S, N>;
  getPartitionedState(a: unknown, b?: TypeSerializer<unknown>, c?: StateDescriptor): unknown {
    const [namespace, serializer, descriptor] = c === undefined ? [VoidNamespace.INSTANCE, VOID_NAMESPACE_SERIALIZER, a as StateDescriptor] : [a, b!, c];
    const state = this.getOrCreateKeyedState(serializer as TypeSerializer<unknown>, descriptor) as InternalKvState<unknown>;
    state.setCurrentNamespace(namespace);
    return state;
  }

  /**
   * The internal state object for `descriptor` with namespaces of `namespaceSerializer`'s type
   * (Flink's `getOrCreateKeyedState`): bound to the current key and to its own current
   * namespace, which starts as `VoidNamespace.INSTANCE` — call `setCurrentNamespace` before use.
   */
  getOrCreateKeyedState<N, S extends State>(namespaceSerializer: TypeSerializer<N>, descriptor: StateDescriptor<S>): InternalStateOf<S, N> {
    const name = descriptor.name;
    const existing = this.states.get(name);
    if (existing !== undefined) {
      if (existing.descriptor !== descriptor || existing.namespaceSerializer.id !== namespaceSerializer.id) this.checkSameState(existing, descriptor, namespaceSerializer);
      return existing.state as InternalStateOf<S, N>;
    }
    const restored = this.pending.get(name);
    const load: StateTableLoader | undefined =
      restored &&
      ((meta, table, codec) => {
        const mismatch = metaMismatch(restored.meta, meta);
        if (mismatch !== undefined) throw new Error(`cannot restore state '${name}': ${mismatch} (state migration is not supported)`);
        const serializer = namespaceSerializer as TypeSerializer<unknown>;
        loadRestoredState(restored, table, codec, serializer, this.rangeStart, this.keySerializer as TypeSerializer<unknown>, this.ttlTimeProvider.currentTimestamp());
      });
    const state = createHeapState(this.ctx, descriptor, namespaceSerializer as TypeSerializer<unknown>, this.numberOfKeyGroups, this.ttlTimeProvider, load);
    this.pending.delete(name);
    this.states.set(name, state);
    if (state.keySelectionListener !== undefined) (this.keySelectionListeners ??= []).push(state.keySelectionListener);
    return state.state as InternalStateOf<S, N>;
  }

  /**
   * Runs `fn` for every key that has a value in the state (Flink's `applyToAllKeys`), with that
   * key current and the state set to `namespace` (default: the void namespace). The keys are
   * collected first, so `fn` may update or clear the state. Afterwards the previous current key
   * is current again; the state stays in `namespace`. A state given by name must already be
   * registered; a descriptor registers it if needed.
   */
  applyToAllKeys<S extends State>(state: StateDescriptor<S> | string, fn: (key: K, state: S) => void, namespace: unknown = VoidNamespace.INSTANCE): void {
    const name = typeof state === 'string' ? state : state.name;
    if (typeof state !== 'string') this.getOrCreateKeyedState(this.registered(name, false)?.namespaceSerializer ?? VOID_NAMESPACE_SERIALIZER, state);
    const registered = this.registered(name, true)!;
    const keys = this.getKeys(name, namespace);
    const ctx = this.ctx;
    const hadKey = ctx.keyGroupIndex >= 0;
    const previous = ctx.key as K;
    const target = registered.state as unknown as S & InternalKvState<unknown>;
    try {
      for (const key of keys) {
        this.setCurrentKey(key);
        target.setCurrentNamespace(namespace);
        fn(key, target);
      }
    } finally {
      if (hadKey) this.setCurrentKey(previous);
      else {
        ctx.key = ctx.mapKey = undefined;
        ctx.keyGroup = ctx.keyGroupIndex = -1;
      }
    }
  }

  /** The keys that have a value in the named state and `namespace` (default: void), by key group. */
  getKeys(stateName: string, namespace: unknown = VoidNamespace.INSTANCE): K[] {
    const entry = this.registered(stateName, true)!.table.namespaces.get(toNamespaceKey(namespace));
    const keys: K[] = [];
    if (entry?.maps === undefined) return keys;
    for (const map of entry.maps) if (map !== undefined) for (const mapKey of map.keys()) keys.push(fromMapKey(mapKey) as K);
    return keys;
  }

  /** Every (key, namespace) pair that has a value in the named state. */
  getKeysAndNamespaces<N = unknown>(stateName: string): [K, N][] {
    const out: [K, N][] = [];
    for (const entry of this.registered(stateName, true)!.table.namespaces.values()) {
      if (entry.maps === undefined) continue;
      for (const map of entry.maps) if (map !== undefined) for (const mapKey of map.keys()) out.push([fromMapKey(mapKey) as K, entry.namespace as N]);
    }
    return out;
  }

  /**
   * The number of (key, namespace) entries of the named state, or of all states: for tests and
   * metrics. Counts restored entries of states not registered again too.
   */
  numKeys(stateName?: string): number {
    let n = 0;
    for (const state of this.states.values()) if (stateName === undefined || state.meta.name === stateName) n += state.table.size;
    for (const state of this.pending.values()) {
      if (stateName !== undefined && state.meta.name !== stateName) continue;
      for (const section of state.byKeyGroup.values()) n += section.entryCount;
    }
    return n;
  }

  /** Names of the registered states, in registration order. */
  getRegisteredStateNames(): string[] {
    return [...this.states.keys()];
  }

  /**
   * A snapshot of every state, split by key group. Synchronous: the returned bytes are
   * independent of the working state, which may change right after. States restored but not
   * registered again are carried over unchanged.
   */
  snapshot(): KeyedStateSnapshot {
    return writeKeyedSnapshot(
      this.keyGroupRange,
      this.maxParallelism,
      this.keySerializer as TypeSerializer<unknown>,
      this.states.values(),
      this.pending.values(),
      this.ttlTimeProvider.currentTimestamp(),
    );
  }

  /**
   * Restores from the snapshots of any number of subtasks (of any parallelism, same max
   * parallelism), keeping the key groups in this backend's range: this is how rescaling works.
   * Call at most once, before any state is registered. Entries stay serialized until the
   * state is registered again, then are read with the serializers given then.
   */
  restore(snapshots: Iterable<KeyedStateSnapshot>): void {
    if (this.restored) throw new Error('restore may be called only once per keyed state backend');
    if (this.states.size > 0) throw new Error(`restore must run before any state is registered (registered: ${[...this.states.keys()].join(', ')})`);
    this.pending = collectRestoredStates(snapshots, this.keyGroupRange, this.maxParallelism, this.keySerializer.id);
    this.restored = true;
  }

  /** Drops all state. The backend must not be used afterwards. */
  dispose(): void {
    for (const state of this.states.values()) state.table.clear();
    this.states.clear();
    this.pending.clear();
    this.keySelectionListeners = undefined;
  }

  private registered(name: string, required: boolean): RegisteredKeyedState | undefined {
    const state = this.states.get(name);
    if (state === undefined && required) {
      throw new Error(`no keyed state named '${name}' is registered${this.pending.has(name) ? ' (it was restored: register it with its descriptor first)' : ''}`);
    }
    return state;
  }

  private checkSameState(existing: RegisteredKeyedState, descriptor: StateDescriptor, namespaceSerializer: TypeSerializer<unknown>): void {
    const probe = createHeapState(this.ctx, descriptor, namespaceSerializer, 0, this.ttlTimeProvider);
    const mismatch =
      metaMismatch(existing.meta, probe.meta, 'is registered', 'was requested') ??
      (existing.meta.ttl !== probe.meta.ttl ? `TTL is ${existing.meta.ttl ? 'enabled' : 'disabled'} but was requested ${probe.meta.ttl ? 'enabled' : 'disabled'}` : undefined);
    if (mismatch !== undefined) throw new Error(`state '${descriptor.name}' is already registered differently: ${mismatch}`);
  }

  private notifyKeySelected(): void {
    for (const listener of this.keySelectionListeners!) listener.keySelected();
  }

  private keyOutOfRange(key: K, keyGroup: number): Error {
    return new Error(
      `key ${safeString(key)} belongs to key group ${keyGroup}, which is not in this backend's range [${this.keyGroupRange.start}, ${this.keyGroupRange.end}] ` +
        `(max parallelism ${this.maxParallelism}): the record was routed by a different key, key selector or max parallelism`,
    );
  }
}

function safeString(value: unknown): string {
  try {
    return typeof value === 'string' ? JSON.stringify(value) : String(value);
  } catch {
    return typeof value;
  }
}
