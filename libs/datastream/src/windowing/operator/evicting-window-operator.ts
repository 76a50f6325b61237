import type { TypeInformation } from '@riffle/core';
import { ListStateDescriptor, type InternalListState } from '@riffle/state';
import type { Evictor, TimestampedValue } from '../evictors/evictor.js';
import type { Window } from '../windows/window.js';
import { EvictingContents, type WindowContents } from './window-contents.js';
import { WINDOW_CONTENTS_STATE, WindowOperator, type WindowOperatorConfig } from './window-operator.js';
import { timestampedValueType } from './window-state-types.js';

/** The configuration of an {@link EvictingWindowOperator}. */
export interface EvictingWindowOperatorConfig<IN, OUT, K, W extends Window> extends WindowOperatorConfig<IN, OUT, K, W> {
  readonly evictor: Evictor<IN, W>;
  /** The element type, for the contents state (dynamic when undefined). */
  readonly elementTypeInfo?: TypeInformation<IN>;
}

/**
 * A {@link WindowOperator} with an evictor (Flink's `EvictingWindowOperator`): every element is
 * kept with its timestamp; on firing, `evictBefore` removes elements, the window function runs
 * on the rest (a reduce or aggregate is applied to them first), `evictAfter` removes more, and
 * what remains becomes the window's contents.
 */
export class EvictingWindowOperator<IN, OUT, K, W extends Window> extends WindowOperator<IN, unknown, OUT, K, W> {
  private readonly evictor: Evictor<IN, W>;
  private readonly elementTypeInfo: TypeInformation<IN> | undefined;
  private evictingContents!: EvictingContents<IN, W>;

  constructor(config: EvictingWindowOperatorConfig<IN, OUT, K, W>) {
    super(config);
    if (config.evictor === null || typeof config.evictor !== 'object' || typeof config.evictor.evictBefore !== 'function' || typeof config.evictor.evictAfter !== 'function') {
      throw new TypeError('evictor(): expected an Evictor (an object with evictBefore and evictAfter)');
    }
    this.evictor = config.evictor;
    this.elementTypeInfo = config.elementTypeInfo ?? (config.contents.kind === 'aggregate' ? undefined : config.contents.typeInfo);
  }

  protected override createContents(): WindowContents<IN, unknown, W> {
    const desc = new ListStateDescriptor<TimestampedValue<IN>>(WINDOW_CONTENTS_STATE, timestampedValueType(this.elementTypeInfo));
    const state = this.backend.getOrCreateKeyedState(this.windowSerializer, desc) as InternalListState<W, TimestampedValue<IN>>;
    this.evictingContents = new EvictingContents<IN, W>(state);
    return this.evictingContents as WindowContents<IN, unknown, W>;
  }

  protected override fireWindow(window: W): boolean {
    const elements = this.evictingContents.get();
    if (elements === undefined) return false;
    const ctx = this.triggerContext;
    ctx.window = window;
    this.evictor.evictBefore(elements, elements.length, window, ctx);
    // A reduce over nothing (everything evicted) has no result: the function is not called
    // (Flink would pass null).
    if (elements.length > 0 || this.contentsSpec.kind !== 'reduce') this.emitWindowContents(window, this.functionInput(elements));
    this.evictor.evictAfter(elements, elements.length, window, ctx);
    // The evicted elements leave the window's contents (Flink rewrites the list state, FLINK-4369).
    this.evictingContents.replace(elements);
    return true;
  }

  /** What the window function gets: the values, or their reduction/aggregation. */
  private functionInput(elements: readonly TimestampedValue<IN>[]): unknown {
    const spec = this.contentsSpec;
    switch (spec.kind) {
      case 'list':
        return elements.map((e) => e.value);
      case 'reduce': {
        let acc = elements[0]!.value;
        for (let i = 1; i < elements.length; i++) acc = spec.reduceFunction.reduce(acc, elements[i]!.value);
        return acc;
      }
      case 'aggregate': {
        const fn = spec.aggregateFunction;
        let acc = fn.createAccumulator();
        for (const e of elements) acc = fn.add(e.value, acc);
        return fn.getResult(acc);
      }
    }
  }
}
