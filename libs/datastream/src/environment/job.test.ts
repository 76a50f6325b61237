import { describe, expect, it } from 'vitest';
import { getExecutionContext, runJobDefinition, setExecutionContext } from '@riffle/runtime';
import { TestingPipelineExecutor } from '../testing/testing-pipeline-executor.js';
import { defineJob, isJobDefinition, runJob } from './job.js';

const job = (name: string) => new URL(`../testing/jobs/${name}.ts`, import.meta.url);

describe('runJob', () => {
  it('builds and executes a defineJob module with the given parameters and parallelism', async () => {
    const executor = new TestingPipelineExecutor({ doubled: [2, 4, 6] });
    const { client, result, clients } = await runJob(job('defined-job'), { executor, parallelism: 3, args: ['--n', '3'] });
    expect(result!.getCollected('doubled')).toEqual([2, 4, 6]);
    expect(clients).toEqual([client]);
    expect(executor.graphs).toHaveLength(1);
    const graph = executor.graphs[0]!;
    expect(graph.config.params).toEqual({ n: '3' });
    expect(graph.config.defaultParallelism).toBe(3);
    expect([...graph.nodes.values()].map((n) => n.name)).toEqual(['Sequence Source', 'double', 'Collect Sink']);
    expect(getExecutionContext()).toBeUndefined();
  });

  it('rebuilds a defineJob module on every run, with the new parameters', async () => {
    const executor = new TestingPipelineExecutor();
    await runJob(job('defined-job'), { executor, params: { n: '5' }, parallelism: 1 });
    await runJob(job('defined-job'), { executor, params: { n: '7' }, args: ['--n', '8'], parallelism: 1 });
    expect(executor.graphs.map((g) => g.config.params.n)).toEqual(['5', '8']);
  });

  it('does not execute twice when build executed the job itself', async () => {
    const executor = new TestingPipelineExecutor({ letters: ['a', 'b'] });
    const { result } = await runJob(job('self-executing-job'), { executor, parallelism: 1 });
    expect(executor.graphs.map((g) => g.config.jobName)).toEqual(['self executing']);
    expect(result!.getCollected('letters')).toEqual(['a', 'b']);
  });

  it('captures the execution of a script-style module, also when it was imported before', async () => {
    const executor = new TestingPipelineExecutor({ upper: ['HI'] });
    const first = await runJob(job('script-job'), { executor, params: { word: 'hi' }, parallelism: 1 });
    expect(first.result!.getCollected('upper')).toEqual(['HI']);
    const second = await runJob(job('script-job'), { executor, params: { word: 'again' }, parallelism: 1 });
    expect(second.client.getJobID()).toBe('testing-job-2');
    expect(executor.graphs.map((g) => g.config.params.word)).toEqual(['hi', 'again']);
  });

  it('returns at once in detached mode; a script module then sees a detached result', async () => {
    const seen: unknown[][] = [];
    (globalThis as { riffleScriptJobSeen?: unknown[][] }).riffleScriptJobSeen = seen;
    try {
      const executor = new TestingPipelineExecutor({ upper: ['X'] });
      const attached = await runJob(job('script-job'), { executor, parallelism: 1 });
      const detached = await runJob(job('script-job'), { executor, detached: true, parallelism: 1 });
      expect(attached.result!.getCollected('upper')).toEqual(['X']);
      expect(detached.result).toBeUndefined();
      expect(seen[0]).toEqual(['X']);
      expect(seen[1]).toEqual([expect.stringMatching(/^error: Job testing-job-2 runs detached/)]);
      // The runner's client still reaches the real result.
      expect((await detached.client.getJobExecutionResult()).getCollected('upper')).toEqual(['X']);
    } finally {
      delete (globalThis as { riffleScriptJobSeen?: unknown[][] }).riffleScriptJobSeen;
    }
  });

  it('runs a script-style module again after its job failed', async () => {
    await expect(runJob(job('script-job'), { executor: new TestingPipelineExecutor({}, new Error('first run failed')), parallelism: 1 })).rejects.toThrow(
      'first run failed',
    );
    const { result } = await runJob(job('script-job'), { executor: new TestingPipelineExecutor({ upper: ['OK'] }), parallelism: 1 });
    expect(result!.getCollected('upper')).toEqual(['OK']);
  });

  it('accepts a file path as well as a URL', async () => {
    const executor = new TestingPipelineExecutor();
    await runJob(job('defined-job').pathname, { executor, parallelism: 1 });
    expect(executor.graphs).toHaveLength(1);
  });

  it('rejects a module that neither defines nor executes a job, and restores the context', async () => {
    const executor = new TestingPipelineExecutor();
    await expect(runJob(job('empty-module'), { executor })).rejects.toThrow(/neither default-exports defineJob\(\.\.\.\) nor calls env.execute\(\)/);
    expect(getExecutionContext()).toBeUndefined();
  });

  it('rejects with the job failure', async () => {
    const executor = new TestingPipelineExecutor({}, new Error('task failed'));
    await expect(runJob(job('defined-job'), { executor, parallelism: 1 })).rejects.toThrow('task failed');
  });
});

describe('defineJob', () => {
  it('marks the job so that runners and workers can recognise it', () => {
    const def = defineJob(() => {});
    expect(def.kind).toBe('riffle-job');
    expect(isJobDefinition(def)).toBe(true);
    expect(isJobDefinition({ kind: 'riffle-job' })).toBe(false);
    expect(() => defineJob(42 as never)).toThrow(/expected a function/);
  });

  it('is runnable by the runtime (as a worker does) through the registered job-definition runner', async () => {
    const executor = new TestingPipelineExecutor();
    setExecutionContext({ jobModule: 'file:///worker-job.ts', params: { n: '4' }, parallelism: 2, executor });
    try {
      await runJobDefinition(defineJob((env, params) => void env.fromSequence(1, params.getNumber('n')).print()));
    } finally {
      setExecutionContext(undefined);
    }
    expect(executor.graphs.map((g) => [g.nodes.size, g.config.defaultParallelism, g.config.params])).toEqual([[2, 2, { n: '4' }]]);
  });
});
