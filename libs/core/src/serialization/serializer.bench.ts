 
/**
 * Serializer throughput: round-trips 2M `[word, count]` tuples through the dynamic serializer
 * and through `Types.TUPLE(Types.STRING, Types.NUMBER)`, in 32 KiB-ish buffers as the network
 * stack does. Prints records/s; never gates anything.
 *
 *   node --import tsx libs/core/src/serialization/serializer.bench.ts [records]
 */
import { DataInputDeserializer } from './data-input-deserializer.js';
import { DataOutputSerializer } from './data-output-serializer.js';
import { dynamicSerializer } from './dynamic-serializer.js';
import type { TypeSerializer } from './type-serializer.js';
import { Types } from '../types/types.js';

const N = Number(process.argv[2] ?? 2_000_000);
const BUFFER_BYTES = 32 * 1024;

let seed = 12345;
function rand(): number {
  seed = (seed * 1103515245 + 12345) >>> 0;
  return seed / 4294967296;
}

const VOCABULARY = 50_000;
const words: string[] = [];
for (let i = 0; i < VOCABULARY; i++) {
  const len = 3 + Math.floor(rand() * 8);
  let w = '';
  for (let j = 0; j < len; j++) w += String.fromCharCode(97 + Math.floor(rand() * 26));
  words.push(w);
}
const records: [string, number][] = [];
for (let i = 0; i < N; i++) records.push([words[Math.floor(rand() * VOCABULARY)], 1 + Math.floor(rand() * 1000)]);

interface Result {
  seconds: number;
  writeSeconds: number;
  bytes: number;
  checksum: number;
}

function roundTrip(serializer: TypeSerializer<[string, number]>): Result {
  const out = new DataOutputSerializer(BUFFER_BYTES + 1024);
  const input = new DataInputDeserializer();
  let bytes = 0;
  let checksum = 0;
  let writeNanos = 0n;
  const start = process.hrtime.bigint();
  let i = 0;
  while (i < N) {
    const t0 = process.hrtime.bigint();
    out.clear();
    while (i < N && out.position < BUFFER_BYTES) serializer.serialize(records[i++], out);
    writeNanos += process.hrtime.bigint() - t0;
    bytes += out.position;
    input.setBuffer(out.data);
    while (input.remaining() > 0) {
      const r = serializer.deserialize(input);
      checksum += r[0].length + r[1];
    }
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { seconds, writeSeconds: Number(writeNanos) / 1e9, bytes, checksum };
}

const expected = records.reduce((s, r) => s + r[0].length + r[1], 0);
const candidates: [string, TypeSerializer<[string, number]>][] = [
  ['dynamic', dynamicSerializer()],
  ['TUPLE(STRING, NUMBER)', Types.TUPLE(Types.STRING, Types.NUMBER).createSerializer()],
];
for (let round = 0; round < 3; round++) {
  for (const [name, serializer] of candidates) {
    const { seconds, writeSeconds, bytes, checksum } = roundTrip(serializer);
    if (checksum !== expected) throw new Error(`${name}: checksum mismatch`);
    const m = (s: number): string => `${(N / s / 1e6).toFixed(2)}M`;
    console.log(
      `${(round === 0 ? 'warm-up ' : '') + name.padEnd(22)} ${m(seconds)} records/s round trip ` +
        `(serialize ${m(writeSeconds)}/s, deserialize ${m(seconds - writeSeconds)}/s), ${(bytes / N).toFixed(1)} bytes/record`,
    );
  }
}
