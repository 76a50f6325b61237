import type { PipelineExecutor } from './job-client.js';

let factory: (() => PipelineExecutor) | undefined;

/**
 * Registers how the default executor (used by `execute()` when no runner set an executor) is
 * made. The local MiniCluster registers itself when `@riffle/runtime` is imported.
 */
export function setDefaultExecutorFactory(f: () => PipelineExecutor): void {
  factory = f;
}

/** The executor `execute()` uses when no runner set one: a local MiniCluster. */
export function getDefaultExecutor(): PipelineExecutor {
  if (!factory) throw new Error('no default executor is registered: import @riffle/runtime before executing a job');
  return factory();
}
