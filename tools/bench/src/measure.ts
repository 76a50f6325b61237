import { runJob } from '@riffle/datastream';

/** What one benchmark run measured. */
export interface Measurement {
  readonly name: string;
  readonly records: number;
  readonly parallelism: number;
  readonly wallSeconds: number;
  /** CPU seconds of the whole process: the worker threads plus the (mostly idle) main thread. */
  readonly cpuSeconds: number;
  readonly coresUsed: number;
  readonly recordsPerSecond: number;
  readonly recordsPerCoreSecond: number;
  readonly peakRssMiB: number;
}

/**
 * Runs a job module on a local MiniCluster and measures it. CPU time is the process's
 * (`process.cpuUsage()` covers all threads), so per-core figures include the JobManager side.
 */
export async function measureJob(
  name: string,
  jobModule: URL,
  records: number,
  parallelism: number,
  args: string[] = [],
): Promise<Measurement> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await runJob(jobModule, { parallelism, args: ['--records', String(records), ...args] });
  const wallSeconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return {
    name,
    records,
    parallelism,
    wallSeconds,
    cpuSeconds,
    coresUsed: cpuSeconds / wallSeconds,
    recordsPerSecond: records / wallSeconds,
    recordsPerCoreSecond: records / cpuSeconds,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  };
}

/** Formats measurements as an aligned table. */
export function formatTable(rows: readonly Measurement[]): string {
  const header = ['benchmark', 'p', 'records', 'wall s', 'cpu s', 'cores', 'records/s', 'records/s/core', 'peak RSS MiB'];
  const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  const body = rows.map((r) => [
    r.name,
    String(r.parallelism),
    fmt(r.records),
    fmt(r.wallSeconds, 2),
    fmt(r.cpuSeconds, 2),
    fmt(r.coresUsed, 2),
    fmt(r.recordsPerSecond),
    fmt(r.recordsPerCoreSecond),
    fmt(r.peakRssMiB),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}
