import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MetricRegistryGroup, OutputTag, type ProcessContext, type RuntimeContext } from '@riffle/core';
import { FileSource } from './file-source.js';
import { TextLineInputFormat } from './text-line-input-format.js';
import type { BulkFormat, FileBlockReader } from './file-source-format.js';
import { FileDeadLetterRouter, isFileDeadLetter, type FileDeadLetter } from './file-dead-letter.js';
import type { FileSourceSplit } from './file-source-split.js';
import type { FileEnumeratorState } from './file-enumerator-state.js';
import { SourceTestDriver } from './testing/source-test-driver.js';

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'riffle-file-source-'));
  roots.push(d);
  return d;
}

/** Writes `files` text files of `lines` lines each (`f<i>-<n>`) into `dir`. */
function writeLines(dir: string, files: number, lines: number, prefix = 'f'): string[] {
  const all: string[] = [];
  for (let f = 0; f < files; f++) {
    const content: string[] = [];
    for (let n = 0; n < lines; n++) content.push(`${prefix}${f}-${n}`);
    all.push(...content);
    writeFileSync(join(dir, `${prefix}${f}.txt`), content.join('\n') + '\n');
  }
  return all;
}

const sorted = (xs: readonly string[]): string[] => [...xs].sort();

describe('FileSource with text lines', () => {
  it('reads every line of a directory tree once, skipping hidden files, at parallelism 1 and 3 alike', async () => {
    const dir = tempDir();
    const expected = writeLines(dir, 5, 3000);
    mkdirSync(join(dir, 'sub'));
    expected.push(...writeLines(join(dir, 'sub'), 2, 10, 's'));
    writeFileSync(join(dir, '.part-x.inprogress'), 'hidden\n');
    writeFileSync(join(dir, '_SUCCESS'), 'hidden\n');
    const source = FileSource.forRecordStreamFormat(new TextLineInputFormat(), dir).build();
    expect(source.getBoundedness()).toBe('BOUNDED');
    for (const p of [1, 3]) {
      const driver = await new SourceTestDriver(source, p).start();
      await driver.run();
      expect(sorted(driver.records())).toEqual(sorted(expected));
      await driver.close();
    }
  });

  it('reads a single file given by path, including a last line without newline', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.txt'), 'x\r\ny\nz');
    const driver = await new SourceTestDriver(FileSource.forRecordStreamFormat(new TextLineInputFormat(), join(dir, 'a.txt')).build(), 1).start();
    await driver.run();
    expect(driver.records()).toEqual(['x', 'y', 'z']);
  });

  it('resumes from checkpointed reader positions and enumerator state without losing or repeating a line', async () => {
    const dir = tempDir();
    const expected = writeLines(dir, 4, 5000);
    const source = FileSource.forRecordStreamFormat(new TextLineInputFormat(), dir).build();
    const first = await new SourceTestDriver(source, 2).start();
    await first.run(() => first.records().length >= 7000);
    // Checkpoint: reader splits with positions and the enumerator state, through the serializers.
    const splitSer = source.getSplitSerializer();
    const enumSer = source.getEnumeratorCheckpointSerializer();
    const readerSplits = new Map<number, FileSourceSplit[]>(
      [...first.snapshotReaders(1)].map(([s, splits]) => [s, splits.map((x) => splitSer.deserialize(1, splitSer.serialize(x)))]),
    );
    const enumState = enumSer.deserialize(1, enumSer.serialize(first.enumerator.snapshotState(1)));
    const before = first.records();
    await first.close();
    expect([...readerSplits.values()].flat().some((s) => s.position > 0)).toBe(true);

    // Restore at another parallelism: the reader splits go to the new readers, as after rescaling.
    const all = [...readerSplits.values()].flat();
    const second = await new SourceTestDriver(source, 3, {
      enumeratorState: enumState,
      readerSplits: new Map([[0, all.slice(0, 1)], [2, all.slice(1)]]),
    }).start();
    await second.run();
    expect(sorted([...before, ...second.records()])).toEqual(sorted(expected));
  });

  it('monitors a directory continuously, reads new files once, and remembers processed files across a restore', async () => {
    const dir = tempDir();
    writeLines(dir, 1, 10, 'a');
    const source = FileSource.forRecordStreamFormat(new TextLineInputFormat(), dir).monitorContinuously(20).build();
    expect(source.getBoundedness()).toBe('CONTINUOUS_UNBOUNDED');
    const driver = await new SourceTestDriver(source, 2).start();
    await driver.run(() => driver.records().length >= 10);
    writeLines(dir, 2, 10, 'b');
    await driver.run(() => driver.records().length >= 30);
    expect(driver.records()).toHaveLength(30);
    const state = driver.enumerator.snapshotState(1);
    expect(sorted(state.processedPaths)).toEqual([join(dir, 'a0.txt'), join(dir, 'b0.txt'), join(dir, 'b1.txt')]);
    await driver.close();

    writeLines(dir, 1, 5, 'c');
    const restored = await new SourceTestDriver(source, 1, { enumeratorState: state }).start();
    await restored.run(() => restored.records().length >= 5);
    expect(sorted(restored.records())).toEqual(['c0-0', 'c0-1', 'c0-2', 'c0-3', 'c0-4']);
    await restored.close();
  });

  it('rejects bad options at build time, naming them', () => {
    expect(() => FileSource.forRecordStreamFormat(new TextLineInputFormat()).build()).toThrow(/'paths'/);
    expect(() => FileSource.forRecordStreamFormat(new TextLineInputFormat(), '/x').monitorContinuously(-1).build()).toThrow(/monitorContinuously/);
  });
});

