export { SplitMix64, deriveSeed, type SplitMix64Backend } from './nexmark/split-mix-64.js';
export {
  type NexmarkConfig,
  type NexmarkOptions,
  DEFAULT_NEXMARK_CONFIG,
  DEFAULT_BASE_TIME,
  UNBOUNDED_MAX_EVENTS,
  EXTRA_POOL_LENGTH,
  NexmarkConfigError,
  nexmarkConfig,
  validateNexmarkConfig,
  effectiveMaxEvents,
  splitGeneratorConfig,
} from './nexmark/config.js';
export type { Person, Auction, Bid, NexmarkEvent, NexmarkEventKind } from './nexmark/events.js';
export {
  NexmarkGenerator,
  type GeneratorState,
  NEXMARK_WATERMARK_DELAY_MS,
  FIRST_PERSON_ID,
  FIRST_AUCTION_ID,
  FIRST_CATEGORY_ID,
} from './nexmark/generator.js';
export { GeneratorStateSerializer, generatorStateSerializer } from './nexmark/generator-state-serializer.js';
export {
  NexmarkSource,
  NexmarkSourceBuilder,
  type NexmarkSourceOptions,
  NEXMARK_SOURCE_BATCH_SIZE,
} from './nexmark/nexmark-source.js';
export { type NexmarkSplit, NexmarkSplitSerializer, nexmarkSplitSerializer } from './nexmark/nexmark-split.js';
export { type NexmarkEventOfKind, isNexmarkKind, selectNexmarkKind } from './nexmark/nexmark-kinds.js';
export {
  DataGeneratorSource,
  type GeneratorFunction,
  type DataGeneratorRateLimit,
} from './generator/data-generator-source.js';
export {
  type IndexRangeSplit,
  IndexRangeSplitSerializer,
  indexRangeSplitSerializer,
  splitIndexRange,
} from './generator/index-range-split.js';
export { RateLimiter } from './source/rate-limiter.js';
