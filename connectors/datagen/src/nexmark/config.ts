/**
 * Nexmark generator configuration: the options of nexmark/nexmark's `NexmarkConfiguration` and
 * `GeneratorConfig` that the Flink generator actually uses, plus Riffle's explicit `seed` and
 * the split bookkeeping (`firstEventId`, `maxEvents`, `firstEventNumber`, `splitIndex`).
 */

/** A validated, complete generator configuration (plain data: safe to copy, compare and persist). */
export interface NexmarkConfig {
  /** Relative share of person events per 50-event epoch (default 1). */
  readonly personProportion: number;
  /** Relative share of auction events (default 3). */
  readonly auctionProportion: number;
  /** Relative share of bid events (default 46). */
  readonly bidProportion: number;
  /** Average serialized size a person is padded to with `extra` (bytes, default 200). */
  readonly avgPersonByteSize: number;
  /** Average auction size (default 500). */
  readonly avgAuctionByteSize: number;
  /** Average bid size (default 100). */
  readonly avgBidByteSize: number;
  /**
   * Events per second of event time over all generators (default 10 000). Sets the event-time
   * spacing only; pacing against the wall clock is the source's business.
   */
  readonly firstEventRate: number;
  /**
   * Second rate of nexmark's SQUARE rate shape. nexmark/nexmark ignores it (one inter-event delay
   * from `firstEventRate`); Riffle requires it to equal `firstEventRate` rather than silently
   * ignoring a different value.
   */
  readonly nextEventRate: number;
  /** A bid goes to the current hot auction with probability 1 − 1/ratio (default 2). */
  readonly hotAuctionRatio: number;
  /** An auction's seller is the current hot seller with probability 1 − 1/ratio (default 4). */
  readonly hotSellersRatio: number;
  /** A bid's bidder is the current hot bidder with probability 1 − 1/ratio (default 4). */
  readonly hotBiddersRatio: number;
  /** How many recent auctions a non-hot bid may target (default 100). */
  readonly numInFlightAuctions: number;
  /** How many recent people a non-hot seller or bidder is drawn from (default 1000). */
  readonly numActivePeople: number;
  /** Events are shuffled within groups of this many (default 1 = in order). */
  readonly outOfOrderGroupSize: number;
  /**
   * Events this generator (or split) emits; 0 = unbounded (capped at {@link UNBOUNDED_MAX_EVENTS},
   * as nexmark caps it at a large finite value).
   */
  readonly maxEvents: number;
  /** Seed of every random choice: same config and seed ⇒ same events (safe integer, default 42). */
  readonly seed: number;
  /** Event time of event number 0, epoch milliseconds (default {@link DEFAULT_BASE_TIME}). */
  readonly baseTime: number;
  /** Added to the adjusted event number to form the event id (default 1; splits shift it). */
  readonly firstEventId: number;
  /** Event number of the first event; determines its timestamp (default 1). */
  readonly firstEventNumber: number;
  /**
   * Number of generators running in parallel on the same timeline: each one spaces its events
   * by `numEventGenerators / firstEventRate` so that together they produce `firstEventRate`.
   * Set it to the number of splits (the source parallelism), as nexmark/nexmark does.
   */
  readonly numEventGenerators: number;
  /**
   * Which random stream this generator draws from (default 0). Set by {@link splitGeneratorConfig};
   * split `k` always draws from stream `k`, whatever the number of splits.
   */
  readonly splitIndex: number;
}

/** Options accepted by {@link nexmarkConfig}: any subset of {@link NexmarkConfig}. */
export type NexmarkOptions = Partial<NexmarkConfig>;

/** Default event time of event number 0: 2024-01-01T00:00:00Z (fixed, so runs are reproducible). */
export const DEFAULT_BASE_TIME = Date.UTC(2024, 0, 1);

/**
 * Event budget of an unbounded generator (`maxEvents: 0`): 2^47 ≈ 1.4e14 events, about 445 years
 * of event time at 10 000 ev/s, while every id and timestamp stays an exact JS integer.
 */
export const UNBOUNDED_MAX_EVENTS = 2 ** 47;

/** Length of the shared random string that `extra` fields are cut from (1 MiB). */
export const EXTRA_POOL_LENGTH = 1 << 20;

/** The defaults of nexmark/nexmark (§1.1 of the model), with seed 42 and a fixed base time. */
export const DEFAULT_NEXMARK_CONFIG: NexmarkConfig = Object.freeze({
  personProportion: 1,
  auctionProportion: 3,
  bidProportion: 46,
  avgPersonByteSize: 200,
  avgAuctionByteSize: 500,
  avgBidByteSize: 100,
  firstEventRate: 10_000,
  nextEventRate: 10_000,
  hotAuctionRatio: 2,
  hotSellersRatio: 4,
  hotBiddersRatio: 4,
  numInFlightAuctions: 100,
  numActivePeople: 1000,
  outOfOrderGroupSize: 1,
  maxEvents: 0,
  seed: 42,
  baseTime: DEFAULT_BASE_TIME,
  firstEventId: 1,
  firstEventNumber: 1,
  numEventGenerators: 1,
  splitIndex: 0,
});

/** Thrown for an invalid configuration; the message names the option. */
export class NexmarkConfigError extends Error {
  constructor(
    /** The offending option. */
    readonly option: string,
    message: string,
  ) {
    super(`Nexmark option '${option}': ${message}`);
    this.name = 'NexmarkConfigError';
  }
}

const INT32_MAX = 0x7fffffff;

type IntRule = readonly [key: keyof NexmarkConfig, min: number, max: number];

