import { assignToKeyGroup, DataInputDeserializer, DataOutputSerializer, type TypeSerializer } from '@riffle/core';
import type { KeyGroupRange } from '@riffle/state';
import type { PendingTimerRestore } from '../../operators/abstract-stream-operator.js';
import type { HeapInternalTimerService, InternalTimer } from '../../timers/internal-timer-service.js';
import { DEFAULT_TIMER_NAMESPACE_SERIALIZER } from './timer-namespace-serializer.js';

/**
 * The timers of every timer service of one keyed operator subtask: plain data, split by key group
 * so that a restore at another parallelism takes exactly the key groups it owns from any number
 * of snapshots (as keyed state does).
 */
export interface TimerServicesSnapshot {
  readonly maxParallelism: number;
  /** The key groups the snapshotted subtask owned. */
  readonly keyGroupRange: KeyGroupRange;
  /** Id of the serializer the keys in the blocks are written with (the keyed backend's). */
  readonly keySerializerId: string;
  /** One entry per timer service, in name order (services without timers included). */
  readonly services: readonly TimerServiceSnapshot[];
}

/** The timers of one timer service. */
export interface TimerServiceSnapshot {
  readonly name: string;
  /** Id of the serializer the namespaces are written with; a restore checks the service's against it. */
  readonly namespaceSerializerId: string;
  /** One block per key group that has timers, ascending (block format in {@link TimersSnapshotSerializer}). */
  readonly keyGroups: readonly KeyGroupTimerBytes[];
}

/** The serialized timers of one key group of one timer service. */
export interface KeyGroupTimerBytes {
  readonly keyGroup: number;
  readonly bytes: Uint8Array;
}

/** Time domain bytes in timer blocks; never renumbered. */
export const TimerDomain = { EVENT_TIME: 0, PROCESSING_TIME: 1 } as const;

/** What snapshots and restores of timers need of the keyed state backend. */
export interface TimerKeyContext {
  readonly keyGroupRange: KeyGroupRange;
  readonly maxParallelism: number;
  readonly keySerializer: TypeSerializer<unknown>;
}

type AnyTimerService = HeapInternalTimerService<unknown, any>;

/**
 * Snapshots `services` (an operator's `getTimerServices()`) synchronously: the bytes do not share
 * anything with the live timers. Restored timers of services the operator has not created again
 * (`pending`, from `getPendingTimerRestores()`) are carried over unchanged, so they are not lost.
 */
export function snapshotTimerServices(
  services: ReadonlyMap<string, AnyTimerService>,
  backend: TimerKeyContext,
  pending: ReadonlyMap<string, PendingTimerRestore> = new Map(),
): TimerServicesSnapshot {
  const result: TimerServiceSnapshot[] = [];
  for (const [name, service] of services) result.push(snapshotService(name, service, backend));
  for (const [name, restore] of pending) {
    if (services.has(name) || !(restore instanceof RestoredTimers)) continue;
    result.push({ name, namespaceSerializerId: restore.namespaceSerializerId, keyGroups: restore.keyGroups });
  }
  result.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    maxParallelism: backend.maxParallelism,
    keyGroupRange: { start: backend.keyGroupRange.start, end: backend.keyGroupRange.end },
    keySerializerId: backend.keySerializer.id,
    services: result,
  };
}

function snapshotService(name: string, service: AnyTimerService, backend: TimerKeyContext): TimerServiceSnapshot {
  const namespaceSerializer: TypeSerializer<unknown> = service.getNamespaceSerializer() ?? DEFAULT_TIMER_NAMESPACE_SERIALIZER;
  const { eventTime, processingTime } = service.snapshot();
  const byGroup = new Map<number, { domain: number; timer: InternalTimer<unknown, unknown> }[]>();
  const add = (domain: number, timer: InternalTimer<unknown, unknown>): void => {
    const group = assignToKeyGroup(timer.key, backend.maxParallelism);
    let list = byGroup.get(group);
    if (list === undefined) byGroup.set(group, (list = []));
    list.push({ domain, timer });
  };
  for (const t of eventTime) add(TimerDomain.EVENT_TIME, t);
  for (const t of processingTime) add(TimerDomain.PROCESSING_TIME, t);
  const keyGroups: KeyGroupTimerBytes[] = [];
  const out = new DataOutputSerializer(256);
  for (const group of [...byGroup.keys()].sort((a, b) => a - b)) {
    const timers = byGroup.get(group)!;
    out.clear();
    out.writeVarUint(timers.length);
    for (const { domain, timer } of timers) {
      out.writeUint8(domain);
      out.writeFloat64(timer.timestamp);
      backend.keySerializer.serialize(timer.key, out);
      namespaceSerializer.serialize(timer.namespace, out);
    }
    keyGroups.push({ keyGroup: group, bytes: out.toUint8Array() });
  }
  return { name, namespaceSerializerId: namespaceSerializer.id, keyGroups };
}

