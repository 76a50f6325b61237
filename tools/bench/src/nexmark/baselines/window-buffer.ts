import { BASELINE_WATERMARK_DELAY_MS, type Emit } from './baseline.js';

/**
 * Event-time windows of one size for the plain-JS baselines: state per window start, fired in
 * start order once the watermark (`max timestamp − 4 s − 1`, as the engine's) reaches the
 * window's last millisecond, and all at `finish`.
 */
export class WindowBuffer<S> {
  private readonly open = new Map<number, S>();
  private nextEnd = Number.POSITIVE_INFINITY;
  private maxTimestamp = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly size: number,
    private readonly create: () => S,
    private readonly fire: (start: number, state: S, emit: Emit) => void,
  ) {}

  /** The state of the window starting at `start`, created if absent. */
  get(start: number): S {
    let s = this.open.get(start);
    if (s === undefined) {
      s = this.create();
      this.open.set(start, s);
      if (start + this.size < this.nextEnd) this.nextEnd = start + this.size;
    }
    return s;
  }

  /** Advances event time to `timestamp`; fires the windows the watermark has passed. */
  advance(timestamp: number, emit: Emit): void {
    if (timestamp <= this.maxTimestamp) return;
    this.maxTimestamp = timestamp;
    const watermark = timestamp - BASELINE_WATERMARK_DELAY_MS - 1;
    if (watermark >= this.nextEnd - 1) this.fireUpTo(watermark, emit);
  }

  /** Fires every open window. */
  finish(emit: Emit): void {
    this.fireUpTo(Number.POSITIVE_INFINITY, emit);
  }

  private fireUpTo(watermark: number, emit: Emit): void {
    const due = [...this.open.keys()].filter((s) => s + this.size - 1 <= watermark).sort((a, b) => a - b);
    for (const start of due) {
      this.fire(start, this.open.get(start)!, emit);
      this.open.delete(start);
    }
    this.nextEnd = Number.POSITIVE_INFINITY;
    for (const start of this.open.keys()) if (start + this.size < this.nextEnd) this.nextEnd = start + this.size;
  }
}
