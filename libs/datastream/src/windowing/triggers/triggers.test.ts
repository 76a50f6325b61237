import { describe, expect, it } from 'vitest';
import { TestingTriggerContext } from '../testing/testing-trigger-context.js';
import { TimeWindow } from '../windows/time-window.js';
import { ContinuousEventTimeTrigger } from './continuous-event-time-trigger.js';
import { CountTrigger } from './count-trigger.js';
import { EventTimeTrigger } from './event-time-trigger.js';
import { ProcessingTimeTrigger } from './processing-time-trigger.js';
import { PurgingTrigger } from './purging-trigger.js';
import { TriggerResult } from './trigger.js';

const w = new TimeWindow(0, 10);

describe('TriggerResult', () => {
  it('tells fire and purge apart', () => {
    expect([TriggerResult.CONTINUE, TriggerResult.FIRE, TriggerResult.PURGE, TriggerResult.FIRE_AND_PURGE].map((r) => [r.isFire(), r.isPurge()])).toEqual([
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ]);
  });
});

describe('EventTimeTrigger', () => {
  const trigger = EventTimeTrigger.create();

  it('registers a timer at the window end and fires on it', () => {
    const ctx = new TestingTriggerContext().at(w);
    expect(trigger.onElement('a', 3, w, ctx)).toBe(TriggerResult.CONTINUE);
    expect([...ctx.eventTimers]).toEqual(['0,10@9']);
    expect(trigger.onEventTime(8, w, ctx)).toBe(TriggerResult.CONTINUE);
    expect(trigger.onEventTime(9, w, ctx)).toBe(TriggerResult.FIRE);
    expect(trigger.onProcessingTime(9, w, ctx)).toBe(TriggerResult.CONTINUE);
    trigger.clear(w, ctx);
    expect(ctx.eventTimers.size).toBe(0);
  });

  it('fires at once for an element of a window the watermark has passed', () => {
    const ctx = new TestingTriggerContext().at(w);
    ctx.watermark = 9;
    expect(trigger.onElement('a', 3, w, ctx)).toBe(TriggerResult.FIRE);
    expect(ctx.eventTimers.size).toBe(0);
  });

  it('registers the merged window end on merge unless the watermark passed it', () => {
    const ctx = new TestingTriggerContext().at(new TimeWindow(0, 20));
    trigger.onMerge(ctx.window, ctx);
    expect([...ctx.eventTimers]).toEqual(['0,20@19']);
    const late = new TestingTriggerContext().at(new TimeWindow(0, 20));
    late.watermark = 19;
    trigger.onMerge(late.window, late);
    expect(late.eventTimers.size).toBe(0);
    expect(trigger.canMerge()).toBe(true);
  });
});

describe('ProcessingTimeTrigger', () => {
  it('registers a processing-time timer at the window end and fires on processing time', () => {
    const trigger = ProcessingTimeTrigger.create();
    const ctx = new TestingTriggerContext().at(w);
    expect(trigger.onElement('a', 3, w, ctx)).toBe(TriggerResult.CONTINUE);
    expect([...ctx.processingTimers]).toEqual(['0,10@9']);
    expect(trigger.onProcessingTime(9, w, ctx)).toBe(TriggerResult.FIRE);
    expect(trigger.onEventTime(9, w, ctx)).toBe(TriggerResult.CONTINUE);
    trigger.clear(w, ctx);
    expect(ctx.processingTimers.size).toBe(0);
  });
});

