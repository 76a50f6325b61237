import type { NexmarkEvent } from '@riffle/connector-datagen';
import type { DataStream } from '@riffle/datastream';

/** The query groups of the targets (and of the published Nexmark tables). */
export type NexmarkQueryGroup = 'stateless' | 'join' | 'window' | 'state';

/** One cell of a canonical result row: what the correctness checks compare. */
export type Cell = string | number | null;

/**
 * A Nexmark query written with the DataStream API.
 *
 * `build` only adds operators to the environment of `events` (the one Nexmark source of the
 * job, with event-time timestamps and the 4 s bounded-out-of-orderness watermarks already
 * attached) and returns the query's result stream; the caller adds the sink. It must be
 * deterministic and side-effect free: every worker rebuilds the same graph.
 *
 * `row` turns one output record into the canonical row the correctness checks compare with
 * DuckDB (or with an independent reference). Queries whose SQL form is an updating aggregate
 * (q4, q15, q17, q19) emit upserts; `upsertKey` names the key whose last row is the result.
 */
export interface NexmarkQuery<R = unknown> {
  readonly name: string;
  readonly group: NexmarkQueryGroup;
  /** One line: what the query computes and how it is written. */
  readonly description: string;
  build(events: DataStream<NexmarkEvent>): DataStream<R>;
  row(record: R): readonly Cell[];
  /**
   * True when the results carry processing-time timestamps (q12): their latency from event
   * emission cannot be measured from the record timestamp.
   */
  readonly processingTime?: boolean;
  /** For upserting queries: the key of a row (the last row per key is the final result). */
  upsertKey?(record: R): string;
}
