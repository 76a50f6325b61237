import { describe, expect, it } from 'vitest';
import type { Collector, OutputTag, ProcessContext, TimerService } from '@riffle/core';
import { runJob } from '@riffle/datastream';
import {
  ALLOWED_COLLECT_ID,
  BLOCKED,
  BLOCKED_COLLECT_ID,
  BlockListFilter,
  apiCallAt,
  appEventAt,
  generateRules,
  pageViewAt,
  type Activity,
  type RuleUpdate,
} from './connect-union.job.js';

const JOB = new URL('./connect-union.job.ts', import.meta.url);

/**
 * The runtime at the time of writing hangs any job whose two-input operator sees one input end
 * while the other is momentarily empty (StreamTask.processUntilEnd races `available()` of the
 * ended input, which is always resolved, so the task loop spins on microtasks and the other
 * input's data never arrives; the worker eventually runs out of memory). Every bounded
 * `connect` job hits it. Set to false once the runtime is fixed.
 */
const TWO_INPUT_END_OF_INPUT_BUG = false;

/** Drives a BlockListFilter by hand: what it emits, and what it sends to the side output. */
class Driver {
  readonly allowed: string[] = [];
  readonly blocked: string[] = [];
  private readonly fn = new BlockListFilter();
  private readonly out: Collector<Activity> = { collect: (a) => this.allowed.push(a.id) };
  private readonly ctx: ProcessContext = {
    timestamp: () => undefined,
    output: <X>(tag: OutputTag<X>, value: X) => {
      expect(tag.id).toBe(BLOCKED.id);
      this.blocked.push((value as Activity).id);
    },
    timerService: (): TimerService => {
      throw new Error('not used');
    },
  };

  activity(id: string, userId: string): this {
    this.fn.processElement1({ id, channel: 'web', userId, action: 'view /', timestamp: 0 }, this.ctx, this.out);
    return this;
  }

  rule(rule: RuleUpdate): this {
    this.fn.processElement2(rule, this.ctx, this.out);
    return this;
  }
}

describe('BlockListFilter', () => {
  it('holds activity back until the initial rules are loaded, then applies the final rule set to it', () => {
    const d = new Driver().activity('1', 'ann').activity('2', 'bob').activity('3', 'cy');
    d.rule({ kind: 'block', userId: 'bob' }).rule({ kind: 'block', userId: 'cy' }).rule({ kind: 'unblock', userId: 'cy' });
    expect(d.allowed).toEqual([]);
    expect(d.blocked).toEqual([]);
    d.rule({ kind: 'rules-loaded' });
    expect(d.allowed).toEqual(['1', '3']);
    expect(d.blocked).toEqual(['2']);
  });

  it('applies rules that arrive after loading from then on', () => {
    const d = new Driver().rule({ kind: 'rules-loaded' }).activity('1', 'ann');
    d.rule({ kind: 'block', userId: 'ann' }).activity('2', 'ann');
    d.rule({ kind: 'unblock', userId: 'ann' }).activity('3', 'ann');
    expect(d.allowed).toEqual(['1', '3']);
    expect(d.blocked).toEqual(['2']);
  });
});

describe.skipIf(TWO_INPUT_END_OF_INPUT_BUG)('union of three channels, connected with a broadcast block list', () => {
  const EVENTS = 3000;
  const USERS = 120;
  const SEED = 9;

  // The reference: apply the rules in order to a Set, then split the channels' records by it.
  const blockedUsers = new Set<string>();
  for (const r of generateRules(SEED, USERS)) {
    if (r.kind === 'block') blockedUsers.add(r.userId);
    else if (r.kind === 'unblock') blockedUsers.delete(r.userId);
  }
  const all: Array<[id: string, user: string]> = [];
  for (let i = 0; i < EVENTS; i++) {
    all.push([`web-${i}`, pageViewAt(i, SEED, USERS).visitor]);
    all.push([`mobile-${i}`, appEventAt(i, SEED, USERS).account.id]);
    all.push([`api-${i}`, apiCallAt(i, SEED, USERS).apiKeyOwner]);
  }
  const expectedAllowed = all.filter(([, u]) => !blockedUsers.has(u)).map(([id]) => id).sort();
  const expectedBlocked = all.filter(([, u]) => blockedUsers.has(u)).map(([id]) => id).sort();

  it('has rules that block and unblock users', () => {
    const rules = generateRules(SEED, USERS);
    expect(rules.some((r) => r.kind === 'unblock')).toBe(true);
    expect(rules.at(-1)).toEqual({ kind: 'rules-loaded' });
    expect(expectedBlocked.length).toBeGreaterThan(EVENTS * 0.2);
  });

  for (const parallelism of [1, 2]) {
    it(`passes activity of users not blocked and sends the rest to the side output, at parallelism ${parallelism}`, async () => {
      const { result } = await runJob(JOB, {
        parallelism,
        args: ['--events', String(EVENTS), '--users', String(USERS), '--seed', String(SEED), '--output', 'collect'],
      });
      const allowed = result!.getCollected<Activity>(ALLOWED_COLLECT_ID);
      const blocked = result!.getCollected<Activity>(BLOCKED_COLLECT_ID);
      expect(allowed.map((a) => a.id).sort()).toEqual(expectedAllowed);
      expect(blocked.map((a) => a.id).sort()).toEqual(expectedBlocked);
      expect(new Set(allowed.map((a) => a.channel))).toEqual(new Set(['web', 'mobile', 'api']));
      const sample = allowed.find((a) => a.id === expectedAllowed.find((id) => id.startsWith('mobile-')))!;
      expect(sample.action).toMatch(/^open \w+ \((ios|android)\)$/);
    });
  }
});
