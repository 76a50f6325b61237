export { SplitMix64, deriveSeed, type SplitMix64Backend } from './nexmark/split-mix-64.js';
