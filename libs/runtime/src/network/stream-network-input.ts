import { InputShapeTable, NO_TIMESTAMP, StreamRecord } from '@riffle/core';
import type { TypeSerializer } from '@riffle/core';
import { anyAvailable, resolvedAvailability, type AvailabilityProvider } from './availability.js';
import {
  RECORD_HEADER,
  RECORD_WITH_TIMESTAMP_HEADER,
  STATUS_IDLE,
  TAG_CANCEL_CHECKPOINT,
  TAG_CHECKPOINT_BARRIER,
  TAG_END_OF_PARTITION,
  TAG_RECORD,
  TAG_RECORD_WITH_TIMESTAMP,
  TAG_WATERMARK,
  TAG_WATERMARK_STATUS,
  WATERMARK_FRAME,
  WATERMARK_STATUS_FRAME,
  tagName,
} from './element-framing.js';
import {
  CANCEL_CHECKPOINT_FRAME,
  CHECKPOINT_BARRIER_FRAME,
  readCancelCheckpointFrame,
  readCheckpointBarrierFrame,
  type CheckpointingMode,
} from './checkpoint-barrier.js';
import type { CheckpointBarrierHandler, CheckpointListener } from './checkpoint-barrier-handler.js';
import { createCheckpointBarrierHandler } from './create-barrier-handler.js';
import { FrameReader } from './frame-reader.js';
import type { InputChannel } from './input-channel.js';
import type { InputGate } from './input-gate.js';
import { StatusWatermarkValve, type WatermarkOutput } from './status-watermark-valve.js';

/**
 * Where a network input pushes what it reads (Flink's `PushingAsyncDataInput.DataOutput`):
 * records, and the watermark and status combined over the input's channels. Called synchronously
 * from `processAvailable` on the task thread. The `StreamRecord` passed to `emitRecord` is reused
 * for the next record: keep its value, not the object.
 */
export interface DataOutput<T> extends WatermarkOutput {
  emitRecord(record: StreamRecord<T>): void;
}

/** Result of one `processAvailable` call (Flink's `DataInputStatus`). */
export type InputStatus = 'MORE_AVAILABLE' | 'NOTHING_AVAILABLE' | 'END_OF_INPUT';

const EMPTY = new Uint8Array(0);
const EMPTY_VIEW = new DataView(EMPTY.buffer);

/**
 * Reads one logical input of a task (Flink's `StreamTaskNetworkInput`): one input gate, or the
 * union of several gates (several job edges into the same input). Deserializes records with the
 * input's serializer and dispatches them, together with the watermark and status combined over
 * all channels of all its gates ({@link StatusWatermarkValve}), into a {@link DataOutput}.
 *
 * Called only on the task thread, from the mailbox. `processAvailable` never waits; when it
 * returns `NOTHING_AVAILABLE`, await `available()` (or combine several inputs with
 * `anyAvailable`). Each buffer is returned to its producer, with a fresh credit, as soon as its
 * last element has been dispatched. Errors from the serializer or the output propagate; the
 * input is then unusable and the task should fail and `release()` it.
 *
 * Checkpoint barriers and cancel markers read from a channel go to the input's
 * {@link CheckpointBarrierHandler} (set with `setBarrierHandler` or `setCheckpointListener`
 * before the first `processAvailable`); a barrier read without a handler fails the input. A
 * channel the handler blocks is not read (not even the rest of the buffer holding the barrier)
 * until the handler resumes it, so neither the output nor the watermark valve sees its
 * post-barrier data; its buffers stay queued and return no credit meanwhile.
 */
export class StreamNetworkInput<T> implements AvailabilityProvider {
  readonly gates: readonly InputGate[];
  private readonly offsets: number[];
  private readonly totalChannels: number;
  private readonly valve: StatusWatermarkValve;
  private readonly record = new StreamRecord<T>(undefined as unknown as T);
  private readonly reader = new FrameReader();
  /** The object-shape table of each channel (by valve index), mirroring the producer's. */
  private readonly shapes: InputShapeTable[];
  private channel: InputChannel | null = null;
  private gate: InputGate | null = null;
  private buf: Uint8Array = EMPTY;
  private view: DataView = EMPTY_VIEW;
  private pos = 0;
  private size = 0;
  private valveIndex = 0;
  private nextGate = 0;
  private endedChannels = 0;
  private endOfInput = false;
  private handler: CheckpointBarrierHandler | null = null;

