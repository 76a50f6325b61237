export * from './restart-strategies.js';
export * from './restart-backoff-time-strategy.js';
export { NoRestartBackoffTimeStrategy } from './no-restart-backoff-time-strategy.js';
export { FixedDelayRestartBackoffTimeStrategy } from './fixed-delay-restart-backoff-time-strategy.js';
export { FailureRateRestartBackoffTimeStrategy } from './failure-rate-restart-backoff-time-strategy.js';
export { ExponentialDelayRestartBackoffTimeStrategy } from './exponential-delay-restart-backoff-time-strategy.js';
