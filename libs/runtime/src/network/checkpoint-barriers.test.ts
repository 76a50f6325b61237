import { describe, expect, it } from 'vitest';
import { StreamRecord, Watermark } from '@riffle/core';
import type { WatermarkStatus } from '@riffle/core';
import type { CheckpointBarrier, CheckpointingMode } from './checkpoint-barrier.js';
import type { CheckpointAbortReason, CheckpointAlignmentMetrics, CheckpointListener } from './checkpoint-barrier-handler.js';
import { createCheckpointBarrierHandler } from './create-barrier-handler.js';
import { describeInputGate, describeResultPartition, type EdgeDeployment } from './network-descriptors.js';
import { NetworkEnvironment } from './network-environment.js';
import type { RecordWriter } from './record-writer.js';
import type { DataOutput, StreamNetworkInput } from './stream-network-input.js';
import { localPair } from './test-fixtures/local-pair.js';
import { tupleSerializer } from './test-fixtures/test-serializers.js';

type Tuple = [string, number];
type Event =
  | { kind: 'record'; p: string; i: number }
  | { kind: 'watermark'; ts: number }
  | { kind: 'status'; status: WatermarkStatus }
  | { kind: 'checkpoint'; barrier: CheckpointBarrier; metrics: CheckpointAlignmentMetrics }
  | { kind: 'abort'; id: number; reason: CheckpointAbortReason };

/** Output and checkpoint listener writing into one ordered event log, as a task would see them. */
class Recorder implements DataOutput<Tuple>, CheckpointListener {
  readonly events: Event[] = [];
  emitRecord(r: StreamRecord<Tuple>): void {
    this.events.push({ kind: 'record', p: r.value[0], i: r.value[1] });
  }
  emitWatermark(m: Watermark): void {
    this.events.push({ kind: 'watermark', ts: m.timestamp });
  }
  emitWatermarkStatus(status: WatermarkStatus): void {
    this.events.push({ kind: 'status', status });
  }
  triggerCheckpointOnBarrier(barrier: CheckpointBarrier, metrics: CheckpointAlignmentMetrics): void {
    this.events.push({ kind: 'checkpoint', barrier, metrics });
  }
  abortCheckpointOnBarrier(id: number, reason: CheckpointAbortReason): void {
    this.events.push({ kind: 'abort', id, reason });
  }
  records(): string[] {
    return this.events.flatMap((e) => (e.kind === 'record' ? [`${e.p}:${e.i}`] : []));
  }
  /** A compact trace: records as `p:i`, checkpoints as `cp<id>`, aborts as `abort<id>:<reason>`, watermarks as `wm<ts>`. */
  trace(): string[] {
    return this.events.map((e) =>
      e.kind === 'record' ? `${e.p}:${e.i}` : e.kind === 'checkpoint' ? `cp${e.barrier.checkpointId}` : e.kind === 'abort' ? `abort${e.id}:${e.reason}` : e.kind === 'watermark' ? `wm${e.ts}` : `status:${e.status}`,
    );
  }
}

const EO = { mode: 'EXACTLY_ONCE', isSavepoint: false } as const;
const barrier = (id: number, options: CheckpointBarrier['options'] = EO): CheckpointBarrier => ({ checkpointId: id, timestamp: 1000 + id, options });

/** `n` producer subtasks on one thread feeding one consumer subtask (one gate of `n` channels). */
function fanIn(n: number, config = { bufferSize: 256, creditsPerChannel: 2 }, edgeId = 'e1', env = new NetworkEnvironment('t0', config)) {
  const edge: EdgeDeployment = { scope: 'job@0', jobEdgeId: edgeId, partitionerKind: 'rebalance', producerThreads: Array<string>(n).fill('t0'), consumerThreads: ['t0'] };
  const writers: RecordWriter<Tuple>[] = [];
  for (let p = 0; p < n; p++) {
    writers.push(env.createRecordWriter(describeResultPartition(edge, p), { serializer: tupleSerializer, partitioner: { kind: 'rebalance' }, maxParallelism: 128, producerSubtask: p, operatorName: `src${p}` }));
  }
  const input = env.createNetworkInput(describeInputGate(edge, 0), tupleSerializer);
  return { env, writers, input };
}

