import { describe, expect, it } from 'vitest';
import { MAX_WATERMARK, NO_TIMESTAMP, StreamRecord, Watermark } from '@riffle/core';
import { CollectingOutput, bytesSerializer, lyingSerializer, tupleSerializer } from './test-fixtures/test-serializers.js';
import { localPair } from './test-fixtures/local-pair.js';

describe('network framing', () => {
  it('round-trips records with and without timestamps, watermarks, statuses and end of partition across many small buffers', () => {
    const { env, writer, input } = localPair(tupleSerializer, { bufferSize: 128, creditsPerChannel: 2 });
    const out = new CollectingOutput<[string, number]>();
    const expected: unknown[] = [];
    const rec = new StreamRecord<[string, number]>(['', 0]);
    const n = 2000;
    let i = 0;
    let status = 'NOTHING_AVAILABLE';
    while (status !== 'END_OF_INPUT') {
      while (writer.isAvailable() && i <= n) {
        if (i === n) {
          writer.emitWatermark(Watermark.MAX);
          expected.push({ kind: 'watermark', timestamp: MAX_WATERMARK });
          writer.emitEndOfPartition();
          i++;
          break;
        }
        const value: [string, number] = [i % 7 === 0 ? `ünïcødé-€-${i}-😀` : `key-${i}`, i * 1.5];
        const ts = i % 3 === 0 ? NO_TIMESTAMP : 1000 + i;
        writer.emit(rec.replaceWithTimestamp(value, ts));
        expected.push({ kind: 'record', value, timestamp: ts });
        if (i % 100 === 99) {
          writer.emitWatermark(new Watermark(i));
          expected.push({ kind: 'watermark', timestamp: i });
        }
        i++;
      }
      status = input.processAvailable(out, 50);
    }
    expect(out.events).toEqual(expected);
    expect(input.processAvailable(out, 10)).toBe('END_OF_INPUT');
    expect(writer.partition.stats().recordsOut).toBe(n);
    expect(input.gates[0]!.stats().recordsIn).toBe(n);
    expect(env.stats().bufferedBytes).toBe(0);
    expect(env.registered()).toEqual({ partitions: 0, gates: 0, producerChannels: 0, consumerChannels: 0 });
  });

  it('sends a record larger than a buffer in its own oversized buffer, in order with its neighbours', () => {
    const { env, writer, input } = localPair(bytesSerializer, { bufferSize: 256 });
    const out = new CollectingOutput<Uint8Array>();
    const sizes = [10, 200, 5000, 20, 100_000, 3];
    const values = sizes.map((s, k) => new Uint8Array(s).fill(k + 1));
    const rec = new StreamRecord<Uint8Array>(new Uint8Array(0));
    let k = 0;
    let status = 'NOTHING_AVAILABLE';
    while (status !== 'END_OF_INPUT') {
      while (writer.isAvailable() && k <= values.length) {
        if (k === values.length) writer.emitEndOfPartition();
        else writer.emit(rec.replace(values[k]!));
        k++;
      }
      status = input.processAvailable(out, 1000);
    }
    const hex = (v: Uint8Array): string => Buffer.from(v).toString('hex');
    expect(out.records().map(hex)).toEqual(values.map(hex));
    expect(env.stats().maxBufferedBytes).toBeGreaterThanOrEqual(100_000);
    expect(env.stats().bufferedBytes).toBe(0);
  });

  it('round-trips strings of every length class, ASCII and not, including ones that do not fit the current buffer', async () => {
    const { writer, input } = localPair(tupleSerializer, { bufferSize: 1024 });
    const out = new CollectingOutput<[string, number]>();
    const lengths = [0, 1, 7, 10, 11, 63, 64, 65, 300, 1000, 5000, 70_000];
    const values: [string, number][] = lengths.flatMap((n, i) => [
      ['abcdefghij'.repeat(Math.ceil(n / 10)).slice(0, n), i],
      ['é€😀x'.repeat(Math.ceil(n / 4)).slice(0, n), -i],
    ]);
    const rec = new StreamRecord<[string, number]>(['', 0]);
    let k = 0;
    let status = 'NOTHING_AVAILABLE';
    while (status !== 'END_OF_INPUT') {
      while (writer.isAvailable() && k <= values.length) {
        if (k === values.length) writer.emitEndOfPartition();
        else writer.emit(rec.replace(values[k]!));
        k++;
      }
      status = input.processAvailable(out, 1000);
    }
    expect(out.records()).toEqual(values.map(([s, n]) => [Buffer.from(s, 'utf8').toString('utf8'), n]));
  });

  it('broadcasts each record to every channel', () => {
    const { writer, input } = localPair(tupleSerializer, {}, { kind: 'broadcast' });
    const out = new CollectingOutput<[string, number]>();
    writer.emit(new StreamRecord<[string, number]>(['a', 1], 5));
    writer.emitEndOfPartition();
    expect(input.processAvailable(out, 100)).toBe('END_OF_INPUT');
    expect(out.events).toEqual([{ kind: 'record', value: ['a', 1], timestamp: 5 }]);
  });

  it('fails loudly, naming the serializer, when deserialize reads less than serialize wrote', () => {
    const { writer, input } = localPair(lyingSerializer);
    writer.emit(new StreamRecord(1));
    writer.emitEndOfPartition();
    expect(() => input.processAvailable(new CollectingOutput<number>(), 100)).toThrow(/test:lying read 8 bytes of a 9-byte record/);
  });

  it('keeps partly filled buffers back until flushed', () => {
    const { writer, input } = localPair(tupleSerializer);
    const out = new CollectingOutput<[string, number]>();
    writer.emit(new StreamRecord<[string, number]>(['x', 1]));
    expect(input.processAvailable(out, 100)).toBe('NOTHING_AVAILABLE');
    expect(input.isAvailable()).toBe(false);
    writer.flushAll();
    expect(input.isAvailable()).toBe(true);
    expect(input.processAvailable(out, 100)).toBe('NOTHING_AVAILABLE');
    expect(out.records()).toEqual([['x', 1]]);
  });
});
