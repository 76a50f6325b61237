import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type NexmarkConfig, nexmarkConfig, splitGeneratorConfig } from './config.js';
import type { Auction, Bid, NexmarkEvent, Person } from './events.js';
import { NexmarkGenerator, nextPrice } from './generator.js';
import { generatorStateSerializer } from './generator-state-serializer.js';
import { SplitMix64 } from './split-mix-64.js';
import { CHANNELS_NUMBER, FIRST_NAMES, HOT_CHANNELS, LAST_NAMES, US_CITIES, US_STATES, nexmarkTablesFor, reverseInt32 } from './tables.js';

function take(generator: NexmarkGenerator, n: number): NexmarkEvent[] {
  const events: NexmarkEvent[] = [];
  for (let i = 0; i < n && generator.hasNext(); i++) events.push(generator.next());
  return events;
}

/** Runs a generator to the end, recording each event's id (from nextEventId) with the event. */
function drain(config: NexmarkConfig): { ids: number[]; events: NexmarkEvent[] } {
  const generator = new NexmarkGenerator(config);
  const ids: number[] = [];
  const events: NexmarkEvent[] = [];
  while (generator.hasNext()) {
    ids.push(generator.nextEventId());
    events.push(generator.next());
  }
  return { ids, events };
}

describe('NexmarkGenerator golden output', () => {
  const golden = JSON.parse(readFileSync(new URL('./__golden__/seed42.json', import.meta.url), 'utf8')) as {
    config: NexmarkConfig;
    first20: NexmarkEvent[];
    events47to54: NexmarkEvent[];
  };

  it('reproduces the frozen first 20 events of seed 42', () => {
    const config = nexmarkConfig({ seed: 42 });
    expect(config).toEqual(golden.config);
    const events = take(new NexmarkGenerator(config), 20);
    expect(JSON.parse(JSON.stringify(events))).toEqual(golden.first20);
  });

  it('reproduces the frozen events 47 to 54 of seed 42 (a person and three auctions)', () => {
    const events = take(new NexmarkGenerator(nexmarkConfig({ seed: 42 })), 54).slice(46);
    expect(JSON.parse(JSON.stringify(events))).toEqual(golden.events47to54);
  });

  it('changes every random field with the seed but keeps ids, kinds and times', () => {
    const a = take(new NexmarkGenerator(nexmarkConfig({ seed: 42 })), 200);
    const b = take(new NexmarkGenerator(nexmarkConfig({ seed: 43 })), 200);
    expect(b.map((e) => [e.kind, e.dateTime])).toEqual(a.map((e) => [e.kind, e.dateTime]));
    expect(b.filter((e, i) => JSON.stringify(e) === JSON.stringify(a[i]))).toEqual([]);
  });
});

describe('NexmarkGenerator ids, kinds and time', () => {
  it('numbers events from firstEventId + firstEventNumber and types them by id % 50', () => {
    const { ids, events } = drain(nexmarkConfig({ maxEvents: 500 }));
    expect(ids).toEqual(Array.from({ length: 500 }, (_, i) => 2 + i));
    events.forEach((e, i) => {
      const rem = ids[i] % 50;
      expect(e.kind).toBe(rem < 1 ? 'person' : rem < 4 ? 'auction' : 'bid');
      if (e.kind === 'person') expect(e.id).toBe(1000 + Math.floor(ids[i] / 50));
      if (e.kind === 'auction') expect(e.id).toBe(1000 + Math.floor(ids[i] / 50) * 3 + (rem - 1));
    });
  });

  it('stamps event e at baseTime + floor(e · 1e6 / rate · generators) / 1000 ms', () => {
    const config = nexmarkConfig({ maxEvents: 1000, firstEventRate: 3000, nextEventRate: 3000, numEventGenerators: 2, baseTime: 5_000 });
    const events = take(new NexmarkGenerator(config), 1000);
    events.forEach((e, i) => expect(e.dateTime).toBe(5_000 + Math.floor(Math.floor((1 + i) * ((1e6 / 3000) * 2)) / 1000)));
  });

  it('shuffles events within out-of-order groups and keeps them above the generator watermark', () => {
    const g = 50;
    const generator = new NexmarkGenerator(nexmarkConfig({ maxEvents: 1000, outOfOrderGroupSize: g }));
    const ids: number[] = [];
    let previousWatermark = -Infinity;
    let disorder = 0;
    while (generator.hasNext()) {
      const watermark = generator.watermark();
      expect(watermark).toBeGreaterThanOrEqual(previousWatermark);
      previousWatermark = watermark;
      ids.push(generator.nextEventId());
      const event = generator.next();
      expect(event.dateTime).toBeGreaterThanOrEqual(watermark);
      if (ids.length > 1 && ids[ids.length - 1] < ids[ids.length - 2]) disorder++;
    }
    expect(disorder).toBeGreaterThan(20); // 953 ≡ 3 (mod 50): each group wraps about 3 times
    // Each group of event numbers [50k, 50k + 50) is a permutation of its ids.
    const byGroup = new Map<number, number[]>();
    ids.forEach((id, i) => {
      const group = Math.floor((1 + i) / g);
      byGroup.set(group, [...(byGroup.get(group) ?? []), id]);
    });
    for (const [group, groupIds] of byGroup) {
      const expected = Array.from({ length: groupIds.length }, (_, j) => 1 + group * g + j + (group === 0 ? 1 : 0));
      expect([...groupIds].sort((a, b) => a - b)).toEqual(expected);
    }
  });

  it('reports a watermark equal to the next timestamp when events are in order', () => {
    const generator = new NexmarkGenerator(nexmarkConfig({ maxEvents: 300 }));
    while (generator.hasNext()) {
      const watermark = generator.watermark();
      expect(generator.nextEventTimestamp()).toBe(watermark);
      expect(generator.next().dateTime).toBe(watermark);
    }
  });

  it('stops after maxEvents', () => {
    const generator = new NexmarkGenerator(nexmarkConfig({ maxEvents: 3 }));
    take(generator, 3);
    expect(generator.hasNext()).toBe(false);
    expect(generator.position).toBe(3);
    expect(() => generator.next()).toThrow(/all 3 events/);
  });
});

