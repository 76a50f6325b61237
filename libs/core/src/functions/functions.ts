import type { Collector } from './collector.js';

/**
 * The function interfaces of the DataStream API, with Flink's names. Everywhere one is taken,
 * a plain JavaScript function of the same shape is accepted too (`map(x => x + 1)`), as is a
 * class instance (e.g. a {@link AbstractRichFunction} subclass) that implements the method.
 */

export interface MapFunction<T, O> {
  map(value: T): O;
}
export interface FlatMapFunction<T, O> {
  flatMap(value: T, out: Collector<O>): void;
}
export interface FilterFunction<T> {
  filter(value: T): boolean;
}
export interface ReduceFunction<T> {
  reduce(a: T, b: T): T;
}
/** Extracts the key of a record. Must be deterministic: the same record always yields the same key. */
export interface KeySelector<T, K> {
  getKey(value: T): K;
}
/** Chooses the target channel (0 ≤ result < numPartitions) for a key, for `partitionCustom`. */
export interface Partitioner<K> {
  partition(key: K, numPartitions: number): number;
}
export interface CoMapFunction<IN1, IN2, O> {
  map1(value: IN1): O;
  map2(value: IN2): O;
}
export interface CoFlatMapFunction<IN1, IN2, O> {
  flatMap1(value: IN1, out: Collector<O>): void;
  flatMap2(value: IN2, out: Collector<O>): void;
}
/** Writes a record to an external system; a simple per-record sink (see Sink for the full contract). */
export interface SinkFunction<T> {
  invoke(value: T, context: { timestamp(): number | undefined }): void;
}

/** Plain-function forms accepted wherever the matching interface is. */
export type MapFunctionLike<T, O> = MapFunction<T, O> | ((value: T) => O);
export type FlatMapFunctionLike<T, O> = FlatMapFunction<T, O> | ((value: T, out: Collector<O>) => void);
export type FilterFunctionLike<T> = FilterFunction<T> | ((value: T) => boolean);
export type ReduceFunctionLike<T> = ReduceFunction<T> | ((a: T, b: T) => T);
export type KeySelectorLike<T, K> = KeySelector<T, K> | ((value: T) => K);
export type PartitionerLike<K> = Partitioner<K> | ((key: K, numPartitions: number) => number);