describe('CountTrigger', () => {
  it('fires every n elements per window and counts windows separately', () => {
    const trigger = CountTrigger.of(3);
    const ctx = new TestingTriggerContext();
    const other = new TimeWindow(10, 20);
    const results: string[] = [];
    for (let i = 0; i < 7; i++) {
      results.push(trigger.onElement(i, i, w, ctx.at(w)).toString());
      if (i < 2) trigger.onElement(i, i, other, ctx.at(other));
    }
    expect(results).toEqual(['CONTINUE', 'CONTINUE', 'FIRE', 'CONTINUE', 'CONTINUE', 'FIRE', 'CONTINUE']);
    expect(trigger.onElement('x', 0, other, ctx.at(other))).toBe(TriggerResult.FIRE);
  });

  it('merges counts on merge and clears its state', () => {
    const trigger = CountTrigger.of(4);
    const ctx = new TestingTriggerContext();
    const a = new TimeWindow(0, 5);
    const b = new TimeWindow(5, 10);
    trigger.onElement(1, 0, a, ctx.at(a));
    trigger.onElement(1, 0, b, ctx.at(b));
    trigger.onElement(1, 0, b, ctx.at(b));
    const merged = new TimeWindow(0, 10);
    ctx.mergedWindows = [a, b];
    trigger.onMerge(merged, ctx.at(merged));
    expect(trigger.onElement(1, 0, merged, ctx.at(merged))).toBe(TriggerResult.FIRE);
    trigger.onElement(1, 0, merged, ctx.at(merged));
    expect(ctx.backend.numKeys('count')).toBe(1);
    trigger.clear(merged, ctx.at(merged));
    expect(ctx.backend.numKeys('count')).toBe(0);
  });

  it('rejects counts below 1', () => {
    expect(() => CountTrigger.of(0)).toThrow(/>= 1/);
  });
});

describe('PurgingTrigger', () => {
  it('turns FIRE into FIRE_AND_PURGE and passes the rest through', () => {
    const trigger = PurgingTrigger.of(CountTrigger.of(2));
    const ctx = new TestingTriggerContext().at(w);
    expect(trigger.onElement(1, 0, w, ctx)).toBe(TriggerResult.CONTINUE);
    expect(trigger.onElement(1, 0, w, ctx)).toBe(TriggerResult.FIRE_AND_PURGE);
    const et = PurgingTrigger.of(EventTimeTrigger.create());
    expect(et.onEventTime(9, w, ctx)).toBe(TriggerResult.FIRE_AND_PURGE);
    expect(et.onEventTime(8, w, ctx)).toBe(TriggerResult.CONTINUE);
    expect(et.canMerge()).toBe(true);
    expect(String(trigger)).toBe('PurgingTrigger(CountTrigger(2))');
  });
});

describe('ContinuousEventTimeTrigger', () => {
  it('fires every interval of event time and at the window end', () => {
    const window = new TimeWindow(0, 100);
    const trigger = ContinuousEventTimeTrigger.of(30);
    const ctx = new TestingTriggerContext().at(window);
    expect(trigger.onElement('a', 42, window, ctx)).toBe(TriggerResult.CONTINUE);
    // Aligned to the interval: 42 - 42 % 30 + 30 = 60; and the window end.
    expect([...ctx.eventTimers].sort()).toEqual(['0,100@60', '0,100@99']);
    trigger.onElement('b', 50, window, ctx);
    expect(ctx.eventTimers.size).toBe(2);
    ctx.eventTimers.delete('0,100@60'); // a timer is gone once it fired
    expect(trigger.onEventTime(60, window, ctx)).toBe(TriggerResult.FIRE);
    expect([...ctx.eventTimers].sort()).toEqual(['0,100@90', '0,100@99']);
    expect(trigger.onEventTime(90, window, ctx)).toBe(TriggerResult.FIRE);
    // The next one would be 120, capped at the window end.
    expect(trigger.onEventTime(99, window, ctx)).toBe(TriggerResult.FIRE);
    trigger.clear(window, ctx);
    expect(ctx.backend.numKeys('fire-time')).toBe(0);
  });

  it('fires at once when the watermark passed the window', () => {
    const trigger = ContinuousEventTimeTrigger.of(30);
    const ctx = new TestingTriggerContext().at(w);
    ctx.watermark = 100;
    expect(trigger.onElement('a', 5, w, ctx)).toBe(TriggerResult.FIRE);
  });
});
