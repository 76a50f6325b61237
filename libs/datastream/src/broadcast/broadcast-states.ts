import type { BroadcastState, DefaultOperatorStateBackend, MapStateDescriptor, ReadOnlyBroadcastState } from '@riffle/state';

/**
 * The broadcast states of one operator instance: one copy per subtask, in a
 * {@link DefaultOperatorStateBackend} (so they snapshot as BROADCAST operator state and every
 * subtask gets a copy on restore, at any parallelism). Only the descriptors given to
 * `broadcast(...)` exist.
 */
export class BroadcastStates {
  private readonly writable = new Map<string, BroadcastState<unknown, unknown>>();
  private readonly readOnly = new Map<string, ReadOnlyBroadcastState<unknown, unknown>>();

  constructor(readonly descriptors: readonly MapStateDescriptor<any, any>[]) {}

  /** Registers every declared broadcast state in the operator's state backend (picking up restored contents). */
  open(backend: DefaultOperatorStateBackend): void {
    for (const descriptor of this.descriptors) {
      this.writable.set(descriptor.name, backend.getBroadcastState(descriptor));
      this.readOnly.set(descriptor.name, backend.getReadOnlyBroadcastState(descriptor));
    }
  }

  get<K, V>(descriptor: MapStateDescriptor<K, V>): BroadcastState<K, V> {
    const state = this.writable.get(descriptor?.name);
    if (state === undefined) throw missing(descriptor);
    return state as BroadcastState<K, V>;
  }

  getReadOnly<K, V>(descriptor: MapStateDescriptor<K, V>): ReadOnlyBroadcastState<K, V> {
    const state = this.readOnly.get(descriptor?.name);
    if (state === undefined) throw missing(descriptor);
    return state as ReadOnlyBroadcastState<K, V>;
  }
}

function missing(descriptor: MapStateDescriptor<unknown, unknown> | undefined): Error {
  return new Error(
    `The requested broadcast state '${descriptor?.name}' does not exist. Check for typos in your state descriptor, or specify the state descriptor in the stream.broadcast(...) call if you forgot to register it.`,
  );
}
