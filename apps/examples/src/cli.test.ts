import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generateLine, lineCount } from './wordcount.job.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** `node apps/cli/bin/riffle.mjs ...args` from the repository root, as the README shows it. */
function riffle(...args: string[]) {
  return spawnSync(process.execPath, ['apps/cli/bin/riffle.mjs', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
}

/** Top 10 of the default generated text (200000 words, seed 42), counted independently. */
function referenceTop10(): Array<[string, number]> {
  const words = 200_000;
  const counts = new Map<string, number>();
  for (let line = 0; line < lineCount(words); line++) {
    for (const w of generateLine(line, words, 42).toLowerCase().match(/\p{L}+/gu) ?? []) counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 10);
}

describe('the examples through the riffle CLI', () => {
  it('`riffle run apps/examples/src/wordcount.job.ts -p 2` exits 0 and prints the top 10 words with their final counts', () => {
    const r = riffle('run', 'apps/examples/src/wordcount.job.ts', '-p', '2');
    expect(r.stderr).toMatch(/Job [0-9a-f]{32} finished in/);
    expect(r.stderr).not.toMatch(/WARN|ERROR/); // the demo's output stays clean
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Top 10 of \d+ distinct words \(200000 words in all\):$/);
    const rows = lines.slice(1).map((l) => /^\s*(\d+)\. (\S+)\s+(\d+)$/.exec(l));
    expect(rows.every((m) => m !== null)).toBe(true);
    expect(rows.map((m) => [m![2], Number(m![3])])).toEqual(referenceTop10());
    // Nothing else on stdout: no rolling updates, no log lines.
    expect(lines).toHaveLength(11);
  });

  it('`--output print` prints every rolling update, Flink-style, prefixed with the subtask', () => {
    const r = riffle('run', 'apps/examples/src/wordcount.job.ts', '-p', '2', '--', '--words', '3000', '--seed', '1', '--output', 'print');
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3000);
    const last = new Map<string, number>();
    for (const line of lines) {
      const m = /^([12])> \["(\p{L}+)",(\d+)\]$/u.exec(line);
      expect(m, line).not.toBeNull();
      const [, , word, count] = m!;
      expect(Number(count)).toBe((last.get(word!) ?? 0) + 1);
      last.set(word!, Number(count));
    }
  });
});
