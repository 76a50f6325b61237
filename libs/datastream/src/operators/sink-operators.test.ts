import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  StreamRecord,
  type CommitRequest,
  type Committer,
  type CommittingSinkWriter,
  type SimpleVersionedSerializer,
  type SinkInitContext,
  type SinkWriter,
  type TwoPhaseCommittingSink,
} from '@riffle/core';
import { CHECKPOINTING_ENABLED, COLLECT_SERVICE, MAILBOX_EXECUTOR, type CollectService, type MailboxExecutor } from '@riffle/runtime';
import { StreamExecutionEnvironment } from '../environment/stream-execution-environment.js';
import { openNodeOperator, type OneInput } from '../testing/operator-test-utils.js';
import { formatPrintValue, printPrefix } from './print-sink-operator.js';

/** Committables as UTF-8 strings. */
const utf8Serializer: SimpleVersionedSerializer<string> = {
  getVersion: () => 1,
  serialize: (s) => new TextEncoder().encode(s),
  deserialize: (_v, b) => new TextDecoder().decode(b),
};

function env(): StreamExecutionEnvironment {
  return new StreamExecutionEnvironment({ jobModule: 'file:///t.ts', params: {}, parallelism: 1 });
}

/** Captures what is written to process.stdout / process.stderr while `fn` runs. */
async function captureWrites(stream: NodeJS.WriteStream, fn: () => Promise<void> | void): Promise<string> {
  const chunks: string[] = [];
  const spy = vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    await fn();
  } finally {
    spy.mockRestore();
  }
  return chunks.join('');
}

afterEach(() => vi.restoreAllMocks());

/**
 * A two-phase committing sink whose writer collects records and pre-commits them as one
 * `txn(a,b,…)` committable; `flush` decides how each flush completes (sync by default);
 * commits are appended to `committed`.
 */
function txnSink(committed: string[], flush: () => void | Promise<void> = () => {}): TwoPhaseCommittingSink<string, string> {
  return {
    createWriter(): CommittingSinkWriter<string, string> {
      let pending: string[] = [];
      return {
        write: (v) => void pending.push(v),
        flush,
        prepareCommit: () => {
          const txn = `txn(${pending.join(',')})`;
          pending = [];
          return [txn];
        },
        close: () => {},
      };
    },
    createCommitter: (): Committer<string> => ({
      commit(requests: CommitRequest<string>[]) {
        for (const r of requests) committed.push(r.getCommittable());
      },
      close: () => {},
    }),
    getCommittableSerializer: () => utf8Serializer,
  };
}

describe('print sink', () => {
  it('writes one line per record, strings verbatim and other values as bigint-safe JSON', async () => {
    const e = env();
    e.fromElements<unknown>('x').print();
    const { operator } = await openNodeOperator<never, OneInput<unknown, never>>(e.getStreamGraph(), 2);
    const text = await captureWrites(process.stdout, () => {
      for (const v of ['hello "world"', 42, 12n, { a: 1n, b: [true, null], c: 'q' }, ['x', 1], null, undefined, new Map([[1, 'one']])]) {
        operator.processElement(new StreamRecord(v));
      }
    });
    expect(text).toBe(['hello "world"', '42', '12', '{"a":1,"b":[true,null],"c":"q"}', '["x",1]', 'null', 'undefined', '{"1":"one"}', ''].join('\n'));
  });

  it('prefixes the subtask index when the sink is parallel, and the identifier when given', async () => {
    const e = env();
    e.fromSequence(1, 2).print('out').setParallelism(3);
    const { operator } = await openNodeOperator<never, OneInput<number, never>>(e.getStreamGraph(), 2, { subtask: 1 });
    const text = await captureWrites(process.stdout, () => operator.processElement(new StreamRecord(5)));
    expect(text).toBe('out:2> 5\n');
    expect(printPrefix(undefined, 0, 1)).toBe('');
    expect(printPrefix(undefined, 3, 4)).toBe('4> ');
    expect(printPrefix('id', 0, 1)).toBe('id> ');
  });

  it('printToErr writes to stderr', async () => {
    const e = env();
    e.fromElements('x').printToErr();
    const { operator } = await openNodeOperator<never, OneInput<string, never>>(e.getStreamGraph(), 2);
    const text = await captureWrites(process.stderr, () => operator.processElement(new StreamRecord('oops')));
    expect(text).toBe('oops\n');
  });

  it('formats nested values like JSON.stringify, with bigints as digits and cycles marked', () => {
    const value = { s: 'a"b', n: -7n, d: new Date(0), skip: undefined, f: () => 1, nan: NaN, set: new Set([1, 2n]), arr: [undefined] };
    expect(formatPrintValue(value)).toBe('{"s":"a\\"b","n":-7,"d":"1970-01-01T00:00:00.000Z","nan":null,"set":[1,2],"arr":[null]}');
    const cyclic: Record<string, unknown> = { name: 'c' };
    cyclic.self = cyclic;
    expect(formatPrintValue(cyclic)).toBe('{"name":"c","self":"[Circular]"}');
    expect(formatPrintValue([1, [2]])).toBe(JSON.stringify([1, [2]]));
  });
});

