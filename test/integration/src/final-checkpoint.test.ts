import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runJob } from '@riffle/datastream';
import { useTempDirs } from './support/temp-dirs.js';

const JOB = new URL('./jobs/final-checkpoint.job.ts', import.meta.url);

const tempDir = useTempDirs();

/** Every line of every finished part file under `dir`, and the hidden (in-progress or pending) files left. */
function readOutput(dir: string): { lines: string[]; hidden: string[] } {
  const lines: string[] = [];
  const hidden: string[] = [];
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    if (e.name.startsWith('.')) hidden.push(e.name);
    else lines.push(...readFileSync(join(e.parentPath, e.name), 'utf8').split('\n').filter((l) => l.length > 0));
  }
  return { lines, hidden };
}

describe('final checkpoint (FLIP-147)', () => {
  it('a sink whose input ended commits with one more checkpoint, so a failure elsewhere afterwards does not replay its records', async () => {
    // A short pipeline ends and its FileSink commits; a long pipeline of the same job then fails
    // once (as soon as the short one's files are visible) and the job restores its latest
    // checkpoint. Committing at the end of input, before any checkpoint covered it, made the
    // restore replay the short pipeline into files that were already committed: every record twice.
    const out = tempDir('riffle-final-cp-out-');
    const short = 1000;
    const { result } = await runJob(JOB, { parallelism: 1, args: ['--out', out, '--checkpoints', tempDir('riffle-final-cp-chk-'), '--short', String(short)] });
    expect(result).toBeDefined();
    const { lines, hidden } = readOutput(out);
    const counts = new Map<string, number>();
    for (const l of lines) counts.set(l, (counts.get(l) ?? 0) + 1);
    const doubled = [...counts].filter(([, c]) => c > 1).length;
    expect({ lines: lines.length, distinct: counts.size, doubled }).toEqual({ lines: short, distinct: short, doubled: 0 });
    expect(hidden).toEqual([]);
  }, 60_000);
});
