import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TextFileSource } from './text-file-source.js';
import { TestingSourceRunner } from './testing-source-runner.js';

const dir = mkdtempSync(join(tmpdir(), 'riffle-text-source-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

async function readLines(paths: string | string[], parallelism = 1): Promise<string[]> {
  const runner = new TestingSourceRunner(new TextFileSource(paths), parallelism);
  for (let i = 0; i < parallelism; i++) await runner.addReader(i);
  await runner.runToEnd();
  await runner.close();
  return [...runner.output.values()].flat();
}

describe('TextFileSource', () => {
  it('reads lines, including a last line without a newline', async () => {
    expect(await readLines(file('plain.txt', 'alpha\nbeta\n\ngamma'))).toEqual(['alpha', 'beta', '', 'gamma']);
  });

  it('strips CRLF line endings', async () => {
    expect(await readLines(file('crlf.txt', 'one\r\ntwo\r\nthree\r\n'))).toEqual(['one', 'two', 'three']);
  });

  it('reads no lines from an empty file and one empty line from a lone newline', async () => {
    expect(await readLines(file('empty.txt', ''))).toEqual([]);
    expect(await readLines(file('newline.txt', '\n'))).toEqual(['']);
  });

  it('reads lines longer than a read chunk and multi-byte characters across chunk borders', async () => {
    const long = 'é'.repeat(70_000);
    const lines = ['x'.repeat(65_535), long, '日本語テキスト', 'end'];
    expect(await readLines(file('long.txt', lines.join('\n') + '\n'))).toEqual(lines);
  });

  it('reads every file of a directory, in name order, skipping hidden files', async () => {
    const sub = join(dir, 'sub');
    mkdirSync(sub);
    writeFileSync(join(sub, 'b.txt'), 'b1\nb2\n');
    writeFileSync(join(sub, 'a.txt'), 'a1\n');
    writeFileSync(join(sub, '.hidden'), 'h\n');
    writeFileSync(join(sub, '_SUCCESS'), '');
    expect(await readLines(sub)).toEqual(['a1', 'b1', 'b2']);
    expect((await readLines(sub, 2)).sort()).toEqual(['a1', 'b1', 'b2']);
  });

  it('resumes from a snapshotted byte offset without loss or duplication', async () => {
    const lines = Array.from({ length: 2600 }, (_, i) => `line ${i} ${'ü'.repeat(i % 5)}`);
    const path = file('resume.txt', lines.join('\r\n'));
    const source = new TextFileSource(path);
    const first = new TestingSourceRunner(source, 1);
    await first.addReader(0);
    while (first.output.get(0)!.length < 1500) {
      if (first.poll(0) === 'NOTHING_AVAILABLE') await first.readers.get(0)!.isAvailable();
    }
    const serializer = source.getSplitSerializer();
    const snapshot = first.readers.get(0)!.snapshotState(1).map((s) => serializer.deserialize(1, serializer.serialize(s)));
    expect(snapshot).toHaveLength(1);
    expect(snapshot[0]!.offset).toBeGreaterThan(0);
    const enumState = first.enumerator.snapshotState(1);
    await first.close();

    const second = new TestingSourceRunner(source, 1, enumState);
    await second.addReader(0, snapshot);
    await second.runToEnd();
    await second.close();
    expect([...first.output.get(0)!, ...second.output.get(0)!]).toEqual(lines);
  });

  it('fails the enumerator with the path when it does not exist', () => {
    const source = new TextFileSource(join(dir, 'missing.txt'));
    expect(() => new TestingSourceRunner(source, 1)).toThrow(/cannot read '.*missing\.txt'/);
  });
});
