/**
 * A job module's default export, made by the API's `defineJob`. The runtime only recognises it
 * and asks the API layer (which registers a runner when it is imported) to build and execute
 * it under the current ExecutionContext.
 */
export interface JobDefinitionLike {
  readonly kind: 'riffle-job';
}

/** Builds the graph of a job definition and executes it through the context's executor. */
export type JobDefinitionRunner = (definition: JobDefinitionLike) => Promise<void>;

const KEY = Symbol.for('riffle.job-definition-runner');
type Holder = { [KEY]?: JobDefinitionRunner };

/** Called by the user API when it is loaded. */
export function registerJobDefinitionRunner(runner: JobDefinitionRunner): void {
  (globalThis as Holder)[KEY] = runner;
}

export function isJobDefinition(value: unknown): value is JobDefinitionLike {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'riffle-job';
}

/** Runs a job definition; throws when no user API registered a runner. */
export function runJobDefinition(definition: JobDefinitionLike): Promise<void> {
  const runner = (globalThis as Holder)[KEY];
  if (!runner) throw new Error('the job module defines a job, but no Riffle API registered a runner for it (import @riffle/datastream)');
  return runner(definition);
}
