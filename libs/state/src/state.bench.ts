/**
 * Speed check of the keyed-state hot path (printed, never gated): per record,
 * `setCurrentKey(key)`, `ValueState.value()` and `update()`, over 100K distinct string keys,
 * 5M records in a pseudo-random key order. For context it also times the same loop over bare
 * JS `Map`s (the key group from `assignToKeyGroup`, one `Map` per key group, `get` + `set`),
 * which is the floor any heap backend pays. Throughput is reported per wall-clock second and
 * per CPU second (the CPU figure is steadier on a shared machine).
 *
 *   node --import tsx libs/state/src/state.bench.ts      (RECORDS=..., KEYS=... to change sizes)
 */
import { Types, assignToKeyGroup } from '@riffle/core';
import { HeapKeyedStateBackend } from './heap/heap-keyed-state-backend.js';
import { ValueStateDescriptor } from './state-descriptor.js';

const RECORDS = Number(process.env.RECORDS ?? 5_000_000);
const DISTINCT = Number(process.env.KEYS ?? 100_000);
const ROUNDS = 5;
const MAX_PARALLELISM = 128;

// Keys as they arrive from the network: flat strings decoded from bytes. (A template literal of
// 13+ characters is a V8 cons string, whose character reads in the key-group hash are several
// times slower; a key selector that concatenates strings builds such keys.)
const decoder = new TextDecoder();
const encoder = new TextEncoder();
const keys: string[] = [];
for (let i = 0; i < DISTINCT; i++) keys.push(decoder.decode(encoder.encode(`user-${(i * 2654435761) % 1_000_000_007}`)));
const order = new Uint32Array(RECORDS);
let seed = 42;
for (let i = 0; i < RECORDS; i++) {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  order[i] = seed % DISTINCT;
}

interface Rate {
  wall: number;
  cpu: number;
}

function timed(loop: () => void): Rate {
  const cpu0 = process.cpuUsage();
  const wall0 = process.hrtime.bigint();
  loop();
  const wall = Number(process.hrtime.bigint() - wall0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  return { wall: RECORDS / wall, cpu: RECORDS / ((cpu.user + cpu.system) / 1e6) };
}

function backendRound(): Rate {
  const backend = new HeapKeyedStateBackend<string>({ start: 0, end: MAX_PARALLELISM - 1 }, MAX_PARALLELISM);
  const state = backend.getPartitionedState(new ValueStateDescriptor<number>('count', Types.NUMBER));
  const rate = timed(() => {
    for (let i = 0; i < RECORDS; i++) {
      backend.setCurrentKey(keys[order[i]!]!);
      const current = state.value();
      state.update(current === undefined ? 1 : current + 1);
    }
  });
  let total = 0;
  for (const key of backend.getKeys('count')) {
    backend.setCurrentKey(key);
    total += state.value()!;
  }
  if (total !== RECORDS || backend.numKeys() !== DISTINCT) throw new Error(`lost updates: ${total} != ${RECORDS}`);
  return rate;
}

function bareMapRound(): Rate {
  const maps: Map<string, number>[] = [];
  for (let g = 0; g < MAX_PARALLELISM; g++) maps.push(new Map());
  return timed(() => {
    for (let i = 0; i < RECORDS; i++) {
      const key = keys[order[i]!]!;
      const map = maps[assignToKeyGroup(key, MAX_PARALLELISM)]!;
      const current = map.get(key);
      map.set(key, current === undefined ? 1 : current + 1);
    }
  });
}

const median = (xs: number[]): number => xs.sort((a, b) => a - b)[xs.length >> 1]!;
const fmt = (x: number): string => `${(x / 1e6).toFixed(2)} M ops/s`;

backendRound(); // warm-up
bareMapRound();
const ours: Rate[] = [];
const bare: Rate[] = [];
for (let r = 0; r < ROUNDS; r++) {
  ours.push(backendRound());
  bare.push(bareMapRound());
}
const line = (label: string, rates: Rate[]): string =>
  `${label}: ${fmt(median(rates.map((r) => r.wall)))} wall, ${fmt(median(rates.map((r) => r.cpu)))} CPU (median of ${ROUNDS})`;
console.log(`${RECORDS.toLocaleString('en')} records over ${DISTINCT.toLocaleString('en')} string keys, max parallelism ${MAX_PARALLELISM}`);
console.log(line('HeapKeyedStateBackend setCurrentKey + value() + update()', ours));
console.log(line('bare Maps per key group, get + set (floor)             ', bare));
