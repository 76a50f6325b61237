import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileCommitter } from './file-committer.js';
import type { FileSinkCommittable } from './committable.js';
import { tempDir, TestingCommitRequest } from './test-support.js';

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});

function pendingFile(content: string): FileSinkCommittable {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const inProgressPath = join(t.dir, '.part-u-0-0.inprogress');
  writeFileSync(inProgressPath, content);
  return { bucketId: '', inProgressPath, finalPath: join(t.dir, 'part-u-0-0'), size: Buffer.byteLength(content) };
}

async function commitOnce(c: FileSinkCommittable): Promise<TestingCommitRequest<FileSinkCommittable>> {
  const request = new TestingCommitRequest(c);
  await new FileCommitter().commit([request]);
  return request;
}

describe('FileCommitter', () => {
  it('publishes a pending file under its final name', async () => {
    const c = pendingFile('a\nb\n');
    expect((await commitOnce(c)).outcome).toBe('committed');
    expect(existsSync(c.inProgressPath)).toBe(false);
    expect(readFileSync(c.finalPath, 'utf8')).toBe('a\nb\n');
  });

  it('is idempotent: committing again reports already committed and changes nothing', async () => {
    const c = pendingFile('x\n');
    await commitOnce(c);
    const again = await commitOnce(c);
    expect(again.outcome).toBe('already-committed');
    expect(readFileSync(c.finalPath, 'utf8')).toBe('x\n');
  });

  it('cuts a pending file written past its committed size back to that size', async () => {
    const c = pendingFile('kept\n');
    writeFileSync(c.inProgressPath, 'kept\nreplayed\n');
    expect((await commitOnce(c)).outcome).toBe('committed');
    expect(readFileSync(c.finalPath, 'utf8')).toBe('kept\n');
  });

  it('fails with a clear message when neither the pending nor the final file exists', async () => {
    const c = { ...pendingFile('y\n'), inProgressPath: '/nonexistent/.part-u-0-9.inprogress', finalPath: '/nonexistent/part-u-0-9' };
    const r = await commitOnce(c);
    expect(r.outcome).toBe('unknown-failure');
    expect(r.error!.message).toMatch(/cannot commit '\/nonexistent\/part-u-0-9': neither the pending file .* nor the final file exists/);
  });

  it('fails when the pending file is shorter than committed', async () => {
    const c = { ...pendingFile('short'), size: 100 };
    const r = await commitOnce(c);
    expect(r.outcome).toBe('unknown-failure');
    expect(r.error!.message).toMatch(/has 5 bytes, fewer than the committed 100/);
    expect(existsSync(c.finalPath)).toBe(false);
  });
});