/**
 * The restored timers of one service, still serialized: decoded with the namespace serializer of
 * the service the operator creates (which must have the id they were written with).
 */
export class RestoredTimers implements PendingTimerRestore {
  constructor(
    readonly name: string,
    readonly namespaceSerializerId: string,
    readonly keyGroups: readonly KeyGroupTimerBytes[],
    private readonly keySerializer: TypeSerializer<unknown>,
  ) {}

  /** Decodes the timers with `service`'s namespace serializer and registers them. Throws on a serializer mismatch. */
  applyTo(service: AnyTimerService): void {
    const namespaceSerializer: TypeSerializer<unknown> = service.getNamespaceSerializer() ?? DEFAULT_TIMER_NAMESPACE_SERIALIZER;
    if (namespaceSerializer.id !== this.namespaceSerializerId) {
      throw new Error(
        `cannot restore the timers of timer service '${this.name}': they were written with namespace serializer '${this.namespaceSerializerId}', the service now uses '${namespaceSerializer.id}'`,
      );
    }
    const eventTime: InternalTimer<unknown, unknown>[] = [];
    const processingTime: InternalTimer<unknown, unknown>[] = [];
    const input = new DataInputDeserializer();
    for (const block of this.keyGroups) {
      input.setBuffer(block.bytes);
      for (let n = input.readVarUint(); n > 0; n--) {
        const domain = input.readUint8();
        const timestamp = input.readFloat64();
        const key = this.keySerializer.deserialize(input);
        const namespace = namespaceSerializer.deserialize(input);
        if (domain === TimerDomain.EVENT_TIME) eventTime.push({ key, namespace, timestamp });
        else if (domain === TimerDomain.PROCESSING_TIME) processingTime.push({ key, namespace, timestamp });
        else throw new Error(`timer service '${this.name}': unknown time domain ${domain} in key group ${block.keyGroup}`);
      }
      if (input.remaining() !== 0) throw new Error(`timer service '${this.name}': ${input.remaining()} trailing bytes in key group ${block.keyGroup}`);
    }
    service.restore({ eventTime, processingTime });
  }
}

/**
 * The timers of `snapshots` (of any number of old subtasks, at any parallelism) in the key groups
 * of `backend`, merged per service name, ready for `AbstractStreamOperator.queueTimerRestore`.
 * Throws if a snapshot has another max parallelism or key serializer.
 */
export function timersForKeyGroups(snapshots: Iterable<TimerServicesSnapshot>, backend: TimerKeyContext): Map<string, RestoredTimers> {
  const merged = new Map<string, { namespaceSerializerId: string; keyGroups: KeyGroupTimerBytes[] }>();
  const { start, end } = backend.keyGroupRange;
  for (const snapshot of snapshots) {
    if (snapshot.maxParallelism !== backend.maxParallelism) {
      throw new Error(`cannot restore timers written with max parallelism ${snapshot.maxParallelism} into an operator with max parallelism ${backend.maxParallelism}`);
    }
    if (snapshot.keySerializerId !== backend.keySerializer.id) {
      throw new Error(`cannot restore timers whose keys were written with serializer '${snapshot.keySerializerId}' into a backend using '${backend.keySerializer.id}'`);
    }
    for (const service of snapshot.services) {
      let into = merged.get(service.name);
      if (into === undefined) merged.set(service.name, (into = { namespaceSerializerId: service.namespaceSerializerId, keyGroups: [] }));
      else if (into.namespaceSerializerId !== service.namespaceSerializerId) {
        throw new Error(`timer service '${service.name}' was written with namespace serializers '${into.namespaceSerializerId}' and '${service.namespaceSerializerId}'`);
      }
      for (const block of service.keyGroups) if (block.keyGroup >= start && block.keyGroup <= end) into.keyGroups.push(block);
    }
  }
  const result = new Map<string, RestoredTimers>();
  for (const [name, { namespaceSerializerId, keyGroups }] of merged) {
    keyGroups.sort((a, b) => a.keyGroup - b.keyGroup);
    result.set(name, new RestoredTimers(name, namespaceSerializerId, keyGroups, backend.keySerializer));
  }
  return result;
}
