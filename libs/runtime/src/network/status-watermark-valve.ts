import { MIN_WATERMARK, Watermark } from '@riffle/core';
import type { WatermarkStatus } from '@riffle/core';

/** Where a valve sends the combined watermark and status of its input. */
export interface WatermarkOutput {
  emitWatermark(mark: Watermark): void;
  emitWatermarkStatus(status: WatermarkStatus): void;
}

/**
 * Combines the watermarks and watermark statuses of the channels of one input into one
 * watermark and status, with Flink's `StatusWatermarkValve` rules:
 * - the input's watermark is the minimum over ACTIVE channels that are aligned (whose watermark
 *   is at least the last emitted one); a channel coming back from IDLE with a lower watermark
 *   does not count until it catches up, so the output never goes back;
 * - a watermark is emitted only when it advances; a channel's watermark below its previous one is
 *   ignored, as are watermarks on IDLE channels;
 * - when every channel is IDLE the input emits IDLE (after flushing the largest channel
 *   watermark if the last active channel held the minimum); the first channel to become ACTIVE
 *   again makes the input ACTIVE.
 *
 * A channel that ended (end of partition) counts as permanently idle. When the last channel ends
 * nothing is emitted: upstream tasks emit the final watermark themselves (MAX_WATERMARK at the end
 * of bounded input), and without it (stop without drain) event time must not jump.
 *
 * Single-threaded; called from the reader of the input.
 */
export class StatusWatermarkValve {
  private readonly watermarks: number[];
  private readonly idle: boolean[];
  private readonly aligned: boolean[];
  private readonly ended: boolean[];
  private endedCount = 0;
  private lastWatermark = MIN_WATERMARK;
  private lastStatus: WatermarkStatus = 'ACTIVE';

  constructor(readonly numChannels: number) {
    this.watermarks = new Array<number>(numChannels).fill(MIN_WATERMARK);
    this.idle = new Array<boolean>(numChannels).fill(false);
    this.aligned = new Array<boolean>(numChannels).fill(true);
    this.ended = new Array<boolean>(numChannels).fill(false);
  }

  /** The last watermark emitted (MIN_WATERMARK before the first). */
  get currentWatermark(): number {
    return this.lastWatermark;
  }

  /** The last status emitted (ACTIVE initially). */
  get currentStatus(): WatermarkStatus {
    return this.lastStatus;
  }

  /** A watermark arrived on `channel`. */
  inputWatermark(timestamp: number, channel: number, output: WatermarkOutput): void {
    if (this.idle[channel] || this.ended[channel]) return;
    if (!(timestamp > this.watermarks[channel]!)) return;
    this.watermarks[channel] = timestamp;
    if (!this.aligned[channel] && timestamp >= this.lastWatermark) this.aligned[channel] = true;
    this.outputNewMinAcrossAligned(output);
  }

  /** A watermark status arrived on `channel`. */
  inputWatermarkStatus(status: WatermarkStatus, channel: number, output: WatermarkOutput): void {
    if (this.ended[channel]) return;
    if (status === 'IDLE' && !this.idle[channel]) {
      this.idle[channel] = true;
      this.becameInactive(channel, output);
    } else if (status === 'ACTIVE' && this.idle[channel]) {
      this.idle[channel] = false;
      if (this.watermarks[channel]! >= this.lastWatermark) this.aligned[channel] = true;
      if (this.lastStatus === 'IDLE') {
        this.lastStatus = 'ACTIVE';
        output.emitWatermarkStatus('ACTIVE');
      }
    }
  }

  /** `channel` delivered end of partition. */
  channelEnded(channel: number, output: WatermarkOutput): void {
    if (this.ended[channel]) return;
    this.ended[channel] = true;
    this.endedCount++;
    const wasActive = !this.idle[channel];
    this.idle[channel] = true;
    if (this.endedCount === this.numChannels) return;
    if (wasActive) this.becameInactive(channel, output);
  }

  private becameInactive(channel: number, output: WatermarkOutput): void {
    this.aligned[channel] = false;
    if (!this.hasActiveChannels()) {
      if (this.watermarks[channel] === this.lastWatermark) this.outputMaxAcrossAll(output);
      if (this.lastStatus === 'ACTIVE') {
        this.lastStatus = 'IDLE';
        output.emitWatermarkStatus('IDLE');
      }
    } else if (this.watermarks[channel] === this.lastWatermark) {
      this.outputNewMinAcrossAligned(output);
    }
  }

  private hasActiveChannels(): boolean {
    for (let i = 0; i < this.numChannels; i++) if (!this.idle[i]) return true;
    return false;
  }

  private outputNewMinAcrossAligned(output: WatermarkOutput): void {
    let min = Number.POSITIVE_INFINITY;
    let any = false;
    for (let i = 0; i < this.numChannels; i++) {
      if (this.aligned[i] && !this.idle[i]) {
        any = true;
        if (this.watermarks[i]! < min) min = this.watermarks[i]!;
      }
    }
    if (any && min > this.lastWatermark) {
      this.lastWatermark = min;
      output.emitWatermark(new Watermark(min));
    }
  }

  private outputMaxAcrossAll(output: WatermarkOutput): void {
    let max = MIN_WATERMARK;
    for (let i = 0; i < this.numChannels; i++) if (this.watermarks[i]! > max) max = this.watermarks[i]!;
    if (max > this.lastWatermark) {
      this.lastWatermark = max;
      output.emitWatermark(new Watermark(max));
    }
  }
}
