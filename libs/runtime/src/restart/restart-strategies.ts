/**
 * Restart strategy configurations (Flink's `RestartStrategies`): plain data, validated when the
 * job is built, carried in the StreamGraph and JobGraph config and turned into a
 * {@link RestartBackoffTimeStrategy} by the JobMaster with `createRestartBackoffTimeStrategy`.
 * All durations are milliseconds.
 */

/** Never restart: the first task failure fails the job. Flink's default without checkpointing. */
export interface NoRestartStrategyConfiguration {
  readonly kind: 'none';
}

/**
 * Restart at most `attempts` times, waiting `delayMs` before each restart; the failure after the
 * last allowed restart fails the job (`attempts: 0` fails on the first failure).
 */
export interface FixedDelayRestartStrategyConfiguration {
  readonly kind: 'fixed-delay';
  readonly attempts: number;
  readonly delayMs: number;
}

/**
 * Restart while at most `maxFailuresPerInterval` failures fall within any window of `intervalMs`;
 * the failure that would make it `maxFailuresPerInterval + 1` fails the job. Waits `delayMs`
 * before each restart.
 */
export interface FailureRateRestartStrategyConfiguration {
  readonly kind: 'failure-rate';
  readonly maxFailuresPerInterval: number;
  readonly intervalMs: number;
  readonly delayMs: number;
}

/**
 * Restart indefinitely with a backoff that starts at `initialBackoffMs` and is multiplied by
 * `backoffMultiplier` on each further failure, capped at `maxBackoffMs`. When the job has run
 * `resetBackoffThresholdMs` without failing since its last restart, the backoff starts over.
 * Each delay is randomised by ±`jitterFactor` of the current backoff (never above the max).
 */
export interface ExponentialDelayRestartStrategyConfiguration {
  readonly kind: 'exponential-delay';
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
  readonly backoffMultiplier: number;
  readonly resetBackoffThresholdMs: number;
  readonly jitterFactor: number;
}

/** A restart strategy as configured on the job: serializable (JSON-safe) plain data. */
export type RestartStrategyConfiguration =
  | NoRestartStrategyConfiguration
  | FixedDelayRestartStrategyConfiguration
  | FailureRateRestartStrategyConfiguration
  | ExponentialDelayRestartStrategyConfiguration;

export type RestartStrategyKind = RestartStrategyConfiguration['kind'];

/** Flink's `restart-strategy.fixed-delay.*` defaults (attempts 1, delay 1 s). */
export const FIXED_DELAY_DEFAULTS = { attempts: 1, delayMs: 1_000 } as const;

/** Flink's `restart-strategy.failure-rate.*` defaults (1 failure per 1 min, delay 1 s). */
export const FAILURE_RATE_DEFAULTS = { maxFailuresPerInterval: 1, intervalMs: 60_000, delayMs: 1_000 } as const;

/**
 * Flink's `restart-strategy.exponential-delay.*` defaults (Flink 1.19+): initial backoff 1 s,
 * max backoff 1 min, multiplier 1.5, reset threshold 1 h, jitter 0.1.
 */
export const EXPONENTIAL_DELAY_DEFAULTS = {
  initialBackoffMs: 1_000,
  maxBackoffMs: 60_000,
  backoffMultiplier: 1.5,
  resetBackoffThresholdMs: 3_600_000,
  jitterFactor: 0.1,
} as const;

/** Attempts of the fixed-delay strategy applied when checkpointing is on and no strategy is set (Flink: Integer.MAX_VALUE). */
export const CHECKPOINTING_DEFAULT_RESTART_ATTEMPTS = 2_147_483_647;

/** Options of {@link RestartStrategies.exponentialDelayRestart} in object form; unset ones take Flink's defaults. */
export type ExponentialDelayRestartOptions = Partial<Omit<ExponentialDelayRestartStrategyConfiguration, 'kind'>>;

/**
 * Factory of restart strategy configurations, as in Flink:
 * `env.setRestartStrategy(RestartStrategies.fixedDelayRestart(3, 10_000))`. Every factory
 * validates its arguments and throws an Error naming the bad option.
 */
