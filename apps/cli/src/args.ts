/** Parsed `riffle run` arguments. */
export interface RunArgs {
  readonly job: string;
  readonly parallelism?: number;
  readonly detached: boolean;
  /** `-s, --fromSavepoint <path>`: start from this savepoint. */
  readonly fromSavepoint?: string;
  /** `-n, --allowNonRestoredState`: skip savepoint state of operators the job no longer has. */
  readonly allowNonRestoredState: boolean;
  /** Arguments after `--`, passed to the job. */
  readonly jobArgs: string[];
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Parses the arguments of `riffle run`: `<job> [-p N] [-d] [-s path [-n]] [-- job args...]`. */
export function parseRunArgs(argv: string[]): RunArgs {
  let job: string | undefined;
  let parallelism: number | undefined;
  let detached = false;
  let fromSavepoint: string | undefined;
  let allowNonRestoredState = false;
  const sep = argv.indexOf('--');
  const own = sep >= 0 ? argv.slice(0, sep) : argv;
  const jobArgs = sep >= 0 ? argv.slice(sep + 1) : [];
  for (let i = 0; i < own.length; i++) {
    const a = own[i]!;
    if (a === '-p' || a === '--parallelism') {
      const v = own[++i];
      const n = Number(v);
      if (v === undefined || !Number.isInteger(n) || n < 1) throw new UsageError(`${a} needs a positive integer, got ${v ?? 'nothing'}`);
      parallelism = n;
    } else if (a === '-d' || a === '--detached') {
      detached = true;
    } else if (a === '-s' || a === '--fromSavepoint') {
      const v = own[++i];
      if (v === undefined || v.startsWith('-')) throw new UsageError(`${a} needs the path of a savepoint folder`);
      fromSavepoint = v;
    } else if (a === '-n' || a === '--allowNonRestoredState') {
      allowNonRestoredState = true;
    } else if (a.startsWith('-')) {
      throw new UsageError(`unknown option ${a} for 'riffle run'`);
    } else if (job === undefined) {
      job = a;
    } else {
      throw new UsageError(`unexpected argument ${a}: job arguments go after '--'`);
    }
  }
  if (job === undefined) throw new UsageError("'riffle run' needs a job module: riffle run <job.ts|job.js> [-p N] [-- --key value ...]");
  if (allowNonRestoredState && fromSavepoint === undefined) throw new UsageError('--allowNonRestoredState only applies with --fromSavepoint <path>');
  return { job, parallelism, detached, ...(fromSavepoint !== undefined ? { fromSavepoint } : {}), allowNonRestoredState, jobArgs };
}
