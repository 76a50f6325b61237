export * from './split-queue-source-reader.js';
export * from './collection-source.js';
export * from './number-sequence-source.js';
export * from './text-file-source.js';
