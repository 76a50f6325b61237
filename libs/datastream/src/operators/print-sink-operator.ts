import type { OneInputStreamOperator, StreamRecord } from '@riffle/core';
import { AbstractStreamOperator } from '@riffle/runtime';

/** Where a print sink writes: standard output (`print()`) or standard error (`printToErr()`). */
export type PrintTarget = 'stdout' | 'stderr';

/**
 * Writes each record on its own line to stdout or stderr (Flink's `PrintSink`). The line prefix
 * follows Flink: `"<identifier>:<subtask+1>> "` with an identifier and parallelism above 1,
 * `"<identifier>> "` with an identifier alone, `"<subtask+1>> "` with parallelism above 1, none
 * otherwise. Strings are written verbatim, other values by {@link formatPrintValue}.
 */
export class PrintSinkOperator<T> extends AbstractStreamOperator<never> implements OneInputStreamOperator<T, never> {
  private prefix = '';
  private stream!: { write(chunk: string): unknown };

  constructor(
    readonly sinkIdentifier: string | undefined,
    readonly target: PrintTarget = 'stdout',
  ) {
    super();
  }

  override open(): void {
    this.prefix = printPrefix(this.sinkIdentifier, this.runtimeContext.getIndexOfThisSubtask(), this.runtimeContext.getNumberOfParallelSubtasks());
    this.stream = this.target === 'stderr' ? process.stderr : process.stdout;
  }

  processElement(record: StreamRecord<T>): void {
    this.stream.write(this.prefix + formatPrintValue(record.value) + '\n');
  }
}

/** Flink's print prefix for a subtask. */
export function printPrefix(identifier: string | undefined, subtaskIndex: number, parallelism: number): string {
  let prefix = identifier ?? '';
  if (parallelism > 1) prefix += (prefix === '' ? '' : ':') + String(subtaskIndex + 1);
  return prefix === '' ? '' : prefix + '> ';
}

const BIGINT_MARK = '\u0000bigint:';
const BIGINT_MARK_JSON = /"\\u0000bigint:(-?\d+)"/g;

/**
 * How `print()` renders a value: strings verbatim; numbers, bigints, booleans, `null` and
 * `undefined` as `String(v)`; everything else as JSON in which bigints appear as plain digits,
 * `Map`s as objects and `Set`s as arrays.
 */
export function formatPrintValue(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'object':
      if (value === null) return 'null';
      return toJson(value);
    case 'function':
    case 'symbol':
      return String(value);
    default:
      return String(value);
  }
}

function toJson(value: object): string {
  let sawBigInt = false;
  const json = JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'bigint') {
      sawBigInt = true;
      return BIGINT_MARK + v.toString();
    }
    if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [String(k), x]));
    if (v instanceof Set) return [...v];
    return v;
  });
  if (json === undefined) return String(value);
  return sawBigInt ? json.replace(BIGINT_MARK_JSON, '$1') : json;
}
