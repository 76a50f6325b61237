import type { DataInputView, DataOutputView, KeySelector, TypeSerializer } from '@riffle/core';

/**
 * An element of either input of a window join or co-group (Flink's `TaggedUnion`): both inputs
 * are tagged, unioned, keyed and windowed together, so triggers and evictors given to a window
 * join see these. A plain object, so it survives any serializer unchanged.
 */
export type TaggedUnion<T1, T2> = { readonly tag: 1; readonly value: T1 } | { readonly tag: 2; readonly value: T2 };

/** Factories of {@link TaggedUnion}s. */
export const TaggedUnion = {
  /** An element of the first input. */
  one<T1, T2>(value: T1): TaggedUnion<T1, T2> {
    return { tag: 1, value };
  },
  /** An element of the second input. */
  two<T1, T2>(value: T2): TaggedUnion<T1, T2> {
    return { tag: 2, value };
  },
} as const;

/**
 * Serializes {@link TaggedUnion}s with each input's serializer: one tag byte (1 or 2), then the
 * element. Crosses the wire between the tagging maps and the window operator.
 */
export class TaggedUnionSerializer<T1, T2> implements TypeSerializer<TaggedUnion<T1, T2>> {
  readonly id: string;

  constructor(
    readonly one: TypeSerializer<T1>,
    readonly two: TypeSerializer<T2>,
  ) {
    this.id = `tagged-union(${one.id},${two.id})`;
  }

  serialize(value: TaggedUnion<T1, T2>, out: DataOutputView): void {
    out.writeUint8(value.tag);
    if (value.tag === 1) this.one.serialize(value.value, out);
    else this.two.serialize(value.value, out);
  }

  deserialize(input: DataInputView): TaggedUnion<T1, T2> {
    const tag = input.readUint8();
    if (tag === 1) return { tag: 1, value: this.one.deserialize(input) };
    if (tag === 2) return { tag: 2, value: this.two.deserialize(input) };
    throw new Error(`TaggedUnionSerializer: corrupt input, tag ${tag} is neither 1 nor 2`);
  }

  copy(value: TaggedUnion<T1, T2>): TaggedUnion<T1, T2> {
    return value.tag === 1 ? { tag: 1, value: this.one.copy(value.value) } : { tag: 2, value: this.two.copy(value.value) };
  }
}

/** Keys a tagged element with its own input's key selector (Flink's `UnionKeySelector`). */
export class UnionKeySelector<T1, T2, K> implements KeySelector<TaggedUnion<T1, T2>, K> {
  constructor(
    private readonly key1: KeySelector<T1, K>,
    private readonly key2: KeySelector<T2, K>,
  ) {}

  getKey(value: TaggedUnion<T1, T2>): K {
    return value.tag === 1 ? this.key1.getKey(value.value) : this.key2.getKey(value.value);
  }
}
