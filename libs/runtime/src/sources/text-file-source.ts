import { readdirSync, statSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  DataInputDeserializer,
  DataOutputSerializer,
  type Boundedness,
  type SourceOutput,
  type SimpleVersionedSerializer,
  type Source,
  type SourceReader,
  type SourceReaderContext,
  type SourceSplit,
  type SplitEnumerator,
  type SplitEnumeratorContext,
  SplitListSerializer,
  StaticSplitEnumerator,
  checkVersion,
} from '@riffle/core';
import { SplitQueueSourceReader, type SplitReadStatus } from './split-queue-source-reader.js';

/** One file; `offset` is the byte position of the next line to read (0 for a fresh split). */
export interface TextFileSplit extends SourceSplit {
  readonly path: string;
  readonly offset: number;
}

/** Bytes read from a file per I/O call. */
const READ_CHUNK = 64 * 1024;
const LF = 0x0a;
const CR = 0x0d;

/**
 * The lines of text files, UTF-8, one record per line without its line terminator (`\n` or
 * `\r\n`); a last line without a terminator is a line too, an empty file has none (Flink's
 * `TextLineInputFormat`). A path may name a file or a directory, whose regular files are read
 * in name order (names starting with `.` or `_` are skipped, as Flink does; no recursion).
 *
 * The files are listed when the enumerator is created (on the JobMaster), not when the job is
 * built; a missing path fails the job there. One split per file; a split's snapshot records the
 * byte offset of the next line, so a restored reader continues exactly there. Reads are
 * asynchronous and never block the task. Bounded.
 */
export class TextFileSource implements Source<string, TextFileSplit, TextFileSplit[]> {
  readonly paths: readonly string[];

  constructor(paths: string | readonly string[]) {
    this.paths = typeof paths === 'string' ? [paths] : [...paths];
    if (this.paths.length === 0) throw new Error('readTextFile: at least one path is required');
    for (const p of this.paths) if (typeof p !== 'string' || p === '') throw new Error('readTextFile: a path must be a non-empty string');
  }

  getBoundedness(): Boundedness {
    return 'BOUNDED';
  }

  createEnumerator(context: SplitEnumeratorContext<TextFileSplit>): SplitEnumerator<TextFileSplit, TextFileSplit[]> {
    const files = this.paths.flatMap(listFiles);
    return new StaticSplitEnumerator(
      context,
      files.map((path, i) => ({ splitId: String(i), path, offset: 0 })),
    );
  }

  restoreEnumerator(context: SplitEnumeratorContext<TextFileSplit>, checkpoint: TextFileSplit[]): SplitEnumerator<TextFileSplit, TextFileSplit[]> {
    return new StaticSplitEnumerator(context, checkpoint);
  }

  createReader(context: SourceReaderContext): SourceReader<string, TextFileSplit> {
    return new TextLineReader(context);
  }

  getSplitSerializer(): SimpleVersionedSerializer<TextFileSplit> {
    return TEXT_FILE_SPLIT_SERIALIZER;
  }

  getEnumeratorCheckpointSerializer(): SimpleVersionedSerializer<TextFileSplit[]> {
    return new SplitListSerializer(TEXT_FILE_SPLIT_SERIALIZER);
  }
}

