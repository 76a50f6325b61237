import { describe, expect, it } from 'vitest';
import type { OperatorEvent } from '../rpc/gateways.js';
import { NumberSequenceSource, type NumberSequenceSplit } from '../sources/number-sequence-source.js';
import { SourceCoordinator } from './source-coordinator.js';

/** A coordinator of `fromSequence(0, 99)` at parallelism 2 whose events to the readers are recorded. */
function coordinator(): { c: SourceCoordinator<NumberSequenceSplit>; events: Array<[number, OperatorEvent['kind']]> } {
  const events: Array<[number, OperatorEvent['kind']]> = [];
  const c = new SourceCoordinator<NumberSequenceSplit>('Sequence Source', new NumberSequenceSource(0, 99), 2, (subtask, event) => events.push([subtask, event.kind]));
  return { c, events };
}

describe('SourceCoordinator', () => {
  it('hands out splits on request, then the end of input', async () => {
    const { c, events } = coordinator();
    await c.start();
    c.handleReaderRegistered(0);
    c.handleReaderRegistered(1);
    c.handleSplitRequest(0);
    c.handleSplitRequest(1);
    c.handleSplitRequest(0);
    expect(events).toEqual([
      [0, 'add-splits'],
      [1, 'add-splits'],
      [0, 'no-more-splits'],
    ]);
  });

  it('restores a source none of whose splits were read as a fresh one', async () => {
    const { c } = coordinator();
    await c.start();
    const restored = coordinator();
    await restored.c.start(c.snapshotState(1));
    restored.c.handleReaderRegistered(0);
    restored.c.handleSplitRequest(0);
    expect(restored.events).toEqual([[0, 'add-splits']]);
  });

  it('records in a checkpoint that every reader finished, so that a restore ends the readers instead of reading again', async () => {
    const { c } = coordinator();
    await c.start();
    for (const subtask of [0, 1]) {
      c.handleReaderRegistered(subtask);
      c.handleSplitRequest(subtask);
      c.handleSplitRequest(subtask);
    }
    await c.handleReaderFinished(0);
    await c.handleReaderFinished(1);
    // A checkpoint taken now (e.g. the final checkpoint of the sinks) must not describe a source to read afresh.
    const state = c.snapshotState(7);
    expect(state).toBeDefined();

    const restored = coordinator();
    await restored.c.start(state);
    for (const subtask of [0, 1]) {
      restored.c.handleReaderRegistered(subtask);
      restored.c.handleSplitRequest(subtask);
    }
    expect(restored.events).toEqual([
      [0, 'no-more-splits'],
      [0, 'no-more-splits'],
      [1, 'no-more-splits'],
      [1, 'no-more-splits'],
    ]);
    // ...and a checkpoint of the restored attempt says the same.
    expect(restored.c.snapshotState(8)).toEqual(state);
  });
});
