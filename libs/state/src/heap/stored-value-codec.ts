import type { DataInputView, DataOutputView, TypeSerializer } from '@riffle/core';
import { TtlValue, isTtlExpired } from '../ttl/ttl-value.js';
import { fromMapKey, toMapKey } from './map-key.js';

/**
 * How the value stored for one (key, namespace) of a heap state is written to and read from a
 * snapshot (the value part of an entry; see the README for the byte format):
 *
 * - value, reducing, aggregating state: one element;
 * - list state: varuint count, then the elements;
 * - map state: varuint count, then (user key, element) pairs.
 *
 * An element is the value in its serializer's format, preceded, for TTL state, by its last
 * access timestamp as a float64. Reading converts between TTL and non-TTL formats, so TTL can be
 * switched on or off across a restore (values restored into a TTL state get the restore time as
 * their timestamp).
 */
export interface StoredValueCodec<S> {
  /** Whether any part of `stored` is unexpired at `now` (always true without TTL). */
  hasLive(stored: S, now: number): boolean;
  /** Writes `stored`; with `now` given (full-snapshot cleanup), leaves expired elements out. */
  write(stored: S, out: DataOutputView, now: number | undefined): void;
  /** Reads a value written with TTL timestamps iff `sourceTtl`; `restoreTime` stamps values that had none. */
  read(input: DataInputView, sourceTtl: boolean, restoreTime: number): S;
  /** Incremental cleanup: removes expired elements in place; true if nothing is left. Only called for TTL state. */
  purge(stored: S, now: number): boolean;
}

/** One element: `T`, or `TtlValue<T>` when `ttl > 0`. */
class ElementCodec<T> {
  constructor(
    private readonly serializer: TypeSerializer<T>,
    /** TTL in ms, or 0 for state without TTL. */
    readonly ttl: number,
  ) {}

  live(stored: unknown, now: number): boolean {
    return this.ttl === 0 || !isTtlExpired(stored as TtlValue<unknown>, this.ttl, now);
  }

  write(stored: unknown, out: DataOutputView): void {
    if (this.ttl === 0) {
      this.serializer.serialize(stored as T, out);
    } else {
      const wrapped = stored as TtlValue<T>;
      out.writeFloat64(wrapped.lastAccessTimestamp);
      this.serializer.serialize(wrapped.userValue, out);
    }
  }

  read(input: DataInputView, sourceTtl: boolean, restoreTime: number): unknown {
    const timestamp = sourceTtl ? input.readFloat64() : restoreTime;
    const value = this.serializer.deserialize(input);
    return this.ttl === 0 ? value : new TtlValue(value, timestamp);
  }
}

class SingleValueCodec<T> implements StoredValueCodec<unknown> {
  constructor(private readonly element: ElementCodec<T>) {}
  hasLive(stored: unknown, now: number): boolean {
    return this.element.live(stored, now);
  }
  write(stored: unknown, out: DataOutputView): void {
    this.element.write(stored, out);
  }
  read(input: DataInputView, sourceTtl: boolean, restoreTime: number): unknown {
    return this.element.read(input, sourceTtl, restoreTime);
  }
  purge(stored: unknown, now: number): boolean {
    return !this.element.live(stored, now);
  }
}

class ListCodec<T> implements StoredValueCodec<unknown[]> {
  constructor(private readonly element: ElementCodec<T>) {}
  hasLive(stored: unknown[], now: number): boolean {
    if (this.element.ttl === 0) return true;
    for (const e of stored) if (this.element.live(e, now)) return true;
    return false;
  }
  write(stored: unknown[], out: DataOutputView, now: number | undefined): void {
    const all = now === undefined || this.element.ttl === 0;
    const elements = all ? stored : stored.filter((e) => this.element.live(e, now));
    out.writeVarUint(elements.length);
    for (const e of elements) this.element.write(e, out);
  }
  read(input: DataInputView, sourceTtl: boolean, restoreTime: number): unknown[] {
    const n = input.readVarUint();
    const out = new Array<unknown>(n);
    for (let i = 0; i < n; i++) out[i] = this.element.read(input, sourceTtl, restoreTime);
    return out;
  }
  purge(stored: unknown[], now: number): boolean {
    let kept = 0;
    for (let i = 0; i < stored.length; i++) if (this.element.live(stored[i], now)) stored[kept++] = stored[i];
    stored.length = kept;
    return kept === 0;
  }
}

class MapCodec<UK, UV> implements StoredValueCodec<Map<unknown, unknown>> {
  constructor(
    private readonly keySerializer: TypeSerializer<UK>,
    private readonly element: ElementCodec<UV>,
  ) {}
  hasLive(stored: Map<unknown, unknown>, now: number): boolean {
    if (this.element.ttl === 0) return true;
    for (const v of stored.values()) if (this.element.live(v, now)) return true;
    return false;
  }
  write(stored: Map<unknown, unknown>, out: DataOutputView, now: number | undefined): void {
    const all = now === undefined || this.element.ttl === 0;
    let n = stored.size;
    if (!all) {
      n = 0;
      for (const v of stored.values()) if (this.element.live(v, now)) n++;
    }
    out.writeVarUint(n);
    for (const [k, v] of stored) {
      if (!all && !this.element.live(v, now)) continue;
      this.keySerializer.serialize(fromMapKey(k) as UK, out);
      this.element.write(v, out);
    }
  }
  read(input: DataInputView, sourceTtl: boolean, restoreTime: number): Map<unknown, unknown> {
    const n = input.readVarUint();
    const map = new Map<unknown, unknown>();
    for (let i = 0; i < n; i++) {
      const key = toMapKey(this.keySerializer.deserialize(input));
      map.set(key, this.element.read(input, sourceTtl, restoreTime));
    }
    return map;
  }
  purge(stored: Map<unknown, unknown>, now: number): boolean {
    for (const [k, v] of stored) if (!this.element.live(v, now)) stored.delete(k);
    return stored.size === 0;
  }
}

/** Codec of value, reducing and aggregating state (`ttl` in ms, 0 without TTL). */
export function singleValueCodec<T>(serializer: TypeSerializer<T>, ttl: number): StoredValueCodec<unknown> {
  return new SingleValueCodec(new ElementCodec(serializer, ttl));
}

/** Codec of list state. */
export function listCodec<T>(elementSerializer: TypeSerializer<T>, ttl: number): StoredValueCodec<unknown[]> {
  return new ListCodec(new ElementCodec(elementSerializer, ttl));
}

/** Codec of map state. */
export function mapCodec<UK, UV>(keySerializer: TypeSerializer<UK>, valueSerializer: TypeSerializer<UV>, ttl: number): StoredValueCodec<Map<unknown, unknown>> {
  return new MapCodec(keySerializer, new ElementCodec(valueSerializer, ttl));
}
