import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runJob } from '@riffle/datastream';
import { JobExecutionError } from '@riffle/runtime';
import { parseRunArgs, UsageError } from './args.js';

const USAGE = `Usage: riffle <command> [options]

Commands:
  run <job.ts|job.js> [-p N] [-d] [-s <savepoint> [-n]] [-- --key value ...]
        Runs a job module on an in-process MiniCluster and waits for it to end.
        -p, --parallelism N            default parallelism of the job
        -d, --detached                 print the job id and return once the job runs
        -s, --fromSavepoint <path>     start from a savepoint (or retained checkpoint) folder
        -n, --allowNonRestoredState    skip savepoint state that no operator of the job claims
  help  Shows this text.
`;

/** Runs the CLI; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'run':
        return await run(rest);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(USAGE);
        return command === undefined ? 1 : 0;
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`riffle: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    printFailure(e);
    return 1;
  }
}

async function run(argv: string[]): Promise<number> {
  const args = parseRunArgs(argv);
  const path = resolve(args.job);
  if (!existsSync(path)) throw new UsageError(`job module not found: ${args.job}`);
  const started = Date.now();
  const { client, result } = await runJob(pathToFileURL(path), {
    parallelism: args.parallelism,
    args: args.jobArgs,
    detached: args.detached,
    ...(args.fromSavepoint !== undefined
      ? { savepointRestore: { path: resolve(args.fromSavepoint), allowNonRestoredState: args.allowNonRestoredState } }
      : {}),
  });
  process.stderr.write(`Job has been submitted with JobID ${client.getJobID()}\n`);
  if (args.detached) return 0;
  const r = result ?? (await client.getJobExecutionResult());
  process.stderr.write(`Job ${r.jobId} finished in ${((Date.now() - started) / 1000).toFixed(2)} s\n`);
  return 0;
}

function printFailure(e: unknown): void {
  if (e instanceof JobExecutionError) {
    process.stderr.write(`\n------------------------------------------------------------\n`);
    process.stderr.write(`The job failed.\n${e.message}\n`);
    if (e.cause.stack) process.stderr.write(`\nCaused by: ${e.cause.stack}\n`);
    return;
  }
  const err = e instanceof Error ? e : new Error(String(e));
  process.stderr.write(`riffle: ${err.stack ?? err.message}\n`);
}
