import { readFileSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';
import { BroadcastChannel } from 'node:worker_threads';
import { RichMapFunction, RichSinkFunction } from '@riffle/core';

/** The channel the sink subtasks report on; the runner listens on it in the main thread. */
export const METRICS_CHANNEL = 'riffle-nexmark-metrics';

/** What one sink subtask reports when it closes. */
export interface SinkReport {
  readonly kind: 'nexmark-sink-report';
  readonly runId: string;
  readonly subtask: number;
  /** Results received. */
  readonly results: number;
  /** GC pause time of this worker thread (the whole isolate) while the sink was open, ms. */
  readonly gcMs: number;
  /**
   * For paced runs: per sampled result, arrival wall time minus the event-time offset of its
   * timestamp (`Date.now() - (timestamp - baseTime)`), ms. Subtracting the source's start time
   * gives the latency from scheduled emission to the sink.
   */
  readonly arrivalOffsets: number[];
  /** Wall clock (epoch ms) when the sink opened and closed. */
  readonly openedAt: number;
  readonly closedAt: number;
  /** Wall clock (epoch ms) of the first result, or of the close when there was none. */
  readonly firstResultAt: number;
  /** CPU seconds of this worker thread between open and close (Linux `/proc/thread-self/stat`; NaN elsewhere). */
  readonly threadCpuSeconds: number;
}

/** CPU seconds (user + system) the calling thread has used so far; NaN where /proc is unavailable. */
export function threadCpuSeconds(): number {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}

/** USER_HZ of Linux /proc times. */
const CLOCK_TICKS = 100;

/** What a source subtask reports for paced runs: the wall time event time `baseTime` maps to. */
export interface OriginReport {
  readonly kind: 'nexmark-origin';
  readonly runId: string;
  readonly origin: number;
}

const MAX_SAMPLES = 1 << 18;

/**
 * The benchmark's sink: counts results and, at close, reports the count, the GC time of its
 * worker thread (one worker hosts one slot, i.e. one subtask of every operator) and, when
 * `baseTime` is given (paced runs), samples of arrival offsets for the latency percentiles.
 */
export class MetricsSink<T> extends RichSinkFunction<T> {
  private results = 0;
  private gcMs = 0;
  private observer: PerformanceObserver | undefined;
  private samples: number[] = [];
  private stride = 1;
  private skip = 0;
  private openedAt = 0;
  private firstResultAt = 0;
  private cpuAtOpen = 0;

  constructor(
    private readonly runId: string,
    private readonly baseTime: number | undefined,
  ) {
    super();
  }

  override open(): void {
    this.openedAt = Date.now();
    this.cpuAtOpen = threadCpuSeconds();
    this.observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) this.gcMs += entry.duration;
    });
    this.observer.observe({ entryTypes: ['gc'] });
  }

  invoke(_value: T, context: { timestamp(): number | undefined }): void {
    if (this.results++ === 0) this.firstResultAt = Date.now();
    if (this.baseTime === undefined) return;
    if (++this.skip < this.stride) return;
    this.skip = 0;
    const ts = context.timestamp();
    if (ts === undefined) return;
    this.samples.push(Date.now() - (ts - this.baseTime));
    if (this.samples.length >= MAX_SAMPLES) {
      // Keep every other sample and halve the sampling rate: bounded memory, still uniform.
      this.samples = this.samples.filter((_, i) => i % 2 === 0);
      this.stride *= 2;
    }
  }

  override close(): void {
    if (this.observer) {
      for (const entry of this.observer.takeRecords()) this.gcMs += entry.duration;
      this.observer.disconnect();
      this.observer = undefined;
    }
    const report: SinkReport = {
      kind: 'nexmark-sink-report',
      runId: this.runId,
      subtask: this.getRuntimeContext().getIndexOfThisSubtask(),
      results: this.results,
      gcMs: this.gcMs,
      arrivalOffsets: this.samples,
      openedAt: this.openedAt,
      closedAt: Date.now(),
      firstResultAt: this.firstResultAt || Date.now(),
      threadCpuSeconds: threadCpuSeconds() - this.cpuAtOpen,
    };
    const channel = new BroadcastChannel(METRICS_CHANNEL);
    channel.postMessage(report);
    channel.close();
  }
}

/**
 * A pass-through map placed after the source in paced runs: at its first record it reports the
 * wall time that event time `baseTime` corresponds to (the source emits event time `t` at
 * `origin + (t - baseTime)` when its event-time rate equals its pacing rate).
 */
export class OriginStamp<T extends { readonly dateTime: number }> extends RichMapFunction<T, T> {
  private reported = false;

  constructor(
    private readonly runId: string,
    private readonly baseTime: number,
  ) {
    super();
  }

  map(value: T): T {
    if (!this.reported) {
      this.reported = true;
      const report: OriginReport = { kind: 'nexmark-origin', runId: this.runId, origin: Date.now() - (value.dateTime - this.baseTime) };
      const channel = new BroadcastChannel(METRICS_CHANNEL);
      channel.postMessage(report);
      channel.close();
    }
    return value;
  }
}