const rec = new StreamRecord<Tuple>(['', 0]);
function emit(w: RecordWriter<Tuple>, p: string, ...is: number[]): void {
  for (const i of is) w.emit(rec.replace<Tuple>([p, i]));
  w.flushAll();
}

function readAll(input: StreamNetworkInput<Tuple>, out: Recorder): string {
  let st = input.processAvailable(out, 1_000_000);
  while (st === 'MORE_AVAILABLE') st = input.processAvailable(out, 1_000_000);
  return st;
}

function setup(n: number, mode: CheckpointingMode = 'EXACTLY_ONCE') {
  const f = fanIn(n);
  const out = new Recorder();
  let now = 0;
  const handler = createCheckpointBarrierHandler(mode, out, () => now);
  f.input.setBarrierHandler(handler);
  return { ...f, out, handler, setNow: (t: number) => (now = t) };
}

describe('checkpoint barrier framing', () => {
  it('delivers barriers and cancel markers in order between records, with their ids, timestamps and options', () => {
    const { writer, input } = localPair(tupleSerializer, { bufferSize: 64, creditsPerChannel: 2 });
    const out = new Recorder();
    input.setCheckpointListener(out);
    const expected: string[] = [];
    let id = 0;
    // small buffers: barrier frames land at every offset, including across buffer boundaries
    for (let i = 0; i < 60; i++) {
      writer.emit(rec.replace<Tuple>(['k', i]));
      expected.push(`k:${i}`);
      if (i % 7 === 3) {
        id++;
        writer.broadcastBarrier(barrier(id, id % 2 === 0 ? { mode: 'AT_LEAST_ONCE', isSavepoint: true } : EO));
        expected.push(`cp${id}`);
      }
      if (i % 13 === 5) {
        id++;
        writer.broadcastCancel(id);
        expected.push(`abort${id}:CANCELLED_UPSTREAM`);
      }
      // at most two buffers in flight: read as we go
      readAll(input, out);
    }
    expect(out.trace()).toEqual(expected);
    const cps = out.events.flatMap((e) => (e.kind === 'checkpoint' ? [e.barrier] : []));
    const even = cps.find((b) => b.checkpointId % 2 === 0)!;
    expect(even).toEqual({ checkpointId: even.checkpointId, timestamp: 1000 + even.checkpointId, options: { mode: 'AT_LEAST_ONCE', isSavepoint: true } });
    const odd = cps.find((b) => b.checkpointId % 2 === 1)!;
    expect(odd.options).toEqual(EO);
  });

  it('flushes the barrier: it reaches the consumer without waiting for the buffer to fill', () => {
    const { writer, input } = localPair(tupleSerializer);
    const out = new Recorder();
    input.setCheckpointListener(out);
    writer.emit(rec.replace<Tuple>(['k', 1]));
    writer.broadcastBarrier(barrier(7));
    expect(readAll(input, out)).toBe('NOTHING_AVAILABLE');
    expect(out.trace()).toEqual(['k:1', 'cp7']);
  });

  it('fails loudly when a barrier reaches an input without a barrier handler', () => {
    const { writer, input } = localPair(tupleSerializer);
    writer.broadcastBarrier(barrier(1));
    expect(() => input.processAvailable(new Recorder(), 10)).toThrow(/without a barrier handler/);
  });
});

