import type { TypeSerializer } from '../serialization/type-serializer.js';

/**
 * Describes the type of a stream's records (Flink's `TypeInformation`): a name for error
 * messages and plans, and a factory for the serializer used when records cross a thread or
 * process boundary or are persisted in state.
 *
 * Instances are immutable and cheap to share; build them with `Types`. `createSerializer()`
 * may return a shared instance (serializers are stateless), so callers must not mutate it.
 */
export interface TypeInformation<T> {
  /** Human-readable, stable description, e.g. `"tuple(string,number)"`. */
  readonly name: string;
  createSerializer(): TypeSerializer<T>;
}

/** The value type described by a {@link TypeInformation}: `InferType<typeof Types.STRING>` is `string`. */
export type InferType<TI> = TI extends TypeInformation<infer T> ? T : never;
