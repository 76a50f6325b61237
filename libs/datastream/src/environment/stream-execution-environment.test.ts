import { describe, expect, it } from 'vitest';
import { ProcessFunction, type Collector, type ProcessContext, type Source } from '@riffle/core';
import { NumberSequenceSource, setExecutionContext, type StreamGraph } from '@riffle/runtime';
import { TestingPipelineExecutor } from '../testing/testing-pipeline-executor.js';
import { StreamExecutionEnvironment } from './stream-execution-environment.js';

describe('StreamExecutionEnvironment', () => {
  it('takes parallelism, parameters and executor from the execution context', async () => {
    const executor = new TestingPipelineExecutor();
    setExecutionContext({ jobModule: 'file:///job.ts', params: { mode: 'test' }, parallelism: 3, executor });
    try {
      const env = StreamExecutionEnvironment.getExecutionEnvironment();
      expect(env.getParallelism()).toBe(3);
      expect(env.getJobParameters().get('mode')).toBe('test');
      expect(env.getConfig().getGlobalJobParameters().get('mode')).toBe('test');
      env.fromElements(1).print();
      await env.execute('ctx');
      expect(executor.graphs.map((g) => [g.config.jobName, g.config.params])).toEqual([['ctx', { mode: 'test' }]]);
    } finally {
      setExecutionContext(undefined);
    }
  });

  it('defaults the parallelism to the number of cores without a context', () => {
    const env = new StreamExecutionEnvironment();
    expect(env.getParallelism()).toBeGreaterThanOrEqual(1);
    expect(env.getMaxParallelism()).toBeUndefined();
  });

  it('executeAndCollect adds a collect sink with a deterministic id and returns its values, up to a limit', async () => {
    const graphsSeen: string[] = [];
    const executor = {
      async execute(graph: StreamGraph) {
        const sink = [...graph.nodes.values()].find((n) => n.name === 'Collect Sink')!;
        const id = sink.properties.get('collectId') as string;
        graphsSeen.push(id);
        return new TestingPipelineExecutor({ [id]: [3, 2, 1] }).execute(graph);
      },
    };
    const env = new StreamExecutionEnvironment({ jobModule: 'file:///j.ts', params: {}, parallelism: 1, executor });
    expect(await env.fromElements(1, 2, 3).map((x) => 4 - x).executeAndCollect()).toEqual([3, 2, 1]);
    expect(await env.fromElements(1, 2, 3).executeAndCollect('named', 2)).toEqual([3, 2]);
    expect(graphsSeen).toEqual(['__executeAndCollect-2', '__executeAndCollect-4']);
  });

  it('refuses an unbounded source in BATCH mode', () => {
    const bounded = new NumberSequenceSource<number>(1, 2);
    const unbounded: Source<number, any, any> = Object.assign(Object.create(bounded) as object, { getBoundedness: () => 'CONTINUOUS_UNBOUNDED' as const }) as Source<number, any, any>;
    const env = new StreamExecutionEnvironment({ jobModule: 'file:///j.ts', params: {}, parallelism: 1 }).setRuntimeMode('BATCH');
    env.fromSource(unbounded, undefined, 'endless').print();
    expect(() => env.getStreamGraph()).toThrow(/Source 'endless' is unbounded, but the job runs in BATCH mode/);
  });

  it('accepts a ProcessFunction on a keyed stream', () => {
    class Echo extends ProcessFunction<number, number> {
      processElement(v: number, _ctx: ProcessContext, out: Collector<number>): void {
        out.collect(v);
      }
    }
    const env = new StreamExecutionEnvironment({ jobModule: 'file:///j.ts', params: {}, parallelism: 2 });
    env.fromSequence(1, 4).keyBy((v) => v % 2).process(new Echo()).print();
    expect(env.getStreamGraph().getNode(2).name).toBe('KeyedProcess');
  });
});
