import type { TypeSerializer } from '@riffle/core';

/**
 * The namespace of state that is not scoped to a window (Flink's `VoidNamespace`). Keyed state
 * obtained with `getPartitionedState(descriptor)` lives in this namespace; windows use their
 * window objects as namespaces instead.
 */
export class VoidNamespace {
  /** The only instance. */
  static readonly INSTANCE: VoidNamespace = new VoidNamespace();
  private constructor() {
    Object.freeze(this);
  }
  toString(): string {
    return 'VoidNamespace';
  }
}

/** Serializer of {@link VoidNamespace}: writes nothing (Flink's `VoidNamespaceSerializer`). */
export const VOID_NAMESPACE_SERIALIZER: TypeSerializer<VoidNamespace> = Object.freeze({
  id: 'void',
  serialize(): void {},
  deserialize(): VoidNamespace {
    return VoidNamespace.INSTANCE;
  },
  copy(value: VoidNamespace): VoidNamespace {
    return value;
  },
});
