export * from './graph/stream-graph.js';
export * from './operators/abstract-stream-operator.js';
