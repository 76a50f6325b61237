import type { DataInputView, DataOutputView } from './type-serializer.js';

/**
 * Per-channel dictionaries of object shapes (an object's ordered own key list), so that a
 * stream of records with the same keys carries each key name once instead of once per record.
 *
 * The protocol, as the dynamic serializer uses it: the first time a shape is written through an
 * {@link OutputShapeTable}, its key names are written in full and the shape gets the next id
 * (0, 1, 2, ... in order of first use); afterwards only the id is written. The reader's
 * {@link InputShapeTable} assigns ids the same way as it reads, so the two stay in step as long
 * as every byte written through one output table is read, in order, through one input table, and
 * both start empty. That holds for one network channel (one producer subpartition to one consumer
 * channel, or one broadcast writer to each of its channels) for the lifetime of a job attempt: a
 * restarted job re-creates both ends. It does not hold for anything persisted or read out of
 * order (state snapshots, splits, checkpoint metadata): write those through a view without a
 * shape table, which keeps the bytes self-contained.
 *
 * Tables are bounded: a shape with more than {@link MAX_SHAPE_KEYS} keys, or one beyond
 * {@link MAX_SHAPES_PER_LENGTH} shapes of the same key count or {@link MAX_SHAPES} in all, is not
 * added and is written in full each time (objects used as maps with varying keys). The writer
 * decides; the reader only follows.
 *
 * Not thread-safe; owned by the task thread that writes (or reads) the channel.
 */

/** Shapes with more keys than this are never added to a table. */
export const MAX_SHAPE_KEYS = 256;
/** At most this many shapes with the same key count are kept per table (bounds each lookup). */
export const MAX_SHAPES_PER_LENGTH = 32;
/** At most this many shapes are kept per table. */
export const MAX_SHAPES = 1024;

/**
 * How a serializer writes and reads the values of objects of one shape (a serializer-private
 * codec, typically compiled once per key list and shared by every table).
 */
export interface ShapeCodec {
  /** Writes the values of `v`, an object of this shape, in key order. */
  writeValues(v: object, out: DataOutputView, depth: number): void;
  /** Reads the values in key order and returns a new object of this shape. */
  readObject(input: DataInputView, depth: number): object;
}

/** One shape of a table: its id on the channel, its keys and the serializer's codec for it. */
export interface ObjectShape {
  readonly id: number;
  readonly keys: readonly string[];
  readonly codec: ShapeCodec;
}

/** The writing side of a channel's shape dictionary. See the file comment for the protocol. */
export class OutputShapeTable {
  /** Shapes by key count; each list is scanned linearly (it holds at most {@link MAX_SHAPES_PER_LENGTH}). */
  private readonly byLength: (ObjectShape[] | undefined)[] = [];
  private count = 0;

  /** Number of shapes defined so far (the next shape's id). */
  get size(): number {
    return this.count;
  }

  /** The shape with exactly these keys in this order, or `undefined`. Allocation-free. */
  lookup(keys: readonly string[]): ObjectShape | undefined {
    const list = this.byLength[keys.length];
    if (list === undefined) return undefined;
    const n = keys.length;
    outer: for (let j = 0; j < list.length; j++) {
      const shape = list[j]!;
      const sk = shape.keys;
      for (let i = 0; i < n; i++) if (sk[i] !== keys[i]) continue outer;
      return shape;
    }
    return undefined;
  }

  /**
   * Defines a shape not yet in the table and returns it (its id is the former {@link size}), or
   * `undefined` when the table is full for it; the caller must then write the keys in full
   * without referring to the table. The caller writes the definition into the stream at once.
   */
  define(keys: readonly string[], codec: ShapeCodec): ObjectShape | undefined {
    const n = keys.length;
    if (n > MAX_SHAPE_KEYS || this.count >= MAX_SHAPES) return undefined;
    let list = this.byLength[n];
    if (list === undefined) {
      list = [];
      this.byLength[n] = list;
    }
    if (list.length >= MAX_SHAPES_PER_LENGTH) return undefined;
    const shape: ObjectShape = { id: this.count++, keys, codec };
    list.push(shape);
    return shape;
  }

  /**
   * Forgets the shapes defined after the table had `size` shapes. A writer calls this when a
   * record failed to serialize half way, so that shapes whose definition never reached the
   * stream are not referred to later.
   */
  truncate(size: number): void {
    if (size >= this.count) return;
    for (let n = 0; n < this.byLength.length; n++) {
      const list = this.byLength[n];
      if (list !== undefined) this.byLength[n] = list.filter((s) => s.id < size);
    }
    this.count = size;
  }
}

/** The reading side of a channel's shape dictionary. See the file comment for the protocol. */
export class InputShapeTable {
  private readonly shapes: ObjectShape[] = [];

  /** Number of shapes defined so far (the next shape's id). */
  get size(): number {
    return this.shapes.length;
  }

  /** Records the next shape read from the stream and returns it. */
  define(keys: readonly string[], codec: ShapeCodec): ObjectShape {
    const shape: ObjectShape = { id: this.shapes.length, keys, codec };
    this.shapes.push(shape);
    return shape;
  }

  /** The shape with this id. @throws RangeError for an id not defined yet (corrupt or out-of-order stream). */
  get(id: number): ObjectShape {
    const shape = this.shapes[id];
    if (shape === undefined) {
      throw new RangeError(`object shape ${id} referred to before its definition (${this.shapes.length} shapes known on this channel)`);
    }
    return shape;
  }
}
