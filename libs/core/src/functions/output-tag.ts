import type { TypeSerializer } from '../serialization/type-serializer.js';

/**
 * Names a side output. Two tags are the same side output when their ids are equal, so a tag
 * can be re-created from its id (as happens when a worker rebuilds the job graph).
 */
export class OutputTag<T> {
  constructor(
    public readonly id: string,
    /** Serializer for the side output's records; the dynamic serializer when omitted. */
    public readonly serializer?: TypeSerializer<T>,
  ) {
    if (!id) throw new Error('OutputTag: the id must be a non-empty string');
  }
}