describe('NexmarkGenerator splits', () => {
  const total = 3000;

  for (const n of [1, 2, 3]) {
    it(`covers ids [2, ${total + 2}) exactly once over ${n} split(s) on parallel timelines`, () => {
      const splits = splitGeneratorConfig(nexmarkConfig({ maxEvents: total, numEventGenerators: n }), n);
      const allIds: number[] = [];
      const firstTimestamps: number[] = [];
      splits.forEach((split, k) => {
        const { ids, events } = drain(split);
        const expectedCount = k < n - 1 ? Math.floor(total / n) : total - Math.floor(total / n) * (n - 1);
        expect(events).toHaveLength(expectedCount);
        expect(ids).toEqual(Array.from({ length: expectedCount }, (_, i) => split.firstEventId + 1 + i));
        allIds.push(...ids);
        firstTimestamps.push(events[0].dateTime);
        // Persons carry ids from the split's own id range.
        for (const [i, e] of events.entries()) if (e.kind === 'person') expect(e.id).toBe(1000 + Math.floor(ids[i] / 50));
      });
      expect(allIds.sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, i) => 2 + i));
      expect(new Set(firstTimestamps).size).toBe(1);
    });
  }

  it('produces identical events for split k on every run, independent of the other splits', () => {
    const config = nexmarkConfig({ maxEvents: 2000, numEventGenerators: 3 });
    const first = splitGeneratorConfig(config, 3).map((s) => drain(s).events);
    const second = splitGeneratorConfig(config, 3).map((s) => drain(s).events);
    expect(second).toEqual(first);
    // Different splits draw from different random streams.
    expect(JSON.stringify(first[0][5])).not.toBe(JSON.stringify(first[1][5]));
  });
});

describe('NexmarkGenerator snapshot and restore', () => {
  for (const outOfOrderGroupSize of [1, 50]) {
    it(`continues identically after restore (outOfOrderGroupSize ${outOfOrderGroupSize})`, () => {
      const config = nexmarkConfig({ maxEvents: 5000, seed: 9, outOfOrderGroupSize });
      const uninterrupted = take(new NexmarkGenerator(config), 5000);
      const generator = new NexmarkGenerator(config);
      const resumed: NexmarkEvent[] = take(generator, 777);
      const state = generator.snapshot();
      expect(state.eventsCountSoFar).toBe(777);
      let restored = NexmarkGenerator.restore(state);
      expect(restored.position).toBe(777);
      expect(restored.watermark()).toBe(generator.watermark());
      resumed.push(...take(restored, 1500));
      // Through the versioned serializer, as a checkpoint would.
      const bytes = generatorStateSerializer.serialize(restored.snapshot());
      restored = NexmarkGenerator.restore(generatorStateSerializer.deserialize(generatorStateSerializer.getVersion(), bytes));
      resumed.push(...take(restored, 5000));
      expect(resumed).toEqual(uninterrupted);
      expect(restored.hasNext()).toBe(false);
    });
  }

  it('rejects a state whose position is beyond the configured events', () => {
    const generator = new NexmarkGenerator(nexmarkConfig({ maxEvents: 10 }));
    expect(() => NexmarkGenerator.restore({ ...generator.snapshot(), eventsCountSoFar: 11 })).toThrow(/eventsCountSoFar/);
  });
});

