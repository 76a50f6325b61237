import { NexmarkSource, selectNexmarkKind, type NexmarkEvent } from '@riffle/connector-datagen';
import { defineJob } from '@riffle/datastream';

/** FNV-1a of a string, as 8 hex digits. */
function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** A compact identity of an event: kind, id (auction for bids), event time and a hash of every field. */
export function fingerprint(e: NexmarkEvent): string {
  return `${e.kind}:${e.kind === 'bid' ? e.auction : e.id}:${e.dateTime}:${fnv1a(JSON.stringify(e))}`;
}

/**
 * A bounded Nexmark source (`--seed`, `--events`) split into the three streams by kind; each
 * stream collects the fingerprints of its events (collect ids 'person', 'auction', 'bid'),
 * marked `!ts` when a record's timestamp is not its event time.
 */
export default defineJob((env, params) => {
  const source = NexmarkSource.builder().setSeed(params.getNumber('seed', 42)).setMaxEvents(params.getNumber('events', 100_000)).build();
  const events = env.fromSource(source, NexmarkSource.watermarkStrategy(), 'Nexmark');
  for (const kind of ['person', 'auction', 'bid'] as const) {
    events
      .flatMap(selectNexmarkKind(kind))
      .name(`Select ${kind}s`)
      .process<string>({
        processElement(event, ctx, out) {
          out.collect(ctx.timestamp() === event.dateTime ? fingerprint(event) : `${fingerprint(event)}!ts`);
        },
      })
      .name(`Fingerprint ${kind}s`)
      .addCollectSink(kind);
  }
});