/** A bulk format of two blocks per file; block 1 of files named `bad*` is corrupt. */
class TwoBlockFormat implements BulkFormat<string> {
  listBlocks(path: string): Promise<{ records: number }[]> {
    if (path.endsWith('.notours')) return Promise.reject(new Error('no magic bytes'));
    return Promise.resolve([{ records: 3 }, { records: 3 }]);
  }
  createReader(path: string, block: number, skip: number): Promise<FileBlockReader<string>> {
    if (path.endsWith('.notours')) return Promise.reject(new Error('not a two-block file (no magic bytes)'));
    const name = path.slice(path.lastIndexOf('/') + 1);
    let done = false;
    return Promise.resolve({
      readBatch: () => {
        if (done) return Promise.resolve(undefined);
        done = true;
        if (name.startsWith('bad') && block === 1) return Promise.reject(new Error('page header checksum mismatch'));
        return Promise.resolve([0, 1, 2].slice(skip).map((i) => `${name}/${block}/${i}`));
      },
      close: () => Promise.resolve(),
    });
  }
}

describe('FileSource with bad input', () => {
  it('fails with an error naming the file, the block and what was wrong', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.bin'), '');
    const driver = await new SourceTestDriver(FileSource.forBulkFileFormat(new TwoBlockFormat(), dir).build(), 1).start();
    await expect(driver.run()).rejects.toThrow(`could not read file '${join(dir, 'bad.bin')}', block (row group) 1, at record 0: page header checksum mismatch`);
  });

  it('emits dead letters for unreadable blocks and files, counts the skipped records and reads the rest', async () => {
    const dir = tempDir();
    for (const n of ['bad.bin', 'good.bin', 'x.notours']) writeFileSync(join(dir, n), '');
    const tag = new OutputTag<FileDeadLetter>('dlq');
    const source = FileSource.forBulkFileFormat(new TwoBlockFormat(), dir).setDeadLetterOutput(tag).build();
    expect(source.deadLetterTag).toBe(tag);
    const driver = await new SourceTestDriver(source, 1).start();
    await driver.run();
    const all = driver.records();
    const good = all.filter((r): r is string => !isFileDeadLetter(r));
    expect(sorted(good)).toEqual(sorted(['bad.bin/0/0', 'bad.bin/0/1', 'bad.bin/0/2', ...[0, 1].flatMap((b) => [0, 1, 2].map((i) => `good.bin/${b}/${i}`))]));
    expect(all.filter(isFileDeadLetter)).toEqual([
      { kind: 'file-dead-letter', path: join(dir, 'bad.bin'), block: 1, position: 0, skippedRecords: 3, error: 'page header checksum mismatch' },
      { kind: 'file-dead-letter', path: join(dir, 'x.notours'), block: 0, position: 0, skippedRecords: -1, error: 'not a two-block file (no magic bytes)' },
    ]);
    const reader = driver.readers.get(0) as unknown as { skippedRecords: number; deadLetterCount: number };
    expect(reader.skippedRecords).toBe(3);
    expect(reader.deadLetterCount).toBe(2);
  });
});