describe('sinkTo', () => {
  it('creates the writer at open, writes with timestamps, flushes at finish and closes', async () => {
    const calls: string[] = [];
    const sink = {
      createWriter(ctx: SinkInitContext): SinkWriter<string> {
        calls.push(`create ${ctx.getSubtaskId()}/${ctx.getNumberOfParallelSubtasks()} ${ctx.getJobId()}`);
        return {
          write: (v, c) => void calls.push(`write ${v}@${c.timestamp()}`),
          flush: (end) => void calls.push(`flush ${end}`),
          close: () => void calls.push('close'),
        };
      },
    };
    const e = env();
    e.fromElements('a').sinkTo(sink).setParallelism(2);
    e.fromElements('dummy'); // unconsumed sources do not become nodes
    const graph = e.getStreamGraph();
    expect(graph.nodes.size).toBe(2);
    const { operator } = await openNodeOperator<never, OneInput<string, never>>(graph, 2, { subtask: 1 });
    operator.processElement(new StreamRecord('a', 3));
    operator.processElement(new StreamRecord('b'));
    await operator.finish();
    await operator.close();
    expect(calls).toEqual(['create 1/2 test-job', 'write a@3', 'write b@undefined', 'flush true', 'close']);
  });

  it('writes records that arrive during an asynchronous pre-commit after it, and commits them at the end of input', async () => {
    const committed: string[] = [];
    let releaseFlush: (() => void) | undefined;
    let flushes = 0;
    // The first flush (the checkpoint's) completes only when the test says so.
    const sink = txnSink(committed, () => (flushes++ === 0 ? new Promise<void>((r) => (releaseFlush = r)) : undefined));
    const e = env();
    e.fromElements('a').sinkTo(sink);
    // Like a task's mailbox: mails queue up and run only when the loop gets to them (here: never).
    const mails: Array<() => void> = [];
    const mailbox: MailboxExecutor = { execute: (m) => void mails.push(m), holdInputUntil: () => {} };
    const { operator } = await openNodeOperator<never, OneInput<string, never>>(e.getStreamGraph(), 2, {
      services: new Map([[MAILBOX_EXECUTOR, mailbox]]),
    });
    operator.processElement(new StreamRecord('a'));
    const prepared = (operator as unknown as { prepareSnapshotPreBarrier(id: number): Promise<void> }).prepareSnapshotPreBarrier(1);
    operator.processElement(new StreamRecord('b')); // after the barrier: must not join checkpoint 1
    const finished = operator.finish();
    while (releaseFlush === undefined) await Promise.resolve();
    releaseFlush();
    await prepared;
    await finished;
    expect(committed).toEqual(['txn(a)', 'txn(b)']);
  });

  it('puts records between two barriers into the later checkpoint even when its barrier arrives before the earlier pre-commit finished', async () => {
    // Checkpoint 9's pre-commit is slow (a checkpoint may be aborted and the next one triggered
    // meanwhile). Record 'b' arrives after barrier 9 and before barrier 10, so it belongs to
    // checkpoint 10's committable; 'c' arrives after barrier 10. Restoring checkpoint 10 replays
    // the source from after 'b', so 'b' missing from checkpoint 10 would be lost.
    const flushes: Array<() => void> = [];
    const sink = txnSink([], () => new Promise<void>((r) => flushes.push(r)));
    const e = env();
    e.fromElements('a').sinkTo(sink);
    const mails: Array<() => void> = [];
    const mailbox: MailboxExecutor = { execute: (m) => void mails.push(m), holdInputUntil: () => {} };
    const { operator } = await openNodeOperator<never, OneInput<string, never>>(e.getStreamGraph(), 2, {
      services: new Map([[MAILBOX_EXECUTOR, mailbox]]),
    });
    const op = operator as unknown as { prepareSnapshotPreBarrier(id: number): Promise<void>; pending: Map<number, string[]> };
    operator.processElement(new StreamRecord('a'));
    const nine = op.prepareSnapshotPreBarrier(9);
    operator.processElement(new StreamRecord('b'));
    const ten = op.prepareSnapshotPreBarrier(10);
    operator.processElement(new StreamRecord('c'));
    while (flushes.length < 1) await Promise.resolve();
    flushes.shift()!();
    await nine;
    while (flushes.length < 1) await Promise.resolve();
    flushes.shift()!();
    await ten;
    expect(op.pending.get(9)).toEqual(['txn(a)']);
    expect(op.pending.get(10)).toEqual(['txn(b)']);
  });

  it('with checkpointing, keeps the committables of the end of input for the final checkpoint and commits them when it completes', async () => {
    const committed: string[] = [];
    const sink = txnSink(committed);
    const e = env();
    e.fromElements('a').sinkTo(sink);
    const mailbox: MailboxExecutor = { execute: () => {}, holdInputUntil: () => {} };
    const { operator } = await openNodeOperator<never, OneInput<string, never>>(e.getStreamGraph(), 2, {
      services: new Map<string, unknown>([
        [MAILBOX_EXECUTOR, mailbox],
        [CHECKPOINTING_ENABLED, true],
      ]),
    });
    const op = operator as unknown as { prepareSnapshotPreBarrier(id: number): Promise<void>; notifyCheckpointComplete(id: number): Promise<void>; pending: Map<number, string[]> };
    operator.processElement(new StreamRecord('a'));
    expect(operator.awaitsFinalCheckpoint?.()).toBeFalsy();
    await operator.finish();
    // Committing now would let a failure elsewhere replay 'a' into the sink after the restore.
    expect(committed).toEqual([]);
    expect(operator.awaitsFinalCheckpoint?.()).toBe(true);
    await op.prepareSnapshotPreBarrier(7);
    expect(op.pending.get(7)).toEqual(['txn(a)']);
    await op.notifyCheckpointComplete(7);
    expect(committed).toEqual(['txn(a)']);
  });

  it('commits the committables of a two-phase committing sink at the end of input, retrying when asked', async () => {
    const committed: string[] = [];
    const attempts = new Map<string, number>();
    const sink: TwoPhaseCommittingSink<string, string> = {
      createWriter(): CommittingSinkWriter<string, string> {
        const pending: string[] = [];
        return {
          write: (v) => void pending.push(v),
          flush: () => {},
          prepareCommit: () => [`txn(${pending.join(',')})`, 'flaky'],
          close: () => {},
        };
      },
      createCommitter(): Committer<string> {
        return {
          commit(requests: CommitRequest<string>[]) {
            for (const r of requests) {
              const c = r.getCommittable();
              attempts.set(c, r.getNumberOfRetries());
              if (c === 'flaky' && r.getNumberOfRetries() < 2) r.retryLater();
              else committed.push(c);
            }
          },
          close: () => void committed.push('committer closed'),
        };
      },
      getCommittableSerializer: () => utf8Serializer,
    };
    const e = env();
    e.fromElements('a').sinkTo(sink);
    const { operator } = await openNodeOperator<never, OneInput<string, never>>(e.getStreamGraph(), 2);
    operator.processElement(new StreamRecord('a'));
    operator.processElement(new StreamRecord('b'));
    await operator.finish();
    expect(committed).toEqual(['txn(a,b)', 'flaky']);
    // The committer stays open for later checkpoints' commits; closing the operator closes it.
    await operator.close();
    expect(committed).toEqual(['txn(a,b)', 'flaky', 'committer closed']);
    expect(attempts.get('flaky')).toBe(2);
  });

  it('fails the finish when a commit fails for an unknown reason', async () => {
    const sink: TwoPhaseCommittingSink<string, string> = {
      createWriter: () => ({ write: () => {}, flush: () => {}, prepareCommit: () => ['t1'], close: () => {} }),
      createCommitter: () => ({
        commit: (requests) => requests.forEach((r) => r.signalFailedWithUnknownReason(new Error('disk full'))),
        close: () => {},
      }),
      getCommittableSerializer: () => ({ getVersion: () => 1, serialize: () => new Uint8Array(), deserialize: () => '' }),
    };
    const e = env();
    e.fromElements('a').sinkTo(sink).name('warehouse');
    const { operator } = await openNodeOperator<never, OneInput<string, never>>(e.getStreamGraph(), 2);
    await expect(operator.finish()).rejects.toThrow(/Sink 'warehouse': committing failed: disk full/);
  });
});