/** The file itself, or a directory's visible regular files sorted by name; absolute paths. */
function listFiles(path: string): string[] {
  const absolute = resolve(path);
  let stat;
  try {
    stat = statSync(absolute);
  } catch (error) {
    throw new Error(`readTextFile: cannot read '${path}': ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!stat.isDirectory()) return [absolute];
  return readdirSync(absolute, { withFileTypes: true })
    .filter((e) => e.isFile() && !e.name.startsWith('.') && !e.name.startsWith('_'))
    .map((e) => e.name)
    .sort()
    .map((name) => join(absolute, name));
}

/**
 * Reads a split chunk by chunk. Complete lines of the last chunk wait in `lines`, with the byte
 * offset just past each one in `ends`; bytes after the last line terminator are carried into the
 * next chunk. The next chunk is read once the lines at hand are emitted.
 */
class TextLineReader extends SplitQueueSourceReader<string, TextFileSplit> {
  private split: TextFileSplit | undefined;
  private handle: FileHandle | undefined;
  /** Offset just past the last emitted line: the resume position. */
  private position = 0;
  /** File offset of the next chunk to read. */
  private readOffset = 0;
  private carry: Buffer = Buffer.alloc(0);
  private lines: string[] = [];
  private ends: number[] = [];
  private next = 0;
  private eof = false;
  private reading = false;
  private failure: Error | undefined;
  /** Bumped per split so that a read finishing after its split ended is ignored. */
  private generation = 0;

  protected beginSplit(split: TextFileSplit): void {
    this.generation++;
    this.split = split;
    this.position = split.offset;
    this.readOffset = split.offset;
    this.carry = Buffer.alloc(0);
    this.lines = [];
    this.ends = [];
    this.next = 0;
    this.eof = false;
    this.reading = false;
    this.failure = undefined;
  }

  protected readSplit(output: SourceOutput<string>, max: number): SplitReadStatus {
    if (this.failure) throw this.failure;
    const lines = this.lines;
    const stop = Math.min(lines.length, this.next + max);
    let i = this.next;
    for (; i < stop; i++) output.collect(lines[i]!);
    if (i > this.next) this.position = this.ends[i - 1]!;
    this.next = i;
    if (i < lines.length) return 'MORE';
    if (this.eof) return 'FINISHED';
    if (!this.reading) this.readChunk();
    return 'WAIT';
  }

  protected snapshotSplit(split: TextFileSplit): TextFileSplit {
    return { splitId: split.splitId, path: split.path, offset: this.position };
  }

  protected override async endSplit(): Promise<void> {
    this.generation++;
    this.split = undefined;
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close();
  }

  private readChunk(): void {
    this.reading = true;
    const generation = this.generation;
    const path = this.split!.path;
    void (async () => {
      try {
        let handle = this.handle;
        if (!handle) {
          handle = await open(path, 'r');
          if (generation !== this.generation) {
            await handle.close();
            return;
          }
          this.handle = handle;
        }
        const buffer = Buffer.allocUnsafe(READ_CHUNK);
        const { bytesRead } = await handle.read(buffer, 0, READ_CHUNK, this.readOffset);
        if (generation !== this.generation) return;
        this.acceptChunk(buffer.subarray(0, bytesRead));
      } catch (error) {
        if (generation !== this.generation) return;
        this.failure = new Error(`readTextFile: reading '${path}' failed: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        if (generation === this.generation) {
          this.reading = false;
          this.signalAvailable();
        }
      }
    })();
  }

  /** Splits `carry + chunk` into complete lines; an empty chunk is the end of the file. */
  private acceptChunk(chunk: Buffer): void {
    const base = this.readOffset - this.carry.length;
    this.readOffset += chunk.length;
    const data = this.carry.length === 0 ? chunk : Buffer.concat([this.carry, chunk]);
    const lines: string[] = [];
    const ends: number[] = [];
    let start = 0;
    for (let nl = data.indexOf(LF, start); nl !== -1; nl = data.indexOf(LF, start)) {
      const end = nl > start && data[nl - 1] === CR ? nl - 1 : nl;
      lines.push(data.toString('utf8', start, end));
      ends.push(base + nl + 1);
      start = nl + 1;
    }
    if (chunk.length === 0) {
      this.eof = true;
      if (start < data.length) {
        // The last line has no terminator.
        const end = data[data.length - 1] === CR ? data.length - 1 : data.length;
        lines.push(data.toString('utf8', start, end));
        ends.push(base + data.length);
      }
      this.carry = Buffer.alloc(0);
    } else {
      // Copy so that the chunk's memory is not kept alive by a small tail.
      this.carry = Buffer.from(data.subarray(start));
    }
    this.lines = lines;
    this.ends = ends;
    this.next = 0;
  }
}

/** Format, version 1: string split id, string path, varuint byte offset. */
class TextFileSplitSerializer implements SimpleVersionedSerializer<TextFileSplit> {
  getVersion(): number {
    return 1;
  }

  serialize(split: TextFileSplit): Uint8Array {
    const out = new DataOutputSerializer(64);
    out.writeString(split.splitId);
    out.writeString(split.path);
    out.writeVarUint(split.offset);
    return out.toUint8Array();
  }

  deserialize(version: number, bytes: Uint8Array): TextFileSplit {
    checkVersion('TextFileSplitSerializer', version, 1);
    const input = new DataInputDeserializer(bytes);
    return { splitId: input.readString(), path: input.readString(), offset: input.readVarUint() };
  }
}

const TEXT_FILE_SPLIT_SERIALIZER = new TextFileSplitSerializer();
