/**
 * Union and connect: three activity streams of different shapes become one (`map` each to a
 * common type, then `union`), and a control stream of block-list rules is `connect`ed to it and
 * applied by a `CoProcessFunction`. Blocked activity goes to a side output.
 *
 * The control stream is `broadcast()`: every parallel instance of the co-function receives every
 * rule and keeps its own copy of the block list in a plain `Set` (keyed state and Flink's
 * broadcast state pattern come later).
 *
 * Two inputs of one operator are read in no defined order relative to each other, so an event
 * may overtake the rules. For a result that does not depend on timing, the rule stream ends its
 * initial rule set with a `rules-loaded` marker, and each instance holds back (buffers) the events
 * it receives before that marker; after it, rules take effect from the moment they arrive. The
 * buffer grows only until the rules are loaded.
 *
 * Run it:
 *   npx riffle run apps/examples/src/connect-union.job.ts -p 2
 *   npx riffle run apps/examples/src/connect-union.job.ts -- --events 1000 --users 200 --output collect
 *
 * Parameters (after `--`):
 *   --events N    activities per channel (default 100)
 *   --users U     number of distinct users (default 40)
 *   --seed S      seed of the generated data (default 3)
 *   --output MODE print (default): `allowed> {...}` and `blocked> {...}`; collect: collect ids 'allowed' and 'blocked'
 */
import { CoProcessFunction, OutputTag, type Collector, type ProcessContext } from '@riffle/core';
import { defineJob } from '@riffle/datastream';
import { apiCallAt, appEventAt, fromApiCall, fromAppEvent, fromPageView, generateRules, pageViewAt, type Activity, type RuleUpdate } from './activity.js';
import { SeededRandom } from './random.js';

export * from './activity.js';

/** The side output of activity by blocked users. */
export const BLOCKED = new OutputTag<Activity>('blocked');

/** Collect ids of `--output collect`. */
export const ALLOWED_COLLECT_ID = 'allowed';
export const BLOCKED_COLLECT_ID = 'blocked';

/**
 * Passes activity of users not on the block list and sends the rest to {@link BLOCKED}. Input 1:
 * activity; input 2: rule updates (each instance must see all of them: broadcast the stream).
 * Activity that arrives before `rules-loaded` waits in a buffer.
 */
export class BlockListFilter extends CoProcessFunction<Activity, RuleUpdate, Activity> {
  private readonly blocked = new Set<string>();
  private pending: Activity[] | undefined = [];

  processElement1(activity: Activity, ctx: ProcessContext, out: Collector<Activity>): void {
    if (this.pending) this.pending.push(activity);
    else this.route(activity, ctx, out);
  }

  processElement2(rule: RuleUpdate, ctx: ProcessContext, out: Collector<Activity>): void {
    switch (rule.kind) {
      case 'block':
        this.blocked.add(rule.userId);
        break;
      case 'unblock':
        this.blocked.delete(rule.userId);
        break;
      case 'rules-loaded': {
        const pending = this.pending ?? [];
        this.pending = undefined;
        for (const activity of pending) this.route(activity, ctx, out);
        break;
      }
    }
  }

  private route(activity: Activity, ctx: ProcessContext, out: Collector<Activity>): void {
    if (this.blocked.has(activity.userId)) ctx.output(BLOCKED, activity);
    else out.collect(activity);
  }
}

export default defineJob((env, params) => {
  const output = params.get('output', 'print');
  if (output !== 'print' && output !== 'collect') throw new Error(`--output must be print or collect, got '${output}'`);
  const events = params.getNumber('events', 100);
  const users = params.getNumber('users', 40);
  const seed = params.getNumber('seed', 3);
  if (!Number.isInteger(events) || events < 1) throw new Error(`--events must be a positive integer, got ${events}`);
  if (!Number.isInteger(users) || users < 1) throw new Error(`--users must be a positive integer, got ${users}`);

  // Each generator is reseeded per record, so sharing one SeededRandom between instances is safe.
  const random = new SeededRandom();
  const web = env.fromSequence(0, events - 1).name('Web Log').map((i) => pageViewAt(i, seed, users, random)).name('Page Views');
  const mobile = env.fromSequence(0, events - 1).name('App Log').map((i) => appEventAt(i, seed, users, random)).name('App Events');
  const api = env.fromSequence(0, events - 1).name('API Log').map((i) => apiCallAt(i, seed, users, random)).name('API Calls');

  const activity = web
    .map(fromPageView)
    .name('Normalize Web')
    .union(mobile.map(fromAppEvent).name('Normalize Mobile'), api.map(fromApiCall).name('Normalize API'));

  // A small, fixed list computed from the seed: shipped to the workers with the job.
  const rules = env.fromCollection(generateRules(seed, users)).name('Block List Rules');

  const allowed = activity.connect(rules.broadcast()).process(new BlockListFilter()).name('Apply Block List');
  const blocked = allowed.getSideOutput(BLOCKED);

  if (output === 'print') {
    allowed.print('allowed');
    blocked.print('blocked');
  } else {
    allowed.addCollectSink(ALLOWED_COLLECT_ID);
    blocked.addCollectSink(BLOCKED_COLLECT_ID);
  }
});
