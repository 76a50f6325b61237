import type { Auction, NexmarkEvent, Person } from '@riffle/connector-datagen';
import { KeyedProcessFunction, type Collector, type KeyedProcessContext } from '@riffle/core';
import { ListStateDescriptor, ValueStateDescriptor, type ListState, type ValueState } from '@riffle/state';
import type { NexmarkQuery } from './nexmark-query.js';

/** q3 output: `P.name, P.city, P.state, A.id`. */
export interface Q3Row {
  readonly name: string;
  readonly city: string;
  readonly state: string;
  readonly id: number;
}

/** The states q3 keeps. */
export const Q3_STATES: ReadonlySet<string> = new Set(['OR', 'ID', 'CA']);
/** The category q3 (and q20) keep. */
export const Q3_CATEGORY = 10;

/** The events q3 joins: category-10 auctions and persons from OR, ID or CA. */
export function isQ3Input(e: NexmarkEvent): boolean {
  return e.kind === 'auction' ? e.category === Q3_CATEGORY : e.kind === 'person' && Q3_STATES.has(e.state);
}

/**
 * The unbounded inner join `auction.seller = person.id`, keyed by person id: a person is kept
 * forever (ids are unique), auctions that arrive before their seller wait in a list.
 *
 * Written as one keyed process function over the combined event stream (both sides keyed by
 * the person id) rather than `connect(...).keyBy(...).process(KeyedCoProcessFunction)`,
 * because Riffle's two-input process operator has no keyed state or timers yet.
 */
class LocalItemSuggestion extends KeyedProcessFunction<number, NexmarkEvent, Q3Row> {
  private person!: ValueState<Person>;
  private pending!: ListState<Auction>;

  override open(): void {
    this.person = this.getRuntimeContext().getState(new ValueStateDescriptor<Person>('q3-person'));
    this.pending = this.getRuntimeContext().getListState(new ListStateDescriptor<Auction>('q3-pending-auctions'));
  }

  processElement(e: NexmarkEvent, _ctx: KeyedProcessContext<number>, out: Collector<Q3Row>): void {
    if (e.kind === 'auction') {
      const p = this.person.value();
      if (p === undefined) this.pending.add(e);
      else out.collect({ name: p.name, city: p.city, state: p.state, id: e.id });
    } else if (e.kind === 'person') {
      this.person.update(e);
      for (const a of this.pending.get()) out.collect({ name: e.name, city: e.city, state: e.state, id: a.id });
      this.pending.clear();
    }
  }
}

/** q3, local item suggestion: category-10 auctions joined with their sellers in OR, ID or CA. */
export const q3: NexmarkQuery<Q3Row> = {
  name: 'q3',
  group: 'join',
  description: 'local item suggestion: auction ⋈ person on seller, keyed process join',
  build(events) {
    return events
      .filter(isQ3Input)
      .name('q3 inputs')
      .keyBy((e) => (e.kind === 'auction' ? e.seller : (e as Person).id))
      .process(new LocalItemSuggestion())
      .name('q3');
  },
  row: (r) => [r.name, r.city, r.state, r.id],
};