describe('aligned checkpoints (EXACTLY_ONCE)', () => {
  it('blocks channels after their barrier until every channel delivered it, then triggers once and unblocks', () => {
    const { writers, input, out, handler, setNow } = setup(3);
    const [w0, w1, w2] = writers as [RecordWriter<Tuple>, RecordWriter<Tuple>, RecordWriter<Tuple>];
    for (const w of writers) w.emitWatermark(new Watermark(50));
    setNow(10);
    emit(w0, 'p0', 0, 1);
    w0.broadcastBarrier(barrier(1));
    emit(w0, 'p0', 2, 3);
    w0.emitWatermark(new Watermark(100)); // after the barrier on a channel that will be blocked
    emit(w1, 'p1', 0);
    w1.emitWatermark(new Watermark(100));
    w1.broadcastBarrier(barrier(1));
    emit(w1, 'p1', 1);
    emit(w2, 'p2', 0, 1, 2);
    w2.emitWatermark(new Watermark(100));
    w2.flushAll();

    expect(readAll(input, out)).toBe('NOTHING_AVAILABLE');
    expect(out.records().sort()).toEqual(['p0:0', 'p0:1', 'p1:0', 'p2:0', 'p2:1', 'p2:2']);
    // the blocked channel 0 holds the watermark at 50: its post-barrier watermark 100 is not seen
    expect(out.trace().filter((t) => t.startsWith('wm'))).toEqual(['wm50']);
    const s = handler.stats();
    expect(s.pendingCheckpointId).toBe(1);
    expect(s.blockedChannels).toBe(2);
    expect(s.bytesBufferedInBlockedChannels).toBeGreaterThan(0);

    setNow(35);
    w2.broadcastBarrier(barrier(1));
    emit(w2, 'p2', 3);
    expect(readAll(input, out)).toBe('NOTHING_AVAILABLE');
    const trace = out.trace();
    const cp = trace.indexOf('cp1');
    expect(trace.filter((t) => t === 'cp1')).toHaveLength(1);
    expect(trace.slice(0, cp).filter((t) => t.includes(':')).sort()).toEqual(['p0:0', 'p0:1', 'p1:0', 'p2:0', 'p2:1', 'p2:2']);
    expect(trace.slice(cp + 1).filter((t) => t.includes(':')).sort()).toEqual(['p0:2', 'p0:3', 'p1:1', 'p2:3']);
    expect(trace.slice(cp + 1)).toContain('wm100');
    const ev = out.events[out.events.findIndex((e) => e.kind === 'checkpoint')];
    expect(ev).toMatchObject({ metrics: { alignmentDurationMs: 25 } });
    expect((ev as { metrics: CheckpointAlignmentMetrics }).metrics.bytesBufferedInBlockedChannels).toBeGreaterThan(0);
    expect(handler.stats()).toMatchObject({ lastCompletedCheckpointId: 1, lastAlignmentDurationMs: 25, pendingCheckpointId: null, blockedChannels: 0, bytesBufferedInBlockedChannels: 0, checkpointsTriggered: 1 });
  });

  it('keeps a blocked channel from returning credit: its producer turns unavailable while the others continue', () => {
    const { writers, input, out } = setup(2);
    const [w0, w1] = writers as [RecordWriter<Tuple>, RecordWriter<Tuple>];
    w0.broadcastBarrier(barrier(1));
    let i = 0;
    let guard = 0;
    while (w0.isAvailable() && guard++ < 10_000) {
      emit(w0, 'p0', i++);
      readAll(input, out);
    }
    expect(w0.isAvailable()).toBe(false); // stalled on credit: nothing after the barrier is read
    expect(out.records()).toEqual([]);
    for (let k = 0; k < 500; k++) emit(w1, 'p1', k);
    readAll(input, out);
    expect(out.records()).toHaveLength(500); // the other channel keeps flowing
    w1.broadcastBarrier(barrier(1));
    readAll(input, out);
    expect(out.trace()).toContain('cp1');
    expect(out.records().filter((r) => r.startsWith('p0'))).toHaveLength(i);
  });

  it('aborts the older checkpoint when a newer barrier arrives before alignment completes, and aligns the newer', () => {
    const { writers, input, out, handler } = setup(3);
    const [w0, w1, w2] = writers as [RecordWriter<Tuple>, RecordWriter<Tuple>, RecordWriter<Tuple>];
    w0.broadcastBarrier(barrier(1));
    emit(w0, 'p0', 0);
    w0.broadcastBarrier(barrier(2));
    emit(w0, 'p0', 1);
    w1.broadcastBarrier(barrier(1));
    emit(w1, 'p1', 0);
    w1.broadcastBarrier(barrier(2));
    emit(w1, 'p1', 1);
    readAll(input, out);
    expect(out.trace()).toEqual([]);
    w2.broadcastBarrier(barrier(2)); // checkpoint 1 never reached this producer
    emit(w2, 'p2', 0);
    readAll(input, out);
    const trace = out.trace();
    expect(trace[0]).toBe('abort1:SUBSUMED');
    const cp = trace.indexOf('cp2');
    expect(trace.filter((t) => t.startsWith('cp'))).toEqual(['cp2']);
    expect(trace.slice(0, cp).filter((t) => t.includes(':') && !t.startsWith('abort')).sort()).toEqual(['p0:0', 'p1:0']);
    expect(trace.slice(cp + 1).sort()).toEqual(['p0:1', 'p1:1', 'p2:0']);
    expect(handler.stats()).toMatchObject({ checkpointsAborted: 1, checkpointsTriggered: 1, blockedChannels: 0 });
  });

  it('aborts on a cancel marker, unblocks, and ignores the late barriers of the cancelled checkpoint', () => {
    const { writers, input, out, handler } = setup(3);
    const [w0, w1, w2] = writers as [RecordWriter<Tuple>, RecordWriter<Tuple>, RecordWriter<Tuple>];
    w0.broadcastBarrier(barrier(1));
    emit(w0, 'p0', 0);
    readAll(input, out);
    expect(out.trace()).toEqual([]);
    w1.broadcastCancel(1);
    emit(w1, 'p1', 0);
    readAll(input, out);
    expect(out.trace()[0]).toBe('abort1:CANCELLED_UPSTREAM');
    expect(out.records().sort()).toEqual(['p0:0', 'p1:0']);
    w2.broadcastBarrier(barrier(1));
    emit(w2, 'p2', 0);
    w1.broadcastCancel(1);
    readAll(input, out);
    expect(out.records()).toContain('p2:0');
    expect(out.trace().filter((t) => t.startsWith('cp') || t.startsWith('abort'))).toEqual(['abort1:CANCELLED_UPSTREAM']);
    expect(handler.stats()).toMatchObject({ checkpointsAborted: 1, checkpointsTriggered: 0, blockedChannels: 0, pendingCheckpointId: null });
  });

  it('counts a channel that ends during alignment as aligned, and later checkpoints do not wait for it', () => {
    const { writers, input, out } = setup(3);
    const [w0, w1, w2] = writers as [RecordWriter<Tuple>, RecordWriter<Tuple>, RecordWriter<Tuple>];
    w0.broadcastBarrier(barrier(1));
    emit(w0, 'p0', 0);
    w1.broadcastBarrier(barrier(1));
    emit(w1, 'p1', 0);
    readAll(input, out);
    expect(out.trace()).toEqual([]);
    emit(w2, 'p2', 0);
    w2.emitEndOfPartition();
    readAll(input, out);
    let trace = out.trace();
    expect(trace.slice(0, 2)).toEqual(['p2:0', 'cp1']);
    expect(trace.slice(2).sort()).toEqual(['p0:0', 'p1:0']);
    w0.broadcastBarrier(barrier(2));
    w1.broadcastBarrier(barrier(2));
    readAll(input, out);
    trace = out.trace();
    expect(trace.filter((t) => t.startsWith('cp'))).toEqual(['cp1', 'cp2']);
    w0.emitEndOfPartition();
    w1.emitEndOfPartition();
    expect(readAll(input, out)).toBe('END_OF_INPUT');
  });

  it('returns the buffers of blocked channels when the input is released during alignment', () => {
    const { env, writers, input, out, handler } = setup(2);
    const w0 = writers[0]!;
    emit(w0, 'p0', 0);
    w0.broadcastBarrier(barrier(1));
    emit(w0, 'p0', 1, 2);
    readAll(input, out);
    expect(handler.stats().bytesBufferedInBlockedChannels).toBeGreaterThan(0);
    input.release();
    expect(handler.stats().bytesBufferedInBlockedChannels).toBe(0);
    expect(env.stats().queuedAtConsumersBytes).toBe(0);
    expect(out.records()).toEqual(['p0:0']);
  });

  it('aligns across the two inputs of a two-input task that share one handler', () => {
    const env = new NetworkEnvironment('t0', { bufferSize: 256, creditsPerChannel: 2 });
    const a = fanIn(1, undefined, 'left', env);
    const b = fanIn(2, undefined, 'right', env);
    const out = new Recorder();
    const handler = createCheckpointBarrierHandler('EXACTLY_ONCE', out);
    a.input.setBarrierHandler(handler);
    b.input.setBarrierHandler(handler);
    expect(handler.numChannels).toBe(3);
    a.writers[0]!.broadcastBarrier(barrier(4));
    emit(a.writers[0]!, 'a0', 0);
    b.writers[0]!.broadcastBarrier(barrier(4));
    emit(b.writers[0]!, 'b0', 0);
    emit(b.writers[1]!, 'b1', 0);
    readAll(a.input, out);
    readAll(b.input, out);
    expect(out.trace()).toEqual(['b1:0']);
    b.writers[1]!.broadcastBarrier(barrier(4));
    readAll(b.input, out);
    readAll(a.input, out);
    expect(out.trace().slice(0, 2)).toEqual(['b1:0', 'cp4']);
    expect(out.trace().slice(2).sort()).toEqual(['a0:0', 'b0:0']);
  });
});

