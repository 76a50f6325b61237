export * from './graph/stream-graph.js';
export * from './operators/abstract-stream-operator.js';
export * from './client/job-client.js';
export * from './client/execution-context.js';
export * from './util/spawn-worker.js';
export * from './client/services.js';
export * from './client/default-executor.js';