  constructor(
    gates: InputGate | readonly InputGate[],
    private readonly serializer: TypeSerializer<T>,
  ) {
    this.gates = Array.isArray(gates) ? [...(gates as readonly InputGate[])] : [gates as InputGate];
    if (this.gates.length === 0) throw new Error('StreamNetworkInput needs at least one input gate');
    let offset = 0;
    this.offsets = this.gates.map((g) => {
      const o = offset;
      offset += g.numChannels;
      return o;
    });
    this.totalChannels = offset;
    this.valve = new StatusWatermarkValve(offset);
    this.shapes = Array.from({ length: offset }, () => new InputShapeTable());
  }

  /** Channels over all gates (the valve's inputs), numbered gate by gate. */
  get numChannels(): number {
    return this.totalChannels;
  }

  /**
   * Dispatches up to `budget` elements (records, watermarks, status changes and ends of
   * partition each count one) into `output`. Returns `END_OF_INPUT` once every channel delivered
   * end of partition (and on every later call), `MORE_AVAILABLE` when the budget ran out with
   * data left, `NOTHING_AVAILABLE` when it ran out of data.
   * @throws the serializer's or output's error, a framing error, or the failure of a channel
   *   whose producer was released before end of partition.
   */
  processAvailable(output: DataOutput<T>, budget: number): InputStatus {
    if (this.endOfInput) return 'END_OF_INPUT';
    let remaining = budget;
    while (remaining > 0) {
      if (this.channel === null && !this.pollNext()) return 'NOTHING_AVAILABLE';
      remaining -= this.processBuffer(output, remaining);
      if (this.endOfInput) return 'END_OF_INPUT';
    }
    return this.isAvailable() ? 'MORE_AVAILABLE' : 'NOTHING_AVAILABLE';
  }

  /** True when a buffer is being read or waiting in a gate (or a failure waits to be reported). */
  isAvailable(): boolean {
    if (this.channel !== null || this.endOfInput) return true;
    for (const g of this.gates) if (g.isAvailable()) return true;
    return false;
  }

  available(): Promise<void> {
    if (this.isAvailable()) return resolvedAvailability();
    return this.gates.length === 1 ? this.gates[0]!.available() : anyAvailable(this.gates);
  }

  onAvailable(callback: () => void): () => void {
    if (this.gates.length === 1) return this.gates[0]!.onAvailable(callback);
    const cancels = this.gates.map((g) => g.onAvailable(callback));
    return () => {
      for (const cancel of cancels) cancel();
    };
  }

  /**
   * Routes this input's barriers to `handler`, which counts this input's channels. For a task
   * with several inputs, pass the same handler to each so alignment spans all of them. Call once,
   * before the first `processAvailable`.
   * @throws Error if a handler is already set.
   */
  setBarrierHandler(handler: CheckpointBarrierHandler): void {
    if (this.handler !== null) throw new Error('StreamNetworkInput: barrier handler already set');
    this.handler = handler;
    handler.registerChannels(this.totalChannels);
  }

  /**
   * Shortcut for a one-input task: creates the handler for `mode`
   * (`createCheckpointBarrierHandler`), sets it and returns it (for its stats).
   */
  setCheckpointListener(listener: CheckpointListener, mode: CheckpointingMode = 'EXACTLY_ONCE'): CheckpointBarrierHandler {
    const handler = createCheckpointBarrierHandler(mode, listener);
    this.setBarrierHandler(handler);
    return handler;
  }

  /** The barrier handler, or null when checkpoint barriers are not expected. */
  get barrierHandler(): CheckpointBarrierHandler | null {
    return this.handler;
  }

  /** The watermark last emitted by this input. */
  get currentWatermark(): number {
    return this.valve.currentWatermark;
  }

  /** Releases all gates of this input (failure, cancel). */
  release(): void {
    this.channel = null;
    this.gate = null;
    this.buf = EMPTY;
    this.view = EMPTY_VIEW;
    for (const g of this.gates) g.release();
  }

  private pollNext(): boolean {
    const n = this.gates.length;
    for (let k = 0; k < n; k++) {
      const gi = (this.nextGate + k) % n;
      const gate = this.gates[gi]!;
      const ch = gate.pollChannel();
      if (ch !== null) {
        this.nextGate = gi + 1 === n ? 0 : gi + 1;
        this.channel = ch;
        this.gate = gate;
        this.buf = ch.head();
        this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
        this.pos = ch.readPos;
        ch.readPos = 0;
        this.size = ch.headSize();
        this.valveIndex = this.offsets[gi]! + ch.index;
        this.reader.shapes = this.shapes[this.valveIndex]!;
        return true;
      }
    }
    return false;
  }

