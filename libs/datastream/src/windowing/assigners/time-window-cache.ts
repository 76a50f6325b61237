import { TimeWindow } from '../windows/time-window.js';

const SLOTS = 64;

/**
 * A small direct-mapped cache of aligned time windows, so that the elements of one window get
 * the same `TimeWindow` object: the state backend and timers then see one namespace object
 * instead of a new one per element (switching namespaces costs a lookup; keeping one is free).
 * Windows are immutable values, so sharing them across keys and subtasks is safe.
 */
export class TimeWindowCache {
  private readonly slots: (TimeWindow | undefined)[] = new Array<TimeWindow | undefined>(SLOTS).fill(undefined);
  private readonly singletons: (readonly TimeWindow[] | undefined)[] = new Array<readonly TimeWindow[] | undefined>(SLOTS).fill(undefined);
  private lastSlidingStart = Number.NaN;
  private lastSliding: readonly TimeWindow[] = [];

  constructor(
    /** Distance between window starts (size for tumbling, slide for sliding windows). */
    private readonly step: number,
    private readonly offset: number,
  ) {}

  get(start: number, end: number): TimeWindow {
    // Starts are offset + k * step; k's low bits pick the slot (ToInt32 keeps them for large k).
    const slot = ((start - this.offset) / this.step) & (SLOTS - 1);
    const cached = this.slots[slot];
    if (cached !== undefined && cached.start === start && cached.end === end) return cached;
    const w = new TimeWindow(start, end);
    this.slots[slot] = w;
    this.singletons[slot] = undefined;
    return w;
  }

  /** `[get(start, end)]`, as one shared frozen array per window (assigners return it as their result). */
  singleton(start: number, end: number): readonly TimeWindow[] {
    const w = this.get(start, end);
    const slot = ((start - this.offset) / this.step) & (SLOTS - 1);
    const cached = this.singletons[slot];
    if (cached !== undefined && cached[0] === w) return cached;
    return (this.singletons[slot] = Object.freeze([w]));
  }

  /**
   * The sliding windows of `size` that contain `t`, latest start first (Flink's order), as a
   * shared frozen array: consecutive elements of the same slide get the same array.
   */
  sliding(t: number, size: number): readonly TimeWindow[] {
    const slide = this.step;
    const lastStart = TimeWindow.getWindowStartWithOffset(t, this.offset, slide);
    // The windows depend on t only through lastStart when size is a multiple of the slide.
    if (lastStart === this.lastSlidingStart && size % slide === 0) return this.lastSliding;
    const windows: TimeWindow[] = [];
    for (let start = lastStart; start > t - size; start -= slide) windows.push(this.get(start, start + size));
    this.lastSlidingStart = lastStart;
    return (this.lastSliding = Object.freeze(windows));
  }
}
