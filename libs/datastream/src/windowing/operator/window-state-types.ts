import { dynamicSerializer, Types, type DataInputView, type DataOutputView, type TypeInformation, type TypeSerializer } from '@riffle/core';
import { TimestampedValue } from '../evictors/evictor.js';
import { WindowTypeInformation, type Window } from '../windows/window.js';
import type { WindowMapping } from './merging-window-set.js';

/**
 * Types of the window operator's internal state: the evicting operator's timestamped elements
 * and the merging window set. Their formats are part of snapshots (version 1).
 */

/** Serializer of {@link TimestampedValue}: the timestamp (float64), then the value. */
class TimestampedValueSerializer<T> implements TypeSerializer<TimestampedValue<T>> {
  readonly id: string;

  constructor(private readonly inner: TypeSerializer<T>) {
    this.id = `timestamped(${inner.id})`;
  }

  serialize(value: TimestampedValue<T>, out: DataOutputView): void {
    out.writeFloat64(value.timestamp);
    this.inner.serialize(value.value, out);
  }

  deserialize(input: DataInputView): TimestampedValue<T> {
    const timestamp = input.readFloat64();
    return new TimestampedValue(this.inner.deserialize(input), timestamp);
  }

  copy(value: TimestampedValue<T>): TimestampedValue<T> {
    return new TimestampedValue(this.inner.copy(value.value), value.timestamp);
  }
}

/** Type information of the evicting operator's elements, given the element type (dynamic when undefined). */
export function timestampedValueType<T>(elementType: TypeInformation<T> | undefined): TypeInformation<TimestampedValue<T>> {
  const inner: TypeSerializer<T> = elementType ? elementType.createSerializer() : dynamicSerializer();
  const serializer = new TimestampedValueSerializer(inner);
  return { name: `TimestampedValue<${elementType?.name ?? 'generic'}>`, createSerializer: () => serializer };
}

/** Type information of a merging window set: an array of (window, state window) pairs. */
export function windowMappingType<W extends Window>(windowSerializer: TypeSerializer<W>): TypeInformation<WindowMapping<W>> {
  const window = new WindowTypeInformation<W>(windowSerializer.id, windowSerializer);
  return Types.ARRAY(Types.TUPLE(window, window)) as unknown as TypeInformation<WindowMapping<W>>;
}
