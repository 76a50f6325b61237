import { writeFileSync } from 'node:fs';
import { formatTable, measureJob, type Measurement } from './measure.js';
import { runNexmarkCommand } from './nexmark/nexmark-command.js';
import { runCheckpointStateBench } from './checkpoint-state-bench.js';

/**
 * `npm run bench -- <name> [--records N] [--parallelism P[,P...]] [--warmup] [--json out.json]`, or
 * `npm run bench -- nexmark (--query qN | --all) [--events N] [--parallelism P] ...` (see nexmark/nexmark-command.ts).
 *
 * Benchmarks print figures; they never gate anything. Each run starts a fresh local MiniCluster
 * (worker threads included), so start-up is inside the wall time: use enough records.
 */
const BENCHMARKS: Record<string, { job: URL; describe: string; args?: string[] }> = {
  stateless: { job: new URL('./jobs/stateless.job.ts', import.meta.url), describe: 'chained source → map → filter → map → discard' },
  'keyby-sum': { job: new URL('./jobs/keyby-sum.job.ts', import.meta.url), describe: 'keyBy exchange across worker threads + rolling sum' },
  'window-tumbling': {
    job: new URL('./jobs/windows.job.ts', import.meta.url),
    describe: 'keyed 1 s tumbling-window count (1000 keys)',
    args: ['--kind', 'tumbling'],
  },
  'window-tumbling-cp': {
    job: new URL('./jobs/windows.job.ts', import.meta.url),
    describe: 'window-tumbling with exactly-once checkpoints every 1 s',
    args: ['--kind', 'tumbling', '--checkpoint-interval', '1000'],
  },
  'window-sliding': {
    job: new URL('./jobs/windows.job.ts', import.meta.url),
    describe: 'keyed 10 s / 1 s sliding-window sum (1000 keys)',
    args: ['--kind', 'sliding'],
  },
  'window-session': {
    job: new URL('./jobs/windows.job.ts', import.meta.url),
    describe: 'session windows (5 s gap) over 1M keys',
    args: ['--kind', 'session', '--keys', '1000000'],
  },
  'nexmark-source': {
    job: new URL('./jobs/nexmark-source.job.ts', import.meta.url),
    describe: 'Nexmark source (seed 42, unthrottled, event-time watermarks) → discard',
  },
};

function usage(): string {
  const names = Object.entries(BENCHMARKS)
    .map(([n, b]) => `  ${n.padEnd(12)} ${b.describe}`)
    .join('\n');
  return `Usage: npm run bench -- <name|all> [--records N] [--parallelism 1,2] [--json out.json]\n\nBenchmarks:\n${names}\n  nexmark      the Nexmark queries and their plain-JS baselines (npm run bench -- nexmark --help)\n  checkpoint-state  checkpoint duration with large keyed state, and recovery time (--keys N --bytes B)\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help') {
    process.stdout.write(usage());
    return name ? 0 : 1;
  }
  if (name === 'nexmark') return runNexmarkCommand(rest);
  if (name === 'checkpoint-state') return runCheckpointStateBench(rest);
  const opt = (key: string, def: string) => {
    const i = rest.indexOf(key);
    return i >= 0 && rest[i + 1] !== undefined ? rest[i + 1]! : def;
  };
  const records = Number(opt('--records', '10000000'));
  const parallelisms = opt('--parallelism', '1,2').split(',').map(Number);
  const json = opt('--json', '');
  const names = name === 'all' ? Object.keys(BENCHMARKS) : [name];
  const rows: Measurement[] = [];
  for (const n of names) {
    const bench = BENCHMARKS[n];
    if (!bench) {
      process.stderr.write(`unknown benchmark '${n}'\n\n${usage()}`);
      return 2;
    }
    for (const p of parallelisms) {
      const m = await measureJob(n, bench.job, records, p, bench.args);
      rows.push(m);
      process.stderr.write(`${n} p=${p}: ${Math.round(m.recordsPerSecond).toLocaleString('en-US')} records/s\n`);
    }
  }
  process.stdout.write(formatTable(rows) + '\n');
  if (json) writeFileSync(json, JSON.stringify(rows, null, 2));
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
