import { BroadcastChannel } from 'node:worker_threads';
import { runJob } from '@riffle/datastream';
import { runBaseline } from './baselines/index.js';
import { METRICS_CHANNEL, threadCpuSeconds, type OriginReport, type SinkReport } from './metrics-sink.js';
import { nexmarkSourceFor, type NexmarkProfile } from './nexmark-options.js';
import { nexmarkQuery, type NexmarkQueryGroup } from './queries/index.js';

const JOB = new URL('./nexmark.job.ts', import.meta.url);

/** What `npm run bench -- nexmark` measures for one query. */
export interface NexmarkMeasurement {
  readonly query: string;
  readonly group: NexmarkQueryGroup;
  readonly events: number;
  readonly parallelism: number;
  readonly profile: NexmarkProfile;
  readonly checkpointInterval: number | null;
  /** Processing wall time: first sink subtask opened → last one closed (excludes cluster start-up). */
  readonly wallSeconds: number;
  /** Wall time of the whole run including cluster start-up and teardown. */
  readonly totalWallSeconds: number;
  /** CPU seconds of the task threads (one worker thread per slot) while processing. */
  readonly cpuSeconds: number;
  /** CPU seconds of the whole process over the whole run (workers, V8 helper threads, JobMaster, start-up). */
  readonly processCpuSeconds: number;
  readonly coresUsed: number;
  readonly eventsPerSecond: number;
  readonly eventsPerCoreSecond: number;
  readonly results: number;
  /** The plain-JS baseline over the same events on one thread: its CPU seconds (wall where /proc is unavailable) and wall seconds. */
  readonly baselineSeconds: number;
  readonly baselineWallSeconds: number;
  readonly baselineEventsPerSecond: number;
  readonly baselineResults: number;
  /** Engine overhead: baseline events/s ÷ engine events/s per core (1 = as fast as the hand-written loop). */
  readonly overhead: number;
  readonly peakRssMiB: number;
  /** GC pause time of the worker threads, ms. */
  readonly gcMs: number;
  /** Emission-to-sink latency percentiles (paced runs, profile v2), ms; null otherwise. */
  readonly latencyP50Ms: number | null;
  readonly latencyP99Ms: number | null;
}

/** Options of one measured query run. */
export interface NexmarkRunConfig {
  readonly query: string;
  readonly events: number;
  readonly parallelism: number;
  readonly profile: NexmarkProfile;
  readonly seed: number;
  readonly checkpointInterval?: number;
  /** Skip the plain-JS baseline (its columns are then NaN). */
  readonly skipBaseline?: boolean;
}

let runs = 0;

/**
 * Runs one query on a fresh local MiniCluster (worker threads, one slot per parallel subtask),
 * then its plain-JS baseline over the same events on this thread, and returns the figures.
 * Timing only: nothing here asserts anything.
 */
export async function measureNexmarkQuery(config: NexmarkRunConfig): Promise<NexmarkMeasurement> {
  const query = nexmarkQuery(config.query);
  const runId = `nexmark-${process.pid}-${++runs}`;
  const reports: SinkReport[] = [];
  const origins: number[] = [];
  const channel = new BroadcastChannel(METRICS_CHANNEL);
  channel.onmessage = (event) => {
    const m = (event as MessageEvent).data as SinkReport | OriginReport;
    if (m.runId !== runId) return;
    if (m.kind === 'nexmark-sink-report') reports.push(m);
    else if (m.kind === 'nexmark-origin') origins.push(m.origin);
  };
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 50);
  const args = ['--query', query.name, '--events', String(config.events), '--seed', String(config.seed), '--profile', config.profile, '--run-id', runId];
  if (config.checkpointInterval) args.push('--checkpoint-interval', String(config.checkpointInterval));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  try {
    await runJob(JOB, { parallelism: config.parallelism, args });
    const deadline = Date.now() + 5000;
    while (reports.length < config.parallelism && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  } finally {
    clearInterval(sampler);
    channel.close();
  }
  const totalWallSeconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  if (reports.length < config.parallelism) throw new Error(`${query.name}: only ${reports.length} of ${config.parallelism} sink subtasks reported`);

  const wallSeconds = (Math.max(...reports.map((r) => r.closedAt)) - Math.min(...reports.map((r) => r.openedAt))) / 1000;
  const cpuSeconds = reports.reduce((s, r) => s + r.threadCpuSeconds, 0);
  const results = reports.reduce((s, r) => s + r.results, 0);
  const gcMs = reports.reduce((s, r) => s + r.gcMs, 0);
  let latencyP50Ms: number | null = null;
  let latencyP99Ms: number | null = null;
  if (config.profile === 'v2' && origins.length > 0) {
    const origin = Math.min(...origins);
    // Results fired by the end of input before their time came (windows closed by the final
    // watermark) arrive "before" their timestamp: they are not latency samples.
    const latencies = reports
      .flatMap((r) => r.arrivalOffsets.map((o) => o - origin))
      .filter((l) => l >= 0)
      .sort((a, b) => a - b);
    if (latencies.length > 0) {
      latencyP50Ms = latencies[Math.floor(latencies.length * 0.5)]!;
      latencyP99Ms = latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))]!;
    }
  }

  let baselineSeconds = Number.NaN;
  let baselineResults = Number.NaN;
  let baselineWallSeconds = Number.NaN;
  if (!config.skipBaseline) {
    const splits = nexmarkSourceFor({ events: config.events, seed: config.seed, profile: config.profile }).splitConfigs(config.parallelism);
    // Warm the baseline's code up first (the first query of a suite would otherwise run cold).
    runBaseline(query.name, nexmarkSourceFor({ events: Math.min(config.events, 200_000), seed: config.seed + 1, profile: config.profile }).splitConfigs(config.parallelism));
    const b0 = threadCpuSeconds();
    const w0 = performance.now();
    baselineResults = runBaseline(query.name, splits);
    baselineWallSeconds = (performance.now() - w0) / 1000;
    // CPU time of this thread, like the engine's figure: wall time is inflated when other processes share the cores.
    baselineSeconds = threadCpuSeconds() - b0;
    if (!Number.isFinite(baselineSeconds)) baselineSeconds = baselineWallSeconds;
  }
  const eventsPerCoreSecond = config.events / cpuSeconds;
  const baselineEventsPerSecond = config.events / baselineSeconds;
  return {
    query: query.name,
    group: query.group,
    events: config.events,
    parallelism: config.parallelism,
    profile: config.profile,
    checkpointInterval: config.checkpointInterval ?? null,
    wallSeconds,
    totalWallSeconds,
    cpuSeconds,
    processCpuSeconds: (cpu.user + cpu.system) / 1e6,
    coresUsed: cpuSeconds / wallSeconds,
    eventsPerSecond: config.events / wallSeconds,
    eventsPerCoreSecond,
    results,
    baselineSeconds,
    baselineWallSeconds,
    baselineEventsPerSecond,
    baselineResults,
    overhead: baselineEventsPerSecond / eventsPerCoreSecond,
    peakRssMiB: peakRss / 1024 / 1024,
    gcMs,
    latencyP50Ms,
    latencyP99Ms,
  };
}
