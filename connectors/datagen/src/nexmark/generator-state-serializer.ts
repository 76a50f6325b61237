import { DataInputDeserializer, DataOutputSerializer, type SimpleVersionedSerializer } from '@riffle/core';
import type { NexmarkConfig } from './config.js';
import type { GeneratorState } from './generator.js';

/**
 * Config fields in serialization order. Append new fields at the end (with a new format version
 * and a default when reading older versions); never reorder.
 */
const CONFIG_FIELDS_V1 = [
  'personProportion',
  'auctionProportion',
  'bidProportion',
  'avgPersonByteSize',
  'avgAuctionByteSize',
  'avgBidByteSize',
  'firstEventRate',
  'nextEventRate',
  'hotAuctionRatio',
  'hotSellersRatio',
  'hotBiddersRatio',
  'numInFlightAuctions',
  'numActivePeople',
  'outOfOrderGroupSize',
  'maxEvents',
  'seed',
  'baseTime',
  'firstEventId',
  'firstEventNumber',
  'numEventGenerators',
  'splitIndex',
] as const satisfies readonly (keyof NexmarkConfig)[];

/**
 * Versioned serializer of {@link GeneratorState}: what a Nexmark source split stores in a
 * checkpoint. Format version 1: varuint field count, then every config field of
 * `CONFIG_FIELDS_V1` as float64, then `eventsCountSoFar` as float64 and the random state as two
 * uint32 (high, low). Reading validates nothing beyond the format; `NexmarkGenerator.restore`
 * validates the content.
 */
export class GeneratorStateSerializer implements SimpleVersionedSerializer<GeneratorState> {
  getVersion(): number {
    return 1;
  }

  serialize(state: GeneratorState): Uint8Array {
    const out = new DataOutputSerializer(8 * CONFIG_FIELDS_V1.length + 32);
    out.writeVarUint(CONFIG_FIELDS_V1.length);
    for (const field of CONFIG_FIELDS_V1) out.writeFloat64(state.config[field]);
    out.writeFloat64(state.eventsCountSoFar);
    out.writeUint32(state.rngHi);
    out.writeUint32(state.rngLo);
    return out.toUint8Array();
  }

  deserialize(version: number, bytes: Uint8Array): GeneratorState {
    if (version !== 1) {
      throw new Error(`GeneratorStateSerializer: unknown format version ${version} (this build reads 1)`);
    }
    const input = new DataInputDeserializer(bytes);
    const count = input.readVarUint();
    if (count !== CONFIG_FIELDS_V1.length) {
      throw new Error(`GeneratorStateSerializer: expected ${CONFIG_FIELDS_V1.length} config fields, found ${count}`);
    }
    const config: Record<string, number> = {};
    for (const field of CONFIG_FIELDS_V1) config[field] = input.readFloat64();
    const eventsCountSoFar = input.readFloat64();
    const rngHi = input.readUint32();
    const rngLo = input.readUint32();
    return { config: config as unknown as NexmarkConfig, eventsCountSoFar, rngHi, rngLo };
  }
}

/** The shared {@link GeneratorStateSerializer} instance. */
export const generatorStateSerializer = new GeneratorStateSerializer();
