import { writeFileSync } from 'node:fs';
import { isNexmarkProfile } from './nexmark-options.js';
import { formatNexmarkMeasurement, formatNexmarkTable } from './nexmark-report.js';
import { NEXMARK_QUERIES } from './queries/index.js';
import { measureNexmarkQuery, type NexmarkMeasurement } from './run-nexmark.js';

/** Usage of the `nexmark` benchmark. */
export const NEXMARK_USAGE = `Usage: npm run bench -- nexmark (--query qN[,qM...] | --all) [--events N] [--parallelism P]
         [--checkpoint-interval ms] [--profile v1|v2] [--seed S] [--no-baseline] [--json out.json]

  --events N              events generated (default 10,000,000)
  --parallelism P         parallelism of every operator (default 2)
  --profile v1|v2         v1: 10M events/s of event time, unthrottled (default);
                          v2: 100K events/s of event time, paced at 100K events/s (latency measured)
  --checkpoint-interval   env.enableCheckpointing(ms)
  --no-baseline           skip the plain-JS baseline runs

Queries: ${Object.keys(NEXMARK_QUERIES).join(' ')}
`;

/** Runs `npm run bench -- nexmark ...`; returns the exit code. */
export async function runNexmarkCommand(argv: readonly string[]): Promise<number> {
  const opt = (key: string): string | undefined => {
    const i = argv.indexOf(key);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const all = argv.includes('--all');
  const queryArg = opt('--query');
  if (argv.includes('--help') || (!all && !queryArg)) {
    process.stdout.write(NEXMARK_USAGE);
    return argv.includes('--help') ? 0 : 2;
  }
  const names = all ? Object.keys(NEXMARK_QUERIES) : queryArg!.split(',');
  for (const n of names) {
    if (!NEXMARK_QUERIES[n]) {
      process.stderr.write(`unknown query '${n}'\n\n${NEXMARK_USAGE}`);
      return 2;
    }
  }
  const profile = opt('--profile') ?? 'v1';
  if (!isNexmarkProfile(profile)) {
    process.stderr.write(`--profile must be v1 or v2, got '${profile}'\n`);
    return 2;
  }
  const events = Number(opt('--events') ?? 10_000_000);
  const parallelism = Number(opt('--parallelism') ?? 2);
  const seed = Number(opt('--seed') ?? 42);
  const interval = opt('--checkpoint-interval');
  const checkpointInterval = interval === undefined ? undefined : Number(interval);
  for (const [name, v] of [
    ['--events', events],
    ['--parallelism', parallelism],
    ['--seed', seed],
  ] as const) {
    if (!Number.isSafeInteger(v) || v < 0) {
      process.stderr.write(`${name} must be a non-negative integer\n`);
      return 2;
    }
  }
  const json = opt('--json');
  const rows: NexmarkMeasurement[] = [];
  for (const query of names) {
    const m = await measureNexmarkQuery({
      query,
      events,
      parallelism,
      profile,
      seed,
      ...(checkpointInterval !== undefined ? { checkpointInterval } : {}),
      skipBaseline: argv.includes('--no-baseline'),
    });
    rows.push(m);
    if (names.length === 1) process.stdout.write(formatNexmarkMeasurement(m) + '\n');
    else
      process.stderr.write(
        `${query}: ${Math.round(m.eventsPerCoreSecond).toLocaleString('en-US')} events/s per core, overhead ${m.overhead.toFixed(2)}× vs baseline\n`,
      );
  }
  if (names.length > 1) process.stdout.write(formatNexmarkTable(rows) + '\n');
  if (json) writeFileSync(json, JSON.stringify(names.length === 1 ? rows[0] : rows, null, 2));
  return 0;
}
