import { describe, expect, it } from 'vitest';
import { createJobGraph } from '@riffle/runtime';
import { RestartStrategies } from '../index.js';
import { StreamExecutionEnvironment } from './stream-execution-environment.js';

describe('StreamExecutionEnvironment.setRestartStrategy', () => {
  it('carries the restart strategy into the StreamGraph and JobGraph config', () => {
    const env = new StreamExecutionEnvironment();
    env.setParallelism(1).setRestartStrategy(RestartStrategies.fixedDelayRestart(3, 10_000));
    expect(env.getRestartStrategy()).toEqual({ kind: 'fixed-delay', attempts: 3, delayMs: 10_000 });
    env.fromElements(1, 2).print();
    const streamGraph = env.getStreamGraph('restarting');
    expect(streamGraph.config.restartStrategy).toEqual({ kind: 'fixed-delay', attempts: 3, delayMs: 10_000 });
    expect(createJobGraph(streamGraph, 'job-r').config.restartStrategy).toEqual({ kind: 'fixed-delay', attempts: 3, delayMs: 10_000 });
  });

  it('leaves the strategy unset by default, so the runtime default (no restart without checkpointing) applies', () => {
    const env = new StreamExecutionEnvironment();
    env.setParallelism(1);
    expect(env.getRestartStrategy()).toBeUndefined();
    env.fromElements(1).print();
    expect(env.getStreamGraph().config.restartStrategy).toBeUndefined();
  });

  it('keeps the last strategy set', () => {
    const env = new StreamExecutionEnvironment();
    env.setRestartStrategy(RestartStrategies.fixedDelayRestart(1, 0)).setRestartStrategy(RestartStrategies.noRestart());
    expect(env.getRestartStrategy()).toEqual({ kind: 'none' });
  });

  it('rejects an invalid configuration when it is set, naming the option', () => {
    const env = new StreamExecutionEnvironment();
    const bad = { kind: 'failure-rate', maxFailuresPerInterval: 0, intervalMs: 1_000, delayMs: 0 } as const;
    expect(() => env.setRestartStrategy(bad)).toThrow(/setRestartStrategy: 'maxFailuresPerInterval' must be an integer >= 1, got 0/);
    expect(env.getRestartStrategy()).toBeUndefined();
  });
});
