import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { FileSink } from './file-sink.js';
import { JsonLinesEncoder, SimpleStringEncoder } from './encoder.js';
import { BasePathBucketAssigner, DateTimeBucketAssigner, type BucketAssigner } from './bucket-assigner.js';
import { DefaultRollingPolicy, OnCheckpointRollingPolicy } from './rolling-policy.js';
import { OutputFileConfig } from './output-file-config.js';
import type { FileSinkCommittable } from './committable.js';
import type { FileWriter } from './file-writer.js';
import { finishedContents, initContext, isHidden, listFiles, tempDir, TestingCommitRequest, TestingWriterContext } from './test-support.js';

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});
function dir(): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

async function commit(sink: FileSink<unknown>, committables: FileSinkCommittable[]): Promise<TestingCommitRequest<FileSinkCommittable>[]> {
  const requests = committables.map((c) => new TestingCommitRequest(c));
  await sink.createCommitter().commit(requests);
  return requests;
}

/** End of input as the sink writer operator drives it: flush(true), prepareCommit, commit. */
async function finishAndCommit<T>(sink: FileSink<T>, writer: FileWriter<T>): Promise<FileSinkCommittable[]> {
  await writer.flush(true);
  const committables = await writer.prepareCommit();
  const requests = await commit(sink as FileSink<unknown>, committables);
  for (const r of requests) expect(r.outcome).toBe('committed');
  await writer.close();
  return committables;
}

/** The lines of every finished file, files ordered by their part counter. */
function linesInPartOrder(base: string): string[] {
  const files = [...finishedContents(base)].sort(([a], [b]) => counterOf(a) - counterOf(b));
  return files.flatMap(([, text]) => text.split('\n').filter((l) => l !== ''));
}
function counterOf(path: string): number {
  return Number(/-(\d+)(\.[a-z]+)?$/.exec(path)![1]);
}

