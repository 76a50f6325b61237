import { describe, it, expect } from 'vitest';
import type { TypeSerializer } from '@riffle/core';
import { StreamGraph, type StreamGraphConfig } from '../graph/stream-graph.js';
import { createJobGraph } from '../graph/streaming-job-graph-generator.js';
import { RestartStrategies, validateRestartStrategy } from './restart-strategies.js';

const stubSerializer: TypeSerializer<unknown> = { id: 'stub', serialize: () => undefined, deserialize: () => undefined, copy: (v) => v };

/** Source → Sink at parallelism 1, with the given config overrides. */
function graph(config: Partial<StreamGraphConfig>): StreamGraph {
  const g = new StreamGraph({
    jobName: 'restart-job',
    defaultParallelism: 1,
    maxParallelism: 128,
    runtimeMode: 'STREAMING',
    chainingEnabled: true,
    bufferTimeoutMs: 100,
    autoWatermarkIntervalMs: 200,
    params: {},
    ...config,
  });
  const common = {
    inputCount: 0 as const,
    parallelism: 1,
    maxParallelism: 128,
    slotSharingGroup: 'default',
    keySelectors: [],
    outputSerializer: stubSerializer,
    sideOutputSerializers: new Map(),
    properties: new Map(),
  };
  g.addNode({ ...common, id: 1, name: 'Source', kind: 'source', chainingStrategy: 'HEAD' });
  g.addNode({ ...common, id: 2, name: 'Sink', kind: 'operator', inputCount: 1, operatorFactory: () => ({}) as never, chainingStrategy: 'ALWAYS' });
  g.addEdge({ sourceId: 1, targetId: 2, inputIndex: 0, partitioner: { kind: 'forward' } });
  return g;
}

describe('restart strategy in the JobGraph', () => {
  it('is copied from the StreamGraph config and survives JSON', () => {
    const strategy = RestartStrategies.failureRateRestart(3, 60_000, 1_000);
    const jobGraph = createJobGraph(graph({ restartStrategy: strategy }), 'job-1');
    expect(jobGraph.config.restartStrategy).toEqual(strategy);
    const revived = JSON.parse(JSON.stringify(jobGraph)) as typeof jobGraph;
    expect(validateRestartStrategy(revived.config.restartStrategy)).toEqual(strategy);
  });

  it('is absent when the job did not set one, so the runtime can apply its default', () => {
    const jobGraph = createJobGraph(graph({}), 'job-2');
    expect('restartStrategy' in jobGraph.config).toBe(false);
  });

  it('does not change the graph fingerprint (workers need not agree on it)', () => {
    const a = createJobGraph(graph({}), 'job-3');
    const b = createJobGraph(graph({ restartStrategy: RestartStrategies.fixedDelayRestart(1, 0) }), 'job-3');
    expect(b.fingerprint).toBe(a.fingerprint);
  });
});
