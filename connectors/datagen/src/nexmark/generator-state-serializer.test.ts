import { describe, expect, it } from 'vitest';
import { nexmarkConfig, splitGeneratorConfig } from './config.js';
import { type GeneratorState, NexmarkGenerator } from './generator.js';
import { GeneratorStateSerializer, generatorStateSerializer } from './generator-state-serializer.js';

/** Split 1 of 2 (seed 42, 1000 events) after 10 events. */
const STATE: GeneratorState = {
  config: splitGeneratorConfig(nexmarkConfig({ seed: 42, maxEvents: 1000, numEventGenerators: 2 }), 2)[1],
  eventsCountSoFar: 10,
  rngHi: 1473193003,
  rngLo: 2197528193,
};

/** Format version 1 bytes of STATE, frozen: a change here breaks restoring old checkpoints. */
const GOLDEN_V1 =
  '15000000000000f03f0000000000000840000000000000474000000000000069400000000000407f40000000000000594000000000' +
  '0088c340000000000088c34000000000000000400000000000001040000000000000104000000000000059400000000000408f4000' +
  '0000000000f03f0000000000407f4000000000000045400000401f25cc78420000000000507f40000000000000f03f000000000000' +
  '0040000000000000f03f00000000000024402b24cf57819efb82';

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const unhex = (s: string) => Uint8Array.from(s.match(/../g) ?? [], (b) => parseInt(b, 16));

describe('GeneratorStateSerializer', () => {
  it('writes format version 1 byte for byte', () => {
    expect(generatorStateSerializer.getVersion()).toBe(1);
    expect(hex(generatorStateSerializer.serialize(STATE))).toBe(GOLDEN_V1);
  });

  it('reads the frozen version 1 bytes back into the same state', () => {
    expect(generatorStateSerializer.deserialize(1, unhex(GOLDEN_V1))).toEqual(STATE);
  });

  it('round-trips the snapshot of a running generator, which then restores', () => {
    const generator = new NexmarkGenerator(STATE.config);
    for (let i = 0; i < 10; i++) generator.next();
    expect(generator.snapshot()).toEqual(STATE);
    const serializer = new GeneratorStateSerializer();
    const restored = NexmarkGenerator.restore(serializer.deserialize(1, serializer.serialize(generator.snapshot())));
    expect(restored.next()).toEqual(generator.next());
  });

  it('rejects unknown versions and foreign bytes', () => {
    expect(() => generatorStateSerializer.deserialize(2, unhex(GOLDEN_V1))).toThrow(/version 2/);
    expect(() => generatorStateSerializer.deserialize(1, Uint8Array.of(3, 0, 0))).toThrow(/config fields/);
  });
});
