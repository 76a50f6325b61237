import { dynamicSerializer, type AggregateFunction, type ReduceFunction, type ReduceFunctionLike, type TypeInformation, type TypeSerializer } from '@riffle/core';
import type { AggregatingState, ListState, MapState, ReducingState, State, ValueState } from './state.js';
import { StateTtlConfig, UpdateType } from './ttl/state-ttl-config.js';

/**
 * State descriptors (Flink's `StateDescriptor` family): the name, type and behaviour of a piece
 * of state. A function creates its descriptors once (e.g. as fields) and passes them to the
 * runtime context or state backend; the name identifies the state in snapshots, so it must be
 * stable across job versions and unique within an operator. A missing type means the dynamic
 * serializer (self-describing, slower and bigger than a declared type).
 *
 * Configure a descriptor (`enableTimeToLive`) before first use; a backend reads its settings
 * when the state is registered.
 */

/** The kind of a state; part of the snapshot format (never renumber). */
export const StateKind = {
  VALUE: 1,
  LIST: 2,
  REDUCING: 3,
  AGGREGATING: 4,
  MAP: 5,
} as const;
/** See {@link StateKind}. */
export type StateKind = (typeof StateKind)[keyof typeof StateKind];

/** The name of a {@link StateKind}, for messages. */
export function stateKindName(kind: number): string {
  for (const [name, value] of Object.entries(StateKind)) if (value === kind) return name;
  return `unknown(${kind})`;
}

/**
 * Base of the descriptors. `S` is the state interface the descriptor yields (so
 * `getPartitionedState(new ValueStateDescriptor<number>('n'))` is a `ValueState<number>`).
 */
export abstract class StateDescriptor<S extends State = State> {
  /** Phantom: the state type this descriptor yields. Never set. */
  declare readonly __state?: S;
  /** What kind of state this describes. */
  abstract readonly kind: StateKind;
  private ttlConfig: StateTtlConfig = StateTtlConfig.DISABLED;

  protected constructor(readonly name: string) {
    if (typeof name !== 'string' || name.length === 0) throw new TypeError('a state descriptor needs a non-empty name');
  }

  /**
   * Makes values of this state expire (see {@link StateTtlConfig}). Call before the state is
   * first registered. Throws for a configuration whose update type is `Disabled`.
   */
  enableTimeToLive(ttlConfig: StateTtlConfig): void {
    if (ttlConfig.updateType === UpdateType.Disabled) {
      throw new TypeError(`state '${this.name}': enableTimeToLive needs an update type other than Disabled`);
    }
    this.ttlConfig = ttlConfig;
  }

  /** The TTL configuration ({@link StateTtlConfig.DISABLED} unless enabled). */
  getTtlConfig(): StateTtlConfig {
    return this.ttlConfig;
  }

  toString(): string {
    return `${this.constructor.name}{name=${this.name}}`;
  }
}

function serializerOf<T>(typeInfo: TypeInformation<T> | undefined): TypeSerializer<T> {
  return typeInfo ? typeInfo.createSerializer() : dynamicSerializer();
}

/** Describes a {@link ValueState}. The default value (deprecated in Flink) is returned, as a copy, when nothing is stored. */
export class ValueStateDescriptor<T> extends StateDescriptor<ValueState<T>> {
  readonly kind = StateKind.VALUE;
  private serializer?: TypeSerializer<T>;

  constructor(
    name: string,
    readonly typeInfo?: TypeInformation<T>,
    readonly defaultValue?: T,
  ) {
    super(name);
  }

  getSerializer(): TypeSerializer<T> {
    return (this.serializer ??= serializerOf(this.typeInfo));
  }
}

/** Describes a {@link ListState} (keyed) or an operator list state; `elementTypeInfo` is the type of one element. */
export class ListStateDescriptor<T> extends StateDescriptor<ListState<T>> {
  readonly kind = StateKind.LIST;
  private serializer?: TypeSerializer<T>;

  constructor(
    name: string,
    readonly elementTypeInfo?: TypeInformation<T>,
  ) {
    super(name);
  }

  getElementSerializer(): TypeSerializer<T> {
    return (this.serializer ??= serializerOf(this.elementTypeInfo));
  }
}

/** Describes a {@link MapState} (keyed) or a broadcast state. */
export class MapStateDescriptor<UK, UV> extends StateDescriptor<MapState<UK, UV>> {
  readonly kind = StateKind.MAP;
  private keySerializer?: TypeSerializer<UK>;
  private valueSerializer?: TypeSerializer<UV>;

  constructor(
    name: string,
    readonly keyTypeInfo?: TypeInformation<UK>,
    readonly valueTypeInfo?: TypeInformation<UV>,
  ) {
    super(name);
  }

  getKeySerializer(): TypeSerializer<UK> {
    return (this.keySerializer ??= serializerOf(this.keyTypeInfo));
  }

  getValueSerializer(): TypeSerializer<UV> {
    return (this.valueSerializer ??= serializerOf(this.valueTypeInfo));
  }
}

/** Describes a {@link ReducingState}: `reduceFunction(current, added)` runs on every `add`. */
export class ReducingStateDescriptor<T> extends StateDescriptor<ReducingState<T>> {
  readonly kind = StateKind.REDUCING;
  /** The reduce function as an object (plain functions are wrapped once, here). */
  readonly reduceFunction: ReduceFunction<T>;
  private serializer?: TypeSerializer<T>;

  constructor(
    name: string,
    reduceFunction: ReduceFunctionLike<T>,
    readonly typeInfo?: TypeInformation<T>,
  ) {
    super(name);
    this.reduceFunction = typeof reduceFunction === 'function' ? { reduce: reduceFunction } : reduceFunction;
  }

  getSerializer(): TypeSerializer<T> {
    return (this.serializer ??= serializerOf(this.typeInfo));
  }
}

/** Describes an {@link AggregatingState}; `accTypeInfo` is the type of the accumulator (what is stored). */
export class AggregatingStateDescriptor<IN, ACC, OUT> extends StateDescriptor<AggregatingState<IN, OUT>> {
  readonly kind = StateKind.AGGREGATING;
  private serializer?: TypeSerializer<ACC>;

  constructor(
    name: string,
    readonly aggregateFunction: AggregateFunction<IN, ACC, OUT>,
    readonly accTypeInfo?: TypeInformation<ACC>,
  ) {
    super(name);
  }

  getSerializer(): TypeSerializer<ACC> {
    return (this.serializer ??= serializerOf(this.accTypeInfo));
  }
}
