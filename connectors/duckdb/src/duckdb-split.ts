import { DataInputDeserializer, DataOutputSerializer, type SimpleVersionedSerializer, type SourceSplit } from '@riffle/core';

/**
 * A range of the source query's rows: those whose split column lies in `[lower, upper)` (or
 * `[lower, upper]` when `upperInclusive`), read in split-column order. A bound that is `null` is
 * open. Without a split column (a query read as one split) both bounds are null.
 * `offset` is the number of rows of the range already emitted: a restored split skips them.
 */
export interface DuckDbSplit extends SourceSplit {
  readonly lower: number | null;
  readonly upper: number | null;
  readonly upperInclusive: boolean;
  readonly offset: number;
}

/** The enumerator's checkpoint: splits not yet assigned, and whether the ranges were computed. */
export interface DuckDbEnumState {
  readonly pendingSplits: readonly DuckDbSplit[];
  readonly splitsComputed: boolean;
}

function checkVersion(who: string, version: number): void {
  if (version !== 1) throw new Error(`${who}: unknown version ${version} (this build reads version 1)`);
}

const HAS_LOWER = 1;
const HAS_UPPER = 2;
const UPPER_INCLUSIVE = 4;

function writeSplit(out: DataOutputSerializer, s: DuckDbSplit): void {
  out.writeString(s.splitId);
  out.writeUint8((s.lower !== null ? HAS_LOWER : 0) | (s.upper !== null ? HAS_UPPER : 0) | (s.upperInclusive ? UPPER_INCLUSIVE : 0));
  if (s.lower !== null) out.writeFloat64(s.lower);
  if (s.upper !== null) out.writeFloat64(s.upper);
  out.writeVarUint(s.offset);
}

function readSplit(input: DataInputDeserializer): DuckDbSplit {
  const splitId = input.readString();
  const flags = input.readUint8();
  if (flags > 7) throw new Error(`DuckDbSplitSerializer: corrupt split (flags ${flags})`);
  const lower = flags & HAS_LOWER ? input.readFloat64() : null;
  const upper = flags & HAS_UPPER ? input.readFloat64() : null;
  return { splitId, lower, upper, upperInclusive: (flags & UPPER_INCLUSIVE) !== 0, offset: input.readVarUint() };
}

/**
 * Version 1 of a {@link DuckDbSplit}: splitId (string); flags (uint8: 1 = lower present, 2 = upper
 * present, 4 = upper inclusive); lower, upper (float64, when present); offset (varuint).
 * Persisted in checkpoints: never change a version's layout, add one.
 */
export class DuckDbSplitSerializer implements SimpleVersionedSerializer<DuckDbSplit> {
  static readonly VERSION = 1;

  getVersion(): number {
    return DuckDbSplitSerializer.VERSION;
  }

  serialize(split: DuckDbSplit): Uint8Array {
    const out = new DataOutputSerializer(32 + split.splitId.length);
    writeSplit(out, split);
    return out.toUint8Array();
  }

  deserialize(version: number, bytes: Uint8Array): DuckDbSplit {
    checkVersion('DuckDbSplitSerializer', version);
    return readSplit(new DataInputDeserializer(bytes));
  }
}

/** Version 1 of a {@link DuckDbEnumState}: count (varuint), the splits in the split layout, a uint8 flag. */
export class DuckDbEnumStateSerializer implements SimpleVersionedSerializer<DuckDbEnumState> {
  static readonly VERSION = 1;

  getVersion(): number {
    return DuckDbEnumStateSerializer.VERSION;
  }

  serialize(state: DuckDbEnumState): Uint8Array {
    const out = new DataOutputSerializer(64);
    out.writeVarUint(state.pendingSplits.length);
    for (const s of state.pendingSplits) writeSplit(out, s);
    out.writeUint8(state.splitsComputed ? 1 : 0);
    return out.toUint8Array();
  }

  deserialize(version: number, bytes: Uint8Array): DuckDbEnumState {
    checkVersion('DuckDbEnumStateSerializer', version);
    const input = new DataInputDeserializer(bytes);
    const pendingSplits: DuckDbSplit[] = [];
    for (let n = input.readVarUint(); n > 0; n--) pendingSplits.push(readSplit(input));
    const flag = input.readUint8();
    if (flag > 1) throw new Error(`DuckDbEnumStateSerializer: corrupt state (flag ${flag})`);
    return { pendingSplits, splitsComputed: flag === 1 };
  }
}
