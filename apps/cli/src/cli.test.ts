import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseRunArgs } from './args.js';

const BIN = fileURLToPath(new URL('../bin/riffle.mjs', import.meta.url));
const JOBS = fileURLToPath(new URL('../../../test/integration/src/jobs/', import.meta.url));

function riffle(...args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 });
}

describe('riffle run', () => {
  it('runs a TypeScript job module without a build step and exits 0 when it finishes', () => {
    const r = riffle('run', `${JOBS}wordcount.job.ts`, '-p', '2', '--', '--words', '2000');
    expect(r.stderr).toMatch(/Job has been submitted with JobID [0-9a-f]{32}/);
    expect(r.stderr).toMatch(/finished in/);
    expect(r.status).toBe(0);
  });

  it('prints the failure with the operator and the original error and exits non-zero when the job fails', () => {
    const r = riffle('run', `${JOBS}failing.job.ts`, '-p', '2', '--', '--fail-at', '4242');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('The job failed.');
    expect(r.stderr).toContain("operator 'Exploding Map'");
    expect(r.stderr).toContain('RangeError: record 4242 is cursed');
  });

  it('delivers every line a job prints before the job ends', () => {
    for (const p of ['1', '2']) {
      const r = riffle('run', `${JOBS}print.job.ts`, '-p', p, '--', '--n', '500');
      expect(r.status).toBe(0);
      const lines = r.stdout.trim().split('\n').map((l) => l.replace(/^\d+> /, ''));
      expect(lines.map(Number).sort((a, b) => a - b)).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
    }
  });

  it('explains a bad command line and exits 2', () => {
    const r = riffle('run');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("'riffle run' needs a job module");
    expect(riffle('run', 'nope.ts').stderr).toContain('job module not found: nope.ts');
    expect(riffle('frobnicate').stderr).toContain("unknown command 'frobnicate'");
  });
});

describe('parseRunArgs', () => {
  it('separates Riffle options from job arguments at --', () => {
    expect(parseRunArgs(['job.ts', '-p', '3', '--', '--words', '10', '-p', '9'])).toEqual({
      job: 'job.ts',
      parallelism: 3,
      detached: false,
      allowNonRestoredState: false,
      jobArgs: ['--words', '10', '-p', '9'],
    });
    expect(() => parseRunArgs(['job.ts', '-p', 'zero'])).toThrow(/-p needs a positive integer, got zero/);
  });

  it('reads --fromSavepoint and --allowNonRestoredState, and refuses the latter alone', () => {
    expect(parseRunArgs(['job.ts', '--fromSavepoint', '/sp/savepoint-3', '--allowNonRestoredState', '-p', '2'])).toEqual({
      job: 'job.ts',
      parallelism: 2,
      detached: false,
      fromSavepoint: '/sp/savepoint-3',
      allowNonRestoredState: true,
      jobArgs: [],
    });
    expect(parseRunArgs(['job.ts', '-s', 'sp'])).toMatchObject({ fromSavepoint: 'sp', allowNonRestoredState: false });
    expect(() => parseRunArgs(['job.ts', '-n'])).toThrow(/--allowNonRestoredState only applies with --fromSavepoint/);
    expect(() => parseRunArgs(['job.ts', '--fromSavepoint'])).toThrow(/needs the path of a savepoint folder/);
  });
});