describe('NexmarkGenerator fields', () => {
  const events = take(new NexmarkGenerator(nexmarkConfig({ seed: 5 })), 20_000);
  const persons = events.filter((e): e is Person => e.kind === 'person');
  const auctions = events.filter((e): e is Auction => e.kind === 'auction');
  const bids = events.filter((e): e is Bid => e.kind === 'bid');

  it('builds persons from the model lists and formats', () => {
    const names = new Set(FIRST_NAMES.flatMap((f) => LAST_NAMES.map((l) => `${f} ${l}`)));
    for (const p of persons) {
      expect(names.has(p.name)).toBe(true);
      expect(p.emailAddress).toMatch(/^[a-z](?:[a-z ]*[a-z])?@[a-z](?:[a-z ]*[a-z])?\.com$/);
      expect(p.creditCard).toMatch(/^\d{4} \d{4} \d{4} \d{4}$/);
      expect(US_CITIES).toContain(p.city);
      expect(US_STATES).toContain(p.state);
    }
  });

  it('builds auctions with categories 10-14, reserve above the initial bid and a later expiry', () => {
    for (const a of auctions) {
      expect(a.category).toBeGreaterThanOrEqual(10);
      expect(a.category).toBeLessThan(15);
      expect(a.reserve).toBeGreaterThanOrEqual(a.initialBid + 100);
      // expires = dateTime + 1 + nextLong(2 · horizon), horizon = time of 1666 events = 166 ms
      expect(a.expires - a.dateTime).toBeGreaterThanOrEqual(1);
      expect(a.expires - a.dateTime).toBeLessThanOrEqual(333);
      expect(a.itemName.length).toBeLessThanOrEqual(19);
      expect(a.description.length).toBeLessThanOrEqual(99);
      expect(a.itemName).toBe(a.itemName.trim());
    }
  });

  it('gives bids a hot channel or a cached channel URL with channel_id = abs(Integer.reverse(i)) on 90 %', () => {
    const tables = nexmarkTablesFor(5);
    let withId = 0;
    for (let i = 0; i < CHANNELS_NUMBER; i++) {
      const url = tables.channelUrls[i];
      expect(url).toMatch(/^https:\/\/www\.nexmark\.com\/[a-z_]+\/[a-z_]+\/[a-z_]+\/item\.htm\?query=1(&channel_id=-?\d+)?$/);
      const id = /channel_id=(-?\d+)/.exec(url)?.[1];
      if (id !== undefined) {
        withId++;
        const reversed = reverseInt32(i);
        expect(Number(id)).toBe(reversed === -2147483648 ? reversed : Math.abs(reversed));
      }
    }
    expect(withId / CHANNELS_NUMBER).toBeCloseTo(0.9, 1);
    for (const b of bids) {
      const hot = HOT_CHANNELS.indexOf(b.channel);
      if (hot >= 0) expect(b.url).toBe(tables.hotUrls[hot]);
      else expect(tables.channelUrls[Number(b.channel.slice('channel-'.length))]).toBe(b.url);
    }
  });

  it('builds the same tables for the same seed, different ones for another', () => {
    expect(nexmarkTablesFor(5).channelUrls[17]).toBe(nexmarkTablesFor(5).channelUrls[17]);
    expect(nexmarkTablesFor(6).hotUrls).not.toEqual(nexmarkTablesFor(5).hotUrls);
  });
});

describe('nextPrice', () => {
  it('equals Math.round(Math.pow(10, u * 6) * 100) for random and near-tie inputs', () => {
    const rng = new SplitMix64(3);
    const reference = (u: number) => Math.round(Math.pow(10, u * 6) * 100);
    for (let i = 0; i < 300_000; i++) {
      const u = rng.nextDouble();
      if (nextPrice(u) !== reference(u)) expect(nextPrice(u)).toBe(reference(u));
    }
    // Inputs whose price lies within a few ulps of a half cent, where a cheaper 10^x could round
    // differently.
    for (let cents = 100; cents < 1e8; cents = Math.ceil(cents * 1.01)) {
      const u0 = Math.log10((cents + 0.5) / 100) / 6;
      for (let k = -3; k <= 3; k++) {
        const u = u0 + k * Number.EPSILON * u0;
        if (u >= 0 && u < 1 && nextPrice(u) !== reference(u)) expect(nextPrice(u)).toBe(reference(u));
      }
    }
    expect(nextPrice(0)).toBe(100);
  });
});
