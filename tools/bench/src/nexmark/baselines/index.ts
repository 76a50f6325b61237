import { NexmarkGenerator, type NexmarkConfig } from '@riffle/connector-datagen';
import { q4Baseline, q15Baseline, q17Baseline, q19Baseline } from './aggregates.js';
import type { Baseline, Emit } from './baseline.js';
import { q3Baseline, q20Baseline } from './joins.js';
import { q0Baseline, q1Baseline, q2Baseline, q14Baseline, q21Baseline, q22Baseline } from './stateless.js';
import { q5Baseline, q7Baseline, q8Baseline, q11Baseline, q12Baseline } from './windows.js';

export type { Baseline, Emit } from './baseline.js';

/** The plain-JS baseline of each query, by query name. */
export const NEXMARK_BASELINES: Readonly<Record<string, () => Baseline>> = {
  q0: q0Baseline,
  q1: q1Baseline,
  q2: q2Baseline,
  q3: q3Baseline,
  q4: q4Baseline,
  q5: q5Baseline,
  q7: q7Baseline,
  q8: q8Baseline,
  q11: q11Baseline,
  q12: q12Baseline,
  q14: q14Baseline,
  q15: q15Baseline,
  q17: q17Baseline,
  q19: q19Baseline,
  q20: q20Baseline,
  q21: q21Baseline,
  q22: q22Baseline,
};

/**
 * Runs the baseline of `query` over the events of `splits` (the source's split configurations)
 * in one loop on this thread, generator included: the splits' generators take turns one event
 * at a time, so event time advances as it does in the engine. Returns the number of results;
 * every result also goes to `emit` when given (else it is only counted).
 */
export function runBaseline(query: string, splits: readonly NexmarkConfig[], emit?: Emit): number {
  const create = NEXMARK_BASELINES[query];
  if (create === undefined) throw new Error(`no baseline for ${query}`);
  const baseline = create();
  let results = 0;
  const out: Emit = emit === undefined ? () => void results++ : (r) => {
    results++;
    emit(r);
  };
  const generators = splits.map((c) => new NexmarkGenerator(c));
  let live = generators.filter((g) => g.hasNext());
  while (live.length > 0) {
    for (const g of live) baseline.process(g.next(), out);
    if (live.some((g) => !g.hasNext())) live = live.filter((g) => g.hasNext());
  }
  baseline.finish(out);
  return results;
}
