/** Event-time helpers shared by the queries and their baselines (UTC, as the reference SQL). */

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

/** `DATE_FORMAT(dateTime, 'yyyy-MM-dd')` in UTC. */
export function dayOf(dateTime: number): string {
  return new Date(dateTime - (dateTime % DAY_MS)).toISOString().slice(0, 10);
}

/** `HOUR(dateTime)` in UTC. */
export function hourOf(dateTime: number): number {
  return Math.floor(dateTime / HOUR_MS) % 24;
}

/**
 * The event-time "mini-batch" interval of the updating aggregates (q4, q15, q17, q19): they
 * emit their changed rows when the watermark passes the end of each such interval, standing in
 * for Flink's 2 s mini-batch of the nexmark configuration (and all at once at end of input).
 */
export const MINI_BATCH_MS = 2_000;

/** The end of the mini-batch interval holding `t` (the timer time of an update at `t`). */
export function miniBatchEnd(t: number): number {
  return t - (t % MINI_BATCH_MS) + MINI_BATCH_MS - 1;
}
