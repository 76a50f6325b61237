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

/**
 * How `print()` renders a value: strings verbatim; numbers, bigints, booleans, `null` and
 * `undefined` as `String(v)`; everything else as JSON in which bigints appear as plain digits,
 * `Map`s as objects, `Set`s as arrays and cyclic references as `"[Circular]"`.
 */
export function formatPrintValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object') return String(value);
  return toJson(value, new Set()) ?? String(value);
}

/** JSON.stringify's rules (toJSON, skipped undefined/function fields), plus bigints, Maps and Sets. */
function toJson(value: unknown, ancestors: Set<object>): string | undefined {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'bigint':
      return value.toString();
    case 'boolean':
      return String(value);
    case 'object':
      break;
    default:
      return undefined; // undefined, functions and symbols
  }
  if (value === null) return 'null';
  const withJson = value as { toJSON?: () => unknown };
  if (typeof withJson.toJSON === 'function') return toJson(withJson.toJSON(), ancestors);
  if (ancestors.has(value)) return '"[Circular]"';
  ancestors.add(value);
  let json: string;
  if (Array.isArray(value) || value instanceof Set) {
    json = `[${[...value].map((v: unknown) => toJson(v, ancestors) ?? 'null').join(',')}]`;
  } else {
    const entries: Iterable<[unknown, unknown]> = value instanceof Map ? value : Object.entries(value);
    const fields: string[] = [];
    for (const [k, v] of entries) {
      const field = toJson(v, ancestors);
      if (field !== undefined) fields.push(`${JSON.stringify(String(k))}:${field}`);
    }
    json = `{${fields.join(',')}}`;
  }
  ancestors.delete(value);
  return json;
}