describe('FileSink with a row format', () => {
  it('writes strings verbatim and other values as JSON, one line per record, in order', async () => {
    const base = dir();
    const sink = FileSink.forRowFormat<unknown>(base, new SimpleStringEncoder()).withBucketAssigner(new BasePathBucketAssigner()).build();
    const writer = sink.createWriter(initContext());
    const ctx = new TestingWriterContext();
    const values: unknown[] = ['plain text', { a: 1, b: 'x' }, 42, [1, 2], 'ünïcødé ✓'];
    for (const v of values) writer.write(v, ctx);
    await finishAndCommit(sink, writer);
    const files = finishedContents(base);
    expect(files.size).toBe(1);
    expect([...files.values()][0]).toBe('plain text\n{"a":1,"b":"x"}\n42\n[1,2]\nünïcødé ✓\n');
    expect(listFiles(base).filter(isHidden)).toEqual([]);
  });

  it('writes records of any size and script intact across write batches', async () => {
    const base = dir();
    const sink = FileSink.forRowFormat<string>(base, new SimpleStringEncoder()).withBucketAssigner(new BasePathBucketAssigner()).build();
    const writer = sink.createWriter(initContext());
    const records: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const kind = i % 5;
      if (kind === 0) records.push(`ascii-${i}`);
      else if (kind === 1) records.push(`ünïcødé-${i}-✓-😀`);
      else if (kind === 2) records.push('x'.repeat(i * 7));
      else if (kind === 3) records.push(`${'ab'.repeat(100)}é${i}`);
      else records.push(i === 4 ? 'y'.repeat(200_000) : `${i}`);
    }
    for (const r of records) writer.write(r, new TestingWriterContext());
    await finishAndCommit(sink, writer);
    const [text] = [...finishedContents(base).values()];
    expect(text).toBe(records.join('\n') + '\n');
  });

  it('writes JSON lines, quoting strings', async () => {
    const base = dir();
    const sink = FileSink.forRowFormat<unknown>(base, new JsonLinesEncoder()).withBucketAssigner(new BasePathBucketAssigner()).build();
    const writer = sink.createWriter(initContext());
    for (const v of ['s', { k: [true, null] }]) writer.write(v, new TestingWriterContext());
    await finishAndCommit(sink, writer);
    expect([...finishedContents(base).values()]).toEqual(['"s"\n{"k":[true,null]}\n']);
  });

  it('names finished files <prefix>-<writer uuid>-<subtask>-<counter><suffix> and never collides across writers', async () => {
    const base = dir();
    const sink = FileSink.forRowFormat<string>(base, new SimpleStringEncoder())
      .withBucketAssigner(new BasePathBucketAssigner())
      .withOutputFileConfig(OutputFileConfig.builder().withPartPrefix('out').withPartSuffix('.txt').build())
      .build();
    // Two attempts of the same subtask (e.g. before and after a restart) and another subtask.
    for (const subtask of [0, 0, 1]) {
      const writer = sink.createWriter(initContext(subtask, 2));
      writer.write(`from ${subtask}`, new TestingWriterContext());
      await finishAndCommit(sink, writer);
    }
    const names = listFiles(base);
    expect(names).toHaveLength(3);
    for (const n of names) expect(n).toMatch(/^out-[0-9a-f-]{36}-[01]-0\.txt$/);
    expect(names.filter((n) => n.includes('-1-0.txt'))).toHaveLength(1);
  });

  it('keeps in-progress and pending files hidden until the committer publishes them', async () => {
    const base = dir();
    const sink = FileSink.forRowFormat<string>(base, new SimpleStringEncoder())
      .withBucketAssigner(new BasePathBucketAssigner())
      .withRollingPolicy(DefaultRollingPolicy.builder().withMaxPartSize(20).build())
      .build();
    const writer = sink.createWriter(initContext());
    // 10 bytes a line: files roll every 3 records, the last one (record-18 alone) stays open.
    for (let i = 0; i < 19; i++) writer.write(`record-${i}`, new TestingWriterContext());
    await writer.flush(false);
    // Rolled (pending) and in-progress files exist, all hidden.
    let files = listFiles(base);
    expect(files.length).toBeGreaterThan(1);
    expect(files.every(isHidden)).toBe(true);
    expect(files.every((f) => f.endsWith('.inprogress'))).toBe(true);
    const committables = await writer.prepareCommit();
    expect(committables.length).toBeGreaterThan(0);
    files = listFiles(base);
    expect(files.every(isHidden)).toBe(true);
    for (const c of committables) expect(files).toContain(c.inProgressPath.slice(base.length + 1));

    await commit(sink as FileSink<unknown>, committables);
    expect(finishedContents(base).size).toBe(committables.length);
    expect(listFiles(base).filter(isHidden)).toHaveLength(1); // the still-open part file
    await finishAndCommit(sink, writer);
    expect(listFiles(base).filter(isHidden)).toEqual([]);
    expect(linesInPartOrder(base)).toEqual(Array.from({ length: 19 }, (_, i) => `record-${i}`));
  });

  it('rolls by part size', async () => {
    const base = dir();
    const sink = FileSink.forRowFormat<string>(base, new SimpleStringEncoder())
      .withBucketAssigner(new BasePathBucketAssigner())
      .withRollingPolicy(DefaultRollingPolicy.builder().withMaxPartSize(100).build())
      .build();
    const writer = sink.createWriter(initContext());
    const records = Array.from({ length: 1000 }, (_, i) => `r${String(i).padStart(4, '0')}`); // 6 bytes a line
    for (const r of records) writer.write(r, new TestingWriterContext());
    await finishAndCommit(sink, writer);
    const files = finishedContents(base);
    // A file rolls before the first record that finds it at 100 bytes or more: 17 lines, 102 bytes.
    expect(files.size).toBe(Math.ceil(1000 / 17));
    for (const text of files.values()) expect(text.length).toBeLessThanOrEqual(102);
    expect(linesInPartOrder(base)).toEqual(records);
  });

  it('rolls by rollover interval and by inactivity on the injected clock', async () => {
    const base = dir();
    let now = 1_000_000;
    const sink = FileSink.forRowFormat<string>(base, new SimpleStringEncoder())
      .withBucketAssigner(new BasePathBucketAssigner())
      .withRollingPolicy(DefaultRollingPolicy.builder().withRolloverInterval(1000).withInactivityInterval(300).build())
      .withBucketCheckInterval(1)
      .withClock(() => now)
      .build();
    const writer = sink.createWriter(initContext());
    const ctx = new TestingWriterContext();
    // One record every 200 ms: never inactive for 300 ms; the file rolls once it is 1000 ms old.
    for (let i = 0; i < 12; i++) {
      writer.write(`t${i}`, ctx);
      now += 200;
    }
    let committables = await writer.prepareCommit();
    expect(committables).toHaveLength(2);
    await commit(sink as FileSink<unknown>, committables);
    const byCounter = [...finishedContents(base)].sort(([a], [b]) => counterOf(a) - counterOf(b)).map(([, t]) => t);
    // t0..t5 written at 0..1000 ms: the check after t5 (at 1000 ms) rolls; likewise t6..t11.
    expect(byCounter).toEqual(['t0\nt1\nt2\nt3\nt4\nt5\n', 't6\nt7\nt8\nt9\nt10\nt11\n']);

    // Inactivity: one record, then 300 ms of silence; the flush at a checkpoint rolls it.
    writer.write('lonely', ctx);
    now += 299;
    await writer.flush(false);
    expect(await writer.prepareCommit()).toEqual([]);
    now += 1;
    await writer.flush(false);
    committables = await writer.prepareCommit();
    expect(committables).toHaveLength(1);
    expect(committables[0].size).toBe('lonely\n'.length);
    await writer.close();
  });

  it('with the default clock, a record arriving after a pause sees the current processing time', async () => {
    const seen: number[] = [];
    const recording: BucketAssigner<string> = {
      getBucketId: (_e, context) => {
        seen.push(context.currentProcessingTime());
        return '';
      },
    };
    const sink = FileSink.forRowFormat<string>(dir(), new SimpleStringEncoder()).withBucketAssigner(recording).build();
    const writer = sink.createWriter(initContext());
    const ctx = new TestingWriterContext();
    const before = Date.now();
    for (const r of ['a', 'b', 'c']) writer.write(r, ctx);
    const after = Date.now();
    // Waiting for input ends the event-loop turn: the next record must not reuse a reading.
    while (Date.now() < after + 5) await new Promise((resolve) => setTimeout(resolve, 1));
    writer.write('d', ctx);
    for (const t of seen.slice(0, 3)) {
      expect(t).toBeGreaterThanOrEqual(before);
      expect(t).toBeLessThanOrEqual(after);
    }
    expect(seen[3]).toBeGreaterThanOrEqual(after + 5);
    await finishAndCommit(sink, writer);
  });

  it('rolls at every checkpoint with OnCheckpointRollingPolicy and persists small files otherwise', async () => {
    const base = dir();
    const onCheckpoint = FileSink.forRowFormat<string>(join(base, 'a'), new SimpleStringEncoder())
      .withBucketAssigner(new BasePathBucketAssigner())
      .withRollingPolicy(new OnCheckpointRollingPolicy())
      .build();
    const w = onCheckpoint.createWriter(initContext());
    const ctx = new TestingWriterContext();
    w.write('one', ctx);
    w.write('two', ctx);
    await w.flush(false);
    const first = await w.prepareCommit();
    w.write('three', ctx);
    await w.flush(false);
    const second = await w.prepareCommit();
    expect(first.map((c) => c.size)).toEqual([8]);
    expect(second.map((c) => c.size)).toEqual([6]);
    expect(w.snapshotState(2).filter((s) => s.inProgress)).toEqual([]);
    await w.close();

    const byDefault = FileSink.forRowFormat<string>(join(base, 'b'), new SimpleStringEncoder()).withBucketAssigner(new BasePathBucketAssigner()).build();
    const d = byDefault.createWriter(initContext());
    d.write('small', ctx);
    await d.flush(false);
    expect(await d.prepareCommit()).toEqual([]);
    const state = d.snapshotState(1);
    expect(state).toHaveLength(1);
    expect(state[0].inProgress!.validLength).toBe(6);
    await d.close();
  });

  it("buckets by event time into 'yyyy-MM-dd--HH' directories, and by processing time without a timestamp", async () => {
    const base = dir();
    const sink = FileSink.forRowFormat<string>(base, new SimpleStringEncoder())
      .withClock(() => Date.UTC(2030, 0, 2, 3, 4, 5))
      .build(); // DateTimeBucketAssigner is the default
    const writer = sink.createWriter(initContext());
    const ctx = new TestingWriterContext();
    ctx.ts = Date.UTC(2024, 2, 5, 7, 59, 59);
    writer.write('a', ctx);
    ctx.ts = Date.UTC(2024, 2, 5, 8, 0, 0);
    writer.write('b', ctx);
    ctx.ts = Date.UTC(2024, 2, 5, 7, 30, 0);
    writer.write('c', ctx);
    ctx.ts = undefined;
    writer.write('d', ctx);
    await finishAndCommit(sink, writer);
    const byDir = new Map([...finishedContents(base)].map(([p, t]) => [p.split('/')[0], t]));
    expect(byDir).toEqual(new Map([['2024-03-05--07', 'a\nc\n'], ['2024-03-05--08', 'b\n'], ['2030-01-02--03', 'd\n']]));
  });

  it('uses a custom bucket assigner, with nested bucket directories', async () => {
    const base = dir();
    const byParity: BucketAssigner<number> = { getBucketId: (n) => (n % 2 === 0 ? 'even/x' : 'odd') };
    const sink = FileSink.forRowFormat<number>(base, new SimpleStringEncoder()).withBucketAssigner(byParity).build();
    const writer = sink.createWriter(initContext());
    for (let i = 0; i < 6; i++) writer.write(i, new TestingWriterContext());
    await finishAndCommit(sink, writer);
    const byDir = new Map([...finishedContents(base)].map(([p, t]) => [p.slice(0, p.lastIndexOf('/')), t]));
    expect(byDir).toEqual(new Map([['even/x', '0\n2\n4\n'], ['odd', '1\n3\n5\n']]));
  });

  it('rejects a bucket id that escapes the base path', () => {
    const sink = FileSink.forRowFormat<number>(dir(), new SimpleStringEncoder()).withBucketAssigner({ getBucketId: () => '../evil' }).build();
    const writer = sink.createWriter(initContext());
    expect(() => writer.write(1, new TestingWriterContext())).toThrow(/invalid bucket id '..\/evil'/);
  });

  it('validates options at build, naming the option', () => {
    const enc = new SimpleStringEncoder();
    expect(() => FileSink.forRowFormat('', enc).build()).toThrow(/'basePath'/);
    expect(() => FileSink.forRowFormat('/tmp/x', {} as never).build()).toThrow(/'encoder'/);
    expect(() => FileSink.forRowFormat('/tmp/x', enc).withRollingPolicy({} as never).build()).toThrow(/'rollingPolicy'/);
    expect(() => FileSink.forRowFormat('/tmp/x', enc).withBucketAssigner({} as never).build()).toThrow(/'bucketAssigner'/);
    expect(() => FileSink.forRowFormat('/tmp/x', enc).withBucketCheckInterval(0).build()).toThrow(/'bucketCheckInterval'/);
    expect(() => DefaultRollingPolicy.builder().withMaxPartSize(-1).build()).toThrow(/'maxPartSize'/);
    expect(() => DefaultRollingPolicy.builder().withRolloverInterval(Number.NaN).build()).toThrow(/'rolloverInterval'/);
    expect(() => DefaultRollingPolicy.builder().withInactivityInterval(0).build()).toThrow(/'inactivityInterval'/);
    expect(() => OutputFileConfig.builder().withPartPrefix('').build()).toThrow(/'partPrefix'/);
    expect(() => OutputFileConfig.builder().withPartPrefix('.hidden').build()).toThrow(/'partPrefix'/);
    expect(() => OutputFileConfig.builder().withPartSuffix('a/b').build()).toThrow(/'partSuffix'/);
    expect(() => new DateTimeBucketAssigner('yyyy-QQ')).toThrow(/'format'/);
    expect(() => new DateTimeBucketAssigner(undefined, 'Mars/Olympus')).toThrow(/'timeZone'/);
  });
});
