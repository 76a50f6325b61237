import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Whether a file or directory name is hidden from a {@link FileSource}: names starting with `.`
 * or `_`, as in Flink (this skips the FileSink's in-progress and pending files, `_SUCCESS`
 * markers and the like).
 */
export function isHiddenName(name: string): boolean {
  return name.startsWith('.') || name.startsWith('_');
}

/**
 * The files under `paths` (each a file, read as given, or a directory, listed recursively
 * skipping hidden names), absolute and sorted. A path that does not exist is an error.
 */
export async function listFiles(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const p of paths) {
    const s = await stat(p);
    if (s.isDirectory()) await walk(p, files);
    else files.push(p);
  }
  return files.sort();
}

async function walk(dir: string, files: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const e of entries) {
    if (isHiddenName(e.name)) continue;
    const full = join(dir, e.name);
    if (e.isDirectory()) await walk(full, files);
    else if (e.isFile()) files.push(full);
  }
}