  /** Processes up to `max` elements of the current buffer; returns how many. */
  private processBuffer(output: DataOutput<T>, max: number): number {
    const buf = this.buf;
    const view = this.view;
    const size = this.size;
    const reader = this.reader;
    const serializer = this.serializer;
    const rec = this.record;
    let p = this.pos;
    let n = 0;
    let records = 0;
    while (n < max && p < size) {
      const tag = buf[p]!;
      n++;
      if (tag === TAG_RECORD || tag === TAG_RECORD_WITH_TIMESTAMP) {
        const header = tag === TAG_RECORD ? RECORD_HEADER : RECORD_WITH_TIMESTAMP_HEADER;
        const start = p + header;
        const end = start + view.getUint32(p + 1, true);
        if (end > size) this.corrupt(`${tagName(tag)} of ${end - start} bytes overruns the buffer`, p);
        reader.setRange(buf, view, start, end);
        const value = serializer.deserialize(reader);
        if (reader.pos !== end) this.mismatch(end - start, reader.pos - start);
        rec.value = value;
        rec.timestamp = tag === TAG_RECORD ? NO_TIMESTAMP : view.getFloat64(p + 5, true);
        p = end;
        this.pos = p;
        records++;
        output.emitRecord(rec);
      } else if (tag === TAG_WATERMARK) {
        const ts = view.getFloat64(p + 1, true);
        p += WATERMARK_FRAME;
        this.pos = p;
        this.valve.inputWatermark(ts, this.valveIndex, output);
      } else if (tag === TAG_WATERMARK_STATUS) {
        const idle = buf[p + 1] === STATUS_IDLE;
        p += WATERMARK_STATUS_FRAME;
        this.pos = p;
        this.valve.inputWatermarkStatus(idle ? 'IDLE' : 'ACTIVE', this.valveIndex, output);
      } else if (tag === TAG_END_OF_PARTITION) {
        if (p + 1 !== size) this.corrupt('end of partition is not the last frame', p);
        p += 1;
        this.pos = p;
        this.channel!.ended = true;
        this.endedChannels++;
        this.valve.channelEnded(this.valveIndex, output);
        if (this.handler !== null) this.handler.processEndOfPartition(this.channel!);
      } else if (tag === TAG_CHECKPOINT_BARRIER) {
        if (p + CHECKPOINT_BARRIER_FRAME > size) this.corrupt('checkpoint barrier overruns the buffer', p);
        const barrier = readCheckpointBarrierFrame(buf, view, p);
        p += CHECKPOINT_BARRIER_FRAME;
        this.pos = p;
        this.barrierHandlerOrThrow(p).processBarrier(barrier, this.channel!);
        if (this.channel!.blocked) break;
      } else if (tag === TAG_CANCEL_CHECKPOINT) {
        if (p + CANCEL_CHECKPOINT_FRAME > size) this.corrupt('cancel checkpoint overruns the buffer', p);
        const id = readCancelCheckpointFrame(view, p);
        p += CANCEL_CHECKPOINT_FRAME;
        this.pos = p;
        this.barrierHandlerOrThrow(p).processCancel(id, this.channel!);
      } else {
        this.corrupt(`unsupported ${tagName(tag)} frame`, p);
      }
    }
    this.pos = p;
    this.gate!.recordsIn += records;
    if (p >= size) this.finishBuffer();
    else if (this.channel!.blocked) this.parkBlocked();
    return n;
  }

  /** Leaves a channel blocked mid-buffer: the gate reschedules it (from `readPos`) when it is resumed. */
  private parkBlocked(): void {
    this.channel!.readPos = this.pos;
    this.channel = null;
    this.gate = null;
    this.buf = EMPTY;
    this.view = EMPTY_VIEW;
  }

  private barrierHandlerOrThrow(at: number): CheckpointBarrierHandler {
    if (this.handler === null) this.corrupt('checkpoint barrier or cancel marker on an input without a barrier handler', at);
    return this.handler;
  }

  private finishBuffer(): void {
    const ch = this.channel!;
    const gate = this.gate!;
    gate.buffersIn++;
    gate.bytesIn += this.size;
    this.channel = null;
    this.gate = null;
    this.buf = EMPTY;
    this.view = EMPTY_VIEW;
    ch.recycleHead();
    gate.doneReading(ch);
    if (this.endedChannels === this.totalChannels) this.endOfInput = true;
  }

  private corrupt(what: string, at: number): never {
    throw new Error(`network input, channel ${this.channel?.channelId}: ${what} at offset ${at} of ${this.size}`);
  }

  private mismatch(written: number, read: number): never {
    throw new Error(
      `network input, channel ${this.channel?.channelId}: serializer ${this.serializer.id} read ${read} bytes of a ${written}-byte record; ` +
        'serialize and deserialize disagree',
    );
  }
}