describe('FileDeadLetterRouter', () => {
  it('sends dead letters to the side output, counts them and passes records on', () => {
    const tag = new OutputTag<FileDeadLetter>('dlq');
    const router = new FileDeadLetterRouter<string>(tag);
    const metrics = MetricRegistryGroup.root().addGroup('Router');
    router.setRuntimeContext({ getMetricGroup: () => metrics } as unknown as RuntimeContext);
    router.open();
    const out: string[] = [];
    const side: unknown[] = [];
    const ctx = { output: (t: OutputTag<unknown>, v: unknown) => side.push([t.id, v]) } as unknown as ProcessContext;
    const dead: FileDeadLetter = { kind: 'file-dead-letter', path: '/f', block: 2, position: 5, skippedRecords: 7, error: 'bad' };
    for (const v of ['a', dead, 'b']) router.processElement(v, ctx, { collect: (x: string) => out.push(x) });
    expect(out).toEqual(['a', 'b']);
    expect(side).toEqual([['dlq', dead]]);
    expect(router.numDeadLetters).toBe(1);
    expect(router.numRecordsSkipped).toBe(7);
    expect(metrics.snapshot()).toEqual({ 'Router.numDeadLetters': 1, 'Router.numRecordsSkipped': 7 });
  });
});

describe('FileSource serializers', () => {
  const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
  const source = FileSource.forRecordStreamFormat(new TextLineInputFormat(), '/d').build();

  it('writes and reads a split in the golden version 1 layout', () => {
    const s = source.getSplitSerializer();
    const split: FileSourceSplit = { splitId: '/d/a#2', path: '/d/a', block: 2, records: 300, position: 5 };
    // path "/d/a", block 2, records+1 = 301 (varuint ad02), position 5
    const golden = '042f642f61' + '02' + 'ad02' + '05';
    expect(s.getVersion()).toBe(1);
    expect(hex(s.serialize(split))).toBe(golden);
    expect(s.deserialize(1, Buffer.from(golden, 'hex'))).toEqual(split);
    expect(s.deserialize(1, s.serialize({ ...split, splitId: '/d/a#2', records: -1 })).records).toBe(-1);
    expect(() => s.deserialize(2, new Uint8Array())).toThrow(/unknown version 2/);
  });

  it('writes and reads the enumerator state in the golden version 1 layout', () => {
    const s = source.getEnumeratorCheckpointSerializer();
    const state: FileEnumeratorState = {
      pendingSplits: [{ splitId: '/d/a#0', path: '/d/a', block: 0, records: -1, position: 0 }],
      processedPaths: ['/d/a', '/d/b'],
    };
    const golden = '01' + '042f642f61' + '00' + '00' + '00' + '02' + '042f642f61' + '042f642f62';
    expect(s.getVersion()).toBe(1);
    expect(hex(s.serialize(state))).toBe(golden);
    expect(s.deserialize(1, Buffer.from(golden, 'hex'))).toEqual(state);
    expect(() => s.deserialize(9, new Uint8Array())).toThrow(/unknown version 9/);
  });
});
