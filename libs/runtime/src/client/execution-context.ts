import type { PipelineExecutor } from './job-client.js';

/**
 * Where the current process stands when a job module builds its graph. The user API reads it in
 * `execute()`; runners (the CLI, `runJob`, workers) set it before they import the job module.
 *
 * - On the client, `executor` runs the graph (by default on a local MiniCluster) and `jobModule`
 *   is the module that workers must import to rebuild the same graph.
 * - In a worker, `executor` only captures the graph; nothing runs from `execute()`.
 */
export interface ExecutionContext {
  /** URL of the module that builds the job's graph; workers import it. */
  readonly jobModule: string;
  /** The job's parameters (the arguments after `--`). */
  readonly params: Readonly<Record<string, string>>;
  /** Runs (or captures) the graph. When absent, the API uses the default local executor. */
  readonly executor?: PipelineExecutor;
  /** Overrides the environment's default parallelism (`riffle run -p N`). */
  readonly parallelism?: number;
  /** Start the job from a savepoint (`riffle run --fromSavepoint <path> [--allowNonRestoredState]`). */
  readonly savepointRestore?: import('../rpc/messages.js').SavepointRestoreSettings;
}

const KEY = Symbol.for('riffle.execution-context');

type Holder = { [KEY]?: ExecutionContext };

/** Sets the context for graphs built from now on (process- or thread-wide). */
export function setExecutionContext(context: ExecutionContext | undefined): void {
  (globalThis as Holder)[KEY] = context;
}

/** The current context, if a runner set one. */
export function getExecutionContext(): ExecutionContext | undefined {
  return (globalThis as Holder)[KEY];
}