export const RestartStrategies = {
  /** Never restart: a task failure fails the job. */
  noRestart(): NoRestartStrategyConfiguration {
    return { kind: 'none' };
  },

  /** Restart at most `attempts` times, `delayMs` apart. */
  fixedDelayRestart(attempts: number, delayMs: number): FixedDelayRestartStrategyConfiguration {
    return validateRestartStrategy({ kind: 'fixed-delay', attempts, delayMs }, 'RestartStrategies.fixedDelayRestart') as FixedDelayRestartStrategyConfiguration;
  },

  /** Restart unless more than `maxFailuresPerInterval` failures fall within `intervalMs`; wait `delayMs` before each restart. */
  failureRateRestart(maxFailuresPerInterval: number, intervalMs: number, delayMs: number): FailureRateRestartStrategyConfiguration {
    return validateRestartStrategy(
      { kind: 'failure-rate', maxFailuresPerInterval, intervalMs, delayMs },
      'RestartStrategies.failureRateRestart',
    ) as FailureRateRestartStrategyConfiguration;
  },

  /**
   * Restart indefinitely with exponentially growing delays. Takes the five values positionally
   * (Flink's order), or an options object where unset values take Flink's defaults
   * ({@link EXPONENTIAL_DELAY_DEFAULTS}).
   */
  exponentialDelayRestart: exponentialDelayRestart,
};

function exponentialDelayRestart(options?: ExponentialDelayRestartOptions): ExponentialDelayRestartStrategyConfiguration;
function exponentialDelayRestart(
  initialBackoffMs: number,
  maxBackoffMs: number,
  backoffMultiplier: number,
  resetBackoffThresholdMs: number,
  jitterFactor: number,
): ExponentialDelayRestartStrategyConfiguration;
function exponentialDelayRestart(
  first?: number | ExponentialDelayRestartOptions,
  maxBackoffMs?: number,
  backoffMultiplier?: number,
  resetBackoffThresholdMs?: number,
  jitterFactor?: number,
): ExponentialDelayRestartStrategyConfiguration {
  const where = 'RestartStrategies.exponentialDelayRestart';
  if (typeof first === 'number') {
    return validateRestartStrategy(
      { kind: 'exponential-delay', initialBackoffMs: first, maxBackoffMs, backoffMultiplier, resetBackoffThresholdMs, jitterFactor },
      where,
    ) as ExponentialDelayRestartStrategyConfiguration;
  }
  if (first !== undefined && (typeof first !== 'object' || first === null)) {
    throw new Error(`${where}: expected an options object or numbers, got ${describe(first)}`);
  }
  return validateRestartStrategy({ kind: 'exponential-delay', ...EXPONENTIAL_DELAY_DEFAULTS, ...stripUndefined(first ?? {}) }, where) as ExponentialDelayRestartStrategyConfiguration;
}

/**
 * Checks that `value` is a valid {@link RestartStrategyConfiguration} (e.g. one read back from a
 * JobGraph or a command line) and returns it typed; throws an Error naming the bad option,
 * prefixed with `where`. Unknown extra fields are rejected too, so typos do not pass silently.
 */
export function validateRestartStrategy(value: unknown, where = 'restart strategy'): RestartStrategyConfiguration {
  if (typeof value !== 'object' || value === null) throw new Error(`${where}: expected a restart strategy configuration, got ${describe(value)}`);
  const v = value as Record<string, unknown>;
  switch (v.kind) {
    case 'none':
      onlyFields(v, [], where);
      return { kind: 'none' };
    case 'fixed-delay':
      onlyFields(v, ['attempts', 'delayMs'], where);
      integer(v, 'attempts', 0, where);
      duration(v, 'delayMs', 0, where);
      return { kind: 'fixed-delay', attempts: v.attempts as number, delayMs: v.delayMs as number };
    case 'failure-rate':
      onlyFields(v, ['maxFailuresPerInterval', 'intervalMs', 'delayMs'], where);
      integer(v, 'maxFailuresPerInterval', 1, where);
      duration(v, 'intervalMs', 1, where);
      duration(v, 'delayMs', 0, where);
      return {
        kind: 'failure-rate',
        maxFailuresPerInterval: v.maxFailuresPerInterval as number,
        intervalMs: v.intervalMs as number,
        delayMs: v.delayMs as number,
      };
    case 'exponential-delay': {
      onlyFields(v, ['initialBackoffMs', 'maxBackoffMs', 'backoffMultiplier', 'resetBackoffThresholdMs', 'jitterFactor'], where);
      duration(v, 'initialBackoffMs', 1, where);
      duration(v, 'maxBackoffMs', 1, where);
      if ((v.initialBackoffMs as number) > (v.maxBackoffMs as number)) {
        throw new Error(`${where}: 'initialBackoffMs' (${v.initialBackoffMs}) must not exceed 'maxBackoffMs' (${v.maxBackoffMs})`);
      }
      if (typeof v.backoffMultiplier !== 'number' || !Number.isFinite(v.backoffMultiplier) || v.backoffMultiplier <= 1) {
        throw new Error(`${where}: 'backoffMultiplier' must be a finite number greater than 1, got ${describe(v.backoffMultiplier)}`);
      }
      duration(v, 'resetBackoffThresholdMs', 1, where);
      if (typeof v.jitterFactor !== 'number' || !(v.jitterFactor >= 0 && v.jitterFactor <= 1)) {
        throw new Error(`${where}: 'jitterFactor' must be a number between 0 and 1, got ${describe(v.jitterFactor)}`);
      }
      return {
        kind: 'exponential-delay',
        initialBackoffMs: v.initialBackoffMs as number,
        maxBackoffMs: v.maxBackoffMs as number,
        backoffMultiplier: v.backoffMultiplier,
        resetBackoffThresholdMs: v.resetBackoffThresholdMs as number,
        jitterFactor: v.jitterFactor,
      };
    }
    default:
      throw new Error(`${where}: 'kind' must be one of 'none', 'fixed-delay', 'failure-rate', 'exponential-delay', got ${describe(v.kind)}`);
  }
}

