/** Receives the records a function emits. `collect` is synchronous and may be called any number of times. */
export interface Collector<T> {
  collect(value: T): void;
}
