import { DataInputDeserializer, DataOutputSerializer, type SimpleVersionedSerializer } from '@riffle/core';
import type { KeyGroupTimerBytes, TimerServiceSnapshot, TimerServicesSnapshot } from './timers-snapshot.js';

/** Magic of a serialized {@link TimerServicesSnapshot}: `RTMS`. */
export const TIMERS_SNAPSHOT_MAGIC = 'RTMS';
/** Current version of the serialized {@link TimerServicesSnapshot} format. */
export const TIMERS_SNAPSHOT_VERSION = 1;

/**
 * Serializer of {@link TimerServicesSnapshot}s, the `timers` state file of a keyed operator
 * subtask. Format, version 1 (varuint = LEB128, string = varuint UTF-8 length + bytes, numbers
 * little-endian, as `DataOutputSerializer` writes them):
 *
 *   'R' 'T' 'M' 'S'  u8 version
 *   varuint maxParallelism, varuint rangeStart, varuint rangeEnd, string keySerializerId
 *   varuint serviceCount, per service (name order): string name, string namespaceSerializerId,
 *     varuint groupCount, per key group (ascending): varuint keyGroup, varuint length, block
 *   block: varuint timerCount, per timer: u8 domain (0 event time, 1 processing time),
 *          f64 timestamp, key (key serializer), namespace (the service's namespace serializer)
 *
 * Blocks are kept as bytes until the operator re-creates the service, so a restore needs no
 * serializer but the service's own.
 */
export class TimersSnapshotSerializer implements SimpleVersionedSerializer<TimerServicesSnapshot> {
  getVersion(): number {
    return TIMERS_SNAPSHOT_VERSION;
  }

  serialize(snapshot: TimerServicesSnapshot): Uint8Array {
    let size = 64;
    for (const s of snapshot.services) for (const g of s.keyGroups) size += g.bytes.length + 10;
    const out = new DataOutputSerializer(size);
    for (let i = 0; i < 4; i++) out.writeUint8(TIMERS_SNAPSHOT_MAGIC.charCodeAt(i));
    out.writeUint8(TIMERS_SNAPSHOT_VERSION);
    out.writeVarUint(snapshot.maxParallelism);
    out.writeVarUint(snapshot.keyGroupRange.start);
    out.writeVarUint(snapshot.keyGroupRange.end);
    out.writeString(snapshot.keySerializerId);
    out.writeVarUint(snapshot.services.length);
    for (const s of snapshot.services) {
      out.writeString(s.name);
      out.writeString(s.namespaceSerializerId);
      out.writeVarUint(s.keyGroups.length);
      for (const g of s.keyGroups) {
        out.writeVarUint(g.keyGroup);
        out.writeBytes(g.bytes);
      }
    }
    return out.toUint8Array();
  }

  deserialize(version: number, bytes: Uint8Array): TimerServicesSnapshot {
    if (version !== 1) throw new Error(`unsupported timers snapshot version ${version} (this build reads version 1)`);
    const input = new DataInputDeserializer(bytes);
    if (input.remaining() < 5) throw new Error('timers snapshot: truncated header');
    let magic = '';
    for (let i = 0; i < 4; i++) magic += String.fromCharCode(input.readUint8());
    if (magic !== TIMERS_SNAPSHOT_MAGIC) throw new Error(`timers snapshot: bad magic ${JSON.stringify(magic)}, expected ${JSON.stringify(TIMERS_SNAPSHOT_MAGIC)}`);
    const stored = input.readUint8();
    if (stored !== 1) throw new Error(`unsupported timers snapshot version ${stored} in the header (this build reads version 1)`);
    const maxParallelism = input.readVarUint();
    const start = input.readVarUint();
    const end = input.readVarUint();
    const keySerializerId = input.readString();
    const services: TimerServiceSnapshot[] = [];
    for (let i = input.readVarUint(); i > 0; i--) {
      const name = input.readString();
      const namespaceSerializerId = input.readString();
      const keyGroups: KeyGroupTimerBytes[] = [];
      for (let j = input.readVarUint(); j > 0; j--) {
        const keyGroup = input.readVarUint();
        keyGroups.push({ keyGroup, bytes: input.readBytes() });
      }
      services.push({ name, namespaceSerializerId, keyGroups });
    }
    if (input.remaining() !== 0) throw new Error(`timers snapshot: ${input.remaining()} trailing bytes`);
    return { maxParallelism, keyGroupRange: { start, end }, keySerializerId, services };
  }
}

/** The shared {@link TimersSnapshotSerializer}. */
export const TIMERS_SNAPSHOT_SERIALIZER: SimpleVersionedSerializer<TimerServicesSnapshot> = new TimersSnapshotSerializer();
