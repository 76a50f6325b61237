import {
  getDefaultExecutor,
  getExecutionContext,
  registerJobDefinitionRunner,
  setExecutionContext,
  type CheckpointStatsSnapshot,
  type SavepointRestoreSettings,
  type JobClient,
  type JobExecutionResult,
  type JobStatus,
  type PipelineExecutor,
  type StreamGraph,
} from '@riffle/runtime';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ParameterTool } from './parameter-tool.js';
import { StreamExecutionEnvironment } from './stream-execution-environment.js';

/** Builds a job's graph on `env`; may call `env.execute()` itself, else the runner executes. */
export type JobBuildFunction = (env: StreamExecutionEnvironment, params: ParameterTool) => void | Promise<void>;

/**
 * A job module's default export, made by {@link defineJob}. Runners recognise it by
 * `kind === 'riffle-job'` (a worker does not need this package to do so) and call `main()`.
 */
export interface JobDefinition {
  readonly kind: 'riffle-job';
  readonly build: JobBuildFunction;
  /**
   * Runs the job in the current execution context: creates the environment from the context,
   * calls `build`, then — unless `build` executed the job itself — submits it with
   * `env.executeAsync()` through the context's executor. Resolves once submitted (or, when
   * `build` called `await env.execute()`, once that returned), with the client of the job that
   * `main` submitted, or `undefined` when `build` executed it.
   */
  main(): Promise<JobClient | undefined>;
}

/**
 * Declares a job module:
 *
 * ```ts
 * export default defineJob((env, params) => {
 *   env.fromSequence(1, params.getNumber('n', 100)).map((x) => x * 2).addCollectSink('doubled');
 * });
 * ```
 *
 * The module is imported by the client and by every worker, which rebuild the same graph, so
 * `build` must be deterministic and must not start anything itself.
 */
export function defineJob(build: JobBuildFunction): JobDefinition {
  if (typeof build !== 'function') throw new TypeError('defineJob(): expected a function (env, params) => void');
  return {
    kind: 'riffle-job',
    build,
    async main(): Promise<JobClient | undefined> {
      const env = StreamExecutionEnvironment.getExecutionEnvironment();
      await build(env, env.getJobParameters());
      return env.hasExecuted() ? undefined : env.executeAsync();
    },
  };
}

/** True for the default export of a module written with {@link defineJob}. */
export function isJobDefinition(value: unknown): value is JobDefinition {
  return (
    value !== null &&
    typeof value === 'object' &&
    (value as JobDefinition).kind === 'riffle-job' &&
    typeof (value as JobDefinition).main === 'function'
  );
}

// Lets the runtime (which cannot import this package) run defineJob modules, e.g. when a worker
// rebuilds a job's graph: it imports the module, which imports this package, which registers this.
registerJobDefinitionRunner(async (definition) => {
  if (!isJobDefinition(definition)) throw new Error("the job module's default export was not made by defineJob() of @riffle/datastream");
  await definition.main();
});

export interface RunJobOptions {
  /** Default parallelism of the job (`riffle run -p`); the machine's core count when omitted. */
  readonly parallelism?: number;
  /** Job parameters; merged with (and overridden by) `args`. */
  readonly params?: Readonly<Record<string, string>>;
  /** Job arguments as on a command line (`['--input', 'x.txt', '--verbose']`), parsed with `ParameterTool.fromArgs`. */
  readonly args?: readonly string[];
  /** Where to run the job; the default executor (a local MiniCluster) when omitted. */
  readonly executor?: PipelineExecutor;
  /** Return once the job is submitted instead of waiting for its result (Flink's detached mode). */
  readonly detached?: boolean;
  /** Start from a savepoint (`riffle run --fromSavepoint <path> [--allowNonRestoredState]`). */
  readonly savepointRestore?: SavepointRestoreSettings;
}

export interface RunJobResult {
  /** The job that was submitted (the last one, when the module executed several). */
  readonly client: JobClient;
  /** The result of that job; absent in detached mode. */
  readonly result?: JobExecutionResult;
  /** Every job the module submitted, in order. */
  readonly clients: readonly JobClient[];
}

let runCounter = 0;
let buildLock: Promise<unknown> = Promise.resolve();
/** How each module imported by runJob declared its job, by href. */
const moduleStyles = new Map<string, 'definition' | 'script'>();

async function importJobModule(url: string, href: string): Promise<{ default?: unknown }> {
  try {
    return (await import(url)) as { default?: unknown };
  } catch (error) {
    moduleStyles.set(href, 'script');
    throw error;
  }
}

function freshUrl(href: string): string {
  return `${href}${href.includes('?') ? '&' : '?'}riffle-run=${++runCounter}`;
}

/**
 * Runs a job module, as `riffle run` does: sets the {@link ExecutionContext} (job module URL,
 * parameters, parallelism, executor), imports the module, and
 * - if its default export is a {@link defineJob} job, calls its `main()` (build, then execute
 *   unless `build` did);
 * - otherwise expects the module to call `env.execute()` while it is imported (script style).
 * Every job submitted meanwhile is recorded, never executed twice. Unless `detached`, waits for
 * the last job's result; a failed job rejects with the runtime's `JobExecutionError`.
 *
 * In detached mode a script-style module's `await env.execute()` returns at once with a result
 * whose `getCollected` throws, as Flink's detached execution does.
 *
 * The execution context is process-wide, so runs are serialized while a module is being
 * imported and built; a script-style module that awaits its job while imported holds others
 * back until the job finishes. A script-style module imported before is imported again under a
 * fresh URL (`?riffle-run=N`) so that its top-level code runs again; workers import the plain URL.
 */
