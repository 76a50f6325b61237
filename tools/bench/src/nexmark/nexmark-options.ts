import { NexmarkSource } from '@riffle/connector-datagen';

/**
 * The two nexmark/nexmark workload profiles, as event-time rates (and, for v2, wall-clock
 * pacing): v1 (`nexmark.yaml`) generates 10M events per second of event time and runs
 * unthrottled; v2 (`nexmark_v2.yaml`) generates and paces 100K events per second, so it is a
 * streaming run whose latency means something.
 */
export const NEXMARK_PROFILES = {
  v1: { firstEventRate: 10_000_000, eventsPerSecond: undefined },
  v2: { firstEventRate: 100_000, eventsPerSecond: 100_000 },
} as const;

/** A Nexmark workload profile name. */
export type NexmarkProfile = keyof typeof NEXMARK_PROFILES;

/** What a Nexmark run generates. */
export interface NexmarkRunOptions {
  readonly events: number;
  readonly seed: number;
  readonly profile: NexmarkProfile;
  /** Event-time rate override (events per second of event time over all splits). */
  readonly rate?: number;
}

/** True for a known profile name. */
export function isNexmarkProfile(name: string): name is NexmarkProfile {
  return name === 'v1' || name === 'v2';
}

/** The bounded Nexmark source of a run: the same events for the job and for its references. */
export function nexmarkSourceFor(options: NexmarkRunOptions): NexmarkSource {
  const profile = NEXMARK_PROFILES[options.profile];
  const rate = options.rate ?? profile.firstEventRate;
  return new NexmarkSource({
    generator: { seed: options.seed, maxEvents: options.events, firstEventRate: rate, nextEventRate: rate },
    ...(profile.eventsPerSecond !== undefined ? { eventsPerSecond: profile.eventsPerSecond } : {}),
  });
}
