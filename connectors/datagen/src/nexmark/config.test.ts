import { describe, expect, it } from 'vitest';
import {
  DEFAULT_NEXMARK_CONFIG,
  NexmarkConfigError,
  UNBOUNDED_MAX_EVENTS,
  nexmarkConfig,
  splitGeneratorConfig,
} from './config.js';

describe('nexmarkConfig', () => {
  it('defaults to the nexmark/nexmark settings', () => {
    const c = nexmarkConfig();
    expect([c.personProportion, c.auctionProportion, c.bidProportion]).toEqual([1, 3, 46]);
    expect([c.avgPersonByteSize, c.avgAuctionByteSize, c.avgBidByteSize]).toEqual([200, 500, 100]);
    expect([c.firstEventRate, c.nextEventRate]).toEqual([10_000, 10_000]);
    expect([c.hotAuctionRatio, c.hotSellersRatio, c.hotBiddersRatio]).toEqual([2, 4, 4]);
    expect([c.numInFlightAuctions, c.numActivePeople, c.outOfOrderGroupSize]).toEqual([100, 1000, 1]);
    expect([c.firstEventId, c.firstEventNumber, c.numEventGenerators, c.maxEvents]).toEqual([1, 1, 1, 0]);
  });

  it('overrides only the given options and ignores undefined ones', () => {
    const c = nexmarkConfig({ seed: 7, maxEvents: 100, hotAuctionRatio: undefined });
    expect(c).toEqual({ ...DEFAULT_NEXMARK_CONFIG, seed: 7, maxEvents: 100 });
    expect(Object.isFrozen(c)).toBe(true);
  });

  it.each([
    [{ hotAuctionRatio: 0 }, 'hotAuctionRatio'],
    [{ maxEvents: -1 }, 'maxEvents'],
    [{ seed: 1.5 }, 'seed'],
    [{ outOfOrderGroupSize: 0 }, 'outOfOrderGroupSize'],
    [{ firstEventRate: 0, nextEventRate: 0 }, 'firstEventRate'],
    [{ nextEventRate: 20_000 }, 'nextEventRate'],
    [{ avgBidByteSize: 10_000_000 }, 'avgBidByteSize'],
    [{ personProportion: 0, auctionProportion: 0, bidProportion: 0 }, 'personProportion'],
    [{ bidsProportion: 3 } as never, 'bidsProportion'],
  ])('rejects %o naming the option', (options, option) => {
    let error: unknown;
    try {
      nexmarkConfig(options);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NexmarkConfigError);
    expect((error as NexmarkConfigError).option).toBe(option);
    expect((error as Error).message).toContain(`'${option}'`);
  });
});

describe('splitGeneratorConfig', () => {
  it('gives each split maxEvents/n events, the last the remainder, disjoint ids and the same event numbers', () => {
    const splits = splitGeneratorConfig(nexmarkConfig({ maxEvents: 11, numEventGenerators: 3 }), 3);
    expect(splits.map((s) => s.maxEvents)).toEqual([3, 3, 5]);
    expect(splits.map((s) => s.firstEventId)).toEqual([1, 4, 7]);
    expect(splits.map((s) => s.firstEventNumber)).toEqual([1, 1, 1]);
    expect(splits.map((s) => s.splitIndex)).toEqual([0, 1, 2]);
    expect(splits.every((s) => s.numEventGenerators === 3 && s.seed === 42)).toBe(true);
  });

  it('returns the configuration itself for one split', () => {
    const config = nexmarkConfig({ maxEvents: 5 });
    expect(splitGeneratorConfig(config, 1)).toEqual([config]);
  });

  it('splits an unbounded configuration into large bounded ranges', () => {
    const splits = splitGeneratorConfig(nexmarkConfig(), 4);
    expect(splits.map((s) => s.maxEvents)).toEqual(Array(4).fill(UNBOUNDED_MAX_EVENTS / 4));
    expect(splits[3].firstEventId).toBe(1 + 3 * (UNBOUNDED_MAX_EVENTS / 4));
  });

  it('refuses more splits than events, since an empty split would read as unbounded', () => {
    expect(() => splitGeneratorConfig(nexmarkConfig({ maxEvents: 2 }), 3)).toThrow(/maxEvents/);
    expect(() => splitGeneratorConfig(nexmarkConfig({ maxEvents: 2 }), 0)).toThrow(/parallelism/);
  });
});
