import type { NexmarkMeasurement } from './run-nexmark.js';

/** The per-core targets (events/s per core at parallelism 2) by query group. */
export const NEXMARK_TARGETS: Readonly<Record<NexmarkMeasurement['group'], number>> = {
  stateless: 1_200_000,
  join: 600_000,
  window: 300_000,
  // 3× Flink's published large-state figure for q4/q19 (14–65K ⇒ the upper end, 65K × 3).
  state: 195_000,
};

const fmt = (n: number, digits = 0) =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '–';
const kps = (n: number) => (Number.isFinite(n) ? `${fmt(n / 1000, 2)} K/s` : '–');

/**
 * One table in the layout of the nexmark/nexmark results (`Nexmark Query | Events Num | Cores |
 * Time(s) | Cores * Time(s) | Throughput/Cores`), with Riffle's extra columns: the plain-JS
 * baseline, the engine's overhead against it, the target, peak RSS, GC and latency.
 */
export function formatNexmarkTable(rows: readonly NexmarkMeasurement[]): string {
  const header = [
    'Nexmark Query',
    'Events Num',
    'Cores',
    'Time(s)',
    'Cores * Time(s)',
    'Throughput/Cores',
    'Target/Cores',
    'Baseline (1 thread)',
    'Overhead',
    'Results',
    'Peak RSS MiB',
    'GC ms',
    'p50/p99 ms',
  ];
  const body = rows.map((r) => [
    r.query,
    fmt(r.events),
    fmt(r.coresUsed, 2),
    fmt(r.wallSeconds, 3),
    fmt(r.cpuSeconds, 3),
    kps(r.eventsPerCoreSecond),
    kps(NEXMARK_TARGETS[r.group]),
    kps(r.baselineEventsPerSecond),
    Number.isFinite(r.overhead) ? `${fmt(r.overhead, 2)}×` : '–',
    fmt(r.results),
    fmt(r.peakRssMiB),
    fmt(r.gcMs),
    r.latencyP50Ms === null ? '–' : `${fmt(r.latencyP50Ms)}/${fmt(r.latencyP99Ms ?? Number.NaN)}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? ':' + '-'.repeat(w + 1) : '-'.repeat(w + 1) + ':')).join('|')}|`;
  return [line(header), rule, ...body.map(line)].join('\n');
}

/** The figures of one query as lines of `key: value` (for a single `--query` run). */
export function formatNexmarkMeasurement(r: NexmarkMeasurement): string {
  const lines: [string, string][] = [
    ['query', `${r.query} (${r.group})`],
    ['events', fmt(r.events)],
    ['parallelism', String(r.parallelism)],
    ['profile', r.profile + (r.checkpointInterval ? `, checkpoints every ${r.checkpointInterval} ms` : '')],
    ['wall s', `${fmt(r.wallSeconds, 3)} (processing; ${fmt(r.totalWallSeconds, 3)} with cluster start-up)`],
    ['cpu s (worker threads)', fmt(r.cpuSeconds, 3)],
    ['cpu s (process, whole run)', fmt(r.processCpuSeconds, 3)],
    ['cores used', fmt(r.coresUsed, 2)],
    ['events/s', fmt(r.eventsPerSecond)],
    ['events/s per core', `${fmt(r.eventsPerCoreSecond)} (target ${fmt(NEXMARK_TARGETS[r.group])})`],
    ['results', fmt(r.results)],
    ['baseline events/s (1 thread)', `${fmt(r.baselineEventsPerSecond)} (${fmt(r.baselineResults)} results)`],
    ['overhead vs baseline', Number.isFinite(r.overhead) ? `${fmt(r.overhead, 2)}×` : '–'],
    ['peak RSS MiB', fmt(r.peakRssMiB)],
    ['GC ms (workers)', fmt(r.gcMs)],
    ['latency p50/p99 ms', r.latencyP50Ms === null ? '– (unpaced run; use --profile v2)' : `${fmt(r.latencyP50Ms)} / ${fmt(r.latencyP99Ms ?? Number.NaN)}`],
  ];
  const w = Math.max(...lines.map(([k]) => k.length));
  return lines.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join('\n');
}