// Bounds keep every value an exact JS integer and every random bound a valid Java int bound.
const INT_RULES: readonly IntRule[] = [
  ['personProportion', 0, 1_000_000],
  ['auctionProportion', 0, 1_000_000],
  ['bidProportion', 0, 1_000_000],
  ['avgPersonByteSize', 0, EXTRA_POOL_LENGTH / 2],
  ['avgAuctionByteSize', 0, EXTRA_POOL_LENGTH / 2],
  ['avgBidByteSize', 0, EXTRA_POOL_LENGTH / 2],
  ['hotAuctionRatio', 1, INT32_MAX],
  ['hotSellersRatio', 1, INT32_MAX],
  ['hotBiddersRatio', 1, INT32_MAX],
  ['numInFlightAuctions', 0, 1_000_000_000],
  ['numActivePeople', 0, 1_000_000_000],
  ['outOfOrderGroupSize', 1, 1_000_000_000],
  ['maxEvents', 0, UNBOUNDED_MAX_EVENTS],
  ['seed', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  ['baseTime', -8.64e15, 8.64e15],
  ['firstEventId', 0, 2 ** 50],
  ['firstEventNumber', 0, 2 ** 50],
  ['numEventGenerators', 1, 1_000_000],
  ['splitIndex', 0, 1_000_000],
];

/**
 * Validates a complete configuration and returns it frozen. Throws {@link NexmarkConfigError}
 * naming the first bad option. Call it when the job is built, not when it runs.
 */
export function validateNexmarkConfig(config: NexmarkConfig): NexmarkConfig {
  for (const key of Object.keys(config)) {
    if (!(key in DEFAULT_NEXMARK_CONFIG)) throw new NexmarkConfigError(key, 'unknown option');
  }
  for (const [key, min, max] of INT_RULES) {
    const value = config[key];
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      throw new NexmarkConfigError(key, `must be an integer, got ${String(value)}`);
    }
    if (value < min || value > max) throw new NexmarkConfigError(key, `must be in [${min}, ${max}], got ${value}`);
  }
  for (const key of ['firstEventRate', 'nextEventRate'] as const) {
    const value = config[key];
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw new NexmarkConfigError(key, `must be a positive number of events per second, got ${String(value)}`);
    }
  }
  if (config.nextEventRate !== config.firstEventRate) {
    throw new NexmarkConfigError(
      'nextEventRate',
      `rate shapes are not modelled (nexmark/nexmark ignores them): must equal firstEventRate (${config.firstEventRate}), got ${config.nextEventRate}`,
    );
  }
  if (config.personProportion + config.auctionProportion + config.bidProportion === 0) {
    throw new NexmarkConfigError('personProportion', 'the three proportions must not all be 0');
  }
  if (config.firstEventId + config.firstEventNumber + effectiveMaxEvents(config) > 2 ** 52) {
    throw new NexmarkConfigError('firstEventId', 'firstEventId + firstEventNumber + maxEvents exceeds the exact id range');
  }
  return Object.isFrozen(config) ? config : Object.freeze({ ...config });
}

/** Fills unspecified options with {@link DEFAULT_NEXMARK_CONFIG} and validates the result. */
export function nexmarkConfig(options: NexmarkOptions = {}): NexmarkConfig {
  return validateNexmarkConfig({ ...DEFAULT_NEXMARK_CONFIG, ...stripUndefined(options) });
}

/** The number of events a generator for `config` emits (resolves `maxEvents: 0`). */
export function effectiveMaxEvents(config: NexmarkConfig): number {
  return config.maxEvents === 0 ? UNBOUNDED_MAX_EVENTS : config.maxEvents;
}

/**
 * Splits a configuration into `n` generators on parallel timelines (nexmark's
 * `GeneratorConfig.split`): split `k` gets `floor(maxEvents / n)` events (the last one the
 * remainder), a disjoint event-id range starting at `firstEventId + k·floor(maxEvents / n)`, the
 * same `firstEventNumber` (so every split starts at the same event time) and random stream
 * `splitIndex = k`. With `n = 1` the configuration is returned unchanged. An unbounded
 * configuration is split as {@link UNBOUNDED_MAX_EVENTS} events; a bounded one needs at least `n`
 * events (a split of 0 events would read as unbounded).
 *
 * `numEventGenerators` is left as configured; set it to `n` so the splits together produce
 * `firstEventRate` events per second of event time (as nexmark/nexmark does).
 */
export function splitGeneratorConfig(config: NexmarkConfig, n: number): NexmarkConfig[] {
  const valid = validateNexmarkConfig(config);
  if (!Number.isInteger(n) || n < 1) throw new NexmarkConfigError('parallelism', `must be a positive integer, got ${n}`);
  if (n === 1) return [valid];
  const total = effectiveMaxEvents(valid);
  if (total < n) {
    // A split with 0 events would read as `maxEvents: 0`, i.e. unbounded.
    throw new NexmarkConfigError('maxEvents', `a bounded run needs at least one event per split: ${total} events < ${n} splits`);
  }
  let subMaxEvents = Math.floor(total / n);
  let subFirstEventId = valid.firstEventId;
  const splits: NexmarkConfig[] = [];
  for (let k = 0; k < n; k++) {
    if (k === n - 1) subMaxEvents = total - subMaxEvents * (n - 1);
    splits.push(
      Object.freeze({ ...valid, firstEventId: subFirstEventId, maxEvents: subMaxEvents, splitIndex: k }),
    );
    subFirstEventId += subMaxEvents;
  }
  return splits;
}

function stripUndefined(options: NexmarkOptions): NexmarkOptions {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) if (v !== undefined) out[k] = v;
  return out as NexmarkOptions;
}
