import type { Collector } from '@riffle/core';
import type { NexmarkEvent, NexmarkEventKind } from './events.js';

/** The event type of a kind: `NexmarkEventOfKind<'bid'>` is `Bid`. */
export type NexmarkEventOfKind<K extends NexmarkEventKind> = Extract<NexmarkEvent, { kind: K }>;

/** A type guard for events of `kind` (for `Array.filter` and plain code). */
export function isNexmarkKind<K extends NexmarkEventKind>(kind: K): (event: NexmarkEvent) => event is NexmarkEventOfKind<K> {
  return (event: NexmarkEvent): event is NexmarkEventOfKind<K> => event.kind === kind;
}

/**
 * A flat-map function that keeps the events of `kind`, typed as that kind: one of the three
 * Nexmark streams, e.g. `events.flatMap(selectNexmarkKind('bid'))` is a stream of `Bid`
 * (`filter` cannot narrow the element type).
 */
export function selectNexmarkKind<K extends NexmarkEventKind>(kind: K): (event: NexmarkEvent, out: Collector<NexmarkEventOfKind<K>>) => void {
  return (event, out) => {
    if (event.kind === kind) out.collect(event as NexmarkEventOfKind<K>);
  };
}
