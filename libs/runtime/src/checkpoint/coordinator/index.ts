export * from './checkpoint-coordinator.js';
