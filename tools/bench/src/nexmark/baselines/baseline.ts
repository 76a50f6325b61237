import type { NexmarkEvent } from '@riffle/connector-datagen';

/** Where a baseline puts its results. */
export type Emit = (result: unknown) => void;

/**
 * A plain-JS Nexmark query: the hand-written single-thread ceiling the engine is measured
 * against. `process` sees every event in generation order (the splits' events interleaved one
 * by one, so event time advances as in the engine); `finish` emits what is still open at the
 * end of input (windows, aggregates), as the final watermark does in the engine. Results have
 * the query's row type, so the correctness checks compare them like the engine's.
 */
export interface Baseline {
  process(event: NexmarkEvent, emit: Emit): void;
  finish(emit: Emit): void;
}

/** The bounded out-of-orderness of the Nexmark watermark, applied by the windowed baselines. */
export const BASELINE_WATERMARK_DELAY_MS = 4000;
