import { describe, expect, it } from 'vitest';
import { nexmarkConfig, splitGeneratorConfig } from './config.js';
import { NexmarkSplitSerializer, nexmarkSplitSerializer, type NexmarkSplit } from './nexmark-split.js';

/** Split 1 of 2 (seed 42, 1000 events) after 10 events. */
const SPLIT: NexmarkSplit = {
  splitId: '1',
  state: {
    config: splitGeneratorConfig(nexmarkConfig({ seed: 42, maxEvents: 1000, numEventGenerators: 2 }), 2)[1]!,
    eventsCountSoFar: 10,
    rngHi: 1473193003,
    rngLo: 2197528193,
  },
};

/** Format version 1 bytes of SPLIT, frozen: a change here breaks restoring old checkpoints. */
// split id "1", generator-state format 1, 185 bytes of generator state (its own golden bytes)
const GOLDEN_V1 =
  '0131' + '01' + 'b901' +
  '15000000000000f03f0000000000000840000000000000474000000000000069400000000000407f400000000000005940000000' +
  '000088c340000000000088c34000000000000000400000000000001040000000000000104000000000000059400000000000408f' +
  '40000000000000f03f0000000000407f4000000000000045400000401f25cc78420000000000507f40000000000000f03f000000' +
  '0000000040000000000000f03f00000000000024402b24cf57819efb82';

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const unhex = (s: string) => Uint8Array.from(s.match(/../g) ?? [], (b) => parseInt(b, 16));

describe('NexmarkSplitSerializer', () => {
  it('writes format version 1 byte for byte', () => {
    expect(nexmarkSplitSerializer.getVersion()).toBe(1);
    expect(hex(nexmarkSplitSerializer.serialize(SPLIT))).toBe(GOLDEN_V1);
  });

  it('reads the frozen version 1 bytes back into the same split', () => {
    expect(new NexmarkSplitSerializer().deserialize(1, unhex(GOLDEN_V1))).toEqual(SPLIT);
  });

  it('rejects unknown versions', () => {
    expect(() => nexmarkSplitSerializer.deserialize(2, unhex(GOLDEN_V1))).toThrow(/version 2/);
  });
});
