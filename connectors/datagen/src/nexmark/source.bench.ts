/**
 * NexmarkSource reader throughput without a runtime: one reader per split polled in-process into
 * an output that only counts, so the figure is the reader's own cost (generator + batching +
 * per-split outputs). Compare with `npm run bench -- nexmark-source` (the MiniCluster, records into
 * a DiscardingSink) to see the runtime's share. Not a test; prints figures. From the repo root:
 *
 *   node --import tsx connectors/datagen/src/nexmark/source.bench.ts [events] [parallelism]
 */
import type { ReaderOutput, SourceOutput } from '@riffle/core';
import type { NexmarkEvent } from './events.js';
import { NexmarkSource } from './nexmark-source.js';
import type { NexmarkSplit } from './nexmark-split.js';

const events = Number(process.argv[2] ?? 5_000_000);
const parallelism = Number(process.argv[3] ?? 1);

let count = 0;
let lastTimestamp = 0;
const splitOutput: SourceOutput<NexmarkEvent> = {
  collect: (_event, timestamp) => {
    count++;
    lastTimestamp = timestamp ?? 0;
  },
  emitWatermark: () => {},
  markIdle: () => {},
  markActive: () => {},
};
const output: ReaderOutput<NexmarkEvent> = { ...splitOutput, createOutputForSplit: () => splitOutput, releaseOutputForSplit: () => {} };

function run(n: number): number {
  count = 0;
  const source = NexmarkSource.builder().setSeed(42).setMaxEvents(n).build();
  // The enumerator's splits, one per subtask.
  const splits: NexmarkSplit[] = [];
  const enumerator = source.createEnumerator({
    currentParallelism: () => parallelism,
    registeredReaders: () => new Set(),
    assignSplits: () => {},
    assignSplit: (split) => void splits.push(split),
    signalNoMoreSplits: () => {},
    sendEventToSourceReader: () => {},
  });
  for (let k = 0; k < parallelism; k++) enumerator.handleSplitRequest(k);
  const start = process.hrtime.bigint();
  // All readers on this thread, one after the other: the figure is per core.
  for (const [k, split] of splits.entries()) {
    const reader = source.createReader({
      getIndexOfSubtask: () => k,
      currentParallelism: () => parallelism,
      sendSplitRequest: () => {},
      sendSourceEventToCoordinator: () => {},
    });
    reader.addSplits([split]);
    reader.notifyNoMoreSplits();
    while (reader.pollNext(output) !== 'END_OF_INPUT');
  }
  return Number(process.hrtime.bigint() - start) / 1e9;
}

run(200_000); // warm-up
const rates: number[] = [];
for (let r = 0; r < 3; r++) {
  const seconds = run(events);
  rates.push(count / seconds);
  process.stdout.write(`round ${r + 1}: ${count} events in ${seconds.toFixed(3)} s = ${(count / seconds / 1e6).toFixed(2)}M events/s (last ts ${lastTimestamp})\n`);
}
rates.sort((a, b) => a - b);
process.stdout.write(`median: ${(rates[1]! / 1e6).toFixed(2)}M events/s per core (parallelism ${parallelism}, readers run one after the other)\n`);
