import { afterEach, describe, expect, it } from 'vitest';
import { FileSink } from './file-sink.js';
import { BasePathBucketAssigner } from './bucket-assigner.js';
import { DefaultRollingPolicy } from './rolling-policy.js';
import type { BulkOutputStream, BulkWriter, BulkWriterFactory } from './bulk-format.js';
import type { FileSinkCommittable } from './committable.js';
import { finishedContents, initContext, isHidden, listFiles, tempDir, TestingCommitRequest, TestingWriterContext } from './test-support.js';

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});

/** A block format: records buffered in blocks of 4 written as one JSON array line, then a footer with the count. */
class BlockWriter implements BulkWriter<number> {
  private block: number[] = [];
  private count = 0;
  constructor(private readonly out: BulkOutputStream) {}
  addElement(element: number): void {
    this.block.push(element);
    this.count++;
    if (this.block.length === 4) this.writeBlock();
  }
  async finish(): Promise<void> {
    this.writeBlock();
    await Promise.resolve(); // finish may be async (a Parquet footer is)
    this.out.writeString(`#count=${this.count}\n`);
  }
  private writeBlock(): void {
    if (this.block.length > 0) this.out.writeString(JSON.stringify(this.block) + '\n');
    this.block = [];
  }
}
const blocks: BulkWriterFactory<number> = { create: (out) => new BlockWriter(out) };

async function commitAll(sink: FileSink<number>, committables: FileSinkCommittable[]): Promise<void> {
  const requests = committables.map((c) => new TestingCommitRequest(c));
  await sink.createCommitter().commit(requests);
  for (const r of requests) expect(r.outcome).toBe('committed');
}

describe('FileSink with a bulk format', () => {
  it('rolls every bulk part file at each checkpoint, finishing it with its footer', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    // Even a policy that would keep small files open: bulk files cannot be resumed.
    const sink = FileSink.forBulkFormat(t.dir, blocks)
      .withBucketAssigner(new BasePathBucketAssigner())
      .withRollingPolicy(DefaultRollingPolicy.builder().build())
      .build();
    const writer = sink.createWriter(initContext());
    const ctx = new TestingWriterContext();
    for (let i = 0; i < 6; i++) writer.write(i, ctx);
    await writer.flush(false);
    const first = await writer.prepareCommit();
    expect(first).toHaveLength(1);
    expect(writer.snapshotState(1).filter((s) => s.inProgress)).toEqual([]);
    expect(listFiles(t.dir).every(isHidden)).toBe(true);
    await commitAll(sink, first);

    for (let i = 6; i < 9; i++) writer.write(i, ctx);
    await writer.flush(true);
    await commitAll(sink, await writer.prepareCommit());
    await writer.close();

    const contents = [...finishedContents(t.dir)].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true })).map(([, c]) => c);
    expect(contents).toEqual(['[0,1,2,3]\n[4,5]\n#count=6\n', '[6,7,8]\n#count=3\n']);
    expect(listFiles(t.dir).filter(isHidden)).toEqual([]);
  });

  it('rolls bulk part files by the size their writer has written', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const sink = FileSink.forBulkFormat(t.dir, blocks)
      .withBucketAssigner(new BasePathBucketAssigner())
      .withRollingPolicy(DefaultRollingPolicy.builder().withMaxPartSize(20).build())
      .build();
    const writer = sink.createWriter(initContext());
    for (let i = 10; i < 26; i++) writer.write(i, new TestingWriterContext());
    await writer.flush(true);
    await commitAll(sink, await writer.prepareCommit());
    await writer.close();
    // A block line of four two-digit numbers is 14 bytes: a file rolls after its second block.
    const contents = [...finishedContents(t.dir).values()].sort();
    expect(contents).toEqual(['[10,11,12,13]\n[14,15,16,17]\n#count=8\n', '[18,19,20,21]\n[22,23,24,25]\n#count=8\n']);
  });

  it("validates the bulk writer factory at build, naming 'writerFactory'", () => {
    expect(() => FileSink.forBulkFormat('/tmp/x', {} as never).build()).toThrow(/'writerFactory'/);
  });
});
