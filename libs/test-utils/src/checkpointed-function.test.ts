import { describe, expect, it } from 'vitest';
import { RichFlatMapFunction, type Collector } from '@riffle/core';
import { StreamFlatMap } from '@riffle/datastream';
import type { CheckpointedFunction, FunctionInitializationContext, FunctionSnapshotContext } from '@riffle/runtime';
import { ListStateDescriptor, type ListState } from '@riffle/state';
import { OneInputStreamOperatorTestHarness } from './index.js';

/** Buffers words until it has `batch` of them (Flink's BufferingSink pattern), keeping the buffer in operator state. */
class Batcher extends RichFlatMapFunction<string, string[]> implements CheckpointedFunction {
  private buffer: string[] = [];
  private state!: ListState<string>;
  restored = false;

  constructor(
    private readonly batch: number,
    private readonly union = false,
  ) {
    super();
  }

  initializeState(context: FunctionInitializationContext): void {
    const d = new ListStateDescriptor<string>('buffered');
    this.state = this.union ? context.getOperatorStateStore().getUnionListState(d) : context.getOperatorStateStore().getListState(d);
    this.restored = context.isRestored();
    this.buffer = [...this.state.get()];
  }

  snapshotState(_context: FunctionSnapshotContext): void {
    this.state.update(this.buffer);
  }

  flatMap(word: string, out: Collector<string[]>): void {
    this.buffer.push(word);
    if (this.buffer.length >= this.batch) {
      out.collect(this.buffer);
      this.buffer = [];
    }
  }
}

describe('CheckpointedFunction', () => {
  it('initializes fresh state before open, and restores buffered elements into the next run', async () => {
    const first = new Batcher(3);
    const h1 = await new OneInputStreamOperatorTestHarness(new StreamFlatMap(first)).open();
    expect(first.restored).toBe(false);
    for (const w of ['a', 'b', 'c', 'd', 'e']) h1.processElement(w);
    expect(h1.extractOutputValues()).toEqual([['a', 'b', 'c']]);
    const snapshot = h1.snapshot();

    const second = new Batcher(3);
    const h2 = new OneInputStreamOperatorTestHarness(new StreamFlatMap(second));
    h2.initializeState(snapshot);
    await h2.open();
    expect(second.restored).toBe(true);
    h2.processElement('f');
    expect(h2.extractOutputValues()).toEqual([['d', 'e', 'f']]);
  });

  it('splits list state evenly when restoring at a higher parallelism, and gives union state to every subtask', async () => {
    for (const union of [false, true]) {
      const fn = new Batcher(100, union);
      const h = await new OneInputStreamOperatorTestHarness(new StreamFlatMap(fn)).open();
      for (const w of ['a', 'b', 'c', 'd']) h.processElement(w);
      const snapshot = h.snapshot();
      const restored: string[][] = [];
      for (const subtaskIndex of [0, 1]) {
        const f = new Batcher(100, union);
        const r = new OneInputStreamOperatorTestHarness(new StreamFlatMap(f), { parallelism: 2, subtaskIndex });
        r.initializeState([snapshot]);
        await r.open();
        restored.push([...(f as unknown as { buffer: string[] }).buffer]);
      }
      if (union) {
        expect(restored).toEqual([
          ['a', 'b', 'c', 'd'],
          ['a', 'b', 'c', 'd'],
        ]);
      } else {
        expect(restored.flat().sort()).toEqual(['a', 'b', 'c', 'd']);
        expect(restored.map((r) => r.length)).toEqual([2, 2]);
      }
    }
  });
});
