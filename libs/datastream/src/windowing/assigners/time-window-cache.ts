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
    return w;
  }
}