/**
 * The strategy a job runs with: the configured one if set; otherwise, as in Flink, no restart
 * without checkpointing, and with checkpointing a fixed-delay strategy with
 * {@link CHECKPOINTING_DEFAULT_RESTART_ATTEMPTS} attempts and a 1 s delay (Flink up to 1.18;
 * Flink 1.19+ defaults to exponential-delay instead).
 */
export function resolveRestartStrategy(
  configured: RestartStrategyConfiguration | undefined,
  checkpointingEnabled: boolean,
): RestartStrategyConfiguration {
  if (configured) return configured;
  if (!checkpointingEnabled) return RestartStrategies.noRestart();
  return { kind: 'fixed-delay', attempts: CHECKPOINTING_DEFAULT_RESTART_ATTEMPTS, delayMs: FIXED_DELAY_DEFAULTS.delayMs };
}

/** A short human-readable description, e.g. for logs and the dashboard: `fixed-delay(attempts=3, delay=10000ms)`. */
export function describeRestartStrategy(config: RestartStrategyConfiguration): string {
  switch (config.kind) {
    case 'none':
      return 'no-restart';
    case 'fixed-delay':
      return `fixed-delay(attempts=${config.attempts}, delay=${config.delayMs}ms)`;
    case 'failure-rate':
      return `failure-rate(maxFailuresPerInterval=${config.maxFailuresPerInterval}, interval=${config.intervalMs}ms, delay=${config.delayMs}ms)`;
    case 'exponential-delay':
      return (
        `exponential-delay(initialBackoff=${config.initialBackoffMs}ms, maxBackoff=${config.maxBackoffMs}ms, ` +
        `multiplier=${config.backoffMultiplier}, resetBackoffThreshold=${config.resetBackoffThresholdMs}ms, jitter=${config.jitterFactor})`
      );
  }
}

function onlyFields(v: Record<string, unknown>, allowed: readonly string[], where: string): void {
  for (const key of Object.keys(v)) {
    if (key !== 'kind' && !allowed.includes(key)) {
      throw new Error(`${where}: unknown option '${key}' for a '${String(v.kind)}' restart strategy`);
    }
  }
}

function integer(v: Record<string, unknown>, name: string, min: number, where: string): void {
  const x = v[name];
  if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < min) {
    throw new Error(`${where}: '${name}' must be an integer >= ${min}, got ${describe(x)}`);
  }
}

function duration(v: Record<string, unknown>, name: string, min: number, where: string): void {
  const x = v[name];
  if (typeof x !== 'number' || !Number.isFinite(x) || x < min) {
    throw new Error(`${where}: '${name}' must be a finite number of ms >= ${min}, got ${describe(x)}`);
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined)) as Partial<T>;
}

function describe(x: unknown): string {
  if (typeof x === 'string') return JSON.stringify(x);
  if (x === null || x === undefined || typeof x !== 'object') return String(x);
  return Array.isArray(x) ? 'an array' : 'an object';
}