export async function runJob(moduleUrl: string | URL, options: RunJobOptions = {}): Promise<RunJobResult> {
  const href = toModuleHref(moduleUrl);
  const params = { ...(options.params ?? {}), ...(options.args ? ParameterTool.fromArgs(options.args).toMap() : {}) };
  const recorder = new RecordingExecutor(options.executor, options.detached === true);

  const run = buildLock.then(async () => {
    const previous = getExecutionContext();
    setExecutionContext({
      jobModule: href,
      params,
      parallelism: options.parallelism,
      executor: recorder,
      ...(options.savepointRestore ? { savepointRestore: options.savepointRestore } : {}),
    });
    try {
      // Script modules run their job while being evaluated, which ES modules do once per URL:
      // import them under a fresh URL when they were imported before (also after a failure).
      const style = moduleStyles.get(href);
      const module = await importJobModule(style === 'script' ? freshUrl(href) : href, href);
      if (isJobDefinition(module.default)) {
        moduleStyles.set(href, 'definition');
        await module.default.main();
      } else {
        moduleStyles.set(href, 'script');
        if (recorder.clients.length === 0 && style === undefined) {
          // Imported before by someone else, so its top-level code did not run now.
          const again = await importJobModule(freshUrl(href), href);
          if (isJobDefinition(again.default)) await again.default.main();
        }
      }
    } finally {
      setExecutionContext(previous);
    }
  });
  buildLock = run.catch(() => undefined);
  await run;

  const client = recorder.clients.at(-1);
  if (!client) {
    throw new Error(`runJob: ${href} neither default-exports defineJob(...) nor calls env.execute() when imported`);
  }
  if (options.detached) return { client, clients: recorder.clients };
  return { client, result: await client.getJobExecutionResult(), clients: recorder.clients };
}

/** A module URL's href; a string that is not a URL (no scheme) is taken as a file path. */
function toModuleHref(moduleUrl: string | URL): string {
  if (typeof moduleUrl !== 'string') return moduleUrl.href;
  if (/^[a-z][a-z0-9+.-]+:/i.test(moduleUrl)) return new URL(moduleUrl).href;
  return pathToFileURL(resolve(moduleUrl)).href;
}

/** Runs graphs with the given (or default) executor and records the clients of the submitted jobs. */
class RecordingExecutor implements PipelineExecutor {
  readonly clients: JobClient[] = [];

  constructor(
    private readonly executor: PipelineExecutor | undefined,
    private readonly detached: boolean,
  ) {}

  async execute(graph: StreamGraph): Promise<JobClient> {
    const client = new ResultCachingJobClient(await (this.executor ?? getDefaultExecutor()).execute(graph));
    this.clients.push(client);
    return this.detached ? new DetachedJobClient(client, graph.config.jobName) : client;
  }
}

/** Forwards every call to another client; subclasses change what they need. */
abstract class ForwardingJobClient implements JobClient {
  constructor(protected readonly inner: JobClient) {}

  getJobID(): string {
    return this.inner.getJobID();
  }
  getJobStatus(): Promise<JobStatus> {
    return this.inner.getJobStatus();
  }
  cancel(): Promise<void> {
    return this.inner.cancel();
  }
  triggerSavepoint(targetDirectory: string): Promise<string> {
    return this.inner.triggerSavepoint(targetDirectory);
  }
  stopWithSavepoint(targetDirectory: string): Promise<string> {
    return this.inner.stopWithSavepoint(targetDirectory);
  }
  getCheckpointStats(): Promise<CheckpointStatsSnapshot[]> {
    return this.inner.getCheckpointStats();
  }
  abstract getJobExecutionResult(): Promise<JobExecutionResult>;
}

/** Asks the underlying client for the result once, so that the module and `runJob` can both await it. */
class ResultCachingJobClient extends ForwardingJobClient {
  private result: Promise<JobExecutionResult> | undefined;

  getJobExecutionResult(): Promise<JobExecutionResult> {
    this.result ??= this.inner.getJobExecutionResult();
    return this.result;
  }
}

/** What a module sees in detached mode: its `execute()` returns at once. */
class DetachedJobClient extends ForwardingJobClient {
  constructor(
    inner: JobClient,
    private readonly jobName: string,
  ) {
    super(inner);
  }

  getJobExecutionResult(): Promise<JobExecutionResult> {
    const jobId = this.inner.getJobID();
    return Promise.resolve({
      jobId,
      jobName: this.jobName,
      netRuntimeMs: 0,
      getCollected(): never {
        throw new Error(`Job ${jobId} runs detached: its results are not available to the program that submitted it`);
      },
      getMetrics(): never {
        throw new Error(`Job ${jobId} runs detached: its metrics are not available to the program that submitted it`);
      },
    });
  }
}
