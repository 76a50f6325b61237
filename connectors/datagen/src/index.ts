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
