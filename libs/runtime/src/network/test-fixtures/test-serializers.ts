import type { DataInputView, DataOutputView, TypeSerializer } from '@riffle/core';
import type { DataOutput } from '../stream-network-input.js';
import type { StreamRecord, Watermark, WatermarkStatus } from '@riffle/core';

/** `[string, number]` tuples: the shape used by the network tests and benchmark. */
export const tupleSerializer: TypeSerializer<[string, number]> = {
  id: 'test:tuple(string,float64)',
  serialize(v: [string, number], out: DataOutputView): void {
    out.writeString(v[0]);
    out.writeFloat64(v[1]);
  },
  deserialize(input: DataInputView): [string, number] {
    const s = input.readString();
    return [s, input.readFloat64()];
  },
  copy: (v) => v,
};

/** Byte arrays of any length (for oversized records). */
export const bytesSerializer: TypeSerializer<Uint8Array> = {
  id: 'test:bytes',
  serialize: (v, out) => out.writeBytes(v),
  deserialize: (input) => input.readBytes(),
  copy: (v) => v.slice(),
};

/** A serializer whose deserialize reads less than serialize wrote. */
export const lyingSerializer: TypeSerializer<number> = {
  id: 'test:lying',
  serialize: (v, out) => {
    out.writeFloat64(v);
    out.writeUint8(7);
  },
  deserialize: (input) => input.readFloat64(),
  copy: (v) => v,
};

export type Collected<T> =
  | { kind: 'record'; value: T; timestamp: number }
  | { kind: 'watermark'; timestamp: number }
  | { kind: 'status'; status: WatermarkStatus };

/** A DataOutput that records everything it receives. */
export class CollectingOutput<T> implements DataOutput<T> {
  readonly events: Collected<T>[] = [];
  emitRecord(record: StreamRecord<T>): void {
    this.events.push({ kind: 'record', value: record.value, timestamp: record.timestamp });
  }
  emitWatermark(mark: Watermark): void {
    this.events.push({ kind: 'watermark', timestamp: mark.timestamp });
  }
  emitWatermarkStatus(status: WatermarkStatus): void {
    this.events.push({ kind: 'status', status });
  }
  records(): T[] {
    return this.events.flatMap((e) => (e.kind === 'record' ? [e.value] : []));
  }
}
