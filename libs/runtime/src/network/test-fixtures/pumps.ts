import { StreamRecord } from '@riffle/core';
import type { DataOutput, StreamNetworkInput } from '../stream-network-input.js';
import type { RecordWriter } from '../record-writer.js';

/** Reads `input` until end of input, awaiting availability in between (as a task's mailbox would). */
export async function drain<T>(input: StreamNetworkInput<T>, output: DataOutput<T>, budget = 1000): Promise<void> {
  for (;;) {
    const status = input.processAvailable(output, budget);
    if (status === 'END_OF_INPUT') return;
    if (status === 'NOTHING_AVAILABLE') await input.available();
  }
}

/** Writes `values` honouring backpressure, then end of partition. Returns how often it had to wait. */
export async function produce<T>(writer: RecordWriter<T>, values: Iterable<T>): Promise<number> {
  const rec = new StreamRecord<T>(undefined as unknown as T);
  let waits = 0;
  for (const v of values) {
    if (!writer.isAvailable()) {
      waits++;
      await writer.available();
    }
    writer.emit(rec.replace(v));
  }
  writer.emitEndOfPartition();
  return waits;
}
