import type { Sink, SinkWriter } from '@riffle/core';

/** A sink that drops every record (Flink's `DiscardingSink`): for benchmarks and tests of what happens before the sink. */
export class DiscardingSink<T> implements Sink<T> {
  createWriter(): SinkWriter<T> {
    return {
      write: () => {},
      flush: () => {},
      close: () => {},
    };
  }
}
