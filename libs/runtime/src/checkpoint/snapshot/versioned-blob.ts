import type { SimpleVersionedSerializer } from '@riffle/core';

/**
 * A serializer's bytes behind a 4-byte magic and a varint-free u32 version, so that a state blob
 * names its format wherever it is stored (reader splits, enumerator state). Layout:
 * magic (4 ASCII bytes), u32 little-endian serializer version, payload.
 */
export function encodeVersionedBlob<T>(magic: string, serializer: SimpleVersionedSerializer<T>, value: T): Uint8Array {
  const payload = serializer.serialize(value);
  const out = new Uint8Array(8 + payload.length);
  for (let i = 0; i < 4; i++) out[i] = magic.charCodeAt(i);
  new DataView(out.buffer).setUint32(4, serializer.getVersion(), true);
  out.set(payload, 8);
  return out;
}

/** Reads what {@link encodeVersionedBlob} wrote; throws naming `what` when the magic does not match. */
export function decodeVersionedBlob<T>(magic: string, serializer: SimpleVersionedSerializer<T>, bytes: Uint8Array, what: string): T {
  if (bytes.length < 8) throw new Error(`${what}: truncated (${bytes.length} bytes)`);
  const found = String.fromCharCode(bytes[0]!, bytes[1]!, bytes[2]!, bytes[3]!);
  if (found !== magic) throw new Error(`${what}: expected magic '${magic}', found '${found}'`);
  const version = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true);
  return serializer.deserialize(version, bytes.subarray(8));
}

/** Magic of a source reader's split list (state file kind `source`). */
export const READER_STATE_MAGIC = 'RSRD';
/** Magic of a split enumerator's checkpoint (coordinator state in `_metadata`). */
export const ENUMERATOR_STATE_MAGIC = 'RSEN';
/**
 * The whole coordinator state of a source whose readers had all finished when the checkpoint was
 * taken: its magic and version 0, no payload. Restoring it starts no enumerator.
 */
export const FINISHED_SOURCE_STATE: Uint8Array = Uint8Array.from([0x52, 0x53, 0x46, 0x4e, 0, 0, 0, 0]); // 'RSFN', v0

/** Whether `bytes` is {@link FINISHED_SOURCE_STATE}. */
export function isFinishedSourceState(bytes: Uint8Array): boolean {
  return bytes.length === FINISHED_SOURCE_STATE.length && bytes.every((b, i) => b === FINISHED_SOURCE_STATE[i]);
}
