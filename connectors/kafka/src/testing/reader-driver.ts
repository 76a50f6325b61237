import type { InputStatus, ReaderOutput, SourceOutput, SourceReader, SourceReaderContext, SourceSplit } from '@riffle/core';

/** A record a {@link TestingReaderOutput} received. */
export interface EmittedRecord<T> {
  readonly value: T;
  readonly timestamp: number | undefined;
  readonly splitId: string | undefined;
}

/** Records everything a reader emits, per split, and which split outputs were released. */
export class TestingReaderOutput<T> implements ReaderOutput<T> {
  readonly records: EmittedRecord<T>[] = [];
  readonly released: string[] = [];
  /** `markIdle` / `markActive` calls on the reader-wide output, in order. */
  readonly idleness: Array<'idle' | 'active'> = [];
  private readonly splitOutputs = new Map<string, SourceOutput<T>>();

  collect(value: T, timestamp?: number): void {
    this.records.push({ value, timestamp, splitId: undefined });
  }
  emitWatermark(): void {}
  markIdle(): void {
    this.idleness.push('idle');
  }
  markActive(): void {
    this.idleness.push('active');
  }

  createOutputForSplit(splitId: string): SourceOutput<T> {
    let out = this.splitOutputs.get(splitId);
    if (!out) {
      const records = this.records;
      out = {
        collect: (value: T, timestamp?: number) => records.push({ value, timestamp, splitId }),
        emitWatermark: () => undefined,
        markIdle: () => undefined,
        markActive: () => undefined,
      };
      this.splitOutputs.set(splitId, out);
    }
    return out;
  }

  releaseOutputForSplit(splitId: string): void {
    this.released.push(splitId);
  }
}

/** A reader context for one subtask; split requests and events are counted, not sent. */
export function testingReaderContext(subtask = 0, parallelism = 1): SourceReaderContext & { splitRequests: number } {
  return {
    splitRequests: 0,
    getIndexOfSubtask: () => subtask,
    currentParallelism: () => parallelism,
    sendSplitRequest() {
      this.splitRequests++;
    },
    sendSourceEventToCoordinator: () => undefined,
  };
}

/**
 * Drives a reader as a source task does: polls, and on NOTHING_AVAILABLE awaits `isAvailable()`,
 * until `until(output)` holds or the reader reports END_OF_INPUT. Fails after `timeoutMs`.
 */
export async function driveReader<T, S extends SourceSplit>(
  reader: SourceReader<T, S>,
  output: TestingReaderOutput<T>,
  until: (output: TestingReaderOutput<T>) => boolean,
  timeoutMs = 60_000,
): Promise<InputStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (until(output)) return 'MORE_AVAILABLE';
    const status = reader.pollNext(output);
    if (status === 'END_OF_INPUT') return status;
    if (status === 'NOTHING_AVAILABLE') {
      if (until(output)) return status;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`driveReader: timed out after ${timeoutMs} ms with ${output.records.length} records`);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        reader.isAvailable(),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.min(left, 1000)))),
      ]);
      clearTimeout(timer);
    } else if (Date.now() > deadline) {
      throw new Error(`driveReader: timed out after ${timeoutMs} ms with ${output.records.length} records`);
    }
  }
}