describe('at-least-once checkpoints (CheckpointBarrierTracker)', () => {
  it('never blocks, and triggers once per checkpoint when the barrier arrived on every channel', () => {
    const { writers, input, out, handler } = setup(3, 'AT_LEAST_ONCE');
    const [w0, w1, w2] = writers as [RecordWriter<Tuple>, RecordWriter<Tuple>, RecordWriter<Tuple>];
    w0.broadcastBarrier(barrier(1));
    emit(w0, 'p0', 0);
    w1.broadcastBarrier(barrier(1));
    emit(w1, 'p1', 0);
    readAll(input, out);
    expect(out.trace().sort()).toEqual(['p0:0', 'p1:0']); // post-barrier records flow: no blocking
    expect(handler.stats()).toMatchObject({ blockedChannels: 0, pendingCheckpointId: 1 });
    w2.broadcastBarrier(barrier(1));
    emit(w2, 'p2', 0);
    w0.broadcastBarrier(barrier(2));
    w1.broadcastBarrier(barrier(2));
    w2.broadcastBarrier(barrier(2));
    readAll(input, out);
    const trace = out.trace();
    expect(trace.filter((t) => t.startsWith('cp'))).toEqual(['cp1', 'cp2']);
    expect(trace.indexOf('cp1')).toBeLessThan(trace.indexOf('p2:0'));
    expect(handler.stats()).toMatchObject({ checkpointsTriggered: 2, checkpointsAborted: 0, lastCompletedCheckpointId: 2 });
  });

  it('aborts on a cancel marker and ignores the remaining barriers of that checkpoint', () => {
    const { writers, input, out } = setup(2, 'AT_LEAST_ONCE');
    const [w0, w1] = writers as [RecordWriter<Tuple>, RecordWriter<Tuple>];
    w0.broadcastBarrier(barrier(1));
    w1.broadcastCancel(1);
    readAll(input, out);
    w1.broadcastBarrier(barrier(1));
    w0.emitEndOfPartition();
    readAll(input, out);
    expect(out.trace()).toEqual(['abort1:CANCELLED_UPSTREAM']);
  });
});