describe('addSink', () => {
  it('invokes a plain sink function per record with the record timestamp', async () => {
    const seen: string[] = [];
    const e = env();
    e.fromElements(1).addSink((v: number, ctx) => void seen.push(`${v}@${ctx.timestamp()}`));
    const { operator } = await openNodeOperator<never, OneInput<number, never>>(e.getStreamGraph(), 2);
    operator.processElement(new StreamRecord(1, 10));
    operator.processElement(new StreamRecord(2));
    expect(seen).toEqual(['1@10', '2@undefined']);
  });
});

describe('collect sink', () => {
  it('ships batches of up to 1000 values to the collect service and flushes the rest at finish', async () => {
    const batches: Array<{ id: string; size: number; first: unknown }> = [];
    const service: CollectService = { send: (id, values) => void batches.push({ id, size: values.length, first: values[0] }) };
    const e = env();
    e.fromSequence(1, 2).addCollectSink('numbers');
    const { operator } = await openNodeOperator<never, OneInput<number, never>>(e.getStreamGraph(), 2, {
      services: new Map([[COLLECT_SERVICE, service]]),
    });
    for (let i = 0; i < 2500; i++) operator.processElement(new StreamRecord(i));
    expect(batches.map((b) => b.size)).toEqual([1000, 1000]);
    await operator.finish();
    expect(batches).toEqual([
      { id: 'numbers', size: 1000, first: 0 },
      { id: 'numbers', size: 1000, first: 1000 },
      { id: 'numbers', size: 500, first: 2000 },
    ]);
  });

  it('fails at open when the runtime offers no collect service', async () => {
    const e = env();
    e.fromSequence(1, 2).addCollectSink('numbers');
    await expect(openNodeOperator(e.getStreamGraph(), 2)).rejects.toThrow(/Collect sink 'numbers' found no collect service/);
  });
});
