import { describe, expect, it } from 'vitest';
import { runJob } from '@riffle/datastream';
import { RULES, type Output } from './jobs/broadcast-state.job.js';

const JOB = new URL('./jobs/broadcast-state.job.ts', import.meta.url);
const RULE_IDS = RULES.map((r) => r.id);

async function run(parallelism: number, variant: 'plain' | 'keyed'): Promise<Output[]> {
  const { result } = await runJob(JOB, { parallelism, args: ['--variant', variant, '--events', '1000', '--keys', '12'] });
  return result!.getCollected<Output>('out');
}

/** Checks what both variants share: every subtask got every rule once, in order; every event was evaluated once, against exactly the rules it saw. */
function checkRulesAndEvents(out: Output[], parallelism: number): void {
  const rules = out.filter((o): o is Extract<Output, { kind: 'rule' }> => o.kind === 'rule');
  for (let subtask = 0; subtask < parallelism; subtask++) {
    const mine = rules.filter((r) => r.subtask === subtask);
    expect(mine.map((r) => r.id)).toEqual(RULE_IDS);
    expect(mine.map((r) => r.stateSize)).toEqual(RULE_IDS.map((_, i) => i + 1));
  }
  expect(rules).toHaveLength(RULE_IDS.length * parallelism);

  const events = out.filter((o): o is Extract<Output, { kind: 'event' }> => o.kind === 'event');
  expect(events.map((e) => e.x).sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  for (const e of events) {
    // The rules a subtask has seen are always the first ones broadcast, in order.
    expect(e.seen).toEqual(RULE_IDS.slice(0, e.seen.length));
    expect(e.matched).toEqual(RULES.filter((r) => e.seen.includes(r.id) && e.x % r.divisor === 0).map((r) => r.id));
  }
}

describe('broadcast state on the MiniCluster', () => {
  for (const parallelism of [1, 2]) {
    it(`broadcasts the rules to every subtask and evaluates every event against the rules it saw (parallelism ${parallelism})`, async () => {
      const out = await run(parallelism, 'plain');
      checkRulesAndEvents(out, parallelism);
      expect(out.filter((o) => o.kind === 'final')).toEqual([]);
    });

    it(`keyed: also keeps per-key state and timers, and evaluates every key's count against all rules at the end (parallelism ${parallelism})`, async () => {
      const out = await run(parallelism, 'keyed');
      checkRulesAndEvents(out, parallelism);
      const finals = out.filter((o): o is Extract<Output, { kind: 'final' }> => o.kind === 'final').sort((a, b) => a.key - b.key);
      const expected = Array.from({ length: 12 }, (_, key) => {
        const count = Array.from({ length: 1000 }, (_, i) => i).filter((x) => x % 12 === key).length;
        return { kind: 'final', key, count, matched: RULES.filter((r) => count % r.divisor === 0).map((r) => r.id) };
      });
      expect(finals).toEqual(expected);
    });
  }
});
