/**
 * Processing time for operators (Flink's ProcessingTimeService). Timer callbacks run on the
 * task's thread as mailbox mails, never concurrently with record processing. Tests drive time
 * with {@link ManualProcessingTimeService}.
 */
export interface ProcessingTimeService {
  /** The current processing time, ms. */
  getCurrentProcessingTime(): number;
  /** Calls `callback(timestamp)` once processing time reaches `timestamp`. Returns a cancel function. */
  registerTimer(timestamp: number, callback: (timestamp: number) => void): () => void;
  /** Calls `callback(now)` every `periodMs` after `initialDelayMs`. Returns a cancel function. */
  scheduleAtFixedRate(callback: (timestamp: number) => void, initialDelayMs: number, periodMs: number): () => void;
}

/** Key of the task's ProcessingTimeService in `StreamOperatorParameters.services`. */
export const PROCESSING_TIME_SERVICE = 'riffle.processingTimeService';

/** Wall-clock processing time whose callbacks are handed to a mailbox. */
export class MailboxProcessingTimeService implements ProcessingTimeService {
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private closed = false;

  constructor(private readonly enqueue: (mail: () => void) => void) {}

  getCurrentProcessingTime(): number {
    return Date.now();
  }

  registerTimer(timestamp: number, callback: (timestamp: number) => void): () => void {
    if (this.closed) return () => {};
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.closed) this.enqueue(() => callback(timestamp));
    }, Math.max(0, timestamp - Date.now()));
    this.timers.add(t);
    return () => {
      clearTimeout(t);
      this.timers.delete(t);
    };
  }

  scheduleAtFixedRate(callback: (timestamp: number) => void, initialDelayMs: number, periodMs: number): () => void {
    let cancelled = false;
    let cancelCurrent: () => void = () => {};
    let next = Date.now() + initialDelayMs;
    const schedule = (): void => {
      cancelCurrent = this.registerTimer(next, (ts) => {
        if (cancelled) return;
        callback(ts);
        next += periodMs;
        // Do not pile up runs when the task was busy: skip to the next period after now.
        const now = Date.now();
        if (next <= now) next = now + periodMs;
        schedule();
      });
    };
    schedule();
    return () => {
      cancelled = true;
      cancelCurrent();
    };
  }

  /** Cancels every pending timer; later registrations are ignored. */
  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}

/**
 * Processing time that only moves when told to: `advanceTo(t)` fires every due timer in
 * timestamp order (timers registered by a callback fire too, if due). For tests and harnesses.
 */
export class ManualProcessingTimeService implements ProcessingTimeService {
  private now: number;
  private seq = 0;
  private readonly timers: Array<{ ts: number; seq: number; callback: (ts: number) => void }> = [];

  constructor(start = 0) {
    this.now = start;
  }

  getCurrentProcessingTime(): number {
    return this.now;
  }

  registerTimer(timestamp: number, callback: (timestamp: number) => void): () => void {
    const timer = { ts: timestamp, seq: this.seq++, callback };
    this.timers.push(timer);
    return () => {
      const i = this.timers.indexOf(timer);
      if (i >= 0) this.timers.splice(i, 1);
    };
  }

  scheduleAtFixedRate(callback: (timestamp: number) => void, initialDelayMs: number, periodMs: number): () => void {
    let cancelled = false;
    let cancel: () => void = () => {};
    const at = (ts: number): void => {
      cancel = this.registerTimer(ts, (t) => {
        if (cancelled) return;
        callback(t);
        at(t + periodMs);
      });
    };
    at(this.now + initialDelayMs);
    return () => {
      cancelled = true;
      cancel();
    };
  }

  /** Moves time forward to `timestamp`, firing due timers in order. Time never goes back. */
  advanceTo(timestamp: number): void {
    if (timestamp < this.now) throw new Error(`processing time cannot go back from ${this.now} to ${timestamp}`);
    for (;;) {
      let best = -1;
      for (let i = 0; i < this.timers.length; i++) {
        const t = this.timers[i]!;
        if (t.ts <= timestamp && (best < 0 || t.ts < this.timers[best]!.ts || (t.ts === this.timers[best]!.ts && t.seq < this.timers[best]!.seq))) best = i;
      }
      if (best < 0) break;
      const [timer] = this.timers.splice(best, 1);
      this.now = Math.max(this.now, timer!.ts);
      timer!.callback(timer!.ts);
    }
    this.now = timestamp;
  }

  /** Number of pending timers. */
  pendingTimers(): number {
    return this.timers.length;
  }
}
