/**
 * How stream elements are laid out inside a network buffer. A buffer holds a sequence of whole
 * frames (a frame never spans two buffers; a record larger than a buffer gets a dedicated
 * oversized buffer holding just that frame). All numbers are little-endian.
 *
 * | tag | name                | layout after the tag                                  |
 * |-----|---------------------|-------------------------------------------------------|
 * | 1   | record              | u32 payload length, payload                           |
 * | 2   | record + timestamp  | u32 payload length, f64 timestamp, payload            |
 * | 3   | watermark           | f64 timestamp                                         |
 * | 4   | watermark status    | u8 (0 = ACTIVE, 1 = IDLE)                             |
 * | 5   | end of partition    | nothing; always the last frame of the last buffer     |
 * | 6   | checkpoint barrier  | u32 length (18), f64 id, f64 timestamp, u8 mode, u8 savepoint |
 * | 7   | cancel checkpoint   | u32 length (8), f64 checkpoint id                     |
 * | 8   | end of data         | reserved (Flink's EndOfData, for final checkpoints)   |
 *
 * The payload of a record is exactly what the edge's `TypeSerializer` writes; the length lets the
 * reader check that `deserialize` read exactly what `serialize` wrote. Reserved tags are events
 * that travel in order with records (never dropped, never overtaking); a reader that does not
 * handle them fails loudly instead of skipping them.
 */

export const TAG_RECORD = 1;
export const TAG_RECORD_WITH_TIMESTAMP = 2;
export const TAG_WATERMARK = 3;
export const TAG_WATERMARK_STATUS = 4;
export const TAG_END_OF_PARTITION = 5;
/** A checkpoint barrier (see `checkpoint-barrier.ts`). */
export const TAG_CHECKPOINT_BARRIER = 6;
/** A cancel-checkpoint marker (see `checkpoint-barrier.ts`). */
export const TAG_CANCEL_CHECKPOINT = 7;
/** Reserved for Flink's EndOfData event (all records sent, final checkpoint pending). */
export const TAG_END_OF_DATA = 8;

/** Bytes of a record frame's header without timestamp: tag + u32 length. */
export const RECORD_HEADER = 5;
/** Bytes of a record frame's header with timestamp: tag + u32 length + f64. */
export const RECORD_WITH_TIMESTAMP_HEADER = 13;
/** Bytes of a watermark frame. */
export const WATERMARK_FRAME = 9;
/** Bytes of a watermark-status frame. */
export const WATERMARK_STATUS_FRAME = 2;
/** Bytes of an end-of-partition frame. */
export const END_OF_PARTITION_FRAME = 1;
/** The largest event frame (a checkpoint barrier: 23 bytes); every buffer has room for at least this many bytes. */
export const MAX_EVENT_FRAME = 23;

export const STATUS_ACTIVE = 0;
export const STATUS_IDLE = 1;

/** Writes a watermark frame at `pos`; the caller made room for {@link WATERMARK_FRAME} bytes. Returns the new position. */
export function writeWatermarkFrame(bytes: Uint8Array, view: DataView, pos: number, timestamp: number): number {
  bytes[pos] = TAG_WATERMARK;
  view.setFloat64(pos + 1, timestamp, true);
  return pos + WATERMARK_FRAME;
}

/** Writes a watermark-status frame at `pos`. Returns the new position. */
export function writeWatermarkStatusFrame(bytes: Uint8Array, pos: number, idle: boolean): number {
  bytes[pos] = TAG_WATERMARK_STATUS;
  bytes[pos + 1] = idle ? STATUS_IDLE : STATUS_ACTIVE;
  return pos + WATERMARK_STATUS_FRAME;
}

/** Writes an end-of-partition frame at `pos`. Returns the new position. */
export function writeEndOfPartitionFrame(bytes: Uint8Array, pos: number): number {
  bytes[pos] = TAG_END_OF_PARTITION;
  return pos + END_OF_PARTITION_FRAME;
}

/** A human-readable name of a tag, for error messages. */
export function tagName(tag: number): string {
  switch (tag) {
    case TAG_RECORD:
      return 'record';
    case TAG_RECORD_WITH_TIMESTAMP:
      return 'record with timestamp';
    case TAG_WATERMARK:
      return 'watermark';
    case TAG_WATERMARK_STATUS:
      return 'watermark status';
    case TAG_END_OF_PARTITION:
      return 'end of partition';
    case TAG_CHECKPOINT_BARRIER:
      return 'checkpoint barrier';
    case TAG_CANCEL_CHECKPOINT:
      return 'cancel checkpoint';
    case TAG_END_OF_DATA:
      return 'end of data';
    default:
      return `unknown tag ${tag}`;
  }
}
