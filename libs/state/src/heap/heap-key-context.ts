/**
 * The current key of a heap keyed backend, shared by the backend (which sets it once per
 * record) and its state objects (which read it on every access). Plain mutable fields, so that
 * the per-record path is a few property reads.
 */
export class HeapKeyContext {
  /** The current key as given to `setCurrentKey`. */
  key: unknown = undefined;
  /** The current key as a `Map` key (see `toMapKey`). */
  mapKey: unknown = undefined;
  /** The current key's key group. */
  keyGroup = -1;
  /** `keyGroup - range.start`: the index of the key group's maps; -1 while no key is set. */
  keyGroupIndex = -1;
}

/** The error of a state access outside a keyed context. */
export function noCurrentKey(stateName: string): Error {
  return new Error(`state '${stateName}' was accessed without a current key: keyed state is only available while processing a keyed record or timer`);
}
