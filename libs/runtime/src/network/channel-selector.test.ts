import { describe, expect, it } from 'vitest';
import { assignKeyToParallelOperator } from '@riffle/core';
import { createChannelSelector, type ChannelSelectorContext } from './channel-selector.js';

const ctx = (numChannels: number, producerIndex = 0): ChannelSelectorContext => ({
  numChannels,
  maxParallelism: 128,
  producerIndex,
  operatorName: 'MyMap',
});

describe('channel selectors', () => {
  it('routes each key to the subtask the key-group formula names', () => {
    const sel = createChannelSelector<[string, number]>({ kind: 'hash', keySelector: { getKey: (v: [string, number]) => v[0] } }, ctx(4));
    for (let i = 0; i < 1000; i++) {
      const key = `user-${i}`;
      expect(sel.selectChannel([key, i])).toBe(assignKeyToParallelOperator(key, 128, 4));
    }
    const numeric = createChannelSelector<number>({ kind: 'hash', keySelector: { getKey: (v: number) => v } }, { ...ctx(3), maxParallelism: 7 });
    for (let i = 0; i < 100; i++) expect(numeric.selectChannel(i)).toBe(assignKeyToParallelOperator(i, 7, 3));
  });

  it('throws naming the operator when a key selector returns undefined', () => {
    const sel = createChannelSelector<{ k?: string }>({ kind: 'hash', keySelector: { getKey: (v: { k?: string }) => v.k } }, ctx(2));
    expect(() => sel.selectChannel({})).toThrow(/MyMap.*returned undefined/);
    const custom = createChannelSelector<{ k?: string }>(
      { kind: 'custom', keySelector: { getKey: (v: { k?: string }) => v.k }, partitioner: { partition: () => 0 } },
      ctx(2),
    );
    expect(() => custom.selectChannel({})).toThrow(/MyMap.*returned undefined/);
  });

  it('validates custom partitioner results and names the operator when out of range', () => {
    const make = (result: number) =>
      createChannelSelector<number>({ kind: 'custom', keySelector: { getKey: (v: number) => v }, partitioner: { partition: () => result } }, ctx(3));
    expect(make(2).selectChannel(1)).toBe(2);
    expect(() => make(3).selectChannel(1)).toThrow(/custom partitioner.*"MyMap" returned 3.*\[0, 3\)/);
    expect(() => make(-1).selectChannel(1)).toThrow(/MyMap/);
    expect(() => make(1.5).selectChannel(1)).toThrow(/MyMap/);
    const byKey = createChannelSelector<number>(
      { kind: 'custom', keySelector: { getKey: (v: number) => v * 10 }, partitioner: { partition: (k: number, n: number) => k % n } },
      ctx(4),
    );
    expect([1, 2, 3].map((v) => byKey.selectChannel(v))).toEqual([2, 0, 2]);
  });

  it('rebalances round robin starting at the producer index', () => {
    const sel = createChannelSelector<number>({ kind: 'rebalance' }, ctx(3, 4));
    expect(Array.from({ length: 7 }, () => sel.selectChannel(0))).toEqual([1, 2, 0, 1, 2, 0, 1]);
  });

  it('rescales round robin over the pointwise-connected channels', () => {
    const sel = createChannelSelector<number>({ kind: 'rescale' }, ctx(2, 5));
    expect(Array.from({ length: 5 }, () => sel.selectChannel(0))).toEqual([0, 1, 0, 1, 0]);
  });

  it('sends everything to channel 0 for global and forward, everywhere for broadcast', () => {
    expect(createChannelSelector<number>({ kind: 'global' }, ctx(4)).selectChannel(9)).toBe(0);
    expect(createChannelSelector<number>({ kind: 'forward' }, ctx(1)).selectChannel(9)).toBe(0);
    expect(() => createChannelSelector<number>({ kind: 'forward' }, ctx(2))).toThrow(/Forward/);
    expect(createChannelSelector<number>({ kind: 'broadcast' }, ctx(4)).isBroadcast).toBe(true);
  });

  it('shuffles over every channel', () => {
    const sel = createChannelSelector<number>({ kind: 'shuffle' }, ctx(4));
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) {
      const ch = sel.selectChannel(0);
      expect(ch >= 0 && ch < 4).toBe(true);
      seen.add(ch);
    }
    expect(seen.size).toBe(4);
  });
});
