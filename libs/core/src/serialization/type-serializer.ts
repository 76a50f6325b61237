import type { InputShapeTable, OutputShapeTable } from './object-shapes.js';

/**
 * Serializer contracts. Every record that crosses a thread or process boundary, and everything
 * persisted, goes through a {@link TypeSerializer}; persisted formats use a
 * {@link SimpleVersionedSerializer} so they can evolve.
 */

/**
 * A writable view over bytes. Implementations grow or bound themselves; writers call the
 * typed methods and never touch the underlying memory directly.
 */
export interface DataOutputView {
  writeUint8(v: number): void;
  writeInt32(v: number): void;
  writeUint32(v: number): void;
  writeFloat64(v: number): void;
  writeBigInt64(v: bigint): void;
  /** Writes an unsigned variable-length integer (LEB128), 0 ≤ v ≤ 2^53. */
  writeVarUint(v: number): void;
  /** Writes a length-prefixed UTF-8 string. */
  writeString(v: string): void;
  /** Writes a length-prefixed byte array. */
  writeBytes(v: Uint8Array): void;
  /** Writes raw bytes without a length prefix. */
  writeRaw(v: Uint8Array): void;
  /** Bytes written so far. */
  readonly position: number;
  /**
   * The object-shape dictionary of the channel this view writes, when the bytes form one ordered
   * stream read by exactly one reader (a network channel); absent or null for anything
   * persisted. Serializers may use it to write repeated object key lists once (see
   * `object-shapes.ts`); the reader's view then carries the matching {@link InputShapeTable}.
   */
  readonly shapes?: OutputShapeTable | null;
}

/** A readable view over bytes, the mirror of {@link DataOutputView}. */
export interface DataInputView {
  readUint8(): number;
  readInt32(): number;
  readUint32(): number;
  readFloat64(): number;
  readBigInt64(): bigint;
  readVarUint(): number;
  readString(): string;
  /** Reads a length-prefixed byte array into a fresh copy. */
  readBytes(): Uint8Array;
  /** Reads `n` raw bytes into a fresh copy. */
  readRaw(n: number): Uint8Array;
  /** Read position. */
  position: number;
  /** Bytes left to read. */
  remaining(): number;
  /**
   * The object-shape dictionary of the channel this view reads (see {@link DataOutputView.shapes}).
   * Shapes are defined in the stream where they are first used, so a serializer must read every
   * value it wrote through such a view in order; one that skips a nested value's bytes (by
   * moving `position`) must write that value through a separate view without a table.
   */
  readonly shapes?: InputShapeTable | null;
}

/**
 * Writes and reads values of one type. Serializers are stateless and may be shared by all
 * tasks of a thread; `serialize` must write exactly what `deserialize` reads.
 */
export interface TypeSerializer<T> {
  /** A stable identifier of the format, e.g. `"string"` or `"row(a:number,b:string)"`. */
  readonly id: string;
  serialize(value: T, out: DataOutputView): void;
  deserialize(input: DataInputView): T;
  /** Returns a copy that does not share mutable structure with `value` (identity for immutable types). */
  copy(value: T): T;
}

/**
 * Serializer for things that outlive a process (splits, committables, checkpoint metadata).
 * The version is stored beside the bytes; `deserialize` must accept every version it ever wrote.
 */
export interface SimpleVersionedSerializer<T> {
  getVersion(): number;
  serialize(value: T): Uint8Array;
  deserialize(version: number, bytes: Uint8Array): T;
}
