import { describe, expect, it } from 'vitest';
import { StreamExecutionEnvironment } from '@riffle/datastream';
import { createJobGraph } from '@riffle/runtime';

function pipeline(disableFilterChaining: boolean) {
  const env = new StreamExecutionEnvironment({ jobModule: 'memory:chaining', params: {}, parallelism: 2 });
  const filtered = env
    .fromSequence(1, 100)
    .map((x) => x + 1)
    .name('Map')
    .filter((x) => x % 2 === 0)
    .name('Filter');
  if (disableFilterChaining) filtered.disableChaining();
  filtered
    .keyBy((x) => x % 10)
    .reduce((a, b) => a + b)
    .name('Reduce')
    .addCollectSink('out');
  return createJobGraph(env.getStreamGraph('chaining'), 'job');
}

describe('operator chaining through the DataStream API', () => {
  it('chains source -> map -> filter -> keyBy -> reduce -> sink into two vertices', () => {
    const graph = pipeline(false);
    expect(graph.vertices.map((v) => v.name)).toEqual(['Sequence Source -> Map -> Filter', 'Reduce -> Collect Sink']);
    expect(graph.edges.map((e) => e.partitioner)).toEqual(['hash']);
  });

  it('gives three vertices when chaining is disabled on the filter', () => {
    const graph = pipeline(true);
    expect(graph.vertices.length).toBe(3);
    expect(graph.vertices.map((v) => v.name)).toEqual(['Sequence Source -> Map', 'Filter', 'Reduce -> Collect Sink']);
  });
});
